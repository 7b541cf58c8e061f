"""A state whose op is made only when the graph is marshalled (a late-bound output).

Owned step: ``frontend.llb``. Some ops can only be written once everything that uses
them is known: the build context's ``local`` source lists, as follow paths, the paths
every stage reads, which is known only once every stage is compiled. The reference's
``client/llb`` calls this an async state (``async.go``: an output whose vertex is
produced by a callback when the definition is marshalled).

:func:`deferred` returns such a state at once; uses of it are ordinary inputs. The
first time the graph is marshalled the callback is called (once; the state it returns
is kept, the callback dropped) and the op of that state stands in for the deferred one: its fields,
metadata, source locations and inputs are those of the state the callback made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from frontend.llb.core import Built, Constraints, Output, State, Vertex

if TYPE_CHECKING:
    from frontend.llb.marshal import MarshalContext


class DeferredOp:
    """The vertex of a :func:`deferred` state: it delegates to the op of the state
    ``make`` returns, made on first use and kept."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], State]) -> None:
        self._make: Callable[[], State] | None = make
        self._made: Vertex | None = None

    @property
    def resolved(self) -> bool:
        """True once the callback has been called."""
        return self._made is not None

    def vertex(self) -> Vertex:
        """The op the callback's state has (calling the callback the first time).

        Raises :class:`ValueError` when that state is scratch or is not the first
        output of its op (a deferred state has one output, index 0)."""
        if self._made is None:
            assert self._make is not None
            state = self._make()
            if state.output is None:
                raise ValueError("a deferred state cannot resolve to scratch")
            if state.output.index != 0:
                raise ValueError("a deferred state must resolve to output 0 of an op")
            self._made = state.output.vertex
            self._make = None  # what the callback holds is not needed any more
        return self._made

    @property
    def constraints(self) -> Constraints:
        return self.vertex().constraints

    def walk_inputs(self) -> tuple[Output, ...]:
        return self.vertex().walk_inputs()

    def build(self, ctx: MarshalContext) -> Built:
        return self.vertex().build(ctx)


def deferred(make: Callable[[], State]) -> State:
    """A state whose op is ``make()``'s, called when the graph is first marshalled.

    ``make`` must return a state with an op (not scratch). Every use of the returned
    state shares one op, so it is emitted once, like any other shared input::

        paths: set[str] = set()
        context = llb.deferred(lambda: llb.local("context", follow_paths=sorted(paths)))
        out = llb.scratch().file(llb.copy(context, "/app", "/app"))
        paths.add("app")           # still counts: nothing is marshalled yet
        llb.marshal(out)           # the local source lists follow path "app"
    """
    return State(Output(DeferredOp(make)))
