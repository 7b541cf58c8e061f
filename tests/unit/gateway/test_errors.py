"""google.rpc.Status packing: user errors with errdefs.Source, forwarded RPC statuses."""

from __future__ import annotations

import grpc
import pytest
from gateway_fakes import DaemonState, FakeDaemon

from frontend.gateway.client import GatewayClient
from frontend.gateway.errors import (
    SOURCE_TYPE_URL,
    Code,
    RpcFailure,
    UserError,
    internal_error_status,
    location_in_message,
    status_for_exception,
    user_error_status,
)
from frontend.gateway.stdio import open_channel
from frontend.pb import errdefs_pb2, status_pb2

DOCKERFILE = b"FROM busybox\nRUN true\nBOGUS x\n"


def test_located_user_error_round_trips() -> None:
    status = user_error_status(
        "dockerfile parse error on line 3: unknown instruction: BOGUS",
        "Dockerfile",
        DOCKERFILE,
        [(3, 3)],
    )
    wire = status.SerializeToString()
    back = status_pb2.Status()
    back.ParseFromString(wire)
    assert back.code == Code.UNKNOWN == 2
    assert back.message.startswith("dockerfile parse error on line 3")
    assert len(back.details) == 1
    detail = back.details[0]
    assert detail.type_url == SOURCE_TYPE_URL == "errdefs.Source"
    source = errdefs_pb2.Source()
    source.ParseFromString(detail.value)
    assert source.info.filename == "Dockerfile"
    assert source.info.data == DOCKERFILE
    assert source.info.language == "Dockerfile"
    assert [(r.start.line, r.end.line) for r in source.ranges] == [(3, 3)]


def test_ranges_with_characters_and_several_ranges() -> None:
    status = user_error_status("x", "Dockerfile", DOCKERFILE, [(1, 0, 1, 12), (2, 2)])
    source = errdefs_pb2.Source()
    source.ParseFromString(status.details[0].value)
    first, second = source.ranges
    assert (first.start.line, first.start.character, first.end.character) == (1, 0, 12)
    assert (second.start.line, second.end.line) == (2, 2)


def test_unlocated_error_has_no_detail_and_custom_code() -> None:
    status = user_error_status("bad", code=Code.INVALID_ARGUMENT)
    assert status.code == 3
    assert list(status.details) == []


def test_user_error_and_internal_error() -> None:
    err = UserError("boom", filename="Dockerfile", data=DOCKERFILE, ranges=[(2, 2)])
    st = status_for_exception(err)
    assert st.message == "boom"
    assert st.details[0].type_url == "errdefs.Source"
    internal = status_for_exception(ValueError("first line\nsecond line"))
    assert internal.message == "pyfrontend internal error: ValueError: first line"
    assert "\n" not in internal.message
    assert internal_error_status(RuntimeError()).message == (
        "pyfrontend internal error: RuntimeError"
    )


def test_failed_rpc_status_is_forwarded_unchanged() -> None:
    daemon_status = status_pb2.Status(code=2, message="process did not complete successfully")
    daemon_status.details.add(type_url="errdefs.Vertex", value=b"\n\x07sha256:")
    state = DaemonState(fail={"Solve": daemon_status})
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            client = GatewayClient(channel)
            client.ping()
            from frontend.pb import ops_pb2

            with pytest.raises(RpcFailure) as info:
                client.solve(ops_pb2.Definition())
        finally:
            channel.close()
    failure = info.value
    assert failure.method == "Solve"
    assert failure.to_status().SerializeToString() == daemon_status.SerializeToString()
    assert status_for_exception(failure) is failure.status


def test_failed_rpc_without_details_keeps_code_and_message() -> None:
    from frontend.gateway.errors import status_from_rpc_error

    class FakeRpcError(grpc.RpcError):
        def code(self) -> grpc.StatusCode:
            return grpc.StatusCode.NOT_FOUND

        def details(self) -> str:
            return "not there"

        def trailing_metadata(self) -> tuple[()]:
            return ()

    st = status_from_rpc_error(FakeRpcError())
    assert (st.code, st.message, list(st.details)) == (5, "not there", [])


def test_source_detail_carries_the_definition_that_read_the_file() -> None:
    from frontend.pb import ops_pb2

    read = ops_pb2.Definition()
    getattr(read, "def").append(b"\x1a\x00")
    err = UserError("x", filename="Dockerfile", data=DOCKERFILE, ranges=[(2, 2)], definition=read)
    source = errdefs_pb2.Source.FromString(err.to_status().details[0].value)
    assert source.info.definition == read
    # without one, none (the field stays unset)
    bare = errdefs_pb2.Source.FromString(
        user_error_status("x", "D", b"", [(1, 1)]).details[0].value
    )
    assert not bare.info.HasField("definition")


def test_has_source_with_and_without_the_type_prefix() -> None:
    from frontend.gateway.errors import has_source

    located = user_error_status("x", "Dockerfile", DOCKERFILE, [(1, 1)])
    assert has_source(located)
    located.details[0].type_url = "type.googleapis.com/errdefs.Source"
    assert has_source(located)
    vertex = status_pb2.Status(code=2, message="m")
    vertex.details.add(type_url="type.googleapis.com/errdefs.Vertex", value=b"")
    assert not has_source(vertex)


def test_a_failure_wrapped_or_located_keeps_the_daemons_status() -> None:
    daemon = status_pb2.Status(code=2, message="inner")
    daemon.details.add(type_url="errdefs.Vertex", value=b"v")
    failure = RpcFailure("Solve", daemon)
    wrapped = failure.wrapped("outer")
    assert (wrapped.status.code, wrapped.status.message) == (2, "outer: inner")
    assert list(wrapped.status.details) == list(daemon.details)
    located = failure.with_source("Dockerfile", DOCKERFILE, [(1, 1)])
    assert located.status.message == "inner"
    first, second = located.status.details
    assert first == daemon.details[0]
    assert second.type_url == SOURCE_TYPE_URL
    # the original is left alone
    assert daemon.message == "inner" and len(daemon.details) == 1


def test_location_in_message_uses_the_outermost_source() -> None:
    daemon = status_pb2.Status(code=2, message="process did not complete")
    failure = RpcFailure("Solve", daemon).with_source("Dockerfile.web", DOCKERFILE, [(2, 2)])
    out = location_in_message(failure.to_status())
    assert out.message == "Dockerfile.web line 2: process did not complete"
    assert list(out.details) == list(failure.to_status().details)  # the source is kept
    assert failure.to_status().message == "process did not complete"  # a copy: unchanged


def test_location_in_message_leaves_an_unlocated_or_already_located_error() -> None:
    plain = user_error_status("no such file")
    assert location_in_message(plain) is plain
    said = user_error_status(
        "dockerfile parse error on line 3: x", "Dockerfile", DOCKERFILE, [(3, 3)]
    )
    assert location_in_message(said).message == "dockerfile parse error on line 3: x"
    multi = user_error_status("bad", "Dockerfile", DOCKERFILE, [(2, 2), (3, 3)])
    assert location_in_message(multi).message == "Dockerfile lines 2-3: bad"


def test_excerpts_are_shown_by_every_daemon_with_gateway_warnings() -> None:
    from frontend.gateway.client import Cap, Caps, ServerCaps

    def caps(*ids: str) -> ServerCaps:
        return ServerCaps(Caps(Cap(i) for i in ids), Caps())

    assert caps("gateway.warnings", "return").shows_excerpts
    assert not caps("return", "gateway.solve.evaluate").shows_excerpts  # Docker 20.10
    assert caps().shows_excerpts  # nothing told: assumed
