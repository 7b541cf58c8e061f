"""One instruction -> LLB ops and image config changes (part of pipeline step 3).

Owned step: the per-instruction rules of the reference frontend's dispatchers
(``dispatchRun``, ``dispatchCopy``, ``dispatchWorkdir``, ...): which fields each op
gets, the step name, the source location, the image config change and the history
entry. Stage bookkeeping lives in :mod:`frontend.compiler.convert`.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from typing import TYPE_CHECKING, Any

from frontend import llb
from frontend.compiler.image import healthcheck_history
from frontend.gocompat import go_list, go_quote_list
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError
from frontend.language.shell import EnvExpander, Lexer

if TYPE_CHECKING:
    from frontend.compiler.convert import Compiler, StageState

DEFAULT_SHELL = ("/bin/sh", "-c")
CMD_DESCRIPTION = "com.docker.dockerfile.v1.command"


def dispatch(c: Compiler, st: StageState, cmd: ins.Instruction) -> None:
    """Apply ``cmd`` to stage ``st``."""
    if isinstance(cmd, ins.Arg):
        _arg(c, st, cmd)
        return
    expander = EnvExpander(c.lexer, st.env)
    expanded = cmd.expand(expander)
    handler = _HANDLERS.get(type(expanded))
    if handler is not None:
        handler(c, st, expanded)


# ------------------------------------------------------------------ helpers


def _name(c: Compiler, st: StageState, text: str, lexer: Lexer) -> str:
    """The progress name: the instruction text expanded with the stage env, first word
    upper-cased, then the ``[stage i/n]`` prefix."""
    with contextlib.suppress(DockerfileError):
        text = lexer.expand_word(text, st.env).value
    first, sep, rest = text.partition(" ")
    return st.prefix(first.upper() + sep + rest, c.opts.multi_platform)


def command_text(cmd: ins.Instruction) -> str:
    """The instruction's text as the reference prints it (step name, description): the
    source line(s) without the bodies of its heredocs."""
    if getattr(cmd, "heredocs", None) or getattr(cmd, "contents", None):
        return cmd.original.split("\n", 1)[0]
    return cmd.original


def _raw_lexer(c: Compiler) -> Lexer:
    return Lexer(c.lexer.escape, raw_quotes=True, skip_unset_env=True)


def _with_shell(st: StageState, args: tuple[str, ...]) -> list[str]:
    shell = st.img.shell or list(DEFAULT_SHELL)
    return [*shell, " ".join(args)]


def _commit(st: StageState, message: str, *, layer: bool, buildkit: bool = False) -> None:
    if buildkit:
        message += " # buildkit"
    st.img.add_history(message, empty_layer=not layer, created=st.epoch)


def path_relative_to_workdir(cwd: str, p: str) -> str:
    """Destination paths: absolute cleaned, else joined to the working directory; a
    trailing ``/`` (or ``/.``) is kept."""
    if p in (".", ""):
        p = "./"
    return llb.normalize_path(cwd, p, True)


# ------------------------------------------------------------------ ENV / ARG


def _env(c: Compiler, st: StageState, cmd: ins.Env) -> None:
    message = "ENV"
    for pair in cmd.pairs:
        message += f" {pair.key}={pair.value}"
        st.env = st.env.set(pair.key, pair.value)
        st.img.set_env(pair.key, pair.value)
    _commit(st, message, layer=False)


def _arg(c: Compiler, st: StageState, cmd: ins.Arg) -> None:
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
        if value is not None and pair.key not in _non_env_args():
            st.env = st.env.set(pair.key, value)
        st.build_args.append((pair.key, value))
        parts.append(pair.key if value is None else f"{pair.key}={value}")
    _commit(st, "ARG " + " ".join(parts), layer=False)


def _non_env_args() -> frozenset[str]:
    from frontend.compiler.convert import NON_ENV_ARGS

    return NON_ENV_ARGS


# ------------------------------------------------------------------ RUN


def _rooted(path: str) -> str:
    """Go's ``path.Join("/", path)``: absolute and clean (one leading slash)."""
    return "/" + posixpath.normpath("/" + path).lstrip("/")


