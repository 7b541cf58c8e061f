"""Forwarding the build to the frontend a ``syntax`` directive or
``build-arg:BUILDKIT_SYNTAX`` names (``frontend.dockerui.forward``), and the errors of
a forwarded build (BuildKit's TestErrorsSourceMap/invalidsyntax)."""

from __future__ import annotations

from gateway_fakes import DaemonState, FakeDaemon, env_with_opts, local_definition

from dockerui.builds import build_state
from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions
from frontend.dockerui.forward import syntax_target
from frontend.gateway.runtime import run_channel
from frontend.gateway.stdio import open_channel
from frontend.pb import errdefs_pb2, gateway_pb2, ops_pb2, status_pb2


def _run(state: DaemonState, opts: dict[str, str] | None = None) -> gateway_pb2.ReturnRequest:
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            assert run_channel(channel, build, env_with_opts(opts or {})) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    return ret


def _frontend_solves(state: DaemonState) -> list[gateway_pb2.SolveRequest]:
    return [s for s in state.solves if s.Frontend]


def _sources(status: status_pb2.Status) -> list[errdefs_pb2.Source]:
    return [
        errdefs_pb2.Source.FromString(d.value)
        for d in status.details
        if d.type_url.rpartition("/")[2] == "errdefs.Source"
    ]


def test_a_syntax_directive_forwards_the_build_and_returns_its_result() -> None:
    state = build_state(b"# syntax=example/frontend:1 --opt\nFROM busybox\n")
    forwarded = gateway_pb2.Result(ref=gateway_pb2.Ref(id="theirs"))
    forwarded.metadata["containerimage.config"] = b"{}"
    state.frontends["example/frontend:1"] = forwarded
    # a real definition: one without metadata is a nil input the reference refuses
    state.inputs["extra"] = local_definition("extra")
    ret = _run(state, {"target": "t", "build-arg:A": "1"})
    (solve,) = _frontend_solves(state)
    assert solve.Frontend == "gateway.v0"
    assert dict(solve.FrontendOpt) == {
        "target": "t",
        "build-arg:A": "1",
        "source": "example/frontend:1",
        "cmdline": "example/frontend:1 --opt",
    }
    assert set(solve.FrontendInputs) == {"extra"}  # our own inputs, passed on
    assert solve.allowResultReturn and solve.allowResultArrayRef
    assert ret.result == forwarded
    # nothing of the Dockerfile is built here
    assert [s for s in state.solves if not s.Frontend] == state.solves[:1]


def test_the_build_arg_wins_over_the_directive() -> None:
    state = build_state(b"# syntax=example/directive\nFROM busybox\n")
    state.frontends["example/arg"] = gateway_pb2.Result(ref=gateway_pb2.Ref(id="x"))
    _run(state, {"build-arg:BUILDKIT_SYNTAX": " example/arg  more"})
    (solve,) = _frontend_solves(state)
    assert solve.FrontendOpt["source"] == "example/arg"
    assert solve.FrontendOpt["cmdline"] == " example/arg  more"


def test_no_forwarding_once_reached_through_a_syntax_hop() -> None:
    state = build_state(b"# syntax=example/frontend\nFROM busybox\n")
    ret = _run(state, {"cmdline": "example/frontend", "source": "example/frontend"})
    assert _frontend_solves(state) == []
    assert ret.HasField("result")


def test_syntax_target() -> None:
    opts = BuildOptions(opts={}, session_id="s")
    assert syntax_target(opts, b"FROM busybox\n") is None
    target = syntax_target(opts, b"#!/shebang\n#syntax=img:1 a\nFROM busybox\n")
    assert target is not None
    assert (target.image, target.cmdline) == ("img:1", "img:1 a")
    assert target.location is not None and target.location.start_line == 2


def test_a_failed_forward_is_located_at_the_directive() -> None:
    # TestErrorsSourceMap/invalidsyntax
    dockerfile = b"#syntax=foobar\nfrom alpine"
    state = build_state(dockerfile)
    error = _run(state).error
    assert error.message == "failed to resolve source metadata for foobar"
    (source,) = _sources(error)
    assert source.info.filename == "Dockerfile"
    assert source.info.language == "Dockerfile"
    assert source.info.data == dockerfile
    assert source.info.definition == state.solves[0].Definition
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(1, 1)]


def test_a_failed_forward_keeps_the_daemons_details_and_a_source_it_has() -> None:
    state = build_state(b"#syntax=other\nFROM alpine\n")
    own = errdefs_pb2.Source(info=ops_pb2.SourceInfo(filename="Other", data=b"x"))
    failed = status_pb2.Status(code=2, message="their error")
    failed.details.add(type_url="type.googleapis.com/errdefs.Source", value=own.SerializeToString())
    state.frontends["other"] = failed
    error = _run(state).error
    assert error == failed  # already located: forwarded unchanged


def test_a_failed_forward_by_build_arg_names_the_build_arg() -> None:
    state = build_state(b"FROM alpine\n")
    error = _run(state, {"build-arg:BUILDKIT_SYNTAX": "nosuch x"}).error
    assert error.message == (
        "failed with build-arg:BUILDKIT_SYNTAX = nosuch x: "
        "failed to resolve source metadata for nosuch"
    )
    assert _sources(error) == []
