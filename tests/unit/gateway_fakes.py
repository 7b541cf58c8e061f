"""Test doubles for the gateway and dockerui tests: an in-process LLBBridge server
(the "daemon"), a client connected to it, and a pipe harness that connects a pair of
pipes to it the way BuildKit connects the frontend's stdin/stdout.

Shared by ``tests/unit/gateway`` and ``tests/unit/dockerui`` (both packages, so
``tests/unit`` is on ``sys.path`` and this imports as ``gateway_fakes``).

The fake daemon is a *transport* and bookkeeping stand-in: it records requests,
serves files of ``local://`` sources from a dict and answers with configured caps.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc

from frontend.gateway.client import GatewayClient
from frontend.gateway.stdio import open_channel
from frontend.pb import caps_pb2, gateway_pb2, gateway_pb2_grpc, ops_pb2, status_pb2

DEFAULT_FRONTEND_CAPS = (
    "solve.base",
    "resolveimage",
    "readfile",
    "return",
    "returnmap",
    "readdir",
    "statfile",
    "proto.refarray",
    "frontend.inputs",
    "gateway.solve.evaluate",
    "gateway.warnings",
)
DEFAULT_LLB_CAPS = (
    "source.local",
    "source.local.sessionid",
    "source.local.followpaths",
    "source.local.sharedkeyhint",
    "source.local.includepatterns",
    "source.local.excludepatterns",
    "source.local.unique",
    "source.local.differ",
    "source.image",
    # every definition's terminal op lists these (BuildKit 0.13 offers them)
    "constraints",
    "platform",
    "meta.description",
)


@dataclass
class DaemonState:
    """What the fake daemon serves and what it saw."""

    # local name -> path -> bytes
    locals: dict[str, dict[str, bytes]] = field(default_factory=dict)
    frontend_caps: tuple[str, ...] = DEFAULT_FRONTEND_CAPS
    llb_caps: tuple[str, ...] = DEFAULT_LLB_CAPS
    disabled_llb_caps: Mapping[str, str] = field(default_factory=dict)
    inputs: dict[str, ops_pb2.Definition] = field(default_factory=dict)
    image_configs: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # (digest, config) of any image not in image_configs (None: resolving it fails)
    default_image: tuple[str, bytes] | None = None
    # method name -> a status to fail with (with the details trailer)
    fail: dict[str, status_pb2.Status] = field(default_factory=dict)
    solves: list[gateway_pb2.SolveRequest] = field(default_factory=list)
    reads: list[gateway_pb2.ReadFileRequest] = field(default_factory=list)
    returns: list[gateway_pb2.ReturnRequest] = field(default_factory=list)
    # every Warn, in the order received (a build's check warnings)
    warns: list[gateway_pb2.WarnRequest] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    refs: dict[str, ops_pb2.Definition] = field(default_factory=dict)
    # a Solve with ``Frontend`` set: its ``source`` option -> the result it answers, or
    # a status it fails with (a source not listed fails as an unresolvable image)
    frontends: dict[str, gateway_pb2.Result | status_pb2.Status] = field(default_factory=dict)
    # ResolveSourceMeta of a source that is no image: identifier -> the answer (else
    # the source op echoed, nothing learnt), and every such request
    source_meta: dict[str, gateway_pb2.ResolveSourceMetaResponse] = field(default_factory=dict)
    meta_requests: list[gateway_pb2.ResolveSourceMetaRequest] = field(default_factory=list)
    # downloads: URL -> the bytes an http source's file (``http.filename``) holds
    downloads: dict[str, bytes] = field(default_factory=dict)
    # every ResolveSourceMeta / ResolveImageConfig request, in the order received
    resolves: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # called with the method's name as each RPC arrives (bench.gateway times the first)
    on_call: Callable[[str], None] | None = None


def _abort(context: grpc.ServicerContext, status: status_pb2.Status) -> None:
    context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
    code = next(c for c in grpc.StatusCode if c.value[0] == status.code)
    context.abort(code, status.message)


def _local_of(definition: ops_pb2.Definition) -> tuple[str, dict[str, str]]:
    op = ops_pb2.Op()
    op.ParseFromString(getattr(definition, "def")[0])
    return op.source.identifier.removeprefix("local://"), dict(op.source.attrs)


class FakeLLBBridge(gateway_pb2_grpc.LLBBridgeServicer):
    def __init__(self, state: DaemonState) -> None:
        self.state = state

    def _enter(self, name: str, context: grpc.ServicerContext) -> None:
        with self.state.lock:
            self.state.calls.append(name)
        if self.state.on_call is not None:
            self.state.on_call(name)
        if name in self.state.fail:
            _abort(context, self.state.fail[name])

    def Ping(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("Ping", context)
        caps = [caps_pb2.APICap(ID=c, Enabled=True) for c in self.state.frontend_caps]
        llb = [caps_pb2.APICap(ID=c, Enabled=True) for c in self.state.llb_caps]
        for cap_id, reason in self.state.disabled_llb_caps.items():
            llb.append(caps_pb2.APICap(ID=cap_id, Enabled=False, DisabledReasonMsg=reason))
        return gateway_pb2.PongResponse(FrontendAPICaps=caps, LLBCaps=llb)

    def Solve(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("Solve", context)
        with self.state.lock:
            self.state.solves.append(request)
        if request.Frontend:
            source = request.FrontendOpt.get("source", "")
            answer = self.state.frontends.get(source)
            if answer is None:
                answer = status_pb2.Status(
                    code=2, message=f"failed to resolve source metadata for {source}"
                )
            if isinstance(answer, status_pb2.Status):
                _abort(context, answer)
            return gateway_pb2.SolveResponse(result=answer)
        with self.state.lock:
            ref_id = f"ref-{len(self.state.solves)}-{secrets.token_hex(4)}"
            self.state.refs[ref_id] = request.Definition
        return gateway_pb2.SolveResponse(result=gateway_pb2.Result(ref=gateway_pb2.Ref(id=ref_id)))

    def ReadFile(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("ReadFile", context)
        self.state.reads.append(request)
        definition = self.state.refs.get(request.Ref)
        if definition is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no such ref {request.Ref}")
        name, attrs = _local_of(definition)
        if name in self.state.downloads:  # an http source: its one file
            files = {attrs.get("http.filename", ""): self.state.downloads[name]}
        else:
            files = self.state.locals.get(name, {})
        follow = json.loads(attrs.get("local.followpaths", "null"))
        path = request.FilePath
        if path not in files or (follow is not None and path not in follow):
            _abort(
                context,
                status_pb2.Status(code=2, message=f"open {path}: no such file or directory"),
            )
        data = files[path]
        if request.HasField("Range"):
            end = request.Range.Offset + request.Range.Length if request.Range.Length else None
            data = data[request.Range.Offset : end]
        return gateway_pb2.ReadFileResponse(Data=data)

    def Inputs(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("Inputs", context)
        return gateway_pb2.InputsResponse(Definitions=self.state.inputs)

    def _image(self, ref: str) -> tuple[str, bytes]:
        found = self.state.image_configs.get(ref, self.state.default_image)
        if found is None:
            raise KeyError(ref)
        return found

    def ResolveImageConfig(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("ResolveImageConfig", context)
        with self.state.lock:
            self.state.resolves.append(request)
        digest, config = self._image(request.Ref)
        return gateway_pb2.ResolveImageConfigResponse(Digest=digest, Config=config)

    def ResolveSourceMeta(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("ResolveSourceMeta", context)
        with self.state.lock:
            self.state.resolves.append(request)
            if not request.Source.identifier.startswith("docker-image://"):
                self.state.meta_requests.append(request)
        answer = self.state.source_meta.get(request.Source.identifier)
        if answer is not None:
            return answer
        if not request.Source.identifier.startswith(("docker-image://", "oci-layout://")):
            return gateway_pb2.ResolveSourceMetaResponse(Source=request.Source)
        ref = request.Source.identifier.removeprefix("docker-image://")
        digest, config = self._image(ref)
        return gateway_pb2.ResolveSourceMetaResponse(
            Source=ops_pb2.SourceOp(identifier="docker-image://docker.io/library/" + ref),
            Image=gateway_pb2.ResolveSourceImageResponse(Digest=digest, Config=config),
        )

    def Warn(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("Warn", context)
        with self.state.lock:
            self.state.warns.append(request)
        return gateway_pb2.WarnResponse()

    def Return(self, request: Any, context: grpc.ServicerContext) -> Any:
        self._enter("Return", context)
        with self.state.lock:
            self.state.returns.append(request)
        return gateway_pb2.ReturnResponse()


class FakeDaemon:
    """An LLBBridge server on a fresh abstract unix socket."""

    def __init__(self, state: DaemonState | None = None, *, max_message: int | None = None) -> None:
        self.state = state or DaemonState()
        self.address = f"pyfrontend-test-{os.getpid()}-{secrets.token_hex(6)}"
        # max_message: the largest request it takes, as BuildKit's gateway server limits
        # it (4 MiB before BuildKit 0.15, 16 MiB since); default: 100 MiB
        limit = max_message if max_message is not None else 100 << 20
        self.server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=4),
            options=[("grpc.max_receive_message_length", limit)],
        )
        gateway_pb2_grpc.add_LLBBridgeServicer_to_server(FakeLLBBridge(self.state), self.server)
        self.server.add_insecure_port(f"unix-abstract:{self.address}")

    @property
    def target(self) -> str:
        return f"unix-abstract:{self.address}"

    def __enter__(self) -> FakeDaemon:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop(grace=None).wait(5)


def local_definition(
    name: str, *, session_id: str = "", follow_paths: Iterable[str] = ()
) -> ops_pb2.Definition:
    """Some definition to solve: one ``local://name`` source (made with frontend.llb)."""
    from frontend import llb

    state = llb.local(name, session_id=session_id, follow_paths=tuple(follow_paths))
    return llb.marshal(state).pb


