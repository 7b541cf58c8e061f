"""Exec ops: run a process on a root filesystem with extra mounts.

Owned step: ``frontend.llb``. Mounts are ordered by destination (the root ``/`` first),
inputs are shared between mounts that use the same op output, outputs are numbered over
the writable bind mounts in that order; secret and ssh mounts follow, in the order
given. ``meta.removeMountStubsRecursive`` is always set, as Go's llb does.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from frontend.llb import caps as C
from frontend.llb.core import NO_CONSTRAINTS, Built, Constraints, Output, State
from frontend.llb.marshal import MarshalContext
from frontend.llb.platform import Platform
from frontend.pb import ops_pb2
from frontend.records import record

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""The ``PATH`` of a Unix container whose image sets none (BuildKit's default)."""


class NetMode(enum.IntEnum):
    SANDBOX = ops_pb2.UNSET
    HOST = ops_pb2.HOST
    NONE = ops_pb2.NONE


class SecurityMode(enum.IntEnum):
    SANDBOX = ops_pb2.SANDBOX
    INSECURE = ops_pb2.INSECURE


class CacheSharing(enum.IntEnum):
    SHARED = ops_pb2.SHARED
    PRIVATE = ops_pb2.PRIVATE
    LOCKED = ops_pb2.LOCKED


class ContentCache(enum.IntEnum):
    DEFAULT = ops_pb2.DEFAULT
    ON = ops_pb2.ON
    OFF = ops_pb2.OFF


@record(frozen=True, slots=True)
class BindMount:
    """``source`` (a state, or scratch) at ``dest``; writable ones produce an output."""

    dest: str
    source: State
    selector: str = ""
    readonly: bool = False
    no_output: bool = False
    content_cache: ContentCache = ContentCache.DEFAULT


@record(frozen=True, slots=True)
class CacheMount:
    """A persistent cache directory, optionally seeded from ``source``."""

    dest: str
    id: str
    sharing: CacheSharing = CacheSharing.SHARED
    source: State | None = None
    selector: str = ""
    readonly: bool = False
    content_cache: ContentCache = ContentCache.DEFAULT


@record(frozen=True, slots=True)
class TmpfsMount:
    """A tmpfs at ``dest``; never an output. Go's llb keeps a selector and read-only
    flag given to one (a Dockerfile's ``type=tmpfs,source=x,ro``) in the mount."""

    dest: str
    size: int = 0  # bytes, 0 = no limit
    selector: str = ""
    readonly: bool = False


@record(frozen=True, slots=True)
class SecretMount:
    """A secret file mounted at ``dest`` (``RUN --mount=type=secret``)."""

    dest: str
    id: str
    uid: int = 0
    gid: int = 0
    mode: int = 0o400
    optional: bool = False


@record(frozen=True, slots=True)
class SSHMount:
    """An ssh agent socket; ``dest`` empty means ``/run/buildkit/ssh_agent.<n>``."""

    id: str = ""
    dest: str = ""
    uid: int = 0
    gid: int = 0
    mode: int = 0o600
    optional: bool = False


Mount = BindMount | CacheMount | TmpfsMount | SecretMount | SSHMount


@record(frozen=True, slots=True)
class SecretEnv:
    """An environment variable filled from a secret."""

    name: str
    id: str
    optional: bool = False


@record(frozen=True, slots=True)
class HostIP:
    """One ``--add-host`` entry: a host name and its IP."""

    host: str
    ip: str


@record(frozen=True, slots=True)
class Ulimit:
    """One resource limit of a process (``--ulimit name=soft:hard``)."""

    name: str
    soft: int
    hard: int


@record(frozen=True, slots=True)
class ProxyEnv:
    """The proxy variables an exec passes without putting them in the cache key."""

    http_proxy: str = ""
    https_proxy: str = ""
    ftp_proxy: str = ""
    no_proxy: str = ""
    all_proxy: str = ""


def _produces_output(m: BindMount | CacheMount | TmpfsMount) -> bool:
    return isinstance(m, BindMount) and not m.readonly and not m.no_output


