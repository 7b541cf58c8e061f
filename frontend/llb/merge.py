"""Merge and diff ops (layer states on top of each other / take the changes between two).

Owned step: ``frontend.llb``. Scratch inputs are dropped from a merge and a diff from
scratch is its upper state, as in Go's llb; neither op carries a platform.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontend.llb import caps as C
from frontend.llb.core import NO_CONSTRAINTS, Built, Constraints, Output, State
from frontend.llb.marshal import MarshalContext
from frontend.pb import ops_pb2
from frontend.records import record


@record(frozen=True, slots=True, eq=False)
class MergeOp:
    """A merge op: its inputs' file systems layered in order."""

    inputs: tuple[Output, ...]
    constraints: Constraints = NO_CONSTRAINTS

    def walk_inputs(self) -> tuple[Output, ...]:
        return self.inputs

    def build(self, ctx: MarshalContext) -> Built:
        op = ops_pb2.Op()
        op.merge.SetInParent()
        for out in self.inputs:
            op.merge.inputs.add(input=len(op.inputs))
            op.inputs.append(ctx.input_of(out))
        return Built(op, frozenset({C.MERGE_OP}))


@record(frozen=True, slots=True, eq=False)
class DiffOp:
    """A diff op: what ``upper`` changes relative to ``lower``."""

    lower: Output | None
    upper: Output | None
    constraints: Constraints = NO_CONSTRAINTS

    def walk_inputs(self) -> tuple[Output, ...]:
        return tuple(o for o in (self.lower, self.upper) if o is not None)

    def build(self, ctx: MarshalContext) -> Built:
        op = ops_pb2.Op()
        d = op.diff
        d.lower.input = -1
        d.upper.input = -1
        if self.lower is not None:
            d.lower.input = len(op.inputs)
            op.inputs.append(ctx.input_of(self.lower))
        if self.upper is not None:
            d.upper.input = len(op.inputs)
            op.inputs.append(ctx.input_of(self.upper))
        return Built(op, frozenset({C.DIFF_OP}))


def merge(states: Sequence[State], *, constraints: Constraints = NO_CONSTRAINTS) -> State:
    """Layer ``states`` in order (later on top)."""
    real = [s for s in states if s.output is not None]
    if not real:
        return State()
    if len(real) == 1:
        return real[0]
    outs = tuple(s.output for s in real if s.output is not None)
    return State(Output(MergeOp(outs, constraints)), real[0].platform)


def diff(lower: State, upper: State, *, constraints: Constraints = NO_CONSTRAINTS) -> State:
    """The changes that turn ``lower`` into ``upper``."""
    if lower.output is None:
        return upper
    return State(Output(DiffOp(lower.output, upper.output, constraints)), lower.platform)