def _run(c: Compiler, st: StageState, cmd: ins.Run) -> None:
    st.paths.add("/")  # a command may read any file of the stage's filesystem
    extra_mounts: list[llb.Mount] = []
    args: list[str] = list(cmd.command.args)
    custom = command_text(cmd)
    if cmd.heredocs:
        if len(args) != 1 or not cmd.command.prepend_shell:
            raise DockerfileError(f"parsing produced an invalid run command: {args}")
        first = cmd.heredocs[0]
        if _is_single_heredoc(args[0]):
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
        args = _with_shell(st, tuple(args))

    secret_env: list[llb.SecretEnv] = []
    mounts = _run_mounts(c, st, cmd, secret_env) + extra_mounts
    name = _name(c, st, custom, _raw_lexer(c))
    kwargs: dict[str, Any] = {}
    network = cmd.network if cmd.network != "default" else st.network
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
        constraints=llb.Constraints.of(
            platform=st.plat,
            custom_name=name,
            description={CMD_DESCRIPTION: command_text(cmd)},
            ignore_cache=st.ignore_cache,
            locations=[c.location(cmd.location)],
        ),
        **kwargs,
    )
    st.state = result.root
    _commit(st, "RUN " + _run_command_string(args, st), layer=True, buildkit=True)


def _is_single_heredoc(word: str) -> bool:
    return re.fullmatch(r"<<-?(['\"]?)([^'\"\s]+)\1", word.strip()) is not None


def _summarize_heredoc(doc: str) -> str:
    lines = doc.strip().replace("\r\n", "\n").split("\n")
    return lines[0] + ("..." if len(lines) > 1 else "")


def _run_command_string(args: list[str], st: StageState) -> str:
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
    return " ".join([*build_env, *args])


def _proxy_env(build_args: dict[str, str] | Any) -> llb.ProxyEnv | None:
    values: dict[str, str] = {}
    for key in sorted(build_args):
        k = key.lower()
        if k in ("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"):
            values[k] = build_args[key]
    if not values:
        return None
    return llb.ProxyEnv(**values)


def _run_mounts(
    c: Compiler, st: StageState, cmd: ins.Run, secret_env: list[llb.SecretEnv]
) -> list[llb.Mount]:
    """The mounts of ``cmd``; secrets exposed as env vars go to ``secret_env``."""
    out: list[llb.Mount] = []
    ssh_count = 0
    for m in cmd.mounts:
        if m.type == "secret":
            # the id: source=, else id=, else the target's base name
            sid = m.source or m.cache_id
            if not sid:
                if not m.target:
                    raise DockerfileError("one of source, target required", cmd.location)
                sid = posixpath.basename(m.target)
            if m.env is not None:
                secret_env.append(llb.SecretEnv(m.env, sid, optional=not m.required))
                if not m.target:
                    continue  # env only: no file
            target = m.target or "/run/secrets/" + posixpath.basename(sid)
            out.append(
                llb.SecretMount(
                    target,
                    sid,
                    uid=m.uid or 0,
                    gid=m.gid or 0,
                    mode=m.mode if m.mode is not None else 0o400,
                    optional=not m.required,
                )
            )
            continue
        if m.type == "ssh":
            ssh_count += 1
            if m.source:
                raise DockerfileError("ssh does not support source", cmd.location)
            # the default socket path counts ssh mounts only (Go llb numbers them)
            out.append(
                llb.SSHMount(
                    id=m.cache_id,
                    dest=m.target or f"/run/buildkit/ssh_agent.{ssh_count - 1}",
                    uid=m.uid or 0,
                    gid=m.gid or 0,
                    mode=m.mode if m.mode is not None else 0o600,
                    optional=not m.required,
                )
            )
            continue
        target = m.target
        if not target.startswith("/"):
            target = posixpath.join("/", st.cwd, target)
        target = posixpath.normpath(target) if target else target
        if target in ("/", "//"):
            raise DockerfileError(f'invalid mount target "{target}"', cmd.location)
        if m.type == "tmpfs":
            out.append(llb.TmpfsMount(target, size=m.size_limit))
            continue
        from_ = m.from_ or ("scratch" if m.type == "cache" else "")
        source: llb.State = c.build_context
        if from_:
            if from_ == "scratch":
                source = llb.scratch()
            else:  # a mount's from= names a stage or an image, never a stage index
                source, used = c.source_for(from_, cmd.location, st, mount=True)
                used.add(_rooted(m.source))
        selector = posixpath.join("/", m.source) if m.source else "/"
        selector = posixpath.normpath(selector)
        if selector == "//":
            selector = "/"
        if (
            m.type == "cache"
            and selector == "/"
            and (m.uid is not None or m.gid is not None or m.mode is not None)
        ):
            source = source.file(
                llb.mkdir(
                    "/cache",
                    m.mode if m.mode is not None else 0o755,
                    owner=llb.Chown(m.uid or 0, m.gid or 0),
                ),
                constraints=llb.Constraints.of(
                    custom_name="[internal] settings cache mount permissions"
                ),
            )
            selector = "/cache"
        if not from_:
            st.ctx_paths.add(posixpath.join("/", m.source) if m.source else "/")
        if m.type == "cache":
            sharing = {
                "private": llb.CacheSharing.PRIVATE,
                "locked": llb.CacheSharing.LOCKED,
            }.get(m.sharing, llb.CacheSharing.SHARED)
            cache_id = m.cache_id or m.target
            out.append(
                llb.CacheMount(
                    target,
                    _cache_namespace(c) + "/" + cache_id,
                    sharing=sharing,
                    source=None if source.is_scratch else source,
                    selector="" if selector == "/" else selector,
                    readonly=m.readonly,
                )
            )
            continue
        out.append(
            llb.BindMount(
                target,
                source,
                selector="" if selector == "/" else selector,
                readonly=m.readonly,
                no_output=not m.readonly,
            )
        )
    return out


