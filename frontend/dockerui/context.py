"""The main context: reading the Dockerfile and ``.dockerignore`` the way the
reference frontend does.

Owned step: ``frontend.dockerui`` (the Dockerfile and the main context). The
Dockerfile lives in the local source ``dockerfile`` (or the one named by
``dockerfilekey``, or a frontend input of that name): we solve a ``local://`` source
that follows only the file name, ``<name>.dockerignore`` and (for ``Dockerfile``)
the lowercase ``dockerfile``, then read it. ``<Dockerfile>.dockerignore`` next to it wins over the
context's ``.dockerignore``; the latter is read from the local ``context`` only when
asked for (:func:`read_dockerignore`). The request's frontend inputs
(:func:`main_inputs`) may replace the Dockerfile's source and the main context (the
input ``context``, which then has no ``.dockerignore``).

The tiny LLB for these reads (:func:`local_source_definition`) is made with
:mod:`frontend.llb`.

A remote main context (the reference's ``initContext``): when the ``context`` option (or
the one ``contextkey`` names) is a git URL (:func:`git_context`: fragment ``#ref:subdir``
or a query, ``BUILDKIT_CONTEXT_KEEP_GIT_DIR``) or an http(s) URL (:func:`http_context`: a
download named ``context``, unpacked to the root when it is an archive, else it is the
Dockerfile itself), the context and the Dockerfile come from that state
(:func:`remote_context`); ``contextsubdir`` scopes the context (not the Dockerfile) to a
directory, and no ``.dockerignore`` applies to it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from frontend.gateway.errors import RpcFailure, UserError
from frontend.gocompat import GO_SPACE, go_clean
from frontend.records import record

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions
    from frontend.gateway.client import GatewayClient, Ref
    from frontend.llb import Platform, State
    from frontend.pb import ops_pb2

__all__ = [
    "DockerfileSource",
    "MainInputs",
    "RemoteContext",
    "git_context",
    "http_context",
    "is_archive",
    "local_source_definition",
    "main_inputs",
    "parse_dockerignore",
    "read_dockerfile",
    "read_dockerignore",
    "remote_context",
    "scope_to_subdir",
]

DOCKERIGNORE: Final = ".dockerignore"
HTTP_CONTEXT_FILENAME: Final = "context"  # what a downloaded context is saved as
KEEP_GIT_DIR_ARG: Final = "build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR"


@record(frozen=True, slots=True)
class DockerfileSource:
    """The Dockerfile's bytes and where they came from."""

    filename: str
    data: bytes
    ref: Ref
    definition: ops_pb2.Definition
    # ``<filename>.dockerignore`` from the same source, when present
    dockerignore: bytes | None = None
    dockerignore_name: str = ""
    # the main build context when it is not the client's local directory (a git or
    # http(s) URL, or the frontend input ``context`` scoped to ``contextsubdir``): the
    # compiler uses it as given (CompileOptions.main_context), and no .dockerignore applies
    main_context: State | None = None

    @property
    def digest(self) -> str:
        """Digest of the source op (the step that warnings attach to)."""
        from frontend.llb import digest_of

        return digest_of(getattr(self.definition, "def")[0])


# -- LLB bits ---------------------------------------------------------------------------


def local_source_definition(
    name: str,
    *,
    session_id: str = "",
    shared_key_hint: str = "",
    follow_paths: Sequence[str] = (),
    include_patterns: Sequence[str] = (),
    exclude_patterns: Sequence[str] | None = None,
    differ: str = "",
    custom_name: str = "",
    platform: Platform | None = None,
) -> ops_pb2.Definition:
    """The definition of one ``local://name`` source (built with :mod:`frontend.llb`;
    like Go's llb, a local source carries no platform: ``platform`` only fills in the
    marshalling default)."""
    from frontend import llb

    state = llb.local(
        name,
        session_id=session_id,
        shared_key_hint=shared_key_hint,
        follow_paths=follow_paths,
        include_patterns=include_patterns,
        exclude_patterns=exclude_patterns or (),
        differ=differ,
        constraints=llb.Constraints.of(custom_name=custom_name or None),
    )
    return llb.marshal(state, default_platform=platform).pb


# -- a remote main context (git, http) ---------------------------------------------------


@record(frozen=True, slots=True)
class RemoteContext:
    """The main context given as a URL: the context itself (scoped to
    ``contextsubdir``), the state the Dockerfile is read from, and the Dockerfile's
    name when the download is the Dockerfile itself."""

    context: State
    dockerfile: State
    filename: str | None = None


