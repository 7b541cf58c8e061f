"""Marshal a state's graph into a ``pb.Definition``.

Owned step: ``frontend.llb``. Ops are serialized deterministically; an op's digest is
``sha256:<hex>`` of those bytes. Ops are listed depth first, inputs before the op that
uses them, each digest once; the last entry is the bare terminal op pointing at the
result. Metadata is keyed by digest (the first op to claim a description key keeps it)
and every op's source locations go into ``Definition.source`` (an empty entry for an op
without one, as Go's llb).
"""

from __future__ import annotations

import hashlib

from frontend.llb import caps as C
from frontend.llb.core import Constraints, Location, Output, SourceMap, State, Vertex
from frontend.llb.platform import Platform, host_platform
from frontend.pb import ops_pb2
from frontend.records import field, record


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def serialize_op(op: ops_pb2.Op) -> bytes:
    """``op``'s bytes in the reference's field order: inputs, platform, constraints, body.

    Go's marshaller writes a message's plain fields in number order and its oneof
    last; ``Op``'s body (exec, source, file, build, merge, diff: fields 2-7) is that
    oneof, while platform and constraints are fields 10 and 11. The digest of an op
    is over these bytes, so the order is part of the cache key shared with the
    reference frontend. ``op`` is left as it was.
    """
    which = op.WhichOneof("op")
    if which is None:
        data: bytes = op.SerializeToString(deterministic=True)
        return data
    body: bytes = getattr(op, which).SerializeToString(deterministic=True)
    number = ops_pb2.Op.DESCRIPTOR.fields_by_name[which].number
    head = ops_pb2.Op()
    head.inputs.extend(op.inputs)
    if op.HasField("platform"):
        head.platform.CopyFrom(op.platform)
    if op.HasField("constraints"):
        head.constraints.CopyFrom(op.constraints)
    tag = _varint(number << 3 | 2)  # wire type 2: length-delimited
    return head.SerializeToString(deterministic=True) + tag + _varint(len(body)) + body


@record(slots=True)
class _Encoded:
    """One op marshalled: its digest, bytes, metadata and source locations."""

    digest: str
    data: bytes
    metadata: ops_pb2.OpMetadata
    locations: tuple[Location, ...]


class MarshalContext:
    """Resolves inputs to digests while ops build themselves; one per marshal call."""

    def __init__(self, default_platform: Platform, caps: frozenset[str] | None = None) -> None:
        self.default_platform = default_platform
        self.caps = caps  # what the solver supports; None: unknown
        self._encoded: dict[int, _Encoded] = {}
        self._keep: list[Vertex] = []  # keeps ids stable for the lifetime of the context

    def platform_for(self, constraints: Constraints, state_platform: Platform | None) -> Platform:
        return constraints.platform or state_platform or self.default_platform

    def input_of(self, output: Output) -> ops_pb2.Input:
        return ops_pb2.Input(digest=self.encode(output.vertex).digest, index=output.index)

    def digest(self, vertex: Vertex) -> str:
        return self.encode(vertex).digest

    def encode(self, vertex: Vertex) -> _Encoded:
        hit = self._encoded.get(id(vertex))
        if hit is not None:
            return hit
        built = vertex.build(self)
        c = vertex.constraints
        if built.data is not None:  # an op of a given definition: as it was
            md = ops_pb2.OpMetadata()
            if built.metadata is not None:
                md.CopyFrom(built.metadata)
            enc = _Encoded(digest_of(built.data), built.data, md, c.locations)
            self._encoded[id(vertex)] = enc
            self._keep.append(vertex)
            return enc
        op = built.op
        op.constraints.SetInParent()  # always present, even when empty (as Go's llb)
        op.constraints.filter.extend(c.worker_filters)
        data = serialize_op(op)
        enc = _Encoded(digest_of(data), data, _metadata(c, built.caps), c.locations)
        self._encoded[id(vertex)] = enc
        self._keep.append(vertex)
        return enc


def _metadata(c: Constraints, caps: frozenset[str]) -> ops_pb2.OpMetadata:
    md = ops_pb2.OpMetadata()
    if c.ignore_cache:
        md.ignore_cache = True
    md.description.update(c.descriptions())
    for cap in caps | c.caps:
        md.caps[cap] = True
    if c.progress_group is not None:
        g = c.progress_group
        md.progress_group.CopyFrom(ops_pb2.ProgressGroup(id=g.id, name=g.name, weak=g.weak))
    return md