def sample_state() -> DaemonState:
    """A Dockerfile with its own ``.dockerignore``, a context ``.dockerignore`` and a
    ``busybox`` image config."""
    return DaemonState(
        locals={
            "dockerfile": {
                "Dockerfile": b"FROM busybox\n",
                "Dockerfile.dockerignore": b"# c\n*.log\n",
            },
            "context": {".dockerignore": b"/build\n!keep\n"},
        },
        image_configs={"busybox": ("sha256:abc", b'{"os":"linux"}')},
    )


@contextlib.contextmanager
def connected_client(state: DaemonState, *, product: str = "test") -> Iterator[GatewayClient]:
    """A pinged :class:`GatewayClient` on a fake daemon serving ``state``."""
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            client = GatewayClient(channel, product=product)
            client.ping()
            yield client
        finally:
            channel.close()


class PipeHarness:
    """The daemon side of a stdio connection: two pipes spliced onto the server.

    ``child_stdin`` / ``child_stdout`` are what a frontend process gets as fds 0/1.
    """

    def __init__(self, daemon: FakeDaemon) -> None:
        self.to_child_r, self.to_child_w = os.pipe()
        self.from_child_r, self.from_child_w = os.pipe()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect("\0" + daemon.address)
        self.done = threading.Event()
        self._threads = [
            threading.Thread(target=self._sock_to_pipe, daemon=True),
            threading.Thread(target=self._pipe_to_sock, daemon=True),
        ]
        for t in self._threads:
            t.start()

    @property
    def child_stdin(self) -> int:
        return self.to_child_r

    @property
    def child_stdout(self) -> int:
        return self.from_child_w

    def _sock_to_pipe(self) -> None:
        try:
            while data := self.sock.recv(65536):
                os.write(self.to_child_w, data)
        except OSError:
            pass

    def _pipe_to_sock(self) -> None:
        try:
            while data := os.read(self.from_child_r, 65536):
                self.sock.sendall(data)
        except OSError:
            pass
        finally:
            self.done.set()

    def close_child_ends(self) -> None:
        """After handing the child ends to a subprocess (or a bridge): drop our copies."""
        for fd in (self.to_child_r, self.from_child_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def close(self) -> None:
        for fd in (self.to_child_w, self.from_child_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            self.sock.close()


def env_with_opts(opts: Mapping[str, str], **extra: str) -> dict[str, str]:
    env = {f"BUILDKIT_FRONTEND_OPT_{i}": f"{k}={v}" for i, (k, v) in enumerate(opts.items())}
    env.setdefault("BUILDKIT_SESSION_ID", "session-1")
    env.update(extra)
    return env


def ids(items: Iterable[Any]) -> list[str]:
    return [i.id for i in items]