def git_context(ref: str, *, keep_git_dir: bool | None = None, mtime: str = "") -> State | None:
    """The reference's ``DetectGitContext``: the repository ``ref`` names (a git URL
    with ``#ref:subdir`` or a query, see :func:`frontend.llb.parse_git_ref`) as a git
    source named ``[internal] load git source REF``; None when ``ref`` is no git URL.
    ``keep_git_dir`` (``BUILDKIT_CONTEXT_KEEP_GIT_DIR``) keeps ``.git`` when true (as
    the query's ``keep-git-dir`` does); ``mtime`` is the default the query's ``mtime``
    overrides. A wrong query is a :class:`UserError` with the reference's message."""
    from frontend import llb

    try:
        g = llb.parse_git_ref(ref)
    except llb.GitRefError as e:
        raise UserError(str(e)) from None
    if g is None:
        return None
    return llb.git(
        g.remote,
        g.ref,
        subdir=g.subdir,
        keep_git_dir=bool(g.keep_git_dir) or bool(keep_git_dir),
        checksum=g.checksum,
        skip_submodules=g.submodules is False,
        mtime=g.mtime or mtime,
        fetch_by_commit=g.fetch_by_commit,
        constraints=llb.Constraints.of(custom_name=f"[internal] load git source {ref}"),
    )


def http_context(url: str, custom_name: str) -> State:
    """A download of ``url`` saved as ``context`` (Go's ``llb.HTTP`` with
    ``llb.Filename("context")``)."""
    from frontend import llb

    return llb.http(
        url,
        filename=HTTP_CONTEXT_FILENAME,
        constraints=llb.Constraints.of(custom_name=custom_name),
    )


def is_http_url(value: str) -> bool:
    """The reference's ``httpPrefix``: ``http://`` or ``https://`` (lowercase)."""
    return value.startswith(("http://", "https://"))


def scope_to_subdir(state: State, subdir: str) -> State:
    """The reference's ``scopeToSubDir``: ``subdir``'s contents copied to the root of
    an empty filesystem."""
    from frontend import llb

    return llb.scratch().file(llb.copy(state, subdir, "/", dir_contents_only=True))


_COMPRESSED_MAGIC: Final = (
    b"\x42\x5a\x68",  # bzip2
    b"\x1f\x8b\x08",  # gzip
    b"\xfd\x37\x7a\x58\x5a\x00",  # xz
)
_TAR_BLOCK: Final = 512


def is_archive(header: bytes) -> bool:
    """The reference's ``isArchive`` on the first bytes of a download: a bzip2, gzip
    or xz stream, or a tar whose first entry Go's ``tar.Reader.Next`` reads from them
    (a valid header block; the data of a PAX/GNU extension header and the header
    after it must fit in ``header`` too)."""
    if any(header.startswith(m) for m in _COMPRESSED_MAGIC):
        return True
    return _tar_entry(header, 0, 0)


def _tar_entry(data: bytes, offset: int, depth: int) -> bool:
    block = data[offset : offset + _TAR_BLOCK]
    if len(block) < _TAR_BLOCK or depth > 8 or not any(block):
        return False  # short (unexpected EOF), or the end marker (EOF / bad header)
    stored = _tar_octal(block[148:156])
    if stored is None:
        return False
    unsigned = sum(block[:148]) + 8 * 0x20 + sum(block[156:])
    signed = (
        sum(b - 256 if b > 127 else b for b in block[:148])
        + 8 * 0x20
        + sum(b - 256 if b > 127 else b for b in block[156:])
    )
    if stored not in (unsigned, signed):
        return False
    # mode, uid, gid, mtime; then devmajor and devminor of a USTAR or GNU header, and
    # a GNU header's atime and ctime when set
    fields = [(100, 108), (108, 116), (116, 124), (136, 148)]
    magic = block[257:263]
    if magic == b"ustar\x00" or (magic == b"ustar " and block[263:265] == b" \x00"):
        fields += [(329, 337), (337, 345)]
        if magic == b"ustar ":
            fields += [(a, b) for a, b in ((345, 357), (357, 369)) if block[a]]
    size = _tar_numeric(block[124:136])
    if size is None or size < 0 or any(_tar_numeric(block[a:b]) is None for a, b in fields):
        return False
    if block[156:157] in (b"x", b"g", b"L", b"K"):  # an extension: its data, then the entry
        blocks = (size + _TAR_BLOCK - 1) // _TAR_BLOCK
        if offset + _TAR_BLOCK + size > len(data):
            return False
        return _tar_entry(data, offset + _TAR_BLOCK * (1 + blocks), depth + 1)
    return True


def _tar_octal(field: bytes) -> int | None:
    """Go's tar ``parseOctal``: NULs and spaces trimmed, cut at a NUL, octal."""
    text = field.strip(b" \x00").split(b"\x00", 1)[0]
    if not text:
        return 0
    if any(c not in b"01234567" for c in text):
        return None
    return int(text, 8)


