"""Source ops: images, local directories, git repositories, HTTP files, scratch.

Owned step: ``frontend.llb``. Attributes and caps are set exactly when Go's
``client/llb`` sets them, so digests match the reference frontend's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Literal

from frontend import records
from frontend.gocompat import (
    GoURLError,
    GoUserinfo,
    go_join,
    go_json_strings,
    go_parse_bool,
    go_parse_query,
    go_quote,
    go_url_parse,
)
from frontend.llb import caps as C
from frontend.llb.core import NO_CONSTRAINTS, Built, Constraints, Output, State
from frontend.llb.marshal import MarshalContext
from frontend.llb.platform import Platform
from frontend.llb.reference import normalize_image_ref
from frontend.pb import ops_pb2
from frontend.records import record

ResolveMode = Literal["default", "pull", "local"]


@record(frozen=True, slots=True, eq=False)
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


def oci_layout(
    ref: str,
    *,
    session_id: str = "",
    store_id: str = "",
    layer_limit: int | None = None,
    platform: Platform | None = None,
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """An image in an OCI layout store of the client: ``oci-layout://<ref>`` (the ref
    as given, e.g. ``docker.io/library/base@sha256:...``) with ``oci.session`` and
    ``oci.store`` naming the session and the store (Go's ``llb.OCILayout`` with
    ``llb.OCIStore``), cap ``source.ocilayout``."""
    attrs: dict[str, str] = {}
    if session_id:
        attrs["oci.session"] = session_id
    if store_id:
        attrs["oci.store"] = store_id
    if layer_limit is not None:
        attrs["oci.layerlimit"] = str(layer_limit)
    op = SourceOp(
        "oci-layout://" + ref,
        tuple(sorted(attrs.items())),
        frozenset({C.SOURCE_OCI_LAYOUT}),
        constraints,
        platform,
    )
    return op.state()


# -- git URLs (BuildKit's util/gitutil) ----------------------------------------------

GIT_PROTOCOLS: Final = ("http", "https", "ssh", "git")
_PROTO = re.compile(r"[a-zA-Z0-9]+://")
_SCP_STYLE = re.compile(r"([a-zA-Z0-9-_]+)@([a-zA-Z0-9-.]+):(.*?)(?:\?(.*?))?(?:#(.*))?")


class GitURLError(ValueError):
    """A remote that is no git URL (:attr:`unknown_protocol`: no ``scheme://`` and not
    ``user@host:path`` either; else a scheme git does not speak, or a bad URL)."""

    def __init__(self, message: str, *, unknown_protocol: bool = False) -> None:
        super().__init__(message)
        self.unknown_protocol = unknown_protocol


@record(frozen=True, slots=True)
class GitURL:
    """A parsed git remote (gitutil's ``GitURL``)."""

    scheme: str  # http, https, ssh or git (user@host:path is ssh)
    host: str
    path: str  # unescaped; relative for user@host:path
    remote: str  # what git is given: the URL without its fragment and query
    user: GoUserinfo | None = None
    query: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the query's values by key
    fragment: str | None = None  # None: none (or an empty one)

    @property
    def ref(self) -> str:
        """The fragment's ref (``#ref[:subdir]``)."""
        return (self.fragment or "").partition(":")[0]

    @property
    def subdir(self) -> str:
        """The fragment's subdirectory, cleaned and relative."""
        _, _, subdir = (self.fragment or "").partition(":")
        return go_join("/", subdir).removeprefix("/")


def parse_git_url(remote: str) -> GitURL:
    """gitutil's ``ParseURL``: ``scheme://...`` (http, https, ssh, git) or the
    scp-like ``user@host:path``, with BuildKit's ``?query`` and ``#ref:subdir``.
    Raises :class:`GitURLError`."""
    proto = _PROTO.match(remote)
    if proto:
        scheme = proto.group(0)[:-3].lower()
        if scheme not in GIT_PROTOCOLS:
            raise GitURLError(f"{scheme}: invalid protocol")
        try:
            u = go_url_parse(remote)
        except GoURLError as e:
            raise GitURLError(str(e)) from None
        without = records.replace(u, raw_query="", fragment="", raw_fragment="")
        return GitURL(
            u.scheme,
            u.host,
            u.path,
            str(without),
            u.user,
            _query(u.query()),
            u.fragment or None,
        )
    scp = _SCP_STYLE.fullmatch(remote)
    if scp:
        values, err = go_parse_query(scp.group(4) or "")
        if err is None:
            user = GoUserinfo(scp.group(1))
            host, path = scp.group(2), scp.group(3)
            return GitURL(
                "ssh",
                host,
                path,
                f"{user}@{host}:{path}",
                user,
                _query(values),
                scp.group(5) or None,
            )
    raise GitURLError("unknown protocol", unknown_protocol=True)


def _query(values: Mapping[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in values.items())


# -- git references in a Dockerfile (the dockerfile frontend's dfgitutil) -------------


class GitRefError(ValueError):
    """A git reference whose query is wrong (the message is the reference's)."""


@record(frozen=True, slots=True)
class GitRef:
    """What an ``ADD`` source or a build context names in a git repository."""

    remote: str  # the URL git fetches (no fragment, no query)
    short_name: str  # the repository's directory name (``bar`` of ``.../bar.git``)
    ref: str = ""
    checksum: str = ""  # the commit expected
    subdir: str = ""
    # ``github.com/o/r``: a form a local path can have (only contexts accept it)
    indistinguishable_from_local: bool = False
    unencrypted_tcp: bool = False  # http:// or git://
    keep_git_dir: bool | None = None
    submodules: bool | None = None
    mtime: str = ""  # "checkout" or "commit"
    fetch_by_commit: bool = False


def parse_git_ref(ref: str) -> GitRef | None:
    """The reference's ``dfgitutil.ParseGitRef``: the git repository ``ref`` names, or
    None when it names none (a path, a URL that is no git URL: an http(s) one is git
    only when its path ends with ``.git``). Raises :class:`GitRefError` for a git URL
    whose query is wrong (the query may say ``ref``, ``tag``, ``branch``, ``subdir``,
    ``checksum``/``commit``, ``keep-git-dir``, ``submodules``, ``mtime`` and
    ``fetch-by-commit``)."""
    if ref.startswith(("./", "../")):
        return None
    local = ref.startswith("github.com/")
    if local:
        try:
            u = go_url_parse(ref)
        except GoURLError:
            return None
        without = records.replace(u, scheme="https", raw_query="", fragment="", raw_fragment="")
        remote = GitURL(
            "https",
            u.host,
            u.path,
            str(without).partition("://")[2],
            u.user,
            _query(u.query()),
            u.fragment or None,
        )
    else:
        try:
            remote = parse_git_url(ref)
        except GitURLError:
            return None
        if remote.scheme in ("http", "https") and not remote.path.endswith(".git"):
            return None
    ref_, subdir = (remote.ref, remote.subdir) if remote.fragment is not None else ("", "")
    base = remote.remote.split("/")[-1]
    return _load_query(
        GitRef(
            remote.remote,
            base.removesuffix(".git"),
            ref=ref_,
            subdir=subdir,
            indistinguishable_from_local=local,
            unencrypted_tcp=remote.scheme in ("http", "git"),
        ),
        remote.query,
    )


_VALUELESS: Final = ("submodules", "keep-git-dir", "fetch-by-commit")


def _load_query(g: GitRef, query: tuple[tuple[str, tuple[str, ...]], ...]) -> GitRef:
    """The reference's ``loadQuery`` (it walks a Go map, in random order; we walk the
    keys in the order they appear)."""
    tag = branch = ""
    ref, subdir, checksum = g.ref, g.subdir, g.checksum
    keep, submodules, mtime, by_commit = g.keep_git_dir, g.submodules, g.mtime, g.fetch_by_commit

    def flag(key: str, values: tuple[str, ...]) -> bool:
        if not values:
            return True
        parsed = go_parse_bool(values[0])
        if parsed is None:
            raise GitRefError(f"invalid {key} value: {go_quote(values[0])}")
        return parsed

    for key, values in query:
        if len(values) > 1:
            raise GitRefError(f"query {go_quote(key)} has multiple values")
        if not values or values[0] == "":
            if key not in _VALUELESS:
                raise GitRefError(f"query {go_quote(key)} has no value")
            values = ()
        if key == "ref":
            if ref and ref != values[0]:
                raise GitRefError(f"ref conflicts: {go_quote(ref)} vs {go_quote(values[0])}")
            ref = values[0]
        elif key == "tag":
            tag = values[0]
        elif key == "branch":
            branch = values[0]
        elif key == "subdir":
            if subdir and subdir != values[0]:
                raise GitRefError(f"subdir conflicts: {go_quote(subdir)} vs {go_quote(values[0])}")
            subdir = values[0]
        elif key in ("checksum", "commit"):
            checksum = values[0]
        elif key == "keep-git-dir":
            keep = flag(key, values)
        elif key == "submodules":
            submodules = flag(key, values)
        elif key == "mtime":
            if values[0] not in ("checkout", "commit"):
                raise GitRefError(
                    f'invalid mtime value: {go_quote(values[0])} (must be "checkout" or "commit")'
                )
            mtime = values[0]
        elif key == "fetch-by-commit":
            by_commit = flag(key, values)
        else:
            raise GitRefError(f"unexpected query {go_quote(key)}")
    if tag:
        tag = tag if tag.startswith("refs/tags/") else "refs/tags/" + tag
        if ref and ref != tag:
            raise GitRefError(f"ref conflicts: {go_quote(ref)} vs {go_quote(tag)}")
        ref = tag
    if branch:
        if tag:
            raise GitRefError("branch conflicts with tag")
        branch = branch if branch.startswith("refs/heads/") else "refs/heads/" + branch
        if ref and ref != branch:
            raise GitRefError(f"ref conflicts: {go_quote(ref)} vs {go_quote(branch)}")
        ref = branch
    return records.replace(
        g,
        ref=ref,
        subdir=subdir,
        checksum=checksum,
        keep_git_dir=keep,
        submodules=submodules,
        mtime=mtime,
        fetch_by_commit=by_commit,
    )


def git(
    url: str,
    ref: str = "",
    *,
    subdir: str = "",
    keep_git_dir: bool = False,
    checksum: str = "",
    skip_submodules: bool = False,
    mtime: str = "",
    fetch_by_commit: bool = False,
    auth_token_secret: str | None = None,
    auth_header_secret: str | None = None,
    known_ssh_hosts: str = "",
    mount_ssh_sock: str = "",
    constraints: Constraints = NO_CONSTRAINTS,
) -> State:
    """A git repository: ``git://<host>/<path>[#ref[:subdir]]`` (Go's ``llb.Git`` with
    the ``GitRef``/``GitSubDir``/... options: ``ref`` and ``subdir`` are taken as
    given). A URL without a protocol is tried as ``https://``; one that still is no
    git URL is its own identifier (the fetch fails later).

    Secrets default to ``GIT_AUTH_TOKEN``/``GIT_AUTH_HEADER`` (attribute set, no cap);
    naming one explicitly adds the ``source.git.httpauth`` cap, as in Go.
    """
    remote: GitURL | None
    try:
        remote = parse_git_url(url)
    except GitURLError as e:
        remote = None
        if e.unknown_protocol:
            url = "https://" + url
            try:
                remote = parse_git_url(url)
            except GitURLError:
                remote = None
    if remote is None:
        ident = url
    else:
        url = remote.remote
        ident = remote.host + go_join("/", remote.path)
        if ref or subdir:
            ident += "#" + ref
            if subdir:
                ident += ":" + subdir
    attrs: dict[str, str] = {}
    caps = {C.SOURCE_GIT}
    if keep_git_dir:
        attrs["git.keepgitdir"] = "true"
        caps.add(C.SOURCE_GIT_KEEP_DIR)
    if url:
        attrs["git.fullurl"] = url
        caps.add(C.SOURCE_GIT_FULL_URL)
    attrs["git.authtokensecret"] = auth_token_secret or "GIT_AUTH_TOKEN"
    attrs["git.authheadersecret"] = auth_header_secret or "GIT_AUTH_HEADER"
    if auth_token_secret or auth_header_secret:
        caps.add(C.SOURCE_GIT_HTTP_AUTH)
    if remote is not None and remote.scheme == "ssh":
        if known_ssh_hosts:
            attrs["git.knownsshhosts"] = known_ssh_hosts.removesuffix("\n") + "\n"
        caps.add(C.SOURCE_GIT_KNOWN_SSH_HOSTS)
        attrs["git.mountsshsock"] = mount_ssh_sock or "default"
        caps.add(C.SOURCE_GIT_MOUNT_SSH_SOCK)
    if checksum:
        attrs["git.checksum"] = checksum
        caps.add(C.SOURCE_GIT_CHECKSUM)
    if skip_submodules:
        attrs["git.skipsubmodules"] = "true"
        caps.add(C.SOURCE_GIT_SKIP_SUBMODULES)
    if mtime:
        attrs["git.mtime"] = mtime
        caps.add(C.SOURCE_GIT_MTIME)
    if fetch_by_commit:
        attrs["git.fetchbycommit"] = "true"
        caps.add(C.SOURCE_GIT_FETCH_BY_COMMIT)
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
