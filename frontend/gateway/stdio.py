"""The stdio bridge: the one gRPC connection BuildKit gives us, reachable by grpcio.

Owned step: ``frontend.gateway`` (transport). BuildKit runs the frontend with its
gRPC server (``LLBBridge``) on the other end of stdin/stdout: a single cleartext
HTTP/2 connection. grpcio cannot dial a file descriptor, so :class:`StdioBridge`

* moves the wire fds aside (``dup``) and points fd 1 at stderr and fd 0 at
  ``/dev/null``, so a stray ``print`` can no longer corrupt the stream;
* listens on a fresh abstract unix socket and forks the *pump*: a child process that
  accepts exactly one connection (from this very process: checked with
  ``SO_PEERCRED``), closes the listener and moves bytes between that socket and the
  saved fds, one direction per thread, until grpcio closes its connection.

The pump is a process of its own, not threads of this one, so that it never waits for
this process's GIL: while the build computes (imports, the compiler), pump threads
here waited for the interpreter (up to a switch interval, 5 ms) at every hop of every
RPC; with the pump forked, a poster.big build's median total went from 131 to 122 ms
(12 interleaved builds each). It forks before grpcio
loads (no thread of this process exists yet at a build's start), keeps only the fds it
pumps, and never returns into this program's code: it ends with ``os._exit``. Its
CPU time is not this process's (the gateway's timing line counts this one's).

:func:`open_channel` dials the bridge with options that forbid reconnects (there is
only one connection) and raise the receive limit.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import sys
import threading
import time
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import grpc

__all__ = [
    "CHANNEL_OPTIONS",
    "MAX_RECEIVE_MESSAGE",
    "StdioBridge",
    "open_channel",
]

# The daemon's replies (ReadFile of a big file, ReadDir, image configs) may exceed
# grpcio's default 4 MiB receive limit.
MAX_RECEIVE_MESSAGE = 16 * 1024 * 1024

# Options for the one channel over the bridge (see the notes in gateway-protocol.md):
# never go idle and never retry/reconnect, since a second connection cannot exist.
CHANNEL_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("grpc.max_receive_message_length", MAX_RECEIVE_MESSAGE),
    ("grpc.client_idle_timeout_ms", 2**31 - 1),
    ("grpc.enable_retries", 0),
    ("grpc.default_authority", "localhost"),
    ("grpc.use_local_subchannel_pool", 1),
)

_CHUNK = 256 * 1024
_POLL_IN = select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR


def open_channel(target: str) -> grpc.Channel:
    """An insecure channel to ``target`` (e.g. :attr:`StdioBridge.target`)."""
    from frontend.startup import import_grpc

    grpc = import_grpc()
    return grpc.insecure_channel(target, options=list(CHANNEL_OPTIONS))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class StdioBridge:
    """Expose a pair of wire fds as an abstract unix socket that grpcio can dial.

    ``read_fd`` carries bytes from the peer (BuildKit), ``write_fd`` bytes to it. From
    :meth:`start` on the pump process owns both (this process keeps neither);
    :meth:`close` waits for it to end. What it moved and the error it met, if any,
    are known after :meth:`close` (``bytes_in``, ``bytes_out``, ``error``).
    """

    def __init__(self, read_fd: int, write_fd: int, *, name: str | None = None) -> None:
        self._read_fd = read_fd
        self._write_fd = write_fd
        # os.urandom, not secrets: the name needs no more, and secrets costs 5 ms of
        # start-up (hmac, random)
        self._name = name or f"pyfrontend-{os.getpid()}-{os.urandom(8).hex()}"
        self._pid = 0  # the pump's
        # the pump's report: b"c" once connected, then "IN OUT ERROR" as it ends
        self._report = -1
        self._reported = b""
        # held here and in the pump; closing it tells a pump still waiting for the
        # connection to give up
        self._lifeline = -1
        self._started = False
        self._closed = False
        self._lock = threading.Lock()
        self.error: str | None = None
        self.bytes_in = 0
        self.bytes_out = 0

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_process_stdio(cls) -> StdioBridge:
        """Take over fds 0/1 of this process (as BuildKit starts the frontend).

        Afterwards fd 1 (and ``sys.stdout``) writes to stderr and fd 0 reads
        ``/dev/null``; only the bridge can reach the wire.
        """
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        read_fd = os.dup(0)
        write_fd = os.dup(1)
        os.set_inheritable(read_fd, False)
        os.set_inheritable(write_fd, False)
        os.dup2(2, 1)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        return cls(read_fd, write_fd)

    @property
    def pump_pid(self) -> int:
        """The pump process's pid (0 before :meth:`start`)."""
        return self._pid

    @property
    def target(self) -> str:
        """The grpcio target that reaches the bridge."""
        return f"unix-abstract:{self._name}"

    # -- life cycle ---------------------------------------------------------------

    def start(self) -> str:
        """Listen and fork the pump; returns :attr:`target`. Before grpcio loads (as
        the gateway does), or with its fork support off (``GRPC_ENABLE_FORK_SUPPORT=0``
        before it loads): else grpcio's fork handlers start its threads in the pump."""
        if "grpc._cython.cygrpc" in sys.modules and os.environ.get(
            "GRPC_ENABLE_FORK_SUPPORT", ""
        ).lower() not in ("0", "false", "no"):
            raise RuntimeError(
                "the stdio bridge forks: start it before grpcio loads, "
                "or load grpcio with GRPC_ENABLE_FORK_SUPPORT=0"
            )
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind("\0" + self._name)
        listener.listen(1)
        report_r, report_w = os.pipe()
        life_r, life_w = os.pipe()
        parent = os.getpid()
        with warnings.catch_warnings():
            # Python 3.12 warns of fork in a process with threads (a test's, never the
            # gateway's): the pump calls nothing that takes another thread's lock
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the pump
            status = 1
            try:
                keep = (2, self._read_fd, self._write_fd, listener.fileno(), report_w, life_r)
                _close_all_but(keep)
                _pump(listener, self._read_fd, self._write_fd, report_w, life_r, parent)
                status = 0
            finally:
                os._exit(status)
        listener.close()
        for fd in (self._read_fd, self._write_fd, report_w, life_r):
            os.close(fd)
        self._read_fd = self._write_fd = -1
        self._pid, self._report, self._lifeline = pid, report_r, life_w
        self._started = True
        return self.target

    def wait_connected(self, timeout: float) -> bool:
        """Whether the pump took grpcio's connection (waiting up to ``timeout`` s)."""
        self._read_report(timeout, until=b"c")
        return self._reported.startswith(b"c")

    def close(self, drain_timeout: float = 2.0, timeout: float = 5.0, wait: bool = True) -> None:
        """Wait for the pump to end, then reap it.

        Close the grpc channel first: the pump then sees EOF, passes on what grpcio
        wrote and closes the wire (the peer reads EOF). A pump never connected ends at
        once. ``drain_timeout`` bounds the wait for its end, ``timeout`` the wait for
        its exit after it is killed (when it did not end in time). ``wait=False``
        leaves the pump to end by itself, unreaped, for a process about to exit once
        the peer has all it needs (the gateway after ``Return`` was answered: BuildKit
        takes the result when the frontend has exited, and a container's processes
        end with its first): the pump sees this process's end of the socket close.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if not self._started:
            for fd in (self._read_fd, self._write_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            return
        os.close(self._lifeline)
        if not wait:
            os.close(self._report)
            return
        self._read_report(drain_timeout, until=b"\n")
        os.close(self._report)
        if not _reaped(self._pid, 0.5 if self._reported.endswith(b"\n") else 0.0):
            with contextlib.suppress(OSError):
                os.kill(self._pid, 9)
            _reaped(self._pid, timeout)
        counts = self._reported.removeprefix(b"c").decode(errors="replace").split(" ", 2)
        if len(counts) == 3:
            self.bytes_in, self.bytes_out = int(counts[0]), int(counts[1])
            self.error = counts[2].strip() or None
        else:
            self.error = "the stdio bridge's pump did not end"
        if self.error:
            sys.stderr.write(f"pyfrontend: stdio bridge: {self.error}\n")

    def _read_report(self, timeout: float, until: bytes) -> None:
        deadline = time.monotonic() + timeout
        poller = select.poll()
        poller.register(self._report, _POLL_IN)
        while until not in self._reported:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(left * 1000):
                return
            data = os.read(self._report, 4096)
            if not data:
                return
            self._reported += data


def _reaped(pid: int, timeout: float) -> bool:
    """Whether child ``pid`` has exited (reaping it), waiting up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True
        if done:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.001)