def _merge_metadata(into: ops_pb2.OpMetadata, new: ops_pb2.OpMetadata) -> None:
    if new.ignore_cache:
        into.ignore_cache = True
    # later descriptions overwrite earlier ones, as Go's ``mergeMetadata`` does: of two
    # stages sharing an op, the one marshalled last names the step
    for k, v in new.description.items():
        into.description[k] = v
    for cap in new.caps:
        into.caps[cap] = True
    if new.HasField("progress_group"):
        into.progress_group.CopyFrom(new.progress_group)
    if new.HasField("export_cache"):
        into.export_cache.CopyFrom(new.export_cache)


@record(slots=True)
class Definition:
    """A marshalled graph. ``pb`` is the ``pb.Definition`` message itself."""

    pb: ops_pb2.Definition
    digests: list[str] = field(default_factory=list)  # of the ops in ``def``, in order

    @property
    def ops(self) -> list[bytes]:
        return list(getattr(self.pb, "def"))

    @property
    def head(self) -> str | None:
        """Digest of the result op (``None`` for a scratch result)."""
        defs = getattr(self.pb, "def")
        if not defs:
            return None
        terminal = ops_pb2.Op.FromString(defs[-1])
        return terminal.inputs[0].digest if terminal.inputs else None

    def to_bytes(self) -> bytes:
        return self.pb.SerializeToString(deterministic=True)


def marshal(
    state: State,
    *,
    default_platform: Platform | None = None,
    caps: frozenset[str] | None = None,
) -> Definition:
    """Marshal everything ``state`` depends on into a :class:`Definition`.

    ``default_platform`` is used by ops whose platform is set nowhere else (Go's llb
    uses the platform it runs on; so does this, when ``None``). ``caps`` are the LLB
    caps the solver supports (Go's ``llb.WithCaps``); ops that can do without a cap
    adapt to them (an exec sets ``PATH`` itself when the solver does not), and with
    ``None`` they assume nothing either way.
    """
    ctx = MarshalContext(default_platform or host_platform(), caps)
    pdef = ops_pb2.Definition()
    pdef.Source.SetInParent()
    out = Definition(pdef)
    if state.output is None:
        return out
    defs = getattr(pdef, "def")
    emitted: set[str] = set()
    visited: set[int] = set()
    maps: list[SourceMap] = []
    locations: dict[str, list[Location]] = {}

    # iterative depth-first post-order over the op graph, inputs first
    stack: list[tuple[Vertex, int]] = [(state.output.vertex, 0)]
    while stack:
        v, i = stack.pop()
        if id(v) in visited:
            continue
        ins = v.walk_inputs()
        if i < len(ins):
            stack.append((v, i + 1))
            stack.append((ins[i].vertex, 0))
            continue
        enc = ctx.encode(v)
        visited.add(id(v))
        if enc.digest in pdef.metadata:
            _merge_metadata(pdef.metadata[enc.digest], enc.metadata)
        else:
            pdef.metadata[enc.digest].CopyFrom(enc.metadata)
        # every op gets an entry, an empty one when it has no location (Go's
        # sourceMapCollector adds each vertex it marshals)
        here = locations.setdefault(enc.digest, [])
        for loc in enc.locations:
            if loc.source not in maps:
                maps.append(loc.source)
            here.append(loc)
        if enc.digest not in emitted:
            emitted.add(enc.digest)
            defs.append(enc.data)
            out.digests.append(enc.digest)

    terminal = ops_pb2.Op()
    terminal.inputs.append(ctx.input_of(state.output))
    tdata = serialize_op(terminal)
    defs.append(tdata)
    tmd = pdef.metadata[digest_of(tdata)]
    tmd.caps[C.CONSTRAINTS] = True
    tmd.caps[C.PLATFORM] = True
    for dgst, md in pdef.metadata.items():
        if dgst == digest_of(tdata):
            continue
        if md.ignore_cache:
            tmd.caps[C.META_IGNORE_CACHE] = True
        if md.description:
            tmd.caps[C.META_DESCRIPTION] = True
        if md.HasField("export_cache"):
            tmd.caps[C.META_EXPORT_CACHE] = True

    for sm in maps:
        info = pdef.Source.infos.add(filename=sm.filename, data=sm.data, language=sm.language)
        if sm.definition:
            info.definition.ParseFromString(sm.definition)
    for dgst, locs in locations.items():
        plocs = pdef.Source.locations[dgst]  # created even when ``locs`` is empty
        for loc in locs:
            pl = plocs.locations.add(sourceIndex=maps.index(loc.source))
            for r in loc.ranges:
                pl.ranges.add(
                    start=ops_pb2.Position(line=r.start.line, character=r.start.character),
                    end=ops_pb2.Position(line=r.end.line, character=r.end.character),
                )
    return out
