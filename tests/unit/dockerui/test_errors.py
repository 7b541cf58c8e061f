"""Errors of a build as BuildKit receives them in ``Return``: the reference's wording and
its source map (``errdefs.Source``: the Dockerfile's name, bytes and language, the
definition that read it, one range per line), for BuildKit's TestErrorsSourceMap,
TestWarningsBeforeError and TestHistoryError."""

from __future__ import annotations

import json

import pytest
from gateway_fakes import DaemonState, FakeDaemon, env_with_opts

from dockerui.builds import BUSYBOX, CONFIG, build_state
from frontend.dockerui.build import build
from frontend.gateway.runtime import run_channel
from frontend.gateway.stdio import open_channel
from frontend.pb import errdefs_pb2, ops_pb2, status_pb2


def _returned(
    state: DaemonState, opts: dict[str, str] | None = None, *, max_message: int | None = None
) -> status_pb2.Status:
    """Run the build handler as the gateway runs it; the status it returned."""
    with FakeDaemon(state, max_message=max_message) as daemon:
        channel = open_channel(daemon.target)
        try:
            assert run_channel(channel, build, env_with_opts(opts or {})) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    assert ret.HasField("error"), "the build did not fail"
    return ret.error


def _sources(status: status_pb2.Status) -> list[errdefs_pb2.Source]:
    out = []
    for detail in status.details:
        if detail.type_url.rpartition("/")[2] == "errdefs.Source":
            out.append(errdefs_pb2.Source.FromString(detail.value))
    return out


def _dockerfile_read(state: DaemonState) -> ops_pb2.Definition:
    """The definition the build solved to read the Dockerfile (the first solve)."""
    return state.solves[0].Definition


# BuildKit's TestErrorsSourceMap cases that fail before the solver runs (the others
# fail in the solver, which finds the source in the compiled definition)
SOURCE_MAP_CASES = [
    ("invalidenv", b"from alpine\nenv", [2]),
    ("invalidflag", b"from scratch\nenv foo=bar\ncopy --foo=bar / /\nenv bar=baz", [3]),
    (
        "invalidcopyfrom",
        b"from scratch\nenv foo=bar\ncopy --from=invalid foo bar\nenv bar=baz",
        [3],
    ),
    ("multiline-flag", b"from scratch\ncopy --foo=bar \\\n  / /\n", [2, 3]),
]


@pytest.mark.parametrize(
    ("dockerfile", "lines"),
    [(df, lines) for _, df, lines in SOURCE_MAP_CASES],
    ids=[name for name, _, _ in SOURCE_MAP_CASES],
)
def test_error_carries_the_dockerfile_source_map(dockerfile: bytes, lines: list[int]) -> None:
    state = build_state(dockerfile)
    denied = status_pb2.Status(code=2, message="pull access denied")
    state.fail["ResolveSourceMeta"] = state.fail["ResolveImageConfig"] = denied
    status = _returned(state)
    (source,) = _sources(status)
    assert source.info.filename == "Dockerfile"
    assert source.info.language == "Dockerfile"
    assert source.info.data == dockerfile
    assert source.info.definition == _dockerfile_read(state)
    assert len(getattr(source.info.definition, "def")) == 2
    # one range per line, as the reference's parser.toRanges makes them
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(n, n) for n in lines]


def test_instruction_errors_are_worded_as_dockerfile_parse_errors() -> None:
    # TestWarningsBeforeError
    status = _returned(
        build_state(b"\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n")
    )
    assert status.message == "dockerfile parse error on line 4: unknown instruction: BADCMD"
    (source,) = _sources(status)
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(4, 4)]


def test_a_multiline_instruction_error_names_its_first_line() -> None:
    status = _returned(build_state(b"FROM scratch\nCOPY --foo=bar \\\n  / /\n"))
    assert status.message.startswith("dockerfile parse error on line 2: unknown flag: ")


@pytest.mark.parametrize(
    ("dockerfile", "message", "lines"),
    [
        # the line parser's errors (the reference's parser.Parse)
        (b"FROM scratch\nENV foo\n", "ENV must have two arguments", [2]),
        (b"FROM scratch\nRUN <<EOF\nnever ends\n", "unterminated heredoc", [2, 3]),
        # the conversion's (dockerfile2llb)
        (b"ARG X\nFROM $X\n", "base name ($X) should not be blank", [2]),
    ],
)
def test_other_located_errors_keep_their_own_wording(
    dockerfile: bytes, message: str, lines: list[int]
) -> None:
    state = build_state(dockerfile)
    status = _returned(state)
    assert status.message == message
    (source,) = _sources(status)
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(n, n) for n in lines]
    assert source.info.definition == _dockerfile_read(state)


