"""What the daemon's LLB capabilities allow of a compiled build, checked before it is solved.

Owned step: ``frontend.dockerui`` (daemon caps). A BuildKit older than a feature does
not refuse it: a protobuf field it does not know is dropped, so ``COPY --chmod=u+x`` on
BuildKit 0.8 gives a file of mode ``----------`` and ``COPY --exclude`` copies what it
should exclude; and the reference's converter drops ``--ulimit``, ``--shm-size`` and
``--cgroup-parent`` when the cap is missing. Our LLB stays the reference's, byte for byte
(the reference's ``llb`` never records a file copy's caps in the metadata: its
``addCaps`` runs before the actions exist); this step reads that LLB and the build
options after the compile and, when the daemon told its LLB caps (``Ping``) and one the
build needs is missing or disabled, fails the build with a located error that names the
feature, the cap and the BuildKit release that brought it, never a silently different
image.

:data:`FEATURES` is the table: for every LLB cap newer than BuildKit 0.8 that a build
compiled here can need, the release whose ``pb.Caps`` first has it, the Dockerfile
feature or build option that needs it, and what to do instead, or its fallback:
``COMPILER``, the compiler does without the cap (``COPY --link`` without ``mergeop`` is a
plain copy, the same files: :mod:`frontend.compiler.copy`), so it is never needed when
missing; ``IGNORED``, the field is sent and an older daemon ignores it, which changes no
image a newer daemon builds (``COPY --parents``' required paths only make a missing
source an error: without them it copies nothing); every other missing cap is refused.
Caps that a build records in the metadata but that are not in the table (BuildKit 0.8
has every other one pyfrontend uses) are still checked, with a generic wording.

What no cap tells is not checked here (see the README); older daemons ignore it: an
``ALL_PROXY`` build arg (``ProxyEnv.all_proxy``, BuildKit 0.9: the RUN does not see it)
and the recursive removal of mount stubs (``removeMountStubsRecursive``, 0.11: a
``RUN --mount`` whose target's parent directories did not exist leaves them, empty, in
the image; the reference's LLB records no cap for it either).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from frontend.llb import caps as C
from frontend.records import record

if TYPE_CHECKING:
    from frontend.gateway.client import Caps
    from frontend.gateway.errors import UserError
    from frontend.pb import ops_pb2

__all__ = [
    "COMPILER",
    "FEATURES",
    "IGNORED",
    "Feature",
    "Need",
    "check_daemon_caps",
    "needs",
    "unsupported",
]

COMPILER: Final = "compiler"  # the compiler does without the cap
IGNORED: Final = "ignored"  # sent; an older daemon ignores it, no built image changes


@record(frozen=True, slots=True)
class Feature:
    """One row of the table: ``cap`` first in BuildKit ``since``; ``feature`` what needs
    it; ``instead`` what the user can do, or what the ``fallback`` (:data:`COMPILER`,
    :data:`IGNORED`; "": none, refused) does."""

    cap: str
    since: str
    feature: str
    instead: str = ""
    fallback: str = ""
    # the cap a daemon announces for it, when it never announces ``cap`` itself
    # (BuildKit defines file.copy.modestring but registers no such cap: a daemon that
    # has it is one of its release, which announces exec.validexitcode)
    announced_as: str = ""


def _table(*rows: Feature) -> Mapping[str, Feature]:
    return MappingProxyType({r.cap: r for r in rows})


FEATURES: Final = _table(
    Feature(C.SOURCE_LOCAL_DIFFER, "0.9", "a local context's metadata differ"),
    Feature(
        C.FILE_COPY_INCLUDE_EXCLUDE_PATTERNS,
        "0.9",
        "--exclude or --parents",
        "list the files to copy, or exclude them with .dockerignore",
    ),
    Feature(
        C.EXEC_META_ULIMIT, "0.10", "the build option --ulimit", "set them with ulimit in the RUN"
    ),
    Feature(C.EXEC_META_CGROUP_PARENT, "0.10", "the build option --cgroup-parent"),
    Feature(
        C.EXEC_MOUNT_TMPFS_SIZE,
        "0.10",
        "a tmpfs size (--shm-size, RUN --mount=type=tmpfs,size=)",
        "leave the size out",
    ),
    Feature(
        C.EXEC_SECRET_ENV,
        "0.10",
        "RUN --mount=type=secret,env=",
        "mount the secret as a file and read it in the RUN",
    ),
    Feature(C.MERGE_OP, "0.10", "COPY --link", "a plain copy, the same files", fallback=COMPILER),
    Feature(C.DIFF_OP, "0.10", "COPY --link", "a plain copy, the same files", fallback=COMPILER),
    Feature(C.SOURCE_IMAGE_LAYER_LIMIT, "0.11", "an image's layer limit"),
    Feature(C.SOURCE_OCI_LAYOUT, "0.11", "an oci-layout:// context"),
    Feature(C.EXEC_MOUNT_CONTENT_CACHE, "0.13", "a cache mount's content cache"),
    Feature(C.FILE_COPY_ALWAYS_REPLACE_EXISTING_DEST_PATHS, "0.14", "replacing destination paths"),
    Feature(
        C.FILE_COPY_MODE_STRING,
        "0.17",
        "--chmod with a symbolic mode",
        "use an octal mode",
        announced_as=C.EXEC_VALID_EXIT_CODE,
    ),
    Feature(C.EXEC_VALID_EXIT_CODE, "0.17", "valid exit codes"),
    Feature(C.FILE_SYMLINK_CREATE, "0.19", "creating a symlink"),
    Feature(C.SOURCE_GIT_CHECKSUM, "0.22", "a git context's checksum"),
    Feature(C.SOURCE_GIT_SKIP_SUBMODULES, "0.24", "a git context without submodules"),
    Feature(
        "file.copy.requiredpaths",
        "0.26",
        "--parents",
        "a missing source copies nothing instead of failing the build",
        fallback=IGNORED,
    ),
    Feature(C.SOURCE_GIT_MTIME, "0.29", "a git context's commit times"),
    Feature(C.SOURCE_GIT_FETCH_BY_COMMIT, "0.30", "a git context fetched by commit"),
)

# build options the reference's converter leaves out of the LLB when the daemon lacks
# their cap; they matter to a build that runs a command
_OPTION_CAPS: Final = (
    ("--ulimit", C.EXEC_META_ULIMIT),
    ("--shm-size", C.EXEC_MOUNT_TMPFS_SIZE),
    ("--cgroup-parent", C.EXEC_META_CGROUP_PARENT),
)


@record(frozen=True, slots=True)
class Need:
    """A cap one step (``digest``, ``None``: a build option) needs; ``what`` names it."""

    cap: str
    what: str
    digest: str | None = None


def _copy_needs(cp: ops_pb2.FileActionCopy) -> Iterator[tuple[str, str]]:
    """The caps a copy action needs (what Go's ``fileActionCopy.addCaps`` would record)."""
    if cp.exclude_patterns:
        yield C.FILE_COPY_INCLUDE_EXCLUDE_PATTERNS, "--exclude"
    elif cp.include_patterns:
        yield C.FILE_COPY_INCLUDE_EXCLUDE_PATTERNS, "--parents"
    if cp.required_paths:
        yield "file.copy.requiredpaths", "--parents"
    if cp.alwaysReplaceExistingDestPaths:
        yield C.FILE_COPY_ALWAYS_REPLACE_EXISTING_DEST_PATHS, "replacing destination paths"
    if cp.modeStr:
        yield C.FILE_COPY_MODE_STRING, "--chmod=" + cp.modeStr


def _op_needs(op: ops_pb2.Op, md: ops_pb2.OpMetadata | None) -> Iterator[tuple[str, str]]:
    if op.HasField("file"):
        for action in op.file.actions:
            if action.HasField("copy"):
                yield from _copy_needs(action.copy)
            elif action.HasField("symlink"):
                yield C.FILE_SYMLINK_CREATE, "creating a symlink"
    for cap in sorted(md.caps) if md is not None else ():
        row = FEATURES.get(cap)
        yield cap, row.feature if row is not None else f"the LLB feature {cap}"


def needs(
    definition: ops_pb2.Definition,
    *,
    ulimits: bool = False,
    shm_size: bool = False,
    cgroup_parent: bool = False,
) -> list[Need]:
    """Every cap the build needs: each op's (its metadata and its file actions'), and the
    given build options' when the build runs a command."""
    from frontend.llb import digest_of
    from frontend.pb import ops_pb2

    out: list[Need] = []
    runs = False
    for data in getattr(definition, "def"):
        op = ops_pb2.Op.FromString(data)
        runs = runs or op.HasField("exec")
        dgst = digest_of(data)
        md = definition.metadata.get(dgst)
        out.extend(Need(cap, what, dgst) for cap, what in _op_needs(op, md))
    given = {"--ulimit": ulimits, "--shm-size": shm_size, "--cgroup-parent": cgroup_parent}
    if runs:
        out.extend(Need(cap, f"the build option {opt}") for opt, cap in _OPTION_CAPS if given[opt])
    return out


def unsupported(need: Need, daemon: Caps, keyword: str = "") -> str:
    """The message for ``need`` on a daemon without its cap (``keyword``: the
    instruction of its line)."""
    row = FEATURES.get(need.cap)
    what = f"{keyword} {need.what}" if keyword and need.what.startswith("-") else need.what
    cap = daemon.get(_announced(need.cap))
    if cap is not None and not cap.enabled:
        said = cap.disabled_reason_msg or cap.disabled_reason
        status = "which this daemon has disabled" + (f" ({said})" if said else "")
    else:
        status = "which this daemon does not support"
        if row is not None:
            status += f" (BuildKit < {row.since})"
    message = f"{what} requires the BuildKit capability {need.cap}, {status}"
    if row is not None and row.instead and not row.fallback:
        message += f"; {row.instead}"
    return message


def _announced(cap: str) -> str:
    """The cap a daemon that has ``cap`` announces (``cap`` itself but for one)."""
    row = FEATURES.get(cap)
    return row.announced_as if row is not None and row.announced_as else cap


def _ignored(cap: str) -> bool:
    row = FEATURES.get(cap)
    return row is not None and row.fallback == IGNORED


def _first_range(definition: ops_pb2.Definition, digest: str | None) -> tuple[int, int] | None:
    if digest is None or digest not in definition.Source.locations:
        return None
    for loc in definition.Source.locations[digest].locations:
        for r in loc.ranges:
            return r.start.line, max(r.start.line, r.end.line)
    return None


def _keyword(data: bytes, line: int) -> str:
    """The instruction word on ``line`` (1-based) of the Dockerfile."""
    lines = data.splitlines()
    if not 0 < line <= len(lines):
        return ""
    words = lines[line - 1].decode("utf-8", "replace").split()
    return words[0].upper() if words and words[0].isalpha() else ""


def check_daemon_caps(
    definition: ops_pb2.Definition,
    daemon: Caps,
    *,
    filename: str,
    data: bytes,
    source_definition: ops_pb2.Definition | None = None,
    options: Iterable[str] = (),
) -> UserError | None:
    """The error for the first need (by line) of the build that ``daemon`` lacks, located
    at its instruction; None when every need is met or the daemon did not tell its caps.
    ``options``: the build options given, of ``--ulimit``, ``--shm-size``,
    ``--cgroup-parent``."""
    from frontend.gateway.errors import UserError

    if not len(daemon):
        return None
    given = set(options)
    missing = [
        n
        for n in needs(
            definition,
            ulimits="--ulimit" in given,
            shm_size="--shm-size" in given,
            cgroup_parent="--cgroup-parent" in given,
        )
        if not daemon.has(_announced(n.cap)) and not _ignored(n.cap)
    ]
    if not missing:
        return None

    def order(n: Need) -> tuple[int, str]:
        where = _first_range(definition, n.digest)
        return (where[0] if where else 0, n.cap)

    first = min(missing, key=order)
    where = _first_range(definition, first.digest)
    keyword = _keyword(data, where[0]) if where else ""
    ranges = [(n, n) for n in range(where[0], where[1] + 1)] if where else []
    return UserError(
        unsupported(first, daemon, keyword),
        filename=filename,
        data=data,
        ranges=ranges,
        definition=source_definition,
    )
