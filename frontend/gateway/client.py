"""A typed client for BuildKit's ``LLBBridge`` gateway service.

Owned step: ``frontend.gateway`` (RPCs). :class:`GatewayClient` calls the service on
a channel, with the generated ``LLBBridgeStub`` (made after the first RPC: ``Ping``
goes out on its wire format alone, before protobuf is imported): it learns the
daemon's capabilities (``Ping``), solves LLB definitions into refs, reads files of
refs, resolves image configs, reports warnings and finally returns the result or an
error (``Return``).

Every failed RPC raises :class:`~frontend.gateway.errors.RpcFailure`, which keeps
the daemon's ``google.rpc.Status`` so it can be forwarded unchanged.

Waiting is work time: :meth:`GatewayClient.while_waiting` queues steps (the build's
imports) that the client's own thread runs while an answer is on its way, one step at
a time until it arrives; :meth:`GatewayClient.read_files` asks for several files at
once. Both change when the frontend's CPU time is spent, never what is sent.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from frontend.gateway.errors import GatewayError, LineRange, RpcFailure, status_from_rpc_error
from frontend.records import field, record

if TYPE_CHECKING:
    import grpc

    from frontend.llb import Platform
    from frontend.pb import gateway_pb2_grpc, ops_pb2, stat_pb2, status_pb2

__all__ = [
    "Attestation",
    "CacheImport",
    "Cap",
    "CapError",
    "Caps",
    "FileStat",
    "GatewayClient",
    "OCIStore",
    "Ref",
    "ResolvedImageConfig",
    "ResolvedToNonImage",
    "Result",
    "ServerCaps",
    "SourceMetadata",
]

# frontend API caps we look at
CAP_RETURN: Final = "return"
CAP_PROTO_REF_ARRAY: Final = "proto.refarray"
CAP_READ_DIR: Final = "readdir"
CAP_STAT_FILE: Final = "statfile"
CAP_FRONTEND_INPUTS: Final = "frontend.inputs"
CAP_EVALUATE: Final = "gateway.solve.evaluate"
CAP_WARNINGS: Final = "gateway.warnings"
CAP_SOURCE_META_RESOLVER: Final = "source.metaresolver"
CAP_RESOLVE_IMAGE_MODE: Final = "resolveimage.resolvemode"
CAP_IMPORT_CACHES: Final = "solve.importcaches"

# ResolveImageConfigRequest.ResolverType (Go's sourceresolver.ResolverType)
RESOLVER_TYPE_REGISTRY: Final = 0
RESOLVER_TYPE_OCI_LAYOUT: Final = 1

_T = TypeVar("_T")


# -- capabilities -------------------------------------------------------------------


@record(frozen=True, slots=True)
class Cap:
    """One API capability as the daemon reports it."""

    id: str
    enabled: bool = True
    deprecated: bool = False
    disabled_reason: str = ""
    disabled_reason_msg: str = ""
    disabled_alternative: str = ""


class CapError(GatewayError):
    """A capability the build needs is missing or disabled on the daemon."""


class Caps:
    """A set of capabilities: ``has(id)`` is true when present and enabled."""

    __slots__ = ("_caps", "product")

    def __init__(self, caps: Iterable[Cap] = (), *, product: str = "") -> None:
        self._caps: dict[str, Cap] = {c.id: c for c in caps}
        self.product = product

    @classmethod
    def from_pb(cls, caps: Iterable[Any], *, product: str = "") -> Caps:
        return cls(
            (
                Cap(
                    id=c.ID,
                    enabled=c.Enabled,
                    deprecated=c.Deprecated,
                    disabled_reason=c.DisabledReason,
                    disabled_reason_msg=c.DisabledReasonMsg,
                    disabled_alternative=c.DisabledAlternative,
                )
                for c in caps
            ),
            product=product,
        )

    def has(self, cap_id: str) -> bool:
        cap = self._caps.get(cap_id)
        return cap is not None and cap.enabled

    def get(self, cap_id: str) -> Cap | None:
        return self._caps.get(cap_id)

    def check(self, cap_id: str) -> None:
        """Raise :class:`CapError` unless the capability is usable."""
        cap = self._caps.get(cap_id)
        if cap is None:
            where = f" ({self.product})" if self.product else ""
            raise CapError(f"requested feature {cap_id} is not supported by build server{where}")
        if not cap.enabled:
            message = f"requested feature {cap_id} has been disabled on the build server"
            reason = cap.disabled_reason_msg or cap.disabled_reason
            if reason:
                message += f": {reason}"
            raise CapError(message)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._caps))

    def __contains__(self, cap_id: object) -> bool:
        return isinstance(cap_id, str) and self.has(cap_id)

    def __len__(self) -> int:
        return len(self._caps)

    def __repr__(self) -> str:
        return f"Caps({', '.join(self.ids)})"


@record(frozen=True, slots=True)
class ServerCaps:
    """What ``Ping`` told us: frontend API caps and LLB caps."""

    frontend: Caps
    llb: Caps
    workers: tuple[Any, ...] = ()

    @property
    def shows_excerpts(self) -> bool:
        """Whether the client sees an error's source excerpt. Docker 20.10 (BuildKit
        0.8, the last daemon without ``gateway.warnings``, which every BuildKit since
        0.10 and so every Docker since 23.0 has) passes a frontend's error on as text
        only, its ``errdefs.Source`` detail dropped. Unknown caps (none told): assumed."""
        return not len(self.frontend) or self.frontend.has(CAP_WARNINGS)


# -- values -------------------------------------------------------------------------


@record(frozen=True, slots=True)
class Ref:
    """A solved (possibly lazy) result in the daemon, by id."""

    id: str


@record(frozen=True, slots=True)
class ResolvedImageConfig:
    """What ``ResolveImageConfig`` (or ``ResolveSourceMeta``) answered: the canonical
    ref, the manifest digest and the config JSON bytes (the OCI config a build makes
    is :class:`frontend.compiler.image.ImageConfig`)."""

    ref: str
    digest: str
    config: bytes


class ResolvedToNonImage(GatewayError):
    """A source policy turned the image being resolved into another kind of source
    (Go's ``imageutil.ResolveToNonImageError``): ``updated`` is the new identifier,
    e.g. ``local://test``."""

    def __init__(self, ref: str, updated: str) -> None:
        super().__init__(f"ref mutated by policy to non-image: docker-image://{ref} -> {updated}")
        self.ref = ref
        self.updated = updated


@record(frozen=True, slots=True)
class OCIStore:
    """An OCI layout store of the client (``--oci-layout``/``OCIStores``): the session
    that serves it and its id (Go's ``ResolveImageConfigOptStore``)."""

    session_id: str
    store_id: str


@record(frozen=True, slots=True)
class CacheImport:
    """One cache to import on a solve (``pb.CacheOptionsEntry``), e.g.
    ``registry`` with ``{"ref": ...}`` or ``local`` with ``{"src": ...}``."""

    type: str
    attrs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@record(frozen=True, slots=True)
class SourceMetadata:
    """What ``ResolveSourceMeta`` answered for a git or http source: the commit object
    (when asked for) and the download's ``Last-Modified`` (unix seconds)."""

    identifier: str
    git_commit_object: bytes = b""
    http_last_modified: int | None = None


@record(frozen=True, slots=True)
class FileStat:
    """A file's metadata as ``StatFile`` / ``ReadDir`` answer (``fsutil.types.Stat``)."""

    path: str
    mode: int
    uid: int = 0
    gid: int = 0
    size: int = 0
    mod_time: int = 0
    linkname: str = ""

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & 0x80000000)  # Go's os.ModeDir

    @classmethod
    def from_pb(cls, st: stat_pb2.Stat) -> FileStat:
        return cls(
            path=st.path,
            mode=st.mode,
            uid=st.uid,
            gid=st.gid,
            size=st.size,
            mod_time=st.modTime,
            linkname=st.linkname,
        )


