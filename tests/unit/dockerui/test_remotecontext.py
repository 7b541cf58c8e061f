"""The main context and named contexts given as URLs (``frontend.dockerui.context``,
``frontend.dockerui.namedcontext``) against the fake daemon: the LLB is the
reference's (``dockerui/context.go`` ``DetectGitContext``/``DetectHTTPContext``/
``scopeToSubDir``, ``namedcontext.go``; ``client/llb/source.go`` for the attrs).

The fake daemon serves a file of any solved definition from ``locals`` keyed by the
identifier of the definition's first source op (``git://...``, ``http://...``)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest
from gateway_fakes import DaemonState, connected_client

from dockerui.builds import build_state
from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions
from frontend.dockerui.context import is_archive
from frontend.gateway.client import Result
from frontend.gateway.errors import RpcFailure, UserError
from frontend.pb import ops_pb2

AUTH = {"git.authtokensecret": "GIT_AUTH_TOKEN", "git.authheadersecret": "GIT_AUTH_HEADER"}
DOCKERFILE = b"FROM busybox\nCOPY foo /\n"


def _build(opts: dict[str, str], files: dict[str, dict[str, bytes]]) -> tuple[Result, DaemonState]:
    state = build_state(b"FROM scratch\n")
    state.locals.update(files)
    with connected_client(state) as client:
        return build(client, BuildOptions(opts=opts, session_id="sess")), state


def _ops(definition: ops_pb2.Definition) -> list[tuple[str, ops_pb2.Op, dict[str, str]]]:
    """(digest, op, description) of every op of ``definition``, in its order."""
    out = []
    for raw in getattr(definition, "def"):
        dgst = "sha256:" + hashlib.sha256(raw).hexdigest()
        meta = definition.metadata.get(dgst)
        out.append((dgst, ops_pb2.Op.FromString(raw), dict(meta.description) if meta else {}))
    return out


def _sources(definition: ops_pb2.Definition) -> list[tuple[str, dict[str, str], str]]:
    return [
        (op.source.identifier, dict(op.source.attrs), desc.get("llb.customname", ""))
        for _, op, desc in _ops(definition)
        if op.WhichOneof("op") == "source"
    ]


def _copies(definition: ops_pb2.Definition) -> list[ops_pb2.FileActionCopy]:
    return [
        a.copy
        for _, op, _ in _ops(definition)
        if op.WhichOneof("op") == "file"
        for a in op.file.actions
        if a.WhichOneof("action") == "copy"
    ]


def _final(state: DaemonState) -> ops_pb2.Definition:
    return state.solves[-1].Definition


# -- the main context from git ------------------------------------------------------


def test_git_context_reads_the_dockerfile_from_the_repository() -> None:
    url = "https://example.com/repo.git#first"
    ident = "git://example.com/repo.git#first"
    _, state = _build({"context": url}, {ident: {"Dockerfile": DOCKERFILE}})
    first = state.solves[0].Definition
    # the Dockerfile is read from the git source itself (no local://dockerfile)
    assert _sources(first) == [
        (
            ident,
            {"git.fullurl": "https://example.com/repo.git", **AUTH},
            f"[internal] load git source {url}",
        )
    ]
    # asked at once: they may arrive in either order
    assert sorted(r.FilePath for r in state.reads) == ["Dockerfile", "Dockerfile.dockerignore"]
    final = _final(state)
    sources = _sources(final)
    assert not any(s[0].startswith("local://") for s in sources)  # no local context
    git_digest = next(d for d, op, _ in _ops(final) if op.source.identifier == ident)
    copy_op = next(op for _, op, _ in _ops(final) if op.WhichOneof("op") == "file")
    assert copy_op.inputs[1].digest == git_digest  # COPY reads from the repository
    assert _copies(final)[0].src == "/foo"
    # no .dockerignore of a local context is read
    assert all(s[0] == ident for req in state.solves[:-1] for s in _sources(req.Definition))


@pytest.mark.parametrize(
    ("url", "ident", "attrs"),
    [
        (  # the query form (moby.buildkit.frontend.gitquerystring)
            "http://h.test/r.git?ref=base&subdir=sub",
            "git://h.test/r.git#base:sub",
            {"git.fullurl": "http://h.test/r.git"},
        ),
        (
            "http://h.test/r.git?tag=v0.0.2&commit=abcdef12",
            "git://h.test/r.git#refs/tags/v0.0.2",
            {"git.fullurl": "http://h.test/r.git", "git.checksum": "abcdef12"},
        ),
        (
            "http://h.test/r.git?keep-git-dir&submodules=false",
            "git://h.test/r.git",
            {
                "git.fullurl": "http://h.test/r.git",
                "git.keepgitdir": "true",
                "git.skipsubmodules": "true",
            },
        ),
        (
            "http://h.test/r.git#feature:sub",
            "git://h.test/r.git#feature:sub",
            {"git.fullurl": "http://h.test/r.git"},
        ),
        (  # dfgitutil: github.com/... is a git repository (fetched over https)
            "github.com/o/r#v1",
            "git://github.com/o/r#v1",
            {"git.fullurl": "https://github.com/o/r"},
        ),
        (  # ssh: the agent socket is mounted (Go's llb.Git)
            "git@github.com:o/r.git#main",
            "git://github.com/o/r.git#main",
            {"git.fullurl": "git@github.com:o/r.git", "git.mountsshsock": "default"},
        ),
    ],
)
def test_git_context_url_forms(url: str, ident: str, attrs: dict[str, str]) -> None:
    _, state = _build({"context": url}, {ident: {"Dockerfile": DOCKERFILE}})
    source = _sources(state.solves[0].Definition)[0]
    assert source == (ident, {**attrs, **AUTH}, f"[internal] load git source {url}")


def test_keep_git_dir_build_arg_and_source_date_epoch_mtime() -> None:
    url = "http://h.test/r.git"
    ident = "git://h.test/r.git"
    opts = {
        "context": url,
        "build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR": "1",
        "build-arg:SOURCE_DATE_EPOCH": "10",
    }
    _, state = _build(opts, {ident: {"Dockerfile": DOCKERFILE}})
    attrs = _sources(state.solves[0].Definition)[0][1]
    assert attrs["git.keepgitdir"] == "true"
    assert attrs["git.mtime"] == "commit"  # GitMTimeCommit when SOURCE_DATE_EPOCH is set
    # the query's mtime wins over the default; BUILDKIT_CONTEXT_KEEP_GIT_DIR=false adds nothing
    opts = {
        "context": url + "?mtime=checkout",
        "build-arg:BUILDKIT_CONTEXT_KEEP_GIT_DIR": "false",
        "build-arg:SOURCE_DATE_EPOCH": "10",
    }
    _, state = _build(opts, {ident: {"Dockerfile": DOCKERFILE}})
    attrs = _sources(state.solves[0].Definition)[0][1]
    assert attrs["git.mtime"] == "checkout"
    assert "git.keepgitdir" not in attrs


def test_contextkey_names_the_option_and_filename_is_relative_to_the_repository() -> None:
    url = "https://example.com/repo.git"
    ident = "git://example.com/repo.git"
    opts = {"contextkey": "remote", "remote": url, "filename": "sub/app.Dockerfile"}
    _, state = _build(opts, {ident: {"sub/app.Dockerfile": DOCKERFILE}})
    assert [r.FilePath for r in state.reads] == [
        "sub/app.Dockerfile",
        "sub/app.Dockerfile.dockerignore",
    ]
    assert _sources(state.solves[0].Definition)[0][0] == ident


def test_git_context_with_a_wrong_query_is_refused_with_the_reference_message() -> None:
    with pytest.raises(UserError, match="ref conflicts"):
        _build({"context": "http://h.test/r.git?tag=v0.0.2#refs/heads/master"}, {})
    with pytest.raises(UserError, match='unexpected query "foo"'):
        _build({"context": "http://h.test/r.git?foo=1"}, {})


def test_contextsubdir_scopes_the_context_but_not_the_dockerfile() -> None:
    ident = "git://example.com/repo.git"
    opts = {"context": "https://example.com/repo.git", "contextsubdir": "sub/dir"}
    _, state = _build(opts, {ident: {"Dockerfile": DOCKERFILE}})
    assert len(_ops(state.solves[0].Definition)) == 2  # the Dockerfile: the repository
    final = _final(state)
    scope, copy = _copies(final)
    # scopeToSubDir: llb.Scratch().File(llb.Copy(c, dir, "/", CopyDirContentsOnly))
    assert (scope.src, scope.dest, scope.dirCopyContents) == ("/sub/dir", "/", True)
    assert not scope.attemptUnpackDockerCompatibility and not scope.createDestPath
    assert copy.src == "/foo"


# -- the main context over http -----------------------------------------------------


def _tar(files: dict[str, bytes], fmt: int = tarfile.USTAR_FORMAT) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_http_archive_context_is_unpacked() -> None:
    url = "http://h.test/myurl"
    dockerfile = b"FROM scratch\nCOPY foo bar\n"
    tar = _tar({"mydockerfile": dockerfile, "foo": b"foo-contents"})
    files = {url: {"context": tar, "mydockerfile": dockerfile}}
    _, state = _build({"context": url, "filename": "mydockerfile"}, files)
    http = (url, {"http.filename": "context"}, "[internal] load remote build context")
    assert _sources(state.solves[0].Definition) == [http]
    # the first 1024 bytes tell an archive
    assert state.reads[0].FilePath == "context"
    assert (state.reads[0].Range.Offset, state.reads[0].Range.Length) == (0, 1024)
    # the Dockerfile: from the download unpacked to an empty root
    second = state.solves[1].Definition
    assert _sources(second) == [http]
    (unpack,) = _copies(second)
    assert (unpack.src, unpack.dest) == ("/context", "/")
    assert unpack.attemptUnpackDockerCompatibility and not unpack.dirCopyContents
    assert sorted(r.FilePath for r in state.reads[1:]) == [
        "mydockerfile",
        "mydockerfile.dockerignore",
    ]
    # the build copies from the unpacked context
    final = _final(state)
    unpack_digest = next(
        d for d, op, _ in _ops(final) if op.WhichOneof("op") == "file" and not op.inputs[1:]
    )
    copy_op = [op for _, op, _ in _ops(final) if op.WhichOneof("op") == "file"][-1]
    assert copy_op.inputs[-1].digest == unpack_digest
    assert [c.src for c in _copies(final)] == ["/context", "/foo"]


def test_http_plain_file_is_the_dockerfile_named_context() -> None:
    url = "http://h.test/df"
    files = {url: {"context": DOCKERFILE}}
    _, state = _build({"context": url, "filename": "mydockerfile"}, files)
    # as in the reference: the download solved to tell an archive, solved again to read
    # the Dockerfile, then the build
    assert len(state.solves) == 3
    assert state.solves[0].Definition == state.solves[1].Definition
    assert state.reads[0].FilePath == "context"  # the archive probe, then both at once
    assert sorted(r.FilePath for r in state.reads[1:]) == ["context", "context.dockerignore"]
    # the source map names the Dockerfile "context"
    final = _final(state)
    assert final.Source.infos[0].filename == "context"
    # the context is the download itself: COPY reads from the http source
    http_digest = next(d for d, op, _ in _ops(final) if op.source.identifier == url)
    copy_op = next(op for _, op, _ in _ops(final) if op.WhichOneof("op") == "file")
    assert copy_op.inputs[1].digest == http_digest


def test_tar_stream_with_a_local_dockerfile_and_contextsubdir() -> None:
    # TestTarContextExternalDockerfile: the context is a session upload
    url = "http://buildkit-session/abc"
    tar = _tar({"sub/dir/foo": b"contents"})
    state_files = {
        url: {"context": tar},
        "dockerfile": {"Dockerfile": b"FROM scratch\nCOPY foo bar\n"},
    }
    opts = {"context": url, "dockerfilekey": "dockerfile", "contextsubdir": "sub/dir"}
    _, state = _build(opts, state_files)
    # the Dockerfile: the local "dockerfile" (dockerfilekey forces it)
    assert _sources(state.solves[1].Definition)[0][0] == "local://dockerfile"
    final = _final(state)
    assert [(c.src, c.dest) for c in _copies(final)] == [
        ("/context", "/"),  # unpacked
        ("/sub/dir", "/"),  # scoped
        ("/foo", "/bar"),
    ]


def test_remote_context_reads_no_dockerignore() -> None:
    url = "http://h.test/df"
    state_files = {
        url: {"context": b"FROM busybox\nCOPY . /\n"},
        "context": {".dockerignore": b"secret\n"},
    }
    _, state = _build({"context": url}, state_files)
    # the reference's DockerIgnorePatterns: none when the context is not local
    assert not any(
        s[0] == "local://context" for req in state.solves for s in _sources(req.Definition)
    )
    assert state.reads[0].FilePath == "context"  # the archive probe, then both at once
    assert sorted(r.FilePath for r in state.reads[1:]) == ["context", "context.dockerignore"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (_tar({"Dockerfile": b"FROM scratch\n"})[:1024], True),
        (_tar({"Dockerfile": b"FROM scratch\n"}, tarfile.GNU_FORMAT)[:1024], True),
        # a GNU long name: its header, its data, then the entry's header (3 blocks)
        (_tar({"a" * 120: b"x"}, tarfile.GNU_FORMAT)[:1024], False),
        (_tar({"a" * 120: b"x"}, tarfile.GNU_FORMAT)[:1536], True),
        (gzip.compress(b"x"), True),
        (b"\x42\x5a\x68rest", True),
        (b"\xfd7zXZ\x00rest", True),
        (b"FROM scratch\n", False),
        (b"\x00" * 1024, False),  # the end marker only
        (b"", False),
    ],
)
def test_is_archive(header: bytes, expected: bool) -> None:
    assert is_archive(header) is expected


def _with_field(tar: bytes, start: int, value: bytes) -> bytes:
    block = bytearray(tar[:512])
    block[start : start + len(value)] = value
    block[148:156] = b" " * 8
    block[148:155] = b"%06o\x00" % sum(block)
    return bytes(block) + tar[512:1024]


def test_is_archive_reads_numbers_as_go_does() -> None:
    tar = _tar({"f": b"x"})
    assert is_archive(_with_field(tar, 124, b"\x80" + b"\x00" * 10 + b"\x01"))  # base-256
    assert not is_archive(_with_field(tar, 124, b"\xff" * 12))  # a negative size
    assert not is_archive(_with_field(tar, 124, b"\x80\xff" + b"\x00" * 10))  # > 63 bits
    assert not is_archive(_with_field(tar, 100, b"0000009\x00"))  # not octal


def test_is_archive_needs_a_valid_checksum() -> None:
    tar = bytearray(_tar({"f": b"x"}))
    tar[0] ^= 1  # the name changes, the stored checksum does not
    assert not is_archive(bytes(tar[:1024]))


# -- named contexts -----------------------------------------------------------------


def _named_build(dockerfile: bytes, value: str) -> DaemonState:
    state = build_state(dockerfile)
    with connected_client(state) as client:
        build(client, BuildOptions(opts={"context:extra": value}, session_id="sess"))
    return state


@pytest.mark.parametrize(
    ("value", "source"),
    [
        (
            "git@github.com:o/r.git",
            (
                "git://github.com/o/r.git",
                {"git.fullurl": "git@github.com:o/r.git", "git.mountsshsock": "default", **AUTH},
                "[internal] load git source git@github.com:o/r.git",
            ),
        ),
        (
            "https://github.com/o/r.git#main:sub",
            (
                "git://github.com/o/r.git#main:sub",
                {"git.fullurl": "https://github.com/o/r.git", **AUTH},
                "[internal] load git source https://github.com/o/r.git#main:sub",
            ),
        ),
        (
            "https://h.test/files.tar.gz",
            (
                "https://h.test/files.tar.gz",
                {"http.filename": "context"},
                "[context extra] https://h.test/files.tar.gz",
            ),
        ),
    ],
)
@pytest.mark.parametrize(
    "dockerfile",
    [
        b"FROM extra\n",
        b"FROM busybox\nCOPY --from=extra a /a\n",
        b"FROM busybox\nRUN --mount=from=extra,target=/m true\n",
    ],
)
def test_named_git_and_http_contexts(
    value: str, source: tuple[str, dict[str, str], str], dockerfile: bytes
) -> None:
    state = _named_build(dockerfile, value)
    sources = _sources(_final(state))
    assert source in sources
    # the http download is not unpacked (namedcontext.go: llb.HTTP as is)
    assert not any(c.attemptUnpackDockerCompatibility for c in _copies(_final(state)))


def test_named_context_that_is_no_git_url() -> None:
    with pytest.raises(UserError, match="invalid git context git:nothing"):
        _named_build(b"FROM extra\n", "git:nothing")
    with pytest.raises(UserError, match="ref conflicts"):
        _named_build(b"FROM extra\n", "https://h.test/r.git?tag=v1#refs/heads/main")


def test_http_context_that_cannot_be_read() -> None:
    # the download fails when it is read (the solve is lazy), wrapped as the reference does
    with pytest.raises(RpcFailure, match=r"^failed to read downloaded context: open context"):
        _build({"context": "https://h.test/missing"}, {})
