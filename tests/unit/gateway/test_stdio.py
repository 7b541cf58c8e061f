"""The stdio bridge carries one gRPC connection over a pair of pipes."""

from __future__ import annotations

import os
import socket
import time

from gateway_fakes import DaemonState, FakeDaemon, PipeHarness, local_definition

from frontend.gateway.stdio import CHANNEL_OPTIONS, StdioBridge, open_channel
from frontend.pb import gateway_pb2, gateway_pb2_grpc


def test_channel_options_forbid_reconnects_and_raise_limits() -> None:
    opts = dict(CHANNEL_OPTIONS)
    assert opts["grpc.enable_retries"] == 0
    assert opts["grpc.client_idle_timeout_ms"] == 2**31 - 1
    assert opts["grpc.max_receive_message_length"] >= 16 * 1024 * 1024


def test_rpcs_through_pipes_and_clean_shutdown() -> None:
    big = os.urandom(6 * 1024 * 1024)  # above grpcio's default 4 MiB receive limit
    state = DaemonState(locals={"dockerfile": {"Dockerfile": big}})
    with FakeDaemon(state) as daemon:
        harness = PipeHarness(daemon)
        bridge = StdioBridge(harness.child_stdin, harness.child_stdout)
        target = bridge.start()
        channel = open_channel(target)
        try:
            stub = gateway_pb2_grpc.LLBBridgeStub(channel)
            pong = stub.Ping(gateway_pb2.PingRequest(), timeout=10)
            assert "return" in [c.ID for c in pong.FrontendAPICaps]
            definition = local_definition("dockerfile", follow_paths=["Dockerfile"])
            solved = stub.Solve(gateway_pb2.SolveRequest(Definition=definition), timeout=10)
            data = stub.ReadFile(
                gateway_pb2.ReadFileRequest(Ref=solved.result.ref.id, FilePath="Dockerfile"),
                timeout=10,
            )
            assert data.Data == big
            assert bridge.wait_connected(1)
        finally:
            channel.close()
        start = time.monotonic()
        bridge.close()
        assert time.monotonic() - start < 10  # close() is bounded (drain 2 s + join 5 s): no hang
        # the daemon side sees EOF once the bridge is closed
        assert harness.done.wait(5)
        assert bridge.error is None
        assert bridge.bytes_out > 0 and bridge.bytes_in > len(big)
        harness.close()


def test_bridge_accepts_only_this_process() -> None:
    # A connection from this process is accepted (grpcio lives here); the listener is
    # gone afterwards, so no second connection can ever be made.
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    bridge = StdioBridge(r1, w2)
    bridge.start()
    name = bridge.target.removeprefix("unix-abstract:")
    first = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    first.connect("\0" + name)
    assert bridge.wait_connected(5)
    os.write(w1, b"hello")
    assert first.recv(5) == b"hello"
    first.sendall(b"world")
    assert os.read(r2, 5) == b"world"
    second = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        second.connect("\0" + name)
        raise AssertionError("second connection accepted")
    except ConnectionRefusedError:
        pass
    finally:
        second.close()
    first.close()
    bridge.close()
    for fd in (w1, r2):
        os.close(fd)


def _connected_bridge() -> tuple[StdioBridge, socket.socket, int, int]:
    """A started bridge on two pipes that this process has connected to: (the bridge,
    the connection, the peer's write end, the peer's read end)."""
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    bridge = StdioBridge(r1, w2)
    bridge.start()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect("\0" + bridge.target.removeprefix("unix-abstract:"))
    assert bridge.wait_connected(5)
    return bridge, conn, w1, r2


def test_close_without_waiting_leaves_the_pump_to_end_by_itself() -> None:
    # the gateway after Return was answered: the pump is not waited for, and still
    # passes on what it has and ends once this side of the socket is closed
    bridge, conn, w1, r2 = _connected_bridge()
    conn.sendall(b"last words")
    bridge.close(wait=False)
    assert os.waitpid(bridge.pump_pid, os.WNOHANG) == (0, 0)  # not reaped: still running
    conn.close()
    assert os.read(r2, 64) == b"last words"
    assert os.read(r2, 64) == b""  # the pump closed the wire: it has ended
    pid, _ = os.waitpid(bridge.pump_pid, 0)
    assert pid == bridge.pump_pid
    bridge.close()  # closed already: nothing more
    for fd in (w1, r2):
        os.close(fd)


def test_close_without_connection_does_not_hang() -> None:
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    bridge = StdioBridge(r1, w2)
    bridge.start()
    start = time.monotonic()
    bridge.close()
    assert time.monotonic() - start < 2
    bridge.close()  # idempotent
    for fd in (w1, r2):
        os.close(fd)


def test_peer_eof_is_passed_on() -> None:
    bridge, sock, w1, r2 = _connected_bridge()
    os.close(w1)  # the daemon went away
    sock.settimeout(5)
    assert sock.recv(10) == b""
    sock.close()
    bridge.close()
    os.close(r2)


def test_the_pump_is_a_process_of_its_own() -> None:
    # the bytes move in a child process, which never waits for this one's GIL; this
    # process keeps neither wire fd, and the pump is reaped on close
    import errno

    import pytest

    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    bridge = StdioBridge(r1, w2)
    bridge.start()
    for fd in (r1, w2):
        with pytest.raises(OSError) as info:
            os.fstat(fd)
        assert info.value.errno == errno.EBADF
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect("\0" + bridge.target.removeprefix("unix-abstract:"))
    assert bridge.wait_connected(5)
    pump = bridge.pump_pid
    assert pump not in (0, os.getpid())
    with open(f"/proc/{pump}/stat") as stat:  # a child of this process
        assert int(stat.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    os.write(w1, b"ping")
    assert sock.recv(4) == b"ping"
    sock.sendall(b"pong")
    assert os.read(r2, 4) == b"pong"
    sock.close()  # grpcio's side closes: the pump passes the EOF on and ends
    assert os.read(r2, 4) == b""
    bridge.close()
    assert (bridge.bytes_in, bridge.bytes_out, bridge.error) == (4, 4, None)
    with pytest.raises(ChildProcessError):
        os.waitpid(pump, os.WNOHANG)
    for fd in (w1, r2):
        os.close(fd)


def test_a_bridge_started_after_grpcio_with_fork_support_is_refused() -> None:
    # grpcio's fork handlers would start its threads in the pump: a clear error instead
    import subprocess
    import sys

    code = (
        "import os, grpc\n"
        "from frontend.gateway.stdio import StdioBridge\n"
        "r, w = os.pipe()\n"
        "try:\n"
        "    StdioBridge(r, w).start()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GRPC_ENABLE_FORK_SUPPORT"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert "start it before grpcio loads" in out.stdout, out.stderr