def _cache_namespace(c: Compiler) -> str:
    return c.opts.build_args.get("BUILDKIT_CACHE_MOUNT_NS", "")


# ------------------------------------------------------------------ COPY / ADD


def _chmod(value: str) -> int | str | None:
    if not value:
        return None
    bad = f"invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777"
    if re.fullmatch(r"[0-7]+", value):
        mode = int(value, 8)
        if mode > 0o7777:
            raise DockerfileError(bad)
        return mode
    if value.isdigit():
        raise DockerfileError(bad)
    if not re.fullmatch(
        r"([ugoa]*[-+=]([rwxXst]*|[ugo]))(,([ugoa]*[-+=]([rwxXst]*|[ugo])))*", value
    ):
        raise DockerfileError(f"invalid chmod parameter: '{value}'")
    return value


def _copy(c: Compiler, st: StageState, cmd: ins.Copy | ins.Add) -> None:
    is_add = isinstance(cmd, ins.Add)
    dest = path_relative_to_workdir(st.cwd, cmd.dest)
    owner = llb.Chown.parse(cmd.chown) if cmd.chown else None
    mode = _chmod(cmd.chmod)
    from_ = cmd.from_ if isinstance(cmd, ins.Copy) else ""
    parents = isinstance(cmd, ins.Copy) and cmd.parents
    source = c.build_context
    used: set[str] = set()  # the paths read from the --from source
    if from_:
        source, used = c.source_for(from_, cmd.location, st)
    checksum = cmd.checksum if isinstance(cmd, ins.Add) else ""
    if checksum:
        if len(cmd.sources) != 1:
            raise DockerfileError("checksum can't be specified for multiple sources")
        if not _is_http(cmd.sources[0]) and not _is_git(cmd.sources[0]):
            raise DockerfileError("checksum requires HTTP(S) or Git sources")

    message = "ADD" if is_add else "COPY"
    if parents:
        message += " --parents"
    if cmd.chown:
        message += " --chown=" + cmd.chown
    if cmd.chmod:
        message += " --chmod=" + cmd.chmod
    name = _name(c, st, command_text(cmd), c.lexer)

    common: dict[str, Any] = {"owner": owner, "mode": mode}
    if cmd.excludes:
        common["exclude_patterns"] = tuple(cmd.excludes)
    action: llb.FileAction | None = None

    def add(source_state: llb.State, src: str, **kw: Any) -> None:
        nonlocal action
        kw = {**common, **kw}
        if action is None:
            action = llb.copy(source_state, src, dest, **kw)
        else:
            action = action.copy(source_state, src, dest, **kw)

    for src in cmd.sources:
        message += " " + src
        if _is_git(src) and is_add:
            add(_git_source(src, cmd, name), "/", create_dest_path=True)
        elif _is_http(src):
            if not is_add:
                raise DockerfileError("source can't be a URL for COPY")
            filename = _url_filename(src)
            unpack = isinstance(cmd, ins.Add) and bool(cmd.unpack)
            http = llb.http(
                src,
                filename=filename,
                checksum=checksum,
                constraints=llb.Constraints.of(custom_name=name),
            )
            add(http, filename, create_dest_path=True, attempt_unpack=unpack)
        else:
            patterns: tuple[str, ...] = ()
            required: tuple[str, ...] = ()
            path = src
            if parents:
                parent, sep, pattern = src.partition("/./")
                if not sep:
                    pattern, parent = src, "/"
                pattern = llb.normalize_path("/", pattern, False)
                patterns = (pattern.lstrip("/"),)
                if not _has_wildcards(parent) and not _has_wildcards(pattern):
                    required = (llb.normalize_path("/", posixpath.join(parent, pattern), False),)
                path = parent
            unpack_flag = is_add
            if isinstance(cmd, ins.Add) and cmd.unpack is not None:
                unpack_flag = cmd.unpack
            kw: dict[str, Any] = {
                "follow_symlinks": True,
                "dir_contents_only": True,
                "attempt_unpack": unpack_flag,
                "create_dest_path": True,
                "allow_wildcard": True,
                "allow_empty_wildcard": True,
            }
            if patterns:
                kw["include_patterns"] = patterns
            if required:
                kw["required_paths"] = required
            add(source, llb.normalize_path("/", path, False), **kw)
            if not from_:
                st.ctx_paths.add(posixpath.normpath(posixpath.join("/", src)))
            else:
                used.add(_rooted(src))

    for content in cmd.contents:
        message += " <<" + content.path
        doc = llb.scratch().file(
            llb.mkfile(content.path, 0o644, content.data.encode()),
            constraints=llb.Constraints.of(
                custom_name="[internal] preparing inline document", platform=st.plat
            ),
        )
        add(doc, content.path, create_dest_path=True)
    message += " " + cmd.dest
    if action is None:
        raise DockerfileError(f"{'ADD' if is_add else 'COPY'} requires at least two arguments")

    constraints = llb.Constraints.of(
        custom_name=name,
        description={CMD_DESCRIPTION: command_text(cmd)},
        ignore_cache=st.ignore_cache,
        locations=[c.location(cmd.location)],
    )
    if cmd.link and not cmd.chmod and c.opts.supports("mergeop") and c.opts.llb_caps is not None:
        # the copy and its merge share the step number ``name`` already took
        group = llb.ProgressGroup(_progress_id(cmd, st), name, weak=True)
        layer = llb.scratch().file(
            action,
            constraints=llb.Constraints.of(
                platform=st.plat,
                custom_name=name,
                description={CMD_DESCRIPTION: command_text(cmd)},
                ignore_cache=st.ignore_cache,
                locations=[c.location(cmd.location)],
                progress_group=group,
            ),
        )
        link_name = _link_name(st, name)
        st.state = llb.merge(
            [st.state, layer],
            constraints=llb.Constraints.of(
                custom_name=link_name,
                description={CMD_DESCRIPTION: command_text(cmd)},
                ignore_cache=st.ignore_cache,
                locations=[c.location(cmd.location)],
                progress_group=llb.ProgressGroup(group.id, name),
            ),
        )
    else:
        st.state = st.state.file(action, constraints=constraints)
    _commit(st, message, layer=True, buildkit=True)