def test_an_onbuild_trigger_error_is_at_the_from_and_not_a_parse_error() -> None:
    # the reference parses triggers with ParseCommand (no "dockerfile parse error")
    # and puts the error at the stage's FROM (parser.SetLocation)
    config = json.loads(CONFIG)
    config["config"]["OnBuild"] = ["BOGUS x"]
    state = build_state(b"# first\nFROM busybox\nRUN true\n")
    state.image_configs[BUSYBOX] = ("", json.dumps(config).encode())
    status = _returned(state)
    assert status.message == "unknown instruction: BOGUS"
    (source,) = _sources(status)
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(2, 2)]


def test_an_unlocated_error_has_no_source() -> None:
    status = _returned(build_state(b"FROM scratch\n"), {"target": "nope"})
    assert status.message == 'target stage "nope" could not be found'
    assert _sources(status) == []


def test_a_file_of_only_args_points_at_them() -> None:
    # the reference names no line for this one; ours shows the ARGs, all there is
    status = _returned(build_state(b"# comment\nARG X=1\nARG Y\n"))
    assert status.message == "dockerfile contains no stages to build"
    (source,) = _sources(status)
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(2, 2), (3, 3)]


def test_the_compiled_definition_points_into_the_dockerfile_with_its_definition() -> None:
    # TestErrorsSourceMap's solver cases and TestHistoryError: BuildKit locates a failed
    # step from Definition.source, so its info carries the definition that read the file
    dockerfile = b"\nFROM scratch\nCOPY notexist /foo\n"
    state = build_state(dockerfile)
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            assert run_channel(channel, build, env_with_opts({})) == 0
        finally:
            channel.close()
    assert state.returns[0].HasField("result")
    compiled = state.solves[-1].Definition
    (info,) = compiled.Source.infos
    assert info.filename == "Dockerfile"
    assert info.language == "Dockerfile"
    assert info.data == dockerfile
    assert info.definition == _dockerfile_read(state)
    located = [d for d, locs in compiled.Source.locations.items() if locs.locations]
    assert located, "no op points into the Dockerfile"
    for dgst in located:
        (loc,) = compiled.Source.locations[dgst].locations
        assert loc.sourceIndex == 0
        assert [(r.start.line, r.end.line) for r in loc.ranges] == [(3, 3)]


def _long_run(megabytes: float) -> bytes:
    # one RUN of ``megabytes`` MB continued over lines under the 64 KiB line limit
    chunk = "x" * 60_000
    lines = " \\\n".join([chunk] * max(1, int(megabytes * 1_000_000) // len(chunk)))
    return f"FROM scratch\nENV a=1\nRUN echo {lines}\n".encode()


def test_a_definition_no_buildkit_accepts_is_refused_at_its_largest_step() -> None:
    # the RUN's text is in its args, its description and its name: 6 MB -> 24 MB of LLB,
    # still 18 MB without the Dockerfile's own text in the source map
    state = build_state(_long_run(6))
    status = _returned(state)
    assert "more than the 16,777,216 bytes (16 MiB) BuildKit accepts in one message" in (
        status.message
    )
    assert "its largest step" in status.message and "is on line 3" in status.message
    (source,) = _sources(status)
    assert source.ranges[0].start.line == 3
    # only the reads of the Dockerfile and .dockerignore were sent, not the build
    assert all(solve.Definition.ByteSize() < 1 << 20 for solve in state.solves)


def test_a_definition_over_the_daemons_message_limit_is_said_clearly() -> None:
    # BuildKit 0.13's gateway takes 4 MiB a message; 1.5 MB of RUN is 6 MB of LLB
    state = build_state(_long_run(1.5))
    status = _returned(state, max_message=4 << 20)
    assert "more than the 4,194,304 bytes (4 MiB) BuildKit accepts in one message" in (
        status.message
    ), status.message
    assert "is on line 3" in status.message
    (source,) = _sources(status)
    assert source.ranges[0].start.line == 3


def _comments(megabytes: float) -> bytes:
    line = "# " + "c" * 98 + "\n"
    return (line * int(megabytes * 1_000_000 / len(line))).encode()


def test_a_big_dockerfile_is_sent_without_its_text_when_the_daemon_wants_less() -> None:
    # 5 MB of comments: the source map's copy of the file makes the definition too
    # large for a 4 MiB daemon; sent again without it, the build goes through
    state = build_state(_comments(5) + b"FROM busybox\nRUN true\n")
    with FakeDaemon(state, max_message=4 << 20) as daemon:
        channel = open_channel(daemon.target)
        try:
            assert run_channel(channel, build, env_with_opts({})) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    assert ret.HasField("result"), ret
    compiled = state.solves[-1].Definition
    (info,) = compiled.Source.infos
    assert info.filename == "Dockerfile" and info.data == b""
    assert compiled.Source.locations, "the steps keep their locations"


def test_an_error_too_large_to_return_is_returned_without_its_excerpt() -> None:
    # the located error carries the 5 MB file as its source: over the daemon's 4 MiB,
    # so it is returned again with the message alone
    state = build_state(_comments(5) + b"FROM scratch\nBOGUS x\n")
    status = _returned(state, max_message=4 << 20)
    assert "unknown instruction: BOGUS" in status.message
    assert _sources(status) == []
