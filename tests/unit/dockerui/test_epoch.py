"""Dating a source for SOURCE_DATE_EPOCH on the engine (``frontend.dockerui.epoch``):
the reference's ``resolveSourceDateEpochFromState`` -- ResolveSourceMeta (a git
commit's committer time, an http Last-Modified), else the download solved and read
whole, its archive's newest regular file -- against the fake daemon, and a build that
names them (dockerfile_source_date_epoch_test.go)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile

import pytest
from gateway_fakes import DaemonState, connected_client

from dockerui.builds import build_state
from frontend import llb
from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions
from frontend.dockerui.epoch import archive_max_mtime, commit_time, date_state, single_source
from frontend.gateway.errors import UserError
from frontend.pb import gateway_pb2, ops_pb2

COMMIT = (
    b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    b"author test <test@example.com> 1700000000 +0100\n"
    b"committer test <test@example.com> 1700000101 -0230\n"
    b"\n"
    b"msg\n"
)
META_CAP = "source.metaresolver"


def tar_of(*files: tuple[str, bytes, int], dirs: tuple[tuple[str, int], ...] = ()) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, mtime in dirs:
            info = tarfile.TarInfo(name)
            info.type, info.mtime = tarfile.DIRTYPE, mtime
            tar.addfile(info)
        for name, data, mtime in files:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), mtime
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# -- the pieces ----------------------------------------------------------------------


def test_commit_time_is_the_committers() -> None:
    assert commit_time(COMMIT) == 1700000101


def test_commit_without_a_valid_time_dates_nothing() -> None:
    raw = COMMIT.replace(b"1700000101 -0230", b"soon -0230")
    assert commit_time(raw) is None
    assert commit_time(COMMIT.replace(b" -0230", b" Z")) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "invalid empty git object"),
        (b"tree x\nauthor a <a> 1 +0000\n\nm", "invalid commit object: missing committer header"),
        (b"object x\ntype commit\ntag v1\ntagger a <a> 1 +0000\n\nm", "not a commit object"),
        (b"object x\ntype commit\n\nm", "invalid tag object: missing tag header"),
    ],
)
def test_not_a_commit_is_the_references_error(raw: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        commit_time(raw)


def test_signed_commit_headers_skip_the_signature() -> None:
    raw = COMMIT.replace(
        b"committer", b"gpgsig -----BEGIN PGP SIGNATURE-----\n committer x <x> 5 +0000\ncommitter"
    )
    assert commit_time(raw) == 1700000101


ARCHIVE = tar_of(("a", b"1", 1700000000), ("b", b"2", 1700000302), dirs=(("d/", 1800000000),))


@pytest.mark.parametrize(
    "data",
    [ARCHIVE, gzip.compress(ARCHIVE), bz2.compress(ARCHIVE), lzma.compress(ARCHIVE)],
    ids=["tar", "gzip", "bzip2", "xz"],
)
def test_archive_max_mtime_is_the_newest_regular_file(data: bytes) -> None:
    assert archive_max_mtime(data) == 1700000302  # the directory's later time is not a file's


@pytest.mark.parametrize(
    "data",
    [b"", b"FROM scratch\n", b"\x1f\x8b\x08broken", b"\x28\xb5\x2f\xfd" + b"0" * 20],
    ids=["empty", "text", "bad-gzip", "zstd"],
)
def test_what_is_no_archive_dates_nothing(data: bytes) -> None:
    assert archive_max_mtime(data) is None


def test_single_source_needs_exactly_one() -> None:
    one = llb.http("https://e.com/a.tar", filename="a.tar")
    assert single_source(one, None) == ("https://e.com/a.tar", {"http.filename": "a.tar"})
    copied = llb.scratch().file(llb.copy(one, "/a.tar", "/", attempt_unpack=True))
    assert single_source(copied, None) == ("https://e.com/a.tar", {"http.filename": "a.tar"})
    two = llb.scratch().file(llb.copy(one, "/a", "/").copy(llb.image("busybox"), "/b", "/"))
    assert single_source(two, None) is None
    assert single_source(llb.scratch(), None) is None


# -- against the daemon -----------------------------------------------------------------


def _state(**kw: object) -> DaemonState:
    state = DaemonState(llb_caps=(), **kw)  # type: ignore[arg-type]
    if "frontend_caps" not in kw:
        state.frontend_caps = (*state.frontend_caps, META_CAP)
    return state


def test_git_asks_for_the_commit_object() -> None:
    ident = "git://example.com/repo.git#main"
    state = _state(
        source_meta={
            ident: gateway_pb2.ResolveSourceMetaResponse(
                Git=gateway_pb2.ResolveSourceGitResponse(CommitObject=COMMIT)
            )
        }
    )
    with connected_client(state) as client:
        got = date_state(client, llb.git("https://example.com/repo.git", "main"), "log", None)
    assert got == 1700000101
    [req] = state.meta_requests
    assert req.Source.identifier == ident and req.Git.ReturnObject and req.LogName == "log"
    assert req.Source.attrs["git.fullurl"] == "https://example.com/repo.git"
    assert "Solve" not in state.calls  # a commit needs no download


def test_http_last_modified_wins_over_the_archive() -> None:
    url = "https://example.com/context.tar"
    meta = gateway_pb2.ResolveSourceMetaResponse(
        HTTP=gateway_pb2.ResolveSourceHTTPResponse(Filename="context")
    )
    meta.HTTP.LastModified.seconds = 1700000201
    state = _state(source_meta={url: meta}, downloads={url: ARCHIVE})
    with connected_client(state) as client:
        got = date_state(client, llb.http(url, filename="context"), "log", None)
    assert got == 1700000201
    assert not state.meta_requests[0].HasField("Git")
    assert "Solve" not in state.calls


def test_http_without_last_modified_reads_the_whole_download() -> None:
    url = "https://example.com/src.tar"
    state = _state(downloads={url: gzip.compress(ARCHIVE)})
    source = llb.http(url, filename="src.tar", constraints=llb.Constraints.of(custom_name="x"))
    with connected_client(state) as client:
        assert date_state(client, source, "log", None) == 1700000302
    [solve] = state.solves
    op = ops_pb2.Op.FromString(getattr(solve.Definition, "def")[0])
    assert (op.source.identifier, dict(op.source.attrs)) == (url, {"http.filename": "src.tar"})
    # the source alone, as the reference makes it again: no progress name of its own
    assert not any("llb.customname" in m.description for m in solve.Definition.metadata.values())
    [read] = state.reads
    assert read.FilePath == "src.tar" and not read.HasField("Range")


def test_http_without_a_filename_or_a_local_source_dates_nothing() -> None:
    state = _state(downloads={"https://e.com/x": ARCHIVE})
    with connected_client(state) as client:
        assert date_state(client, llb.http("https://e.com/x"), "log", None) is None
        assert date_state(client, llb.local("context"), "log", None) is None
    assert "Solve" not in state.calls
    assert [r.Source.identifier for r in state.meta_requests] == [
        "https://e.com/x",
        "local://context",
    ]


def test_without_the_metaresolver_cap_only_the_archive_is_read() -> None:
    url = "https://example.com/src.tar"
    state = _state(downloads={url: ARCHIVE}, frontend_caps=("proto.refarray",))
    with connected_client(state) as client:
        assert date_state(client, llb.http(url, filename="src.tar"), "log", None) == 1700000302
    assert "ResolveSourceMeta" not in state.calls


def test_a_bad_commit_object_is_a_user_error() -> None:
    ident = "git://example.com/repo.git"
    state = _state(
        source_meta={
            ident: gateway_pb2.ResolveSourceMetaResponse(
                Git=gateway_pb2.ResolveSourceGitResponse(CommitObject=b"object x\n\n")
            )
        }
    )
    with connected_client(state) as client, pytest.raises(UserError, match="invalid tag object"):
        date_state(client, llb.git("https://example.com/repo.git"), "log", None)


# -- a build --------------------------------------------------------------------------


def test_build_with_a_stage_epoch_sets_the_result_metadata() -> None:
    url = "https://example.com/src.tar"
    dockerfile = (
        f"ARG SOURCE_DATE_EPOCH=mysource\nFROM scratch AS mysource\nADD {url} /\n"
        "FROM busybox\nARG SOURCE_DATE_EPOCH\nRUN echo $SOURCE_DATE_EPOCH\n"
    ).encode()
    state = build_state(dockerfile)
    state.frontend_caps = (*state.frontend_caps, META_CAP)
    state.downloads[url] = tar_of(("foo", b"bar", 1700000402))
    with connected_client(state) as client:
        result = build(client, BuildOptions(opts={}, session_id="s"))
    assert result.metadata["source.date.epoch"] == b"1700000402"
    assert [r.LogName for r in state.meta_requests] == [
        "[internal] resolve SOURCE_DATE_EPOCH source stage mysource"
    ]


def test_build_with_context_on_a_local_directory_sets_no_epoch() -> None:
    state = build_state(b"FROM scratch\n")
    state.frontend_caps = (*state.frontend_caps, META_CAP)
    with connected_client(state) as client:
        result = build(
            client,
            BuildOptions(opts={"build-arg:SOURCE_DATE_EPOCH": "context"}, session_id="s"),
        )
    assert "source.date.epoch" not in result.metadata
    [req] = state.meta_requests
    assert req.Source.identifier == "local://context"
    assert req.LogName == "[internal] resolve main build context metadata"


def test_build_with_an_invalid_value_is_the_references_error() -> None:
    state = build_state(b"ARG SOURCE_DATE_EPOCH=not-a-timestamp\nFROM scratch\n")
    with connected_client(state) as client, pytest.raises(UserError) as info:
        build(client, BuildOptions(opts={}, session_id="s"))
    assert info.value.message == "invalid SOURCE_DATE_EPOCH: not-a-timestamp"
