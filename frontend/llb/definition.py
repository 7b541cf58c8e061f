"""A state made from a marshalled definition (a frontend input, a ref's LLB).

Owned step: ``frontend.llb``. Go's ``client/llb`` calls this a ``DefinitionOp``
(``definition.go``): every op of a ``pb.Definition`` becomes a vertex whose bytes,
metadata and source locations are re-emitted unchanged when a graph using it is
marshalled, so its digests (and the cache) are the ones the producer made. The
state is the output the definition's terminal op points at; a definition without
ops is scratch.

A definition without metadata is what Go calls a nil definition
(``pb.Definition.IsNil``): :func:`definition_state` refuses it with the reference's
words, ``invalid nil input definition to definition op``.
"""

from __future__ import annotations

from typing import Final

from frontend.llb.core import (
    Built,
    Constraints,
    Location,
    Output,
    Position,
    SourceMap,
    SourceRange,
    State,
)
from frontend.llb.marshal import MarshalContext, digest_of
from frontend.pb import ops_pb2
from frontend.records import record

__all__ = ["NIL_DEFINITION", "DefinitionError", "DefinitionOp", "definition_state"]

NIL_DEFINITION: Final = "invalid nil input definition to definition op"


class DefinitionError(ValueError):
    """A definition that cannot be used as a state (message as Go's llb)."""


@record(frozen=True, slots=True, eq=False)
class DefinitionOp:
    """One op of a marshalled definition (its bytes kept as they were)."""

    data: bytes
    metadata: ops_pb2.OpMetadata
    inputs: tuple[Output, ...]
    constraints: Constraints

    @property
    def digest(self) -> str:
        return digest_of(self.data)

    def walk_inputs(self) -> tuple[Output, ...]:
        return self.inputs

    def build(self, ctx: MarshalContext) -> Built:
        return Built(ops_pb2.Op(), data=self.data, metadata=self.metadata)


def is_nil(definition: ops_pb2.Definition | None) -> bool:
    """Go's ``Definition.IsNil``: no definition, or one without metadata."""
    return definition is None or not definition.metadata


def definition_state(definition: ops_pb2.Definition | None) -> State:
    """The state ``definition`` produces: its ops as :class:`DefinitionOp` vertices.

    Raises :class:`DefinitionError` for a nil definition (no metadata) or an op that
    cannot be parsed or names an input the definition does not hold."""
    if definition is None or is_nil(definition):
        raise DefinitionError(NIL_DEFINITION)
    maps = [
        SourceMap(
            info.filename,
            bytes(info.data),
            info.language,
            info.definition.SerializeToString(deterministic=True)
            if info.HasField("definition")
            else b"",
        )
        for info in definition.Source.infos
    ]
    locations: dict[str, tuple[Location, ...]] = {}
    for dgst, locs in definition.Source.locations.items():
        out: list[Location] = []
        for loc in locs.locations:
            if loc.sourceIndex < 0 or loc.sourceIndex >= len(maps):
                raise DefinitionError(f"failed to find source map with index {loc.sourceIndex}")
            ranges = tuple(
                SourceRange(
                    Position(r.start.line, r.start.character),
                    Position(r.end.line, r.end.character),
                )
                for r in loc.ranges
            )
            out.append(Location(maps[loc.sourceIndex], ranges))
        locations[dgst] = tuple(out)

    vertices: dict[str, DefinitionOp] = {}
    last: ops_pb2.Op | None = None
    for data in getattr(definition, "def"):
        raw = bytes(data)
        op = ops_pb2.Op()
        try:
            op.ParseFromString(raw)
        except Exception as e:  # protobuf's DecodeError
            raise DefinitionError(f"failed to parse llb proto op: {e}") from None
        dgst = digest_of(raw)
        last = op
        if op.WhichOneof("op") is None:
            continue  # the terminal op: not a vertex
        inputs: list[Output] = []
        for inp in op.inputs:
            vertex = vertices.get(inp.digest)
            if vertex is None:
                raise DefinitionError(f"invalid definition: missing input {inp.digest}")
            inputs.append(Output(vertex, inp.index))
        md = ops_pb2.OpMetadata()
        if dgst in definition.metadata:
            md.CopyFrom(definition.metadata[dgst])
        vertices[dgst] = DefinitionOp(
            raw, md, tuple(inputs), Constraints(locations=locations.get(dgst, ()))
        )
    if last is None:
        return State()  # no ops: scratch
    if not last.inputs:
        raise DefinitionError("invalid definition: the last op has no input")
    head = vertices.get(last.inputs[0].digest)
    if head is None:
        raise DefinitionError(f"invalid definition: missing input {last.inputs[0].digest}")
    return State(Output(head, last.inputs[0].index))