def _link_name(st: StageState, name: str) -> str:
    """``[s i/n] LINK COPY ...``: the same step number as the copy it merges."""
    m = re.match(r"^(\[[^\]]*\] )(ONBUILD )?(.*)$", name)
    if not m:
        return "LINK " + name
    return m.group(1) + (m.group(2) or "") + "LINK " + m.group(3)


def _progress_id(cmd: ins.Instruction, st: StageState) -> str:
    """A progress group id that is the same for the same step (the reference uses a
    random one; ours is derived so that output stays deterministic)."""
    import hashlib

    key = f"{st.stage.index}:{cmd.location.start_line}:{cmd.original}"
    return hashlib.sha256(key.encode()).hexdigest()[:25]


def _has_wildcards(name: str) -> bool:
    i = 0
    while i < len(name):
        ch = name[i]
        if ch in "*?[":
            return True
        if ch == "\\":
            i += 1
        i += 1
    return False


def _is_http(src: str) -> bool:
    return (src.startswith("http://") or src.startswith("https://")) and not _is_git(src)


_GIT_HTTP = re.compile(r"^https?://[^/]+/.+\.git(#.*)?$|^https?://(github\.com|gitlab\.com)/")


def _is_git(src: str) -> bool:
    if src.startswith(("git@", "git://", "ssh://")):
        return True
    return bool(_GIT_HTTP.match(src))