def _tar_numeric(field: bytes) -> int | None:
    """Go's tar ``parseNumeric``: base-256 (two's complement, at most 63 bits) when
    the high bit is set, else octal; None where Go fails."""
    if not field or not field[0] & 0x80:
        return _tar_octal(field)
    inv = 0xFF if field[0] & 0x40 else 0
    value = 0
    for i, c in enumerate(field):
        c ^= inv
        if i == 0:
            c &= 0x7F
        if value >> 56:
            return None
        value = value << 8 | c
    if value >> 63:
        return None
    return ~value if inv else value


def remote_context(
    client: GatewayClient, options: BuildOptions, platform: Platform | None = None
) -> RemoteContext | None:
    """The main context when its option is a git or an http(s) URL (the reference's
    ``initContext``), else None. An http download is solved and its first 1024 bytes
    read: an archive is unpacked into the context, anything else is the Dockerfile
    (named ``context``)."""
    from frontend.gocompat import go_parse_bool

    value = options.remote_context
    keep = go_parse_bool(options.opts.get(KEEP_GIT_DIR_ARG, ""))
    mtime = "commit" if options.build_args.get("SOURCE_DATE_EPOCH") else ""
    state = git_context(value, keep_git_dir=keep, mtime=mtime)
    result: RemoteContext | None = None
    if state is not None:
        result = RemoteContext(state, state)
    elif is_http_url(value):
        result = _http_main_context(client, value, platform)
    if result is None:
        return None
    subdir = options.context_subdir
    if subdir is not None:
        return RemoteContext(
            scope_to_subdir(result.context, subdir), result.dockerfile, result.filename
        )
    return result


def _http_main_context(client: GatewayClient, url: str, platform: Platform | None) -> RemoteContext:
    from frontend import llb

    state = http_context(url, "[internal] load remote build context")
    try:
        ref = client.solve(llb.marshal(state, default_platform=platform).pb)
    except RpcFailure as failure:
        raise failure.wrapped("failed to resolve httpcontext") from None
    try:
        head = client.read_file(ref, HTTP_CONTEXT_FILENAME, offset=0, length=1024)
    except RpcFailure as failure:
        raise failure.wrapped("failed to read downloaded context") from None
    if is_archive(head):
        unpacked = llb.scratch().file(
            llb.copy(state, "/" + HTTP_CONTEXT_FILENAME, "/", attempt_unpack=True)
        )
        return RemoteContext(unpacked, unpacked)
    return RemoteContext(state, state, HTTP_CONTEXT_FILENAME)


# -- .dockerignore ----------------------------------------------------------------------


