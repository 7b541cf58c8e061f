"""``frontend.llb``: a small, immutable, deterministic LLB library.

Owned step: building BuildKit LLB graphs and marshalling them to ``pb.Definition``.
Usable on its own; the compiler sets exactly the fields the reference frontend sets,
because the library defaults nothing Go's ``client/llb`` leaves unset.

Example::

    from frontend import llb

    dockerfile = llb.SourceMap("Dockerfile", b"FROM alpine\\nRUN echo hi > /x\\n", "Dockerfile")
    base = llb.image("alpine", platform=llb.Platform("linux", "amd64"),
                     constraints=llb.Constraints.of(
                         custom_name="[1/2] FROM docker.io/library/alpine:latest",
                         locations=[dockerfile.location([llb.SourceRange.lines(1)])]))
    ran = base.run(["/bin/sh", "-c", "echo hi > /x"],
                   env=["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   constraints=llb.Constraints.of(custom_name="[2/2] RUN echo hi > /x"))
    out = llb.scratch().file(llb.copy(ran.root, "/x", "/x", mode=0o644))
    definition = llb.marshal(out)          # frontend.pb.ops_pb2.Definition in .pb
    wire = definition.to_bytes()           # SolveRequest.Definition bytes

States are values: ``run`` returns an :class:`ExecResult` (``.root`` and
``.mount(dest)``), file ops chain actions (``llb.mkdir(...).copy(...)``),
``merge``/``diff`` combine states, and ``deferred`` makes a state whose op is written
only when the graph is marshalled (for attributes known late). Ops are compared by
identity; the same op reached twice is emitted once, and two ops with equal content
share one digest.
"""

from __future__ import annotations

from frontend.llb import caps
from frontend.llb.core import (
    NO_CONSTRAINTS,
    Constraints,
    Location,
    Output,
    Position,
    ProgressGroup,
    SourceMap,
    SourceRange,
    State,
    scratch,
)
from frontend.llb.deferred import DeferredOp, deferred
from frontend.llb.definition import DefinitionError, DefinitionOp, definition_state
from frontend.llb.exec import (
    BindMount,
    CacheMount,
    CacheSharing,
    ContentCache,
    ExecOp,
    ExecResult,
    HostIP,
    Mount,
    NetMode,
    ProxyEnv,
    SecretEnv,
    SecretMount,
    SecurityMode,
    SSHMount,
    TmpfsMount,
    Ulimit,
    run,
)
from frontend.llb.file import (
    Chown,
    CopyAction,
    FileAction,
    FileOp,
    Mkdir,
    Mkfile,
    Rm,
    Symlink,
    copy,
    mkdir,
    mkfile,
    normalize_path,
    rm,
    symlink,
)
from frontend.llb.marshal import Definition, MarshalContext, digest_of, marshal
from frontend.llb.merge import DiffOp, MergeOp, diff, merge
from frontend.llb.platform import Platform, host_platform
from frontend.llb.reference import InvalidReferenceError, normalize_image_ref, parse_normalized
from frontend.llb.source import (
    GitRef,
    GitRefError,
    GitURL,
    GitURLError,
    SourceOp,
    git,
    http,
    image,
    local,
    oci_layout,
    parse_git_ref,
    parse_git_url,
    source,
)

__all__ = [
    "NO_CONSTRAINTS",
    "BindMount",
    "CacheMount",
    "CacheSharing",
    "Chown",
    "Constraints",
    "ContentCache",
    "CopyAction",
    "DeferredOp",
    "Definition",
    "DefinitionError",
    "DefinitionOp",
    "DiffOp",
    "ExecOp",
    "ExecResult",
    "FileAction",
    "FileOp",
    "GitRef",
    "GitRefError",
    "GitURL",
    "GitURLError",
    "HostIP",
    "InvalidReferenceError",
    "Location",
    "MarshalContext",
    "MergeOp",
    "Mkdir",
    "Mkfile",
    "Mount",
    "NetMode",
    "Output",
    "Platform",
    "Position",
    "ProgressGroup",
    "ProxyEnv",
    "Rm",
    "SSHMount",
    "SecretEnv",
    "SecretMount",
    "SecurityMode",
    "SourceMap",
    "SourceOp",
    "SourceRange",
    "State",
    "Symlink",
    "TmpfsMount",
    "Ulimit",
    "caps",
    "copy",
    "deferred",
    "definition_state",
    "diff",
    "digest_of",
    "git",
    "host_platform",
    "http",
    "image",
    "local",
    "marshal",
    "merge",
    "mkdir",
    "mkfile",
    "normalize_image_ref",
    "normalize_path",
    "oci_layout",
    "parse_git_ref",
    "parse_git_url",
    "parse_normalized",
    "rm",
    "run",
    "scratch",
    "source",
    "symlink",
]
