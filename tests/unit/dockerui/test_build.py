"""The Dockerfile build (``frontend.dockerui.build``) against the fake daemon: user
errors located at the Dockerfile line and worded as the reference words them; the
result metadata (SOURCE_DATE_EPOCH, per platform)."""

from __future__ import annotations

import json

import pytest
from gateway_fakes import DaemonState, FakeDaemon, connected_client, env_with_opts

from dockerui.builds import run_build
from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions
from frontend.gateway.errors import UserError
from frontend.gateway.stdio import open_channel
from frontend.pb import status_pb2


def _build(state: DaemonState) -> None:
    with connected_client(state) as client:
        build(client, BuildOptions(opts={}, session_id="s"))


def test_unresolvable_base_image_names_the_image_at_its_from_line() -> None:
    state = DaemonState(
        locals={"dockerfile": {"Dockerfile": b"FROM busybox\nFROM nosuch:1.0\nRUN true\n"}},
        llb_caps=(),
    )
    state.fail["ResolveSourceMeta"] = status_pb2.Status(code=2, message="failed to do request")
    state.fail["ResolveImageConfig"] = status_pb2.Status(code=2, message="failed to do request")
    with pytest.raises(UserError) as info:
        _build(state)
    err = info.value
    assert err.message == (
        "nosuch:1.0: failed to resolve source metadata for docker.io/library/nosuch:1.0: "
        "failed to do request"
    )
    assert err.ranges == ((2, 2),)
    assert err.filename == "Dockerfile"


def test_parse_error_is_located() -> None:
    state = DaemonState(locals={"dockerfile": {"Dockerfile": b"FROM busybox\nFORM x\n"}})
    with pytest.raises(UserError) as info:
        _build(state)
    assert info.value.message == (
        "dockerfile parse error on line 2: unknown instruction: FORM (did you mean FROM?)"
    )
    assert info.value.ranges == ((2, 2),)
    assert info.value.definition == state.solves[0].Definition


def test_source_date_epoch_metadata() -> None:
    result, _ = run_build(b"FROM busybox\n", {"build-arg:SOURCE_DATE_EPOCH": "1700000000"})
    assert result.metadata["source.date.epoch"] == b"1700000000"
    assert not any(k.startswith("source.date.epoch/") for k in result.metadata)


def test_source_date_epoch_metadata_per_platform() -> None:
    result, _ = run_build(
        b"FROM busybox\n",
        {"build-arg:SOURCE_DATE_EPOCH": "5", "platform": "linux/amd64,linux/arm64"},
    )
    assert result.metadata["source.date.epoch"] == b"5"
    assert result.metadata["source.date.epoch/linux/amd64"] == b"5"
    assert result.metadata["source.date.epoch/linux/arm64"] == b"5"


def test_bad_options_are_reported_before_the_dockerfile_is_read() -> None:
    from frontend.gateway.runtime import run_channel

    state = DaemonState(locals={"dockerfile": {"Dockerfile": b"FROM busybox\n"}})
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            code = run_channel(channel, build, env_with_opts({"image-resolve-mode": "bogus"}))
        finally:
            channel.close()
    assert code == 0
    assert state.returns[0].error.message == "invalid image-resolve-mode: bogus"
    assert "Solve" not in state.calls and "ReadFile" not in state.calls


def test_platforms_differing_in_os_version_are_two_results() -> None:
    # TestPlatformWithOSVersion: the platform id is FormatAll (with the OS version)
    result, _ = run_build(
        b"FROM scratch\nARG TARGETOSVERSION\n",
        {"platform": "windows(1.2.3)/bar,windows(1.1.0)/bar"},
    )
    ids = [p["ID"] for p in json.loads(result.metadata["refs.platforms"])["Platforms"]]
    assert ids == ["windows(1.2.3)/bar", "windows(1.1.0)/bar"]
    for osv in ("1.2.3", "1.1.0"):
        config = json.loads(result.metadata[f"containerimage.config/windows({osv})/bar"])
        assert config["os.version"] == osv


def _context_sources(state: DaemonState) -> list[dict[str, str]]:
    from frontend.pb import ops_pb2

    found = []
    for req in state.solves:
        for raw in getattr(req.Definition, "def"):
            op = ops_pb2.Op.FromString(raw)
            if op.WhichOneof("op") == "source" and op.source.identifier == "local://context":
                found.append(dict(op.source.attrs))
    return found


def test_the_dockerignore_is_read_while_the_base_images_resolve() -> None:
    # the context's .dockerignore is asked for once the Dockerfile is read, and its
    # patterns are taken when the stages are dispatched (as the reference's
    # dispatchStages does, after resolving the bases): its Solve waits here for the
    # base image's resolution, which a build reading it first would never send
    import threading

    from dockerui.builds import build_state

    state = build_state(b"FROM busybox\nCOPY . /src\n")
    state.locals["context"] = {".dockerignore": b"*.log\n!keep.log\n"}
    resolving = threading.Event()
    solves: list[bool] = []

    def on_call(name: str) -> None:
        if name.startswith("Resolve"):
            resolving.set()
        elif name == "Solve":
            solves.append(len(solves) == 1 and resolving.wait(5))

    state.on_call = on_call
    _, state = run_build(b"", {}, state)
    assert solves[1] is True, "the .dockerignore was read before the base image resolved"
    ignore_read, *_, used = _context_sources(state)
    assert ignore_read["local.followpaths"] == '[".dockerignore"]'
    assert used["local.excludepatterns"] == '["*.log","!keep.log"]'


def test_a_dockerignore_that_cannot_be_read_fails_the_build() -> None:
    # read beside the compilation, its failure is still the build's error
    from dockerui.builds import build_state

    state = build_state(b"FROM busybox\nCOPY . /src\n")
    calls: list[str] = []

    def on_call(name: str) -> None:
        calls.append(name)
        if name == "Solve" and calls.count("Solve") == 2:
            raise RuntimeError("no session")  # the daemon answers with an error

    state.on_call = on_call
    with pytest.raises(Exception, match="no session"):
        run_build(b"", {}, state)
