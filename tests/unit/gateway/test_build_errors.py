"""The build driver's user errors against the fake daemon: located at the Dockerfile
line, worded as the reference words them."""

from __future__ import annotations

import pytest
from gateway_fakes import DaemonState, FakeDaemon

from frontend.build import build
from frontend.gateway.client import GatewayClient
from frontend.gateway.errors import UserError
from frontend.gateway.options import BuildOptions
from frontend.gateway.stdio import open_channel
from frontend.pb import gateway_pb2_grpc, status_pb2


def _build(state: DaemonState) -> None:
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            client = GatewayClient(gateway_pb2_grpc.LLBBridgeStub(channel), product="test")
            client.ping()
            build(client, BuildOptions(opts={}, session_id="s"))
        finally:
            channel.close()


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
    assert info.value.message.startswith("unknown instruction: FORM")
    assert info.value.ranges == ((2, 2),)
