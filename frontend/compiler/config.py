"""The image-config instructions -> image config changes (part of pipeline step 3).

Owned step: the reference's dispatchers of the instructions that change the stage's
environment or image config rather than its filesystem — ENV, ARG, LABEL, EXPOSE,
CMD, ENTRYPOINT, SHELL, VOLUME, USER, WORKDIR (which also makes the directory),
STOPSIGNAL, HEALTHCHECK, ONBUILD, MAINTAINER: the config change (through the typed
edits of :class:`~frontend.compiler.image.ImageConfig`) and the history entry.
"""

from __future__ import annotations

import re

from frontend import llb
from frontend.compiler.image import healthcheck_history
from frontend.compiler.state import StageState
from frontend.compiler.steps import (
    RuleContext,
    commit,
    normalize_workdir,
    step_label,
    to_slash,
    with_shell,
)
from frontend.gocompat import go_list, go_parse_uint, go_quote_list
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError
from frontend.language.ports import port_specs

# ARGs that never become environment variables of RUN steps
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


# ------------------------------------------------------------------ ENV / ARG


def dispatch_env(c: RuleContext, st: StageState, cmd: ins.Env) -> None:
    message = "ENV"
    for pair in cmd.pairs:
        message += f" {pair.key}={pair.value}"
        st.env = st.env.set(pair.key, pair.value)
        st.img.set_env(pair.key, pair.value)
    commit(st, message, layer=False)


def dispatch_arg(c: RuleContext, st: StageState, cmd: ins.Arg) -> None:
    """ARG (given unexpanded: a value is expanded here, after the build args)."""
    parts: list[str] = []
    for pair in cmd.pairs:
        value = pair.value
        has_value = pair.key in c.opts.build_args
        if value is None and not has_value and pair.key in c.global_env:
            value = c.global_env[pair.key]
        elif has_value:
            value = c.opts.build_args[pair.key]
        elif value is not None:
            value = c.lexer.expand_word(value, st.env).value
        if value is not None and pair.key not in NON_ENV_ARGS:
            st.env = st.env.set(pair.key, value)
        st.build_args.append((pair.key, value))
        parts.append(pair.key if value is None else f"{pair.key}={value}")
    commit(st, "ARG " + " ".join(parts), layer=False)


# ------------------------------------------------------------------ WORKDIR / USER


def dispatch_workdir(c: RuleContext, st: StageState, cmd: ins.Workdir) -> None:
    """WORKDIR (relative to the image's working directory; see ``normalize_workdir``)."""
    st.img.workdir = normalize_workdir(st.img.workdir, cmd.path, st.plat.os)
    wd = st.cwd = to_slash(st.img.workdir, st.plat.os)
    layer = False
    if wd != "/":
        owner = llb.Chown.parse(st.user) if st.user else None
        label = step_label(st, cmd.original, c.lexer)
        st.begin_step()
        st.state = st.state.file(
            llb.mkdir(wd, 0o755, make_parents=True, owner=owner, created=st.epoch_ns),
            constraints=llb.Constraints.of(
                custom_name=st.step_name(label, c.opts.multi_platform),
                locations=[c.location(cmd.location)],
                platform=st.plat,
            ),
        )
        layer = True
    commit(st, "WORKDIR " + wd, layer=layer)


def dispatch_user(c: RuleContext, st: StageState, cmd: ins.User) -> None:
    st.user = cmd.user
    st.img.user = cmd.user
    commit(st, f"USER {cmd.user}", layer=False)


# ------------------------------------------------------------------ config-only


def _command_args(st: StageState, command: ins.ShellOrExec) -> list[str]:
    """CMD/ENTRYPOINT arguments: the exec form as is, the shell form under the shell."""
    if command.prepend_shell:
        return with_shell(st, command.args)
    return list(command.args)


def dispatch_cmd(c: RuleContext, st: StageState, cmd: ins.Cmd) -> None:
    args = _command_args(st, cmd.command)
    st.img.set_cmd(args)
    st.cmd_set = True
    commit(st, f"CMD {go_quote_list(args)}", layer=False)


def dispatch_entrypoint(c: RuleContext, st: StageState, cmd: ins.Entrypoint) -> None:
    args = _command_args(st, cmd.command)
    st.img.set_entrypoint(args, keep_cmd=st.cmd_set)
    commit(st, f"ENTRYPOINT {go_quote_list(args)}", layer=False)


def dispatch_shell(c: RuleContext, st: StageState, cmd: ins.Shell) -> None:
    st.img.set_shell(cmd.shell)
    commit(st, f"SHELL {go_list(cmd.shell)}", layer=False)


def dispatch_label(c: RuleContext, st: StageState, cmd: ins.Label) -> None:
    st.img.set_labels((pair.key, pair.value) for pair in cmd.pairs)
    message = "LABEL" + "".join(f" {pair.key}={pair.value}" for pair in cmd.pairs)
    commit(st, message, layer=False)


def dispatch_maintainer(c: RuleContext, st: StageState, cmd: ins.Maintainer) -> None:
    st.img.set_author(cmd.maintainer)
    commit(st, f"MAINTAINER {cmd.maintainer}", layer=False)


def dispatch_expose(c: RuleContext, st: StageState, cmd: ins.Expose) -> None:
    """EXPOSE: every ``[ip:][host:]port[-port][/proto]`` as ``port/proto``, in the
    order of the (sorted, then expanded) words, duplicates kept in the history."""
    ports: list[str] = []
    for spec in cmd.ports:
        ports.extend(port_specs(spec))
    st.img.add_exposed_ports(ports)
    commit(st, f"EXPOSE {go_list(ports)}", layer=False)


def dispatch_volume(c: RuleContext, st: StageState, cmd: ins.Volume) -> None:
    for v in cmd.volumes:
        if not v:
            raise DockerfileError("VOLUME specified can not be an empty string")
    st.img.add_volumes(cmd.volumes)
    commit(st, f"VOLUME {go_list(cmd.volumes)}", layer=False)


_SIGNALS = {
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
    "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
    "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
}  # fmt: skip


def dispatch_stopsignal(c: RuleContext, st: StageState, cmd: ins.StopSignal) -> None:
    sig = cmd.signal
    name = sig.upper().removeprefix("SIG")
    ok = (
        ((number := go_parse_uint(sig)) is not None and 0 < number < 1 << 63)
        or name in _SIGNALS
        or re.fullmatch(r"RTM(IN|AX)([+-]\d+)?", name)
    )
    if not ok:
        raise DockerfileError(f"Invalid signal: {sig}")
    st.img.set_stop_signal(sig)
    commit(st, f"STOPSIGNAL {sig}", layer=False)


def dispatch_healthcheck(c: RuleContext, st: StageState, cmd: ins.Healthcheck) -> None:
    durations = [
        ("Interval", cmd.interval),
        ("Timeout", cmd.timeout),
        ("StartPeriod", cmd.start_period),
        ("StartInterval", cmd.start_interval),
    ]
    st.img.set_healthcheck(cmd.test, durations, cmd.retries)
    commit(st, healthcheck_history(cmd.test, durations, cmd.retries), layer=False)


def dispatch_onbuild(c: RuleContext, st: StageState, cmd: ins.Onbuild) -> None:
    st.img.add_onbuild(cmd.expression)