def parse_dockerignore(data: bytes) -> list[str]:
    """The exclude patterns of a ``.dockerignore`` file, as the reference reads them.

    A UTF-8 BOM is dropped; lines starting with ``#`` are comments; patterns are
    trimmed and cleaned; a leading ``/`` is dropped; ``!`` (negation) is kept.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    patterns: list[str] = []
    for index, raw in enumerate(text.split("\n")):
        line = raw.removesuffix("\r")
        if index == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        pattern = line.strip(GO_SPACE)
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip(GO_SPACE)
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if invert else pattern)
    return patterns


# -- reading ----------------------------------------------------------------------------


def _dockerfile_follow_paths(filename: str) -> list[str]:
    paths = [filename, filename + ".dockerignore"]
    if posixpath.basename(filename) == "Dockerfile":
        paths.append(posixpath.join(posixpath.dirname(filename), "dockerfile"))
    return paths


@record(frozen=True, slots=True)
class MainInputs:
    """What the request's frontend inputs say about the Dockerfile and the context
    (the reference's ``initContext``): the ``dockerfile`` input's definition (unless
    ``dockerfilekey`` forces the local one) and the ``context`` input as a state."""

    dockerfile: ops_pb2.Definition | None = None
    context: State | None = None


def frontend_input_states(
    client: GatewayClient, inputs: Mapping[str, ops_pb2.Definition]
) -> dict[str, State]:
    """Every input as a state, as Go's gateway client makes them: one nil input
    (no metadata) fails them all (``invalid nil input definition to definition op``)."""
    from frontend import llb

    states: dict[str, State] = {}
    for name in sorted(inputs):
        try:
            states[name] = llb.definition_state(inputs[name])
        except llb.DefinitionError as e:
            raise UserError(str(e)) from None
    return states


def main_inputs(client: GatewayClient, options: BuildOptions) -> MainInputs:
    """The frontend inputs that replace the local ``dockerfile`` / ``context`` (asked
    only when the daemon has the ``frontend.inputs`` cap, as the reference does);
    the context input is scoped to ``contextsubdir``."""
    from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT

    if not client.caps.frontend.has("frontend.inputs"):
        return MainInputs()
    try:
        inputs = client.inputs()
        states = frontend_input_states(client, inputs)
    except (RpcFailure, UserError) as failure:
        if isinstance(failure, RpcFailure):
            raise failure.wrapped("failed to get frontend inputs") from None
        raise UserError(f"failed to get frontend inputs: {failure}") from None
    dockerfile = None
    if not options.force_local_dockerfile:
        dockerfile = inputs.get(options.dockerfile_key)
    context = states.get(DEFAULT_LOCAL_CONTEXT)
    if context is not None and options.context_subdir is not None:
        context = scope_to_subdir(context, options.context_subdir)
    return MainInputs(dockerfile, context)


def read_dockerfile(
    client: GatewayClient,
    options: BuildOptions,
    *,
    inputs: MainInputs | None = None,
) -> DockerfileSource:
    """Solve the Dockerfile's source and read it (and ``<name>.dockerignore``): the
    local ``dockerfile`` (or the one ``dockerfilekey`` names), else a remote main
    context (:func:`remote_context`); without one, the frontend inputs may replace the
    Dockerfile's source and the main context (the reference's ``initContext``)."""
    remote = remote_context(client, options, options.build_platforms[0])
    filename = options.filename
    if remote is not None and remote.filename is not None:
        filename = remote.filename
    local_name = options.dockerfile_key
    definition: ops_pb2.Definition | None = None
    main_context: State | None = None
    if remote is not None:
        main_context = remote.context
        if not options.force_local_dockerfile:
            definition = _remote_definition(remote.dockerfile, options)
    else:
        if inputs is None:
            inputs = main_inputs(client, options)
        definition = inputs.dockerfile
        main_context = inputs.context
    if definition is None:
        definition = local_source_definition(
            local_name,
            session_id=options.session_for_local(local_name),
            shared_key_hint=local_name,
            follow_paths=_dockerfile_follow_paths(filename),
            differ="none",
            custom_name=f"[internal] load build definition from {filename}",
            platform=options.build_platforms[0],
        )
    try:
        ref = client.solve(definition)
    except RpcFailure as failure:
        raise failure.wrapped("failed to resolve dockerfile") from None
    ignore_name = filename + ".dockerignore"
    # both asked at once: the Dockerfile and the one .dockerignore that may go with it
    read, read_ignore = client.read_files(ref, [filename, ignore_name])
    if isinstance(read, RpcFailure):
        first = read
        lower = posixpath.join(posixpath.dirname(filename), "dockerfile")
        if posixpath.basename(filename) != "Dockerfile":
            raise first.wrapped("failed to read dockerfile") from None
        try:
            read = client.read_file(ref, lower)
        except RpcFailure:
            raise first.wrapped("failed to read dockerfile") from None
    data = read
    ignore = None if isinstance(read_ignore, RpcFailure) else read_ignore
    return DockerfileSource(
        filename=filename,
        data=data,
        ref=ref,
        definition=definition,
        dockerignore=ignore,
        dockerignore_name=ignore_name if ignore is not None else "",
        main_context=main_context,
    )


def _remote_definition(state: State, options: BuildOptions) -> ops_pb2.Definition:
    from frontend import llb

    return llb.marshal(state, default_platform=options.build_platforms[0]).pb


def read_dockerignore(
    client: GatewayClient,
    options: BuildOptions,
    dockerfile: DockerfileSource | None = None,
) -> list[str]:
    """The context's exclude patterns: ``<Dockerfile>.dockerignore`` first, else the
    context's ``.dockerignore`` (a missing file means no patterns); none for a main
    context that is not the local directory (a remote URL or a frontend input: the
    reference's ``DockerIgnorePatterns``)."""
    if dockerfile is not None and dockerfile.main_context is not None:
        return []
    if dockerfile is not None and dockerfile.dockerignore is not None:
        data = dockerfile.dockerignore
        name = dockerfile.dockerignore_name
    else:
        from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT

        local_name = DEFAULT_LOCAL_CONTEXT
        definition = local_source_definition(
            local_name,
            session_id=options.session_for_local(local_name),
            shared_key_hint=f"{local_name}-{DOCKERIGNORE}",
            follow_paths=[DOCKERIGNORE],
            differ="none",
            custom_name=f"[internal] load {DOCKERIGNORE}",
            platform=options.build_platforms[0],
        )
        ref = client.solve(definition)
        try:
            data = client.read_file(ref, DOCKERIGNORE)
        except RpcFailure:
            data = b""
        name = DOCKERIGNORE
    try:
        return parse_dockerignore(data)
    except Exception as exc:  # pragma: no cover - decoding never fails
        raise UserError(f"failed parsing {name}: {exc}") from None
