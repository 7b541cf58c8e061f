"""The stdio bridge: the one gRPC connection BuildKit gives us, reachable by grpcio.

Owned step: ``frontend.gateway`` (transport). BuildKit runs the frontend with its
gRPC server (``LLBBridge``) on the other end of stdin/stdout: a single cleartext
HTTP/2 connection. grpcio cannot dial a file descriptor, so :class:`StdioBridge`

* moves the wire fds aside (``dup``) and points fd 1 at stderr and fd 0 at
  ``/dev/null``, so a stray ``print`` can no longer corrupt the stream;
* listens on a fresh abstract unix socket and accepts exactly one connection
  (from this very process: checked with ``SO_PEERCRED``), then closes the listener;
* pumps bytes between that socket and the saved fds in two daemon threads.

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

    ``read_fd`` carries bytes from the peer (BuildKit), ``write_fd`` bytes to it. The
    bridge owns both fds from :meth:`start` on and closes them in :meth:`close`.
    """

    def __init__(self, read_fd: int, write_fd: int, *, name: str | None = None) -> None:
        self._read_fd = read_fd
        self._write_fd = write_fd
        # os.urandom, not secrets: the name needs no more, and secrets costs 5 ms of
        # start-up (hmac, random)
        self._name = name or f"pyfrontend-{os.getpid()}-{os.urandom(8).hex()}"
        self._listener: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._connected = threading.Event()
        # a self-pipe that wakes the pumps when we shut down
        self._wake_r, self._wake_w = os.pipe()
        self._closed = False
        self._lock = threading.Lock()
        self.error: BaseException | None = None
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
    def target(self) -> str:
        """The grpcio target that reaches the bridge."""
        return f"unix-abstract:{self._name}"

    # -- life cycle ---------------------------------------------------------------

    def start(self) -> str:
        """Listen and start the accept/pump thread; returns :attr:`target`."""
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind("\0" + self._name)
        listener.listen(1)
        self._listener = listener
        thread = threading.Thread(target=self._run_inbound, name="stdio-bridge-in", daemon=True)
        self._threads.append(thread)
        thread.start()
        return self.target

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def close(self, drain_timeout: float = 2.0, timeout: float = 5.0) -> None:
        """Stop the pumps and close every fd the bridge owns.

        Close the grpc channel first: the outbound pump then sees EOF, flushes what
        grpcio wrote and closes the wire (the peer reads EOF). ``drain_timeout`` bounds
        that wait, ``timeout`` the join of each pump after the wake-up.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        # Give the outbound pump a chance to drain what grpcio already wrote.
        for thread in list(self._threads):
            if thread.name == "stdio-bridge-out":
                thread.join(drain_timeout)
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        for thread in self._threads:
            thread.join(timeout)
        for sock in (self._listener, self._conn):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()
        self._close_write_fd()
        for fd in (self._read_fd, self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _close_write_fd(self) -> None:
        with self._lock:
            fd, self._write_fd = self._write_fd, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)

    # -- threads ------------------------------------------------------------------

    def _accept(self) -> socket.socket | None:
        listener = self._listener
        assert listener is not None
        poller = select.poll()
        poller.register(listener.fileno(), select.POLLIN)
        poller.register(self._wake_r, select.POLLIN)
        while True:
            events = dict(poller.poll())
            if self._wake_r in events:
                return None
            conn, _ = listener.accept()
            creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            pid, _uid, _gid = struct.unpack("3i", creds)
            if pid == os.getpid():
                listener.close()
                self._listener = None
                return conn
            conn.close()  # somebody else found our socket: not the channel

    def _run_inbound(self) -> None:
        """Accept grpcio's connection, start the outbound pump, pump peer -> socket."""
        try:
            conn = self._accept()
            if conn is None:
                return
            self._conn = conn
            out = threading.Thread(target=self._run_outbound, name="stdio-bridge-out", daemon=True)
            self._threads.append(out)
            out.start()
            self._connected.set()
            poller = select.poll()
            poller.register(self._read_fd, _POLL_IN)
            poller.register(self._wake_r, select.POLLIN)
            while True:
                events = dict(poller.poll())
                if self._wake_r in events:
                    return
                data = os.read(self._read_fd, _CHUNK)
                if not data:  # the peer closed its side: pass the EOF on
                    with contextlib.suppress(OSError):
                        conn.shutdown(socket.SHUT_WR)
                    return
                conn.sendall(data)
                self.bytes_in += len(data)
        except OSError as exc:
            self._fail(exc)

    def _run_outbound(self) -> None:
        """Pump socket -> peer until grpcio closes its connection."""
        conn = self._conn
        assert conn is not None
        try:
            poller = select.poll()
            poller.register(conn.fileno(), _POLL_IN)
            poller.register(self._wake_r, select.POLLIN)
            while True:
                events = dict(poller.poll())
                if conn.fileno() in events:
                    data = conn.recv(_CHUNK)
                    if not data:
                        return
                    _write_all(self._write_fd, data)
                    self.bytes_out += len(data)
                elif self._wake_r in events:
                    return
        except OSError as exc:
            self._fail(exc)
        finally:
            # EOF towards the peer as soon as our side is done
            self._close_write_fd()

    def _fail(self, exc: BaseException) -> None:
        if self.error is None and not self._closed:
            self.error = exc
            sys.stderr.write(f"pyfrontend: stdio bridge: {exc}\n")
