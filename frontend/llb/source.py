"""Source ops: images, local directories, git repositories, HTTP files, scratch.

Owned step: ``frontend.llb``. Attributes and caps are set exactly when Go's
``client/llb`` sets them, so digests match the reference frontend's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from frontend.gocompat import go_json_strings
from frontend.llb import caps as C
from frontend.llb.core import NO_CONSTRAINTS, Built, Constraints, Output, State
from frontend.llb.marshal import MarshalContext
from frontend.llb.platform import Platform
from frontend.llb.reference import normalize_image_ref
from frontend.pb import ops_pb2

ResolveMode = Literal["default", "pull", "local"]


@dataclass(frozen=True, slots=True, eq=False)
class SourceOp:
    """A ``pb.SourceOp``: ``identifier`` plus attributes."""

    identifier: str
    attrs: tuple[tuple[str, str], ...] = ()
    caps: frozenset[str] = frozenset()
    constraints: Constraints = NO_CONSTRAINTS
    platform: Platform | None = None  # the state's platform (used by image sources)

    def walk_inputs(self) -> tuple[Output, ...]:
        return ()

    def build(self, ctx: MarshalContext) -> Built:
        op = ops_pb2.Op()
        op.source.identifier = self.identifier
        op.source.attrs.update(dict(self.attrs))
        if self.identifier.startswith(("docker-image://", "oci-layout://")):
            op.platform.CopyFrom(ctx.platform_for(self.constraints, self.platform).to_pb())
        return Built(op, self.caps)

    def state(self) -> State:
        return State(Output(self), self.platform or self.constraints.platform)


def image(
    ref: str,
    *,
    platform: Platform | None = None,
    resolve_mode: ResolveMode = "default",
    record_type: str = "",
    layer_limit: int | None = None,
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """An image: ``docker-image://<normalised ref>``.

    ``resolve_mode`` other than ``"default"`` sets ``image.resolvemode`` (and, for
    ``"pull"`` only, the ``source.image.resolvemode`` cap).
    """
    attrs: dict[str, str] = {}
    caps = {C.SOURCE_IMAGE}
    if resolve_mode != "default":
        attrs["image.resolvemode"] = resolve_mode
        if resolve_mode == "pull":
            caps.add(C.SOURCE_IMAGE_RESOLVE_MODE)
    if record_type:
        attrs["image.recordtype"] = record_type
    if layer_limit is not None:
        attrs["image.layerlimit"] = str(layer_limit)
        caps.add(C.SOURCE_IMAGE_LAYER_LIMIT)
    op = SourceOp(
        "docker-image://" + normalize_image_ref(ref),
        tuple(sorted(attrs.items())),
        frozenset(caps),
        constraints,
        platform,
    )
    return op.state()


def local(
    name: str,
    *,
    session_id: str = "",
    unique_id: str = "",
    include_patterns: Sequence[str] = (),
    exclude_patterns: Sequence[str] = (),
    follow_paths: Sequence[str] = (),
    shared_key_hint: str = "",
    differ: str = "",
    differ_required: bool = False,
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """A directory of the client: ``local://<name>``.

    Without ``session_id`` the op carries ``local.unique`` (the given ``unique_id``,
    possibly empty) like Go's llb does; list options become JSON arrays.
    """
    attrs: dict[str, str] = {}
    caps = {C.SOURCE_LOCAL}
    if session_id:
        attrs["local.session"] = session_id
        caps.add(C.SOURCE_LOCAL_SESSION_ID)
    else:
        attrs["local.unique"] = unique_id
        caps.add(C.SOURCE_LOCAL_UNIQUE)
    if include_patterns:
        attrs["local.includepattern"] = go_json_strings(include_patterns)
        caps.add(C.SOURCE_LOCAL_INCLUDE_PATTERNS)
    if follow_paths:
        attrs["local.followpaths"] = go_json_strings(follow_paths)
        caps.add(C.SOURCE_LOCAL_FOLLOW_PATHS)
    if exclude_patterns:
        attrs["local.excludepatterns"] = go_json_strings(exclude_patterns)
        caps.add(C.SOURCE_LOCAL_EXCLUDE_PATTERNS)
    if shared_key_hint:
        attrs["local.sharedkeyhint"] = shared_key_hint
        caps.add(C.SOURCE_LOCAL_SHARED_KEY_HINT)
    if differ:
        if differ not in ("none", "metadata"):
            raise ValueError(f"unknown local differ {differ!r}")
        attrs["local.differ"] = differ
        if differ_required:
            caps.add(C.SOURCE_LOCAL_DIFFER)
    op = SourceOp("local://" + name, tuple(sorted(attrs.items())), frozenset(caps), constraints)
    return op.state()


def http(
    url: str,
    *,
    checksum: str = "",
    filename: str = "",
    perm: int = 0,
    uid: int = 0,
    gid: int = 0,
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """A file downloaded from ``url`` (the identifier is the URL itself)."""
    attrs: dict[str, str] = {}
    caps = {C.SOURCE_HTTP}
    if checksum:
        attrs["http.checksum"] = checksum
        caps.add(C.SOURCE_HTTP_CHECKSUM)
    if filename:
        attrs["http.filename"] = filename
    if perm:
        attrs["http.perm"] = "0" + format(perm & 0o777, "o")
        caps.add(C.SOURCE_HTTP_PERM)
    if uid:
        attrs["http.uid"] = str(uid)
        caps.add(C.SOURCE_HTTP_UIDGID)
    if gid:
        attrs["http.gid"] = str(gid)
        caps.add(C.SOURCE_HTTP_UIDGID)
    return SourceOp(url, tuple(sorted(attrs.items())), frozenset(caps), constraints).state()


_SCP_LIKE = re.compile(r"^(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+):(?P<path>(?!//).*)$")


@dataclass(frozen=True, slots=True)
class GitRemote:
    remote: str  # the URL git is given (no fragment)
    scheme: str  # https, http, git, ssh, file
    host: str
    path: str


def parse_git_url(url: str) -> GitRemote:
    """Split a git URL (``https://``, ``ssh://``, ``git://``, ``git@host:path``)."""
    m = re.match(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<rest>.*)$", url)
    if m:
        scheme = m.group("scheme")
        if scheme not in ("http", "https", "git", "ssh", "file"):
            raise ValueError(f"unknown git protocol in {url!r}")
        rest = m.group("rest").split("#", 1)[0]
        authority, _, path = rest.partition("/")
        host = authority.rsplit("@", 1)[-1]
        return GitRemote(url.split("#", 1)[0], scheme, host, "/" + path)
    s = _SCP_LIKE.match(url.split("#", 1)[0])
    if s:
        return GitRemote(url.split("#", 1)[0], "ssh", s.group("host"), "/" + s.group("path"))
    raise ValueError(f"unknown git protocol in {url!r}")


def git(
    url: str,
    ref: str = "",
    *,
    subdir: str = "",
    keep_git_dir: bool = False,
    auth_token_secret: str | None = None,
    auth_header_secret: str | None = None,
    known_ssh_hosts: str = "",
    mount_ssh_sock: str = "",
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """A git repository: ``git://<host>/<path>[#ref[:subdir]]``.

    Secrets default to ``GIT_AUTH_TOKEN``/``GIT_AUTH_HEADER`` (attribute set, no cap);
    naming one explicitly adds the ``source.git.httpauth`` cap, as in Go.
    """
    try:
        remote: GitRemote | None = parse_git_url(url)
    except ValueError:
        try:
            remote = parse_git_url("https://" + url)
        except ValueError:
            remote = None
    full_url = remote.remote if remote else url
    if remote is None:
        ident = url
    else:
        ident = remote.host + posixpath.join("/", remote.path.lstrip("/"))
        ident = ident.rstrip("/") if ident.endswith("/") and len(ident) > 1 else ident
        if ref or subdir:
            ident += "#" + ref
            if subdir:
                ident += ":" + subdir
    attrs: dict[str, str] = {}
    caps = {C.SOURCE_GIT}
    if keep_git_dir:
        attrs["git.keepgitdir"] = "true"
        caps.add(C.SOURCE_GIT_KEEP_DIR)
    if full_url:
        attrs["git.fullurl"] = full_url
        caps.add(C.SOURCE_GIT_FULL_URL)
    attrs["git.authtokensecret"] = auth_token_secret or "GIT_AUTH_TOKEN"
    attrs["git.authheadersecret"] = auth_header_secret or "GIT_AUTH_HEADER"
    if auth_token_secret or auth_header_secret:
        caps.add(C.SOURCE_GIT_HTTP_AUTH)
    if remote is not None and remote.scheme == "ssh":
        if known_ssh_hosts:
            attrs["git.knownsshhosts"] = known_ssh_hosts
        caps.add(C.SOURCE_GIT_KNOWN_SSH_HOSTS)
        attrs["git.mountsshsock"] = mount_ssh_sock or "default"
        caps.add(C.SOURCE_GIT_MOUNT_SSH_SOCK)
    return SourceOp(
        "git://" + ident, tuple(sorted(attrs.items())), frozenset(caps), constraints
    ).state()


def source(
    identifier: str,
    attrs: Mapping[str, str] | None = None,
    *,
    caps: Iterable[str] = (),
    platform: Platform | None = None,
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """Any source op, spelled out (e.g. ``oci-layout://...``)."""
    return SourceOp(
        identifier, tuple(sorted((attrs or {}).items())), frozenset(caps), constraints, platform
    ).state()