@record(frozen=True, slots=True, eq=False)
class ExecOp:
    """An exec op: the process to run, its environment and mounts."""

    args: tuple[str, ...]
    env: tuple[str, ...]
    cwd: str
    user: str
    hostname: str
    cgroup_parent: str
    network: NetMode
    security: SecurityMode
    extra_hosts: tuple[HostIP, ...]
    ulimits: tuple[Ulimit, ...]
    valid_exit_codes: tuple[int, ...] | None
    proxy_env: ProxyEnv | None
    mounts: tuple[BindMount | CacheMount | TmpfsMount, ...]  # sorted, root included
    secrets: tuple[SecretMount, ...]
    ssh: tuple[SSHMount, ...]
    secret_env: tuple[SecretEnv, ...]
    platform: Platform | None  # the base state's
    constraints: Constraints = NO_CONSTRAINTS

    def walk_inputs(self) -> tuple[Output, ...]:
        seen: list[Output] = []
        for m in self.mounts:
            src = None if isinstance(m, TmpfsMount) else m.source
            if src is not None and src.output is not None and src.output not in seen:
                seen.append(src.output)
        return tuple(seen)

    def output_index(self, dest: str) -> int:
        i = 0
        for m in self.mounts:
            if not _produces_output(m):
                continue
            if m.dest == dest:
                return i
            i += 1
        raise ValueError(f"mount {dest} has no output")

    def build(self, ctx: MarshalContext) -> Built:
        caps = {C.EXEC_META_BASE}
        env = list(self.env)
        ssh_targets = [s.dest or f"/run/buildkit/ssh_agent.{i}" for i, s in enumerate(self.ssh)]
        if ssh_targets and not any(e.split("=", 1)[0] == "SSH_AUTH_SOCK" for e in env):
            env.append("SSH_AUTH_SOCK=" + ssh_targets[0])
        if ctx.caps is not None:
            # as Go's llb: a solver that sets the default PATH itself gets the cap
            # recorded, any other one a PATH in the env (never on Windows)
            if C.EXEC_META_SETS_DEFAULT_PATH in ctx.caps:
                caps.add(C.EXEC_META_SETS_DEFAULT_PATH)
            elif ctx.default_platform.os != "windows" and not any(
                e.split("=", 1)[0] == "PATH" for e in env
            ):
                env.append("PATH=" + DEFAULT_PATH)
        meta = ops_pb2.Meta(
            args=self.args,
            env=env,
            cwd=self.cwd,
            user=self.user,
            hostname=self.hostname,
            cgroupParent=self.cgroup_parent,
            removeMountStubsRecursive=True,
        )
        if self.valid_exit_codes is not None:
            meta.validExitCodes.extend(self.valid_exit_codes)
            caps.add(C.EXEC_VALID_EXIT_CODE)
        for h in self.extra_hosts:
            meta.extraHosts.add(Host=h.host, IP=h.ip)
        if self.ulimits:
            caps.add(C.EXEC_META_ULIMIT)
            for u in self.ulimits:
                meta.ulimit.add(Name=u.name, Soft=u.soft, Hard=u.hard)
        if self.proxy_env is not None:
            p = self.proxy_env
            meta.proxy_env.CopyFrom(
                ops_pb2.ProxyEnv(
                    http_proxy=p.http_proxy,
                    https_proxy=p.https_proxy,
                    ftp_proxy=p.ftp_proxy,
                    no_proxy=p.no_proxy,
                    all_proxy=p.all_proxy,
                )
            )
            caps.add(C.EXEC_META_PROXY)
        op = ops_pb2.Op()
        eo = op.exec
        eo.meta.CopyFrom(meta)
        eo.network = int(self.network)  # type: ignore[assignment]
        eo.security = int(self.security)  # type: ignore[assignment]
        if self.network != NetMode.SANDBOX:
            caps.add(C.EXEC_META_NETWORK)
        if self.security != SecurityMode.SANDBOX:
            caps.add(C.EXEC_META_SECURITY)

        out_index = 0
        for m in self.mounts:
            src = None if isinstance(m, TmpfsMount) else m.source
            if m.selector:
                caps.add(C.EXEC_MOUNT_SELECTOR)
            if isinstance(m, CacheMount):
                caps.update((C.EXEC_MOUNT_CACHE, C.EXEC_MOUNT_CACHE_SHARING))
            elif isinstance(m, TmpfsMount):
                caps.add(C.EXEC_MOUNT_TMPFS)
                if m.size > 0:
                    caps.add(C.EXEC_MOUNT_TMPFS_SIZE)
            elif src is not None and src.output is not None:
                caps.add(C.EXEC_MOUNT_BIND)
            cc = getattr(m, "content_cache", ContentCache.DEFAULT)
            if cc != ContentCache.DEFAULT:
                caps.add(C.EXEC_MOUNT_CONTENT_CACHE)

            if src is not None and src.output is not None:
                inp = ctx.input_of(src.output)
                for i, existing in enumerate(op.inputs):
                    if existing == inp:
                        input_index = i
                        break
                else:
                    input_index = len(op.inputs)
                    op.inputs.append(inp)
            else:
                input_index = -1
            output_index = -1
            if _produces_output(m):
                output_index = out_index
                out_index += 1
            pm = eo.mounts.add(input=input_index, dest=m.dest, output=output_index)
            pm.readonly = m.readonly
            pm.selector = m.selector
            if isinstance(m, BindMount | CacheMount):
                pm.contentCache = int(m.content_cache)  # type: ignore[assignment]
            if isinstance(m, CacheMount):
                pm.mountType = ops_pb2.CACHE
                pm.cacheOpt.CopyFrom(ops_pb2.CacheOpt(ID=m.id, sharing=int(m.sharing)))  # type: ignore[arg-type]
            elif isinstance(m, TmpfsMount):
                pm.mountType = ops_pb2.TMPFS
                pm.TmpfsOpt.CopyFrom(ops_pb2.TmpfsOpt(size=m.size))

        if self.secrets or self.secret_env:
            caps.add(C.EXEC_MOUNT_SECRET)
        if self.secret_env:
            caps.add(C.EXEC_SECRET_ENV)
            for se in self.secret_env:
                eo.secretenv.add(ID=se.id, name=se.name, optional=se.optional)
        for s in self.secrets:
            pm = eo.mounts.add(input=-1, dest=s.dest, mountType=ops_pb2.SECRET)
            pm.secretOpt.CopyFrom(
                ops_pb2.SecretOpt(ID=s.id, uid=s.uid, gid=s.gid, mode=s.mode, optional=s.optional)
            )
        if self.ssh:
            caps.add(C.EXEC_MOUNT_SSH)
        for target, sh in zip(ssh_targets, self.ssh, strict=True):
            pm = eo.mounts.add(input=-1, dest=target, mountType=ops_pb2.SSH)
            pm.SSHOpt.CopyFrom(
                ops_pb2.SSHOpt(ID=sh.id, uid=sh.uid, gid=sh.gid, mode=sh.mode, optional=sh.optional)
            )
        op.platform.CopyFrom(ctx.platform_for(self.constraints, self.platform).to_pb())
        return Built(op, frozenset(caps))


