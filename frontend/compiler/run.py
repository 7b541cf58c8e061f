"""RUN -> an LLB exec op (part of pipeline step 3).

Owned step: the reference's ``dispatchRun``: the command (shell or exec form,
heredocs), its environment, working directory, user, network and security mode, the
exec metadata the build options add (proxy env, hostname, extra hosts, ulimits,
cgroup parent, /dev/shm), the step name and location, and the history entry. Its
mounts come from :mod:`frontend.compiler.mounts`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from frontend import llb
from frontend.compiler.envlist import EnvList
from frontend.compiler.mounts import run_mounts
from frontend.compiler.state import StageState
from frontend.compiler.steps import (
    CMD_DESCRIPTION,
    RuleContext,
    command_text,
    commit_step,
    raw_lexer,
    step_label,
    with_shell,
)
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError
from frontend.language.heredocs import heredoc_word

_PROXY_ARGS = ("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy")


def dispatch_run(c: RuleContext, st: StageState, cmd: ins.Run) -> None:
    st.paths.add("/")  # a command may read any file of the stage's filesystem
    args, extra_mounts, custom = _command(st, cmd)
    secret_env: list[llb.SecretEnv] = []
    mounts = run_mounts(c, st, cmd, secret_env) + extra_mounts
    label = step_label(st, custom, raw_lexer(c), _secret_env_masked(st, cmd))
    st.begin_step()
    name = st.step_name(label, c.opts.multi_platform, state_platform=True)
    kwargs = _exec_options(c, cmd, st.network)
    if c.opts.shm_size > 0 and c.opts.supports("exec.mount.tmpfs.size"):
        mounts.append(llb.TmpfsMount("/dev/shm", size=c.opts.shm_size))
    env = st.env.to_list()
    ssh_targets = [m.dest for m in mounts if isinstance(m, llb.SSHMount)]
    if ssh_targets and "SSH_AUTH_SOCK" not in st.env:
        env.append(f"SSH_AUTH_SOCK={ssh_targets[0]}")
    result = st.state.run(
        args,
        env=env,
        cwd=st.cwd,
        user=st.user,
        mounts=mounts,
        secret_env=secret_env,
        # no platform of its own: the exec runs for its state's (the marshal default,
        # the target, on scratch), as the reference's
        constraints=llb.Constraints.of(
            custom_name=name,
            description={CMD_DESCRIPTION: command_text(cmd)},
            ignore_cache=st.ignore_cache,
            locations=[c.location(cmd.location)],
        ),
        **kwargs,
    )
    st.state = result.root
    commit_step(st, _history_words(args, st))


def _command(st: StageState, cmd: ins.Run) -> tuple[list[str], list[llb.Mount], str]:
    """The exec arguments, the mounts heredocs need and the step text."""
    extra_mounts: list[llb.Mount] = []
    args: list[str] = list(cmd.command.args)
    custom = command_text(cmd)
    if cmd.heredocs:
        if len(args) != 1 or not cmd.command.prepend_shell:
            raise DockerfileError(f"parsing produced an invalid run command: {args}")
        first = cmd.heredocs[0]
        if heredoc_word(args[0]) is not None:  # the command is the heredoc alone
            data = first.data
            if st.img.os != "windows" and data.startswith("#!"):
                doc = llb.scratch().file(
                    llb.mkfile(first.name, 0o755, data.encode()),
                    constraints=llb.Constraints.of(
                        custom_name="[internal] preparing inline document",
                        platform=st.plat,
                    ),
                )
                extra_mounts.append(llb.BindMount("/dev/pipes/", doc, selector="/", readonly=True))
                args = [posixpath.join("/dev/pipes/", first.name)]
            else:
                args = [data]
            custom += f" ({_summarize_heredoc(first.content)})"
        else:
            text = args[0]
            for doc_ in cmd.heredocs:
                text += "\n" + doc_.content + doc_.name
            args = [text]
    if cmd.command.prepend_shell:
        args = with_shell(st, args)
    if not args:  # RUN [] (the reference's exec op: "arguments are required")
        raise DockerfileError("arguments are required")
    return args, extra_mounts, custom


def _secret_env_masked(st: StageState, cmd: ins.Run) -> EnvList:
    """The env the step name is expanded with: a secret exposed as an env var reads
    ``****`` (the reference's ``withSecretEnvMask``: it shows where a secret is used)."""
    env = st.env
    for m in cmd.mounts:
        if m.type == "secret" and m.env is not None:
            env = env.set(m.env, "****")
    return env


def _exec_options(c: RuleContext, cmd: ins.Run, stage_network: str) -> dict[str, Any]:
    """The exec op options beyond the command: network, security, build options."""
    kwargs: dict[str, Any] = {}
    network = cmd.network if cmd.network != "default" else stage_network
    if network == "none":
        kwargs["network"] = llb.NetMode.NONE
    elif network == "host":
        kwargs["network"] = llb.NetMode.HOST
    if cmd.security == "insecure":
        kwargs["security"] = llb.SecurityMode.INSECURE
    proxy = _proxy_env(c.opts.build_args)
    if proxy is not None:
        kwargs["proxy_env"] = proxy
    if c.opts.hostname:
        kwargs["hostname"] = c.opts.hostname
    if c.opts.extra_hosts:
        kwargs["extra_hosts"] = c.opts.extra_hosts
    if c.opts.ulimits and c.opts.supports("exec.meta.ulimit"):
        kwargs["ulimits"] = c.opts.ulimits
    if c.opts.cgroup_parent and c.opts.supports("exec.meta.cgroup.parent"):
        kwargs["cgroup_parent"] = c.opts.cgroup_parent
    return kwargs


def _summarize_heredoc(doc: str) -> str:
    lines = doc.strip().replace("\r\n", "\n").split("\n")
    return lines[0] + ("..." if len(lines) > 1 else "")


def _history_words(args: list[str], st: StageState) -> list[str]:
    """The history's ``RUN |N KEY=value ... command``, a word an item: the build args
    the step saw."""
    seen: dict[str, int] = {}
    build_env: list[str] = []
    for key, value in st.build_args:
        v = st.env.get(key)
        if v is None:
            v = value or ""
        if key in seen:
            build_env[seen[key]] = f"{key}={v}"
        else:
            seen[key] = len(build_env)
            build_env.append(f"{key}={v}")
    if build_env:
        build_env.insert(0, f"|{len(build_env)}")
    return ["RUN", *build_env, *args]


def _proxy_env(build_args: Mapping[str, str]) -> llb.ProxyEnv | None:
    values: dict[str, str] = {}
    for key in sorted(build_args):
        k = key.lower()
        if k in _PROXY_ARGS:
            values[k] = build_args[key]
    if not values:
        return None
    return llb.ProxyEnv(**values)