def _url_filename(src: str) -> str:
    from urllib.parse import urlparse

    try:
        base = posixpath.basename(urlparse(src).path)
    except ValueError:
        base = ""
    return base if base not in ("", ".", "/") else "__unnamed__"


def _git_source(src: str, cmd: ins.Copy | ins.Add, name: str) -> llb.State:
    url, _, fragment = src.partition("#")
    ref, _, subdir = fragment.partition(":")
    keep = isinstance(cmd, ins.Add) and cmd.keep_git_dir
    return llb.git(
        url,
        ref,
        subdir=subdir,
        keep_git_dir=keep,
        constraints=llb.Constraints.of(custom_name=name),
    )


# ------------------------------------------------------------------ WORKDIR / USER


def _workdir(c: Compiler, st: StageState, cmd: ins.Workdir) -> None:
    from frontend.compiler.convert import normalize_workdir

    wd = normalize_workdir(st.cwd, cmd.path)
    st.img.config["WorkingDir"] = wd
    st.cwd = wd
    layer = False
    if wd != "/":
        owner = llb.Chown.parse(st.user) if st.user else None
        name = _name(c, st, cmd.original, c.lexer)
        st.state = st.state.file(
            llb.mkdir(wd, 0o755, make_parents=True, owner=owner),
            constraints=llb.Constraints.of(
                custom_name=name,
                description={CMD_DESCRIPTION: command_text(cmd)},
                locations=[c.location(cmd.location)],
                platform=st.plat,
            ),
        )
        layer = True
    _commit(st, "WORKDIR " + wd, layer=layer)


def _user(c: Compiler, st: StageState, cmd: ins.User) -> None:
    st.user = cmd.user
    st.img.config["User"] = cmd.user
    _commit(st, f"USER {cmd.user}", layer=False)


# ------------------------------------------------------------------ config-only


def _command_args(st: StageState, command: ins.ShellOrExec) -> list[str]:
    """CMD/ENTRYPOINT arguments: the exec form as is, the shell form under the shell."""
    if command.prepend_shell:
        return _with_shell(st, command.args)
    return list(command.args)


def _cmd(c: Compiler, st: StageState, cmd: ins.Cmd) -> None:
    args = _command_args(st, cmd.command)
    st.img.config["Cmd"] = args
    st.img.config["ArgsEscaped"] = True
    st.cmd_set = True
    _commit(st, f"CMD {go_quote_list(args)}", layer=False)


def _entrypoint(c: Compiler, st: StageState, cmd: ins.Entrypoint) -> None:
    args = _command_args(st, cmd.command)
    st.img.config["Entrypoint"] = args
    if not st.cmd_set:
        st.img.config.pop("Cmd", None)
    _commit(st, f"ENTRYPOINT {go_quote_list(args)}", layer=False)


def _shell(c: Compiler, st: StageState, cmd: ins.Shell) -> None:
    st.img.config["Shell"] = list(cmd.shell)
    _commit(st, f"SHELL {go_list(cmd.shell)}", layer=False)


def _label(c: Compiler, st: StageState, cmd: ins.Label) -> None:
    labels = st.img.config.get("Labels") or {}
    message = "LABEL"
    for pair in cmd.pairs:
        labels[pair.key] = pair.value
        message += f" {pair.key}={pair.value}"
    st.img.config["Labels"] = labels
    _commit(st, message, layer=False)


