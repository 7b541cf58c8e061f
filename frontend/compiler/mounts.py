"""RUN --mount -> LLB exec mounts (part of pipeline step 3).

Owned step: the reference's ``dispatchRunMounts`` (``convert_runmount.go``) with its
secret and ssh parts (``convert_secrets.go``, ``convert_ssh.go``): for each
``--mount`` of a RUN, the bind, cache, tmpfs, secret or ssh mount (or secret env
var), its source (the build context, a stage, an image or scratch), and the paths it
reads from that source.
"""

from __future__ import annotations

import posixpath

from frontend import llb
from frontend.compiler.state import StageState
from frontend.compiler.steps import RuleContext, rooted
from frontend.gocompat import go_clean
from frontend.language import instructions as ins
from frontend.language.errors import DockerfileError
from frontend.language.mounts import RunMount

_SHARING = {"private": llb.CacheSharing.PRIVATE, "locked": llb.CacheSharing.LOCKED}


def run_mounts(
    c: RuleContext, st: StageState, cmd: ins.Run, secret_env: list[llb.SecretEnv]
) -> list[llb.Mount]:
    """The mounts of ``cmd``; secrets exposed as env vars go to ``secret_env``."""
    out: list[llb.Mount] = []
    ssh_count = 0
    for m in cmd.mounts:
        if m.from_ and m.type == "ssh":
            # an ssh mount reads nothing of its from=, yet it is checked as any mount's
            c.source_for(m.from_, cmd.location, st, mount=m.target)
        if m.type == "secret":
            secret = _secret(m, cmd, secret_env)
            if secret is not None:
                out.append(secret)
        elif m.type == "ssh":
            ssh_count += 1
            out.append(_ssh(m, cmd, ssh_count - 1))
        else:
            out.append(_filesystem_mount(c, st, cmd, m))
    return out


def _secret(m: RunMount, cmd: ins.Run, secret_env: list[llb.SecretEnv]) -> llb.Mount | None:
    """``type=secret``: a file (and/or an env var with ``env=``); None for env only."""
    # the id: source=, else id=, else the target's base name
    sid = m.source or m.cache_id
    if not sid:
        if not m.target:
            raise DockerfileError("one of source, target required", cmd.location)
        sid = posixpath.basename(m.target)
    if m.env is not None:
        secret_env.append(llb.SecretEnv(m.env, sid, optional=not m.required))
        if not m.target:
            return None  # env only: no file
    target = m.target or "/run/secrets/" + posixpath.basename(sid)
    return llb.SecretMount(
        target,
        sid,
        uid=m.uid or 0,
        gid=m.gid or 0,
        mode=m.mode if m.mode is not None else 0o400,
        optional=not m.required,
    )


def _ssh(m: RunMount, cmd: ins.Run, number: int) -> llb.Mount:
    """``type=ssh``; ``number`` counts the ssh mounts only (Go's llb numbers the
    default socket paths that way)."""
    if m.source:
        raise DockerfileError("ssh does not support source", cmd.location)
    return llb.SSHMount(
        id=m.cache_id,
        dest=m.target or f"/run/buildkit/ssh_agent.{number}",
        uid=m.uid or 0,
        gid=m.gid or 0,
        mode=m.mode if m.mode is not None else 0o600,
        optional=not m.required,
    )


def _filesystem_mount(c: RuleContext, st: StageState, cmd: ins.Run, m: RunMount) -> llb.Mount:
    """``type=bind`` (the default), ``cache`` or ``tmpfs``."""
    target = mount_target(st.cwd, m.target)
    if target == "/":
        raise DockerfileError(f'invalid mount target "{target}"', cmd.location)
    # the source: a cache mount without from= starts empty; tmpfs is always empty,
    # yet its from= is checked and its source= read (and kept as the selector)
    from_ = m.from_ or ("scratch" if m.type == "cache" else "")
    source: llb.State = c.build_context
    used = st.ctx_paths  # the paths read from the source: the context's, or from='s
    if from_ == "scratch":
        source, used = llb.scratch(), set()
    elif from_:  # a mount's from= names a stage or an image, never a stage index
        source, used = c.source_for(from_, cmd.location, st, mount=m.target)
    used.add(rooted(m.source))
    selector = rooted(m.source)  # Go's path.Join("/", source)
    if (
        selector == "/"
        and m.type == "cache"
        and (m.uid is not None or m.gid is not None or m.mode is not None)
    ):
        source = source.file(
            llb.mkdir(
                "/cache",
                m.mode if m.mode is not None else 0o755,
                owner=llb.Chown(m.uid or 0, m.gid or 0),
            ),
            constraints=llb.Constraints.of(
                custom_name="[internal] setting cache mount permissions"
            ),
        )
        selector = "/cache"
    selector = "" if selector == "/" else selector
    if m.type == "tmpfs":
        return llb.TmpfsMount(target, size=m.size_limit, selector=selector, readonly=m.readonly)
    if m.type == "cache":
        # the id defaults to the target as written, cleaned (not made absolute)
        cache_id = m.cache_id or go_clean(m.target)
        return llb.CacheMount(
            target,
            _cache_namespace(c) + "/" + cache_id,
            sharing=_SHARING.get(m.sharing, llb.CacheSharing.SHARED),
            source=None if source.is_scratch else source,
            selector=selector,
            readonly=m.readonly,
        )
    return llb.BindMount(
        target,
        source,
        selector=selector,
        readonly=m.readonly,
        no_output=not m.readonly,
    )


def mount_target(cwd: str, target: str) -> str:
    """Where a mount goes (the reference's rule): an absolute target as written (a
    trailing ``/``, ``//`` or ``/.`` kept), a relative one (or none) joined to the
    working directory and cleaned."""
    if target.startswith("/"):
        return target
    return go_clean("/" + cwd + "/" + target)


def _cache_namespace(c: RuleContext) -> str:
    return c.opts.build_args.get("BUILDKIT_CACHE_MOUNT_NS", "")