def _close_all_but(keep: tuple[int, ...]) -> None:
    """Close every fd of this process but ``keep`` (the pump holds no other: a copy
    of a pipe's other end would keep its EOF from ever coming)."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):  # the listing's own fd, gone by now
                os.close(fd)


# -- the pump process ------------------------------------------------------------------


class _Moved:
    """What the pump moved each way, and the first error it met."""

    __slots__ = ("error", "inbound", "outbound")

    def __init__(self) -> None:
        self.inbound = 0
        self.outbound = 0
        self.error = ""

    def fail(self, exc: OSError) -> None:
        if not self.error:
            self.error = str(exc).replace("\n", " ")


def _pump(
    listener: socket.socket, read_fd: int, write_fd: int, report: int, lifeline: int, parent: int
) -> None:
    """The pump's life: accept the parent's connection, then peer -> socket in a
    thread and socket -> peer here, until grpcio closes its connection; report what
    moved (the caller then exits at once: the inbound thread may still wait for the
    peer)."""
    moved = _Moved()
    try:
        conn = _accept(listener, lifeline, parent)
        listener.close()
        if conn is not None:
            os.write(report, b"c")
            threading.Thread(target=_inbound, args=(conn, read_fd, moved), daemon=True).start()
            _outbound(conn, write_fd, moved)
    except OSError as exc:
        moved.fail(exc)
    with contextlib.suppress(OSError):
        os.close(write_fd)  # EOF towards the peer
    with contextlib.suppress(OSError):
        os.write(report, f"{moved.inbound} {moved.outbound} {moved.error}\n".encode())


def _accept(listener: socket.socket, lifeline: int, parent: int) -> socket.socket | None:
    """The one connection from ``parent``; None when the parent gives up first."""
    poller = select.poll()
    poller.register(listener.fileno(), select.POLLIN)
    poller.register(lifeline, select.POLLIN)
    while True:
        events = dict(poller.poll())
        if lifeline in events:
            return None
        conn, _ = listener.accept()
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid, _uid, _gid = struct.unpack("3i", creds)
        if pid == parent:
            return conn
        conn.close()  # somebody else found our socket: not the channel


def _inbound(conn: socket.socket, read_fd: int, moved: _Moved) -> None:
    """Peer -> socket, until the peer's EOF (passed on to grpcio). A socket that
    fails has been closed by grpcio: the outbound side sees that and ends the pump."""
    while True:
        try:
            data = os.read(read_fd, _CHUNK)
        except OSError as exc:
            moved.fail(exc)
            return
        moved.inbound += len(data)  # counted first: the report may be written at once
        try:
            if not data:
                conn.shutdown(socket.SHUT_WR)
                return
            conn.sendall(data)
        except OSError:
            return


def _outbound(conn: socket.socket, write_fd: int, moved: _Moved) -> None:
    """Socket -> peer, until grpcio closes its connection (a reset is a close)."""
    while True:
        try:
            data = conn.recv(_CHUNK)
        except OSError:
            return
        if not data:
            return
        _write_all(write_fd, data)  # an error here is the peer's: reported
        moved.outbound += len(data)