@record(frozen=True, slots=True)
class Attestation:
    """An attestation of one platform's result (``gateway_pb2.Attestation``): e.g. an
    SBOM scan's output directory, a bundle (kind 1) of in-toto statements."""

    kind: int
    ref: Ref
    metadata: tuple[tuple[str, bytes], ...] = ()
    path: str = ""
    predicate_type: str = ""


@record(frozen=True, slots=True)
class Result:
    """What the frontend returns: one ref, or refs per platform id, plus metadata.

    ``metadata`` holds e.g. ``containerimage.config`` (image config JSON bytes);
    per-platform results use ``containerimage.config/<platform id>`` and
    ``refs.platforms``. Subrequests return metadata only.

    ``forwarded``: the ``gateway_pb2.Result`` of another frontend's solve (the build
    was forwarded to it, :meth:`GatewayClient.forward`), returned as it is; the other
    fields are then unused.
    """

    ref: Ref | None = None
    refs: Mapping[str, Ref | None] | None = None
    metadata: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    forwarded: Any = None
    # platform id -> its attestations
    attestations: Mapping[str, tuple[Attestation, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def to_pb(self, *, ref_array: bool = True) -> Any:
        """``gateway_pb2.Result``; without ``proto.refarray`` use the deprecated forms."""
        from frontend.pb import gateway_pb2

        out = gateway_pb2.Result()
        if self.forwarded is not None:
            out.CopyFrom(self.forwarded)
            return out
        for key in sorted(self.metadata):
            out.metadata[key] = self.metadata[key]
        for key in sorted(self.attestations):
            for att in self.attestations[key]:
                item = out.attestations[key].attestation.add()
                item.kind = gateway_pb2.Bundle if att.kind == 1 else gateway_pb2.InToto
                item.ref.id = att.ref.id
                for mk, mv in att.metadata:
                    item.metadata[mk] = mv
                item.path = att.path
                item.inTotoPredicateType = att.predicate_type
        if self.refs is not None:
            for key in sorted(self.refs):
                ref = self.refs[key]
                rid = ref.id if ref is not None else ""
                if ref_array:
                    out.refs.refs[key].id = rid
                else:
                    out.refsDeprecated.refs[key] = rid
        elif ref_array:
            out.ref.id = self.ref.id if self.ref is not None else ""
        else:
            out.refDeprecated = self.ref.id if self.ref is not None else ""
        return out


# -- the client -----------------------------------------------------------------------


def _rss_mb() -> float | None:
    """This process's resident set now (Linux's ``/proc/self/statm``; not
    ``ru_maxrss``, which keeps the high-water mark of the process that forked it)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)


class RpcTiming:
    """Where the build's time went, for the one timing line on stderr.

    Per RPC method and per build phase (``parse``, ``compile``: see
    :func:`frontend.dockerui.build.build`) the calls and seconds; when the first RPC
    went out (``first_rpc_sent_at``) and was answered (``first_rpc_at``, both
    ``time.perf_counter``) with the process's RSS then. Calls come from several
    threads (concurrent image resolution, answers arriving): updates take a lock.
    """

    __slots__ = (
        "_lock",
        "calls",
        "events",
        "first_rpc_at",
        "first_rpc_rss_mb",
        "first_rpc_sent_at",
        "phases",
        "seconds",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.phases: dict[str, tuple[int, float]] = {}
        # (name, start, end) of every RPC and phase, in the order they ended
        self.events: list[tuple[str, float, float]] = []
        self.first_rpc_sent_at: float | None = None
        self.first_rpc_at: float | None = None
        self.first_rpc_rss_mb: float | None = None

    def sent(self) -> None:
        """An RPC goes out now (the first one's time is kept)."""
        if self.first_rpc_sent_at is None:
            self.first_rpc_sent_at = time.perf_counter()

    def answered(self) -> None:
        """An answer came in now (the first one's time and RSS are kept)."""
        if self.first_rpc_at is None:
            with self._lock:
                if self.first_rpc_at is None:
                    self.first_rpc_rss_mb = _rss_mb()
                    self.first_rpc_at = time.perf_counter()

    def add(self, method: str, elapsed: float) -> None:
        self.answered()
        now = time.perf_counter()
        with self._lock:
            self.calls[method] = self.calls.get(method, 0) + 1
            self.seconds[method] = self.seconds.get(method, 0.0) + elapsed
            self.events.append((method, now - elapsed, now))

    def add_phase(self, name: str, elapsed: float) -> None:
        now = time.perf_counter()
        with self._lock:
            count, total = self.phases.get(name, (0, 0.0))
            self.phases[name] = (count + 1, total + elapsed)
            self.events.append((name, now - elapsed, now))

    def timeline(self, origin: float) -> str:
        """Every RPC and phase by its start, ``Ping 41.2+9.8ms, ...`` (ms since
        ``origin``, then how long it took): where a build waited, and for what."""
        with self._lock:
            events = sorted(self.events, key=lambda e: (e[1], e[2]))
        return ", ".join(
            f"{name} {(start - origin) * 1000:.1f}+{(end - start) * 1000:.1f}ms"
            for name, start, end in events
        )

    def summary(self) -> str:
        """``Ping x1 0.5ms, Solve x2 3.1ms, ...`` (by method name), then the phases
        (``; parse x1 0.9ms; compile x1 4.2ms``)."""
        with self._lock:
            rpcs = ", ".join(
                f"{m} x{self.calls[m]} {self.seconds[m] * 1000:.1f}ms" for m in sorted(self.calls)
            )
            phases = "".join(
                f"; {name} x{count} {total * 1000:.1f}ms"
                for name, (count, total) in self.phases.items()
            )
        return rpcs + phases


# Ping's request is empty: sent as its wire format (no bytes) on the channel, the first
# RPC needs none of the generated messages, whose import (protobuf's runtime and our
# eight modules, ~15 ms) comes after it
_PING_METHOD: Final = "/moby.buildkit.v1.frontend.LLBBridge/Ping"
# Inputs' request is empty too: always sent as its wire format (it can go out with Ping)
_INPUTS_METHOD: Final = "/moby.buildkit.v1.frontend.LLBBridge/Inputs"


class _Pending(Generic[_T]):
    """An RPC on its way: :meth:`result` waits for its answer (doing the client's
    queued work meanwhile) and raises :class:`RpcFailure` for a failed one."""

    __slots__ = ("_client", "_future", "_method", "_start")

    def __init__(self, client: GatewayClient, method: str, future: grpc.Future) -> None:
        self._client = client
        self._method = method
        self._future = future
        self._start = time.perf_counter()
        timing = client.timing
        future.add_done_callback(lambda _done: timing.answered())

    def result(self) -> _T:
        import grpc

        client = self._client
        try:
            client._work_until(self._future)
            return self._future.result()  # type: ignore[no-any-return]
        except grpc.RpcError as err:
            raise RpcFailure(self._method, status_from_rpc_error(err)) from None
        finally:
            client.timing.add(self._method, time.perf_counter() - self._start)


class GatewayClient:
    """Typed calls on the ``LLBBridge`` service of ``channel``; :meth:`ping` first to
    learn the caps (the generated ``LLBBridgeStub`` is made after it)."""

    def __init__(
        self,
        channel: grpc.Channel,
        *,
        product: str = "",
        ping_timeout: float = 10.0,
        return_timeout: float = 60.0,
        rpc_timeout: float | None = None,
    ) -> None:
        self._channel = channel
        self._made_stub: gateway_pb2_grpc.LLBBridgeStub | None = None
        self.product = product
        self.ping_timeout = ping_timeout
        self.return_timeout = return_timeout
        self.rpc_timeout = rpc_timeout
        self.caps = ServerCaps(Caps(product=product), Caps(product=product))
        self.timing = RpcTiming()
        self.returned = False
        self._inputs: dict[str, ops_pb2.Definition] | None = None
        self._inputs_pending: _Pending[bytes] | None = None
        self._inputs_lock = threading.Lock()
        self._owner = threading.get_ident()
        self._idle_work: deque[Callable[[], object]] = deque()

    def while_waiting(self, steps: Iterable[Callable[[], object]]) -> None:
        """Queue ``steps`` to run, in order, while this client's thread (the one that
        made it) waits for an answer: one step at a time, until the answer is in or
        no step is left. A step that raises is dropped (what it was for, done again
        when needed, reports the error then). Calls from other threads just wait."""
        self._idle_work.extend(steps)

    # -- plumbing -----------------------------------------------------------------

    @property
    def _stub(self) -> gateway_pb2_grpc.LLBBridgeStub:
        stub = self._made_stub
        if stub is None:  # two threads may both make one: either will do
            from frontend.pb import gateway_pb2_grpc

            stub = gateway_pb2_grpc.LLBBridgeStub(self._channel)  # type: ignore[no-untyped-call]
            self._made_stub = stub
        return stub

    def _call(
        self,
        method: str,
        fn: Callable[..., _T],
        request: Any,
        timeout: float | None,
    ) -> _T:
        if self._idle_work and threading.get_ident() == self._owner:
            pending: _Pending[_T] = self._start(method, fn, request, timeout)
            return pending.result()
        import grpc

        start = time.perf_counter()
        self.timing.sent()
        try:
            return fn(request, timeout=timeout)
        except grpc.RpcError as err:
            raise RpcFailure(method, status_from_rpc_error(err)) from None
        finally:
            self.timing.add(method, time.perf_counter() - start)

    def _start(self, method: str, fn: Any, request: Any, timeout: float | None) -> _Pending[Any]:
        """Send ``request`` now; its answer is the returned call's :meth:`_Pending.result`."""
        self.timing.sent()
        pending: _Pending[Any] = _Pending(self, method, fn.future(request, timeout=timeout))
        return pending

    def _work_until(self, future: grpc.Future) -> None:
        work = self._idle_work
        if not work or threading.get_ident() != self._owner:
            return
        while work and not future.done():
            step = work.popleft()
            try:
                step()
            except Exception:  # the step's purpose reports its own error when run again
                continue

    # -- RPCs ---------------------------------------------------------------------

    def ping(self, *, prefetch_inputs: bool = False) -> ServerCaps:
        """``Ping``: the daemon's frontend API and LLB capabilities. With
        ``prefetch_inputs``, ``Inputs`` goes out with it (:meth:`prefetch_inputs`, for
        a handler that asks for them first): its answer is in by the time Ping's is,
        rather than a round trip later; if the daemon turns out to lack the
        ``frontend.inputs`` cap, :meth:`inputs` raises as before and the answer (an
        error) is never read."""
        ping = self._channel.unary_unary(_PING_METHOD)
        pending: _Pending[bytes] = self._start("Ping", ping, b"", self.ping_timeout)
        if prefetch_inputs:
            self._send_inputs_once()
        # protobuf's runtime and the generated messages load while Ping is on its way
        from frontend.pb import gateway_pb2

        resp = gateway_pb2.PongResponse.FromString(pending.result())
        self.caps = ServerCaps(
            frontend=Caps.from_pb(resp.FrontendAPICaps, product=self.product),
            llb=Caps.from_pb(resp.LLBCaps, product=self.product),
            workers=tuple(resp.Workers),
        )
        return self.caps

    def solve(
        self,
        definition: ops_pb2.Definition,
        *,
        evaluate: bool = False,
        check_caps: bool = True,
        cache_imports: Sequence[CacheImport] = (),
    ) -> Ref:
        """``Solve`` a definition into a ref (lazy unless ``evaluate``); ``cache_imports``
        are the caches the daemon may import for it (``SolveRequest.CacheImports``)."""
        from frontend.pb import gateway_pb2

        if check_caps and len(self.caps.llb):
            for dgst in sorted(definition.metadata):
                for cap_id in sorted(definition.metadata[dgst].caps):
                    self.caps.llb.check(cap_id)
        if evaluate:
            self.caps.frontend.check(CAP_EVALUATE)
        req = gateway_pb2.SolveRequest(
            Definition=definition,
            allowResultReturn=True,
            allowResultArrayRef=True,
            Evaluate=evaluate,
        )
        for imp in cache_imports:
            entry = req.CacheImports.add(Type=imp.type)
            entry.Attrs.update(dict(imp.attrs))
        resp = self._call("Solve", self._stub.Solve, req, self.rpc_timeout)
        return _single_ref(resp)

    def forward(
        self,
        frontend: str,
        opts: Mapping[str, str],
        inputs: Mapping[str, ops_pb2.Definition] | None = None,
    ) -> Result:
        """``Solve`` with another frontend (e.g. ``gateway.v0`` and its ``source``
        image): its whole result, to be returned as this build's."""
        from frontend.pb import gateway_pb2

        req = gateway_pb2.SolveRequest(
            Frontend=frontend,
            FrontendOpt=dict(opts),
            allowResultReturn=True,
            allowResultArrayRef=True,
        )
        for name in sorted(inputs or {}):
            req.FrontendInputs[name].CopyFrom((inputs or {})[name])
        resp = self._call("Solve", self._stub.Solve, req, None)
        if resp.HasField("result"):
            return Result(forwarded=resp.result)
        return Result(ref=Ref(resp.ref) if resp.ref else None)

    def evaluate(self, ref: Ref) -> None:
        from frontend.pb import gateway_pb2

        self._call("Evaluate", self._stub.Evaluate, gateway_pb2.EvaluateRequest(Ref=ref.id), None)

    def read_file(
        self,
        ref: Ref,
        path: str,
        *,
        offset: int | None = None,
        length: int | None = None,
    ) -> bytes:
        """``ReadFile``: a file (or a byte range of it) of a solved ref."""
        from frontend.pb import gateway_pb2

        req = gateway_pb2.ReadFileRequest(Ref=ref.id, FilePath=path)
        if offset is not None or length is not None:
            req.Range.Offset = offset or 0
            req.Range.Length = length or 0
        resp = self._call("ReadFile", self._stub.ReadFile, req, self.rpc_timeout)
        return bytes(resp.Data)

    def read_files(self, ref: Ref, paths: Sequence[str]) -> list[bytes | RpcFailure]:
        """``ReadFile`` of each of ``paths`` of a solved ref, all asked at once: each
        file's bytes, or the failure of its read."""
        from frontend.pb import gateway_pb2

        calls = [
            self._start(
                "ReadFile",
                self._stub.ReadFile,
                gateway_pb2.ReadFileRequest(Ref=ref.id, FilePath=path),
                self.rpc_timeout,
            )
            for path in paths
        ]
        out: list[bytes | RpcFailure] = []
        for call in calls:
            try:
                out.append(bytes(call.result().Data))
            except RpcFailure as failure:
                out.append(failure)
        return out

    def stat_file(self, ref: Ref, path: str) -> FileStat:
        from frontend.pb import gateway_pb2

        self.caps.frontend.check(CAP_STAT_FILE)
        req = gateway_pb2.StatFileRequest(Ref=ref.id, Path=path)
        resp = self._call("StatFile", self._stub.StatFile, req, self.rpc_timeout)
        return FileStat.from_pb(resp.stat)

    def read_dir(self, ref: Ref, path: str, *, include_pattern: str = "") -> list[FileStat]:
        from frontend.pb import gateway_pb2

        self.caps.frontend.check(CAP_READ_DIR)
        req = gateway_pb2.ReadDirRequest(Ref=ref.id, DirPath=path, IncludePattern=include_pattern)
        resp = self._call("ReadDir", self._stub.ReadDir, req, self.rpc_timeout)
        return [FileStat.from_pb(st) for st in resp.entries]

    def inputs(self) -> dict[str, ops_pb2.Definition]:
        """``Inputs``: definitions the caller passed as frontend inputs (asked once;
        the request's inputs do not change)."""
        self.caps.frontend.check(CAP_FRONTEND_INPUTS)
        with self._inputs_lock:
            if self._inputs is None:
                pending, self._inputs_pending = self._inputs_pending, None
                raw = (pending or self._send_inputs()).result()
                from frontend.pb import gateway_pb2

                resp = gateway_pb2.InputsResponse.FromString(raw)
                self._inputs = {k: resp.Definitions[k] for k in sorted(resp.Definitions)}
            return dict(self._inputs)

    def _send_inputs(self) -> _Pending[bytes]:
        """``Inputs`` on its way, as its wire format (the request is empty: it needs no
        generated message, and can go out with Ping)."""
        inputs = self._channel.unary_unary(_INPUTS_METHOD)
        pending: _Pending[bytes] = self._start("Inputs", inputs, b"", self.rpc_timeout)
        return pending

    def _send_inputs_once(self) -> None:
        """Send ``Inputs`` unless it was sent or answered already."""
        with self._inputs_lock:
            if self._inputs is None and self._inputs_pending is None:
                self._inputs_pending = self._send_inputs()

    def prefetch_inputs(self) -> None:
        """Send ``Inputs`` now; :meth:`inputs` takes its answer (or raises its failure)
        later. A build asks for the inputs before anything else (the reference's
        ``initContext``): so they come in while the build's code loads. Nothing is sent
        to a daemon without the ``frontend.inputs`` cap, or once they are asked."""
        if self.caps.frontend.has(CAP_FRONTEND_INPUTS):
            self._send_inputs_once()

    def resolve_image_config(
        self,
        ref: str,
        *,
        platform: Platform | None = None,
        resolve_mode: str = "default",
        log_name: str = "",
        oci_store: OCIStore | None = None,
    ) -> ResolvedImageConfig:
        """Resolve an image's config: ``ResolveSourceMeta`` where offered, else
        ``ResolveImageConfig``. The returned ``ref`` is the (possibly policy-
        rewritten) reference that was resolved.

        With ``oci_store`` the image is looked up in that OCI layout store of the
        client (source ``oci-layout://<ref>`` with ``oci.session``/``oci.store``, or
        resolver type OCI layout), as Go's gateway client does for
        ``OCILayoutOpt``. Raises :class:`ResolvedToNonImage` when a source policy
        made the image another kind of source."""
        from frontend.pb import gateway_pb2, ops_pb2

        pb_platform = None
        if platform is not None:
            pb_platform = platform.to_pb()
        if self.caps.frontend.has(CAP_SOURCE_META_RESOLVER):
            source = ops_pb2.SourceOp(identifier="docker-image://" + ref)
            if oci_store is not None:
                source = ops_pb2.SourceOp(
                    identifier="oci-layout://" + ref,
                    attrs={"oci.session": oci_store.session_id, "oci.store": oci_store.store_id},
                )
            meta_req = gateway_pb2.ResolveSourceMetaRequest(
                Source=source,
                Platform=pb_platform,
                LogName=log_name,
                ResolveMode=resolve_mode if oci_store is None else "",
            )
            meta = self._call(
                "ResolveSourceMeta", self._stub.ResolveSourceMeta, meta_req, self.rpc_timeout
            )
            if not meta.HasField("Image"):
                raise ResolvedToNonImage(ref, meta.Source.identifier)
            resolved = meta.Source.identifier.removeprefix("docker-image://")
            resolved = resolved.removeprefix("oci-layout://") or ref
            return ResolvedImageConfig(resolved, meta.Image.Digest, bytes(meta.Image.Config))
        req = gateway_pb2.ResolveImageConfigRequest(
            Ref=ref, Platform=pb_platform, ResolveMode=resolve_mode, LogName=log_name
        )
        if oci_store is not None:
            req.ResolveMode = ""
            req.ResolverType = RESOLVER_TYPE_OCI_LAYOUT
            req.SessionID = oci_store.session_id
            req.StoreID = oci_store.store_id
        resp = self._call(
            "ResolveImageConfig", self._stub.ResolveImageConfig, req, self.rpc_timeout
        )
        return ResolvedImageConfig(resp.Ref or ref, resp.Digest, bytes(resp.Config))

    def resolve_source_metadata(
        self,
        identifier: str,
        attrs: Mapping[str, str],
        *,
        log_name: str = "",
        git_return_object: bool = False,
    ) -> SourceMetadata:
        """``ResolveSourceMeta`` for any source op (a git repository's commit, a
        download's Last-Modified). Without the daemon's ``source.metaresolver`` cap
        there is nothing to learn, as the reference's client answers then."""
        from frontend.pb import gateway_pb2, ops_pb2

        if not self.caps.frontend.has(CAP_SOURCE_META_RESOLVER):
            return SourceMetadata(identifier)
        req = gateway_pb2.ResolveSourceMetaRequest(
            Source=ops_pb2.SourceOp(identifier=identifier, attrs=dict(attrs)),
            LogName=log_name,
        )
        if git_return_object:
            req.Git.ReturnObject = True
        resp = self._call("ResolveSourceMeta", self._stub.ResolveSourceMeta, req, self.rpc_timeout)
        last_modified: int | None = None
        if resp.HasField("HTTP") and resp.HTTP.HasField("LastModified"):
            last_modified = resp.HTTP.LastModified.seconds
        commit = bytes(resp.Git.CommitObject) if resp.HasField("Git") else b""
        return SourceMetadata(
            resp.Source.identifier or identifier,
            git_commit_object=commit,
            http_last_modified=last_modified,
        )

    def warn(
        self,
        digest: str,
        short: str,
        *,
        level: int = 1,
        detail: Sequence[bytes] = (),
        url: str = "",
        filename: str = "",
        data: bytes = b"",
        language: str = "Dockerfile",
        definition: ops_pb2.Definition | None = None,
        ranges: Sequence[LineRange] = (),
    ) -> bool:
        """``Warn`` on the step ``digest``; False when the daemon has no warnings cap."""
        from frontend.gateway.errors import _pb_range
        from frontend.pb import gateway_pb2

        if not self.caps.frontend.has(CAP_WARNINGS):
            return False
        req = gateway_pb2.WarnRequest(
            digest=digest,
            level=level,
            short=short.encode(),
            detail=list(detail),
            url=url,
            ranges=[_pb_range(r) for r in ranges],
        )
        if filename:
            req.info.filename = filename
            req.info.data = data
            req.info.language = language
            if definition is not None:
                req.info.definition.CopyFrom(definition)
        self._call("Warn", self._stub.Warn, req, self.rpc_timeout)
        return True

    def return_result(self, result: Result) -> None:
        """``Return`` a successful result (refs must come from earlier solves)."""
        from frontend.pb import gateway_pb2

        ref_array = self.caps.frontend.has(CAP_PROTO_REF_ARRAY) or not len(self.caps.frontend)
        req = gateway_pb2.ReturnRequest(result=result.to_pb(ref_array=ref_array))
        self._call("Return", self._stub.Return, req, self.return_timeout)
        self.returned = True

    def return_error(self, status: status_pb2.Status) -> None:
        """``Return`` an error status (see :mod:`frontend.gateway.errors`)."""
        from frontend.pb import gateway_pb2

        req = gateway_pb2.ReturnRequest(error=status)
        self._call("Return", self._stub.Return, req, self.return_timeout)
        self.returned = True


def _single_ref(resp: Any) -> Ref:
    if resp.HasField("result"):
        kind = resp.result.WhichOneof("result")
        if kind == "ref":
            return Ref(resp.result.ref.id)
        if kind == "refDeprecated":
            return Ref(resp.result.refDeprecated)
        if kind in ("refs", "refsDeprecated"):
            raise GatewayError("solve returned several refs where one was expected")
    return Ref(resp.ref)