@record(frozen=True, slots=True)
class ExecResult:
    """The result of :func:`run`: the new root and the outputs of other mounts."""

    op: ExecOp
    root: State

    def mount(self, dest: str) -> State:
        """The state of the mount at ``dest`` after the run (its source when read-only)."""
        for m in self.op.mounts:
            if m.dest != dest:
                continue
            if isinstance(m, BindMount) and m.readonly:
                return m.source
            if not _produces_output(m):
                raise ValueError(f"mount {dest} has no output")
            return State(Output(self.op, self.op.output_index(dest)), self.root.platform)
        raise KeyError(dest)


def run(
    root: State,
    args: Sequence[str],
    *,
    env: Sequence[str] = (),
    cwd: str = "/",
    user: str = "",
    hostname: str = "",
    cgroup_parent: str = "",
    network: NetMode = NetMode.SANDBOX,
    security: SecurityMode = SecurityMode.SANDBOX,
    extra_hosts: Sequence[HostIP] = (),
    ulimits: Sequence[Ulimit] = (),
    valid_exit_codes: Sequence[int] | None = None,
    proxy_env: ProxyEnv | None = None,
    mounts: Sequence[Mount] = (),
    secret_env: Sequence[SecretEnv] = (),
    readonly_root: bool = False,
    constraints: Constraints = NO_CONSTRAINTS,
) -> ExecResult:
    """Run ``args`` with ``root`` mounted at ``/``.

    ``env`` is the complete, ordered environment (add ``PATH`` yourself); nothing is
    defaulted beyond what Go's llb always sets.
    """
    if not args:
        raise ValueError("arguments are required")
    if not cwd:
        raise ValueError("working directory is required")
    regular: list[BindMount | CacheMount | TmpfsMount] = [
        BindMount("/", root, readonly=readonly_root)
    ]
    secrets: list[SecretMount] = []
    ssh: list[SSHMount] = []
    for m in mounts:
        if isinstance(m, SecretMount):
            secrets.append(m)
        elif isinstance(m, SSHMount):
            ssh.append(m)
        else:
            if m.dest == "/":
                raise ValueError("the root mount is given by the state the command runs on")
            regular.append(m)
    regular.sort(key=lambda m: m.dest.encode())
    op = ExecOp(
        args=tuple(args),
        env=tuple(env),
        cwd=cwd,
        user=user,
        hostname=hostname,
        cgroup_parent=cgroup_parent,
        network=network,
        security=security,
        extra_hosts=tuple(extra_hosts),
        ulimits=tuple(ulimits),
        valid_exit_codes=None if valid_exit_codes is None else tuple(valid_exit_codes),
        proxy_env=proxy_env,
        mounts=tuple(regular),
        secrets=tuple(secrets),
        ssh=tuple(ssh),
        secret_env=tuple(secret_env),
        platform=root.platform,
        constraints=constraints,
    )
    new_root = root if readonly_root else State(Output(op, op.output_index("/")), root.platform)
    return ExecResult(op, new_root)
