"""Marshal a state's graph into a ``pb.Definition``.

Owned step: ``frontend.llb``. Ops are serialized deterministically; an op's digest is
``sha256:<hex>`` of those bytes. Ops are listed depth first, inputs before the op that
uses them, each digest once; the last entry is the bare terminal op pointing at the
result. Metadata is keyed by digest (the first op to claim a description key keeps it)
and every op's source locations go into ``Definition.source`` (an empty entry for an op
without one, as Go's llb). A definition's bytes are written a piece at a time
(:meth:`Definition.chunks`): a megabytes step is never held twice more while it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO, Final

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from frontend.llb import caps as C
from frontend.llb.core import Constraints, Location, Output, SourceMap, State, Vertex
from frontend.llb.platform import Platform, host_platform
from frontend.pb import ops_pb2
from frontend.records import field, record


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def is_map_field(desc: FieldDescriptor) -> bool:
    """Whether ``desc`` is a ``map<K, V>`` field: its entry type has the option
    ``map_entry``. A message type without options is no entry, and its options are then
    never built (building them imports ``descriptor_pb2``, 1.5 ms of a build)."""
    kind = desc.message_type
    return kind is not None and kind.has_options and bool(kind.GetOptions().map_entry)


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
    return b"".join(_op_pieces(op))


def _op_pieces(op: ops_pb2.Op) -> list[bytes]:
    """:func:`serialize_op`'s bytes in pieces whose concatenation they are. A body that
    is a list of messages (a FileOp's actions) is one piece an element: the pieces of a
    megabytes op are never also encoded whole (protobuf's buffer and its copy)."""
    which = op.WhichOneof("op")
    if which is None:
        return [op.SerializeToString(deterministic=True)]
    body = _message_pieces(getattr(op, which))
    number = ops_pb2.Op.DESCRIPTOR.fields_by_name[which].number
    head = ops_pb2.Op()
    head.inputs.extend(op.inputs)
    if op.HasField("platform"):
        head.platform.CopyFrom(op.platform)
    if op.HasField("constraints"):
        head.constraints.CopyFrom(op.constraints)
    size = sum(len(piece) for piece in body)
    return [head.SerializeToString(deterministic=True) + _field_head(number, size), *body]


def _message_pieces(message: Message) -> list[bytes]:
    """``message``'s deterministic bytes in pieces: an element a piece when its one
    field is a repeated message field (each element is written as its field's tag, its
    length and its bytes), else the whole message."""
    fields = message.ListFields()
    if len(fields) == 1:
        desc, values = fields[0]
        kind = desc.message_type
        if desc.is_repeated and kind is not None and not is_map_field(desc):
            pieces = []
            for value in values:
                data = value.SerializeToString(deterministic=True)
                pieces.append(_field_head(desc.number, len(data)) + data)
            return pieces
    return [message.SerializeToString(deterministic=True)]


def _map_entry_head(number: int, key: str, size: int) -> bytes:
    """The start of a ``map<string, ...>`` field's entry as protobuf writes it, up to its
    value of ``size`` bytes: the entry's tag and length, its key (field 1) and the
    value's tag and length (field 2); both are always written."""
    data = key.encode()
    head = _field_head(1, len(data)) + data + _field_head(2, size)
    return _field_head(number, len(head) + size) + head


# a description value at least this long is written on its own (see _metadata_pieces)
_LONG_TEXT: Final = 1 << 20


def _metadata_pieces(md: ops_pb2.OpMetadata) -> tuple[int, Iterator[bytes]]:
    """``md``'s deterministic bytes in pieces, and their size: whole, unless its
    description holds a long text (a long step's name, its command); then the fields
    before the description, its entries (by key, as a deterministic map is written)
    with each value encoded only when it is written, and the fields after it. Protobuf
    never encodes megabytes of text at once (its buffer grows to twice the message
    before it is copied out)."""
    if all(len(v) < _LONG_TEXT for v in md.description.values()):
        data = md.SerializeToString(deterministic=True)
        return len(data), iter((data,))
    number = ops_pb2.OpMetadata.DESCRIPTOR.fields_by_name["description"].number
    before, after = ops_pb2.OpMetadata(), ops_pb2.OpMetadata()
    for desc, value in md.ListFields():
        if desc.number != number:
            _set_field(before if desc.number < number else after, desc, value)
    first = before.SerializeToString(deterministic=True)
    last = after.SerializeToString(deterministic=True)
    entries = []
    for key in sorted(md.description):
        text = md.description[key]
        size = len(text) if text.isascii() else len(text.encode())
        entries.append((key, _map_entry_head(number, key, size), size))
    total = len(first) + len(last) + sum(len(head) + size for _, head, size in entries)

    def pieces() -> Iterator[bytes]:
        yield first
        for key, head, _ in entries:
            yield head
            yield md.description[key].encode()
        yield last

    return total, pieces()


def _set_field(message: Message, desc: FieldDescriptor, value: Any) -> None:
    """Give ``message`` the field ``desc`` of another message of its type (``value``, as
    ``ListFields`` has it)."""
    kind = desc.message_type
    if is_map_field(desc):
        getattr(message, desc.name).update(value)  # (maps of scalars: OpMetadata's)
    elif desc.is_repeated:
        getattr(message, desc.name).extend(value)
    elif kind is not None:
        getattr(message, desc.name).CopyFrom(value)
    else:
        setattr(message, desc.name, value)


def _field_head(number: int, size: int) -> bytes:
    """The tag and length that start a length-delimited field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(size)


@record(slots=True)
class _Encoded:
    """One op marshalled: its digest, bytes, metadata and source locations."""

    digest: str
    data: bytes
    locations: tuple[Location, ...]
    constraints: Constraints
    caps: frozenset[str]
    given: ops_pb2.OpMetadata | None = None  # an op of a given definition: its metadata

    def fill_metadata(self, into: ops_pb2.OpMetadata) -> None:
        """Write this op's metadata into ``into`` (an empty message): the metadata is
        made in place, never as a message of its own and then copied (a step name or
        description may be megabytes)."""
        if self.given is not None:
            into.CopyFrom(self.given)
        else:
            _fill_metadata(into, self.constraints, self.caps)


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
            md = built.metadata if built.metadata is not None else ops_pb2.OpMetadata()
            enc = _Encoded(digest_of(built.data), built.data, c.locations, c, frozenset(), md)
            self._encoded[id(vertex)] = enc
            self._keep.append(vertex)
            return enc
        op = built.op
        op.constraints.SetInParent()  # always present, even when empty (as Go's llb)
        op.constraints.filter.extend(c.worker_filters)
        caps = built.caps
        pieces = _op_pieces(op)
        del built, op  # (the message, before its bytes are joined: an op may be megabytes)
        data = b"".join(pieces)
        del pieces
        enc = _Encoded(digest_of(data), data, c.locations, c, caps)
        self._encoded[id(vertex)] = enc
        self._keep.append(vertex)
        return enc


def _fill_metadata(md: ops_pb2.OpMetadata, c: Constraints, caps: frozenset[str]) -> None:
    if c.ignore_cache:
        md.ignore_cache = True
    md.description.update(c.descriptions())
    for cap in caps | c.caps:
        md.caps[cap] = True
    if c.progress_group is not None:
        g = c.progress_group
        md.progress_group.CopyFrom(ops_pb2.ProgressGroup(id=g.id, name=g.name, weak=g.weak))


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

    def chunks(self) -> Iterator[bytes]:
        """The deterministic wire bytes of ``pb``, field by field: each op, each
        metadata entry (by digest, as a deterministic map is written) and the source
        map. Their concatenation is ``pb.SerializeToString(deterministic=True)``; a
        writer never holds the whole definition a second time (nor protobuf's encoding
        buffer of it), only the largest piece."""
        pdef = self.pb
        for data in getattr(pdef, "def"):
            yield _field_head(1, len(data))
            yield data
        for dgst in sorted(pdef.metadata):
            size, pieces = _metadata_pieces(pdef.metadata[dgst])
            yield _map_entry_head(2, dgst, size)
            yield from pieces
        if pdef.HasField("Source"):
            source = pdef.Source.SerializeToString(deterministic=True)
            yield _field_head(3, len(source))
            yield source

    def write_to(self, out: BinaryIO) -> None:
        """Write :meth:`to_bytes` to ``out`` a piece at a time."""
        for chunk in self.chunks():
            out.write(chunk)

    def to_bytes(self) -> bytes:
        return b"".join(self.chunks())


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
            new = ops_pb2.OpMetadata()
            enc.fill_metadata(new)
            _merge_metadata(pdef.metadata[enc.digest], new)
        else:
            enc.fill_metadata(pdef.metadata[enc.digest])
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
        enc.data = b""  # (in the definition now; only the digest is asked for again)

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