def _maintainer(c: Compiler, st: StageState, cmd: ins.Maintainer) -> None:
    st.img.data["author"] = cmd.maintainer
    _commit(st, f"MAINTAINER {cmd.maintainer}", layer=False)


def _expose(c: Compiler, st: StageState, cmd: ins.Expose) -> None:
    ports: set[str] = set()
    for spec in cmd.ports:
        ports.update(_port_specs(spec))
    exposed = st.img.config.get("ExposedPorts") or {}
    for p in sorted(ports):
        exposed[p] = {}
    st.img.config["ExposedPorts"] = exposed
    shown = " ".join(f"{p}:{{}}" for p in sorted(ports))
    _commit(st, f"EXPOSE map[{shown}]", layer=False)


def _port_specs(spec: str) -> list[str]:
    raw = spec
    proto = "tcp"
    if "/" in spec:
        spec, proto = spec.rsplit("/", 1)
        proto = proto.lower() or "tcp"
    if ":" in spec:
        spec = spec.rsplit(":", 1)[1]
    spec = spec.strip()
    if not spec:
        raise DockerfileError(f"no port specified: {raw}<empty>")
    start, sep, end = spec.partition("-")
    if not start.isdigit() or (sep and not end.isdigit()):
        raise DockerfileError(f"invalid containerPort: {spec}")
    lo, hi = int(start), int(end) if sep else int(start)
    if hi < lo:
        raise DockerfileError(f"invalid range specified for containerPort: {spec}")
    return [f"{p}/{proto}" for p in range(lo, hi + 1)]


def _volume(c: Compiler, st: StageState, cmd: ins.Volume) -> None:
    volumes = st.img.config.get("Volumes") or {}
    for v in cmd.volumes:
        if not v:
            raise DockerfileError("VOLUME specified can not be an empty string")
        volumes[v] = {}
    st.img.config["Volumes"] = volumes
    _commit(st, f"VOLUME {go_list(cmd.volumes)}", layer=False)


_SIGNALS = {
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
    "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
    "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
}  # fmt: skip


def _stopsignal(c: Compiler, st: StageState, cmd: ins.StopSignal) -> None:
    sig = cmd.signal
    name = sig.upper().removeprefix("SIG")
    ok = (
        (sig.isdigit() and int(sig) > 0)
        or name in _SIGNALS
        or re.fullmatch(r"RTM(IN|AX)([+-]\d+)?", name)
    )
    if not ok:
        raise DockerfileError(f"Invalid signal: {sig}")
    st.img.config["StopSignal"] = sig
    _commit(st, f"STOPSIGNAL {sig}", layer=False)


def _healthcheck(c: Compiler, st: StageState, cmd: ins.Healthcheck) -> None:
    hc: dict[str, Any] = {"Test": list(cmd.test)}
    fields = [
        ("Interval", cmd.interval),
        ("Timeout", cmd.timeout),
        ("StartPeriod", cmd.start_period),
        ("StartInterval", cmd.start_interval),
    ]
    for key, ns in fields:
        if ns:
            hc[key] = ns
    if cmd.retries:
        hc["Retries"] = cmd.retries
    st.img.config["Healthcheck"] = hc
    _commit(st, healthcheck_history(cmd.test, fields, cmd.retries), layer=False)


def _onbuild(c: Compiler, st: StageState, cmd: ins.Onbuild) -> None:
    onbuild = st.img.config.get("OnBuild") or []
    onbuild.append(cmd.expression)
    st.img.config["OnBuild"] = onbuild


_HANDLERS: dict[type, Any] = {
    ins.Env: _env,
    ins.Run: _run,
    ins.Copy: _copy,
    ins.Add: _copy,
    ins.Workdir: _workdir,
    ins.User: _user,
    ins.Cmd: _cmd,
    ins.Entrypoint: _entrypoint,
    ins.Shell: _shell,
    ins.Label: _label,
    ins.Maintainer: _maintainer,
    ins.Expose: _expose,
    ins.Volume: _volume,
    ins.StopSignal: _stopsignal,
    ins.Healthcheck: _healthcheck,
    ins.Onbuild: _onbuild,
}
