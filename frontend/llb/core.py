"""Core LLB values: outputs, states, per-op constraints and source maps.

Owned step: ``frontend.llb``. Everything here is immutable; ops are compared by
identity (like pointers in Go's ``client/llb``), everything else by value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from frontend.llb.platform import Platform
from frontend.records import record

if TYPE_CHECKING:
    from frontend.llb.exec import ExecResult, Mount, SecretEnv
    from frontend.llb.file import FileAction
    from frontend.llb.marshal import MarshalContext
    from frontend.pb import ops_pb2


@record(frozen=True, slots=True)
class Position:
    """A position in a source file (1-based line, character)."""

    line: int  # 1-based, as BuildKit's source maps
    character: int = 0


@record(frozen=True, slots=True)
class SourceRange:
    """A range of a source file, from ``start`` to ``end``."""

    start: Position
    end: Position

    @classmethod
    def lines(cls, first: int, last: int | None = None) -> SourceRange:
        """Whole lines ``first..last`` (character 0, the reference's convention)."""
        return cls(Position(first), Position(first if last is None else last))


@record(frozen=True, slots=True)
class SourceMap:
    """A source file (e.g. the Dockerfile) that ops can point into.

    ``definition``: the serialized ``pb.Definition`` that reads the file (the Dockerfile's
    local source), b"" when unknown; BuildKit hands it back with the source of an error.
    """

    filename: str
    data: bytes
    language: str = ""
    definition: bytes = b""

    def location(self, ranges: Iterable[SourceRange]) -> Location:
        return Location(self, tuple(ranges))


@record(frozen=True, slots=True)
class Location:
    """Ranges of one source map: where in the Dockerfile an op comes from."""

    source: SourceMap
    ranges: tuple[SourceRange, ...]


@record(frozen=True, slots=True)
class ProgressGroup:
    """The progress group an op's vertex is shown in."""

    id: str
    name: str
    weak: bool = False


@record(frozen=True, slots=True)
class Constraints:
    """What one op carries besides its content: platform, worker filters and metadata.

    ``platform`` and ``worker_filters`` change the op's digest; everything else goes into
    ``OpMetadata`` (custom name, description entries, ignore-cache, progress group,
    extra caps) or the source map.
    """

    platform: Platform | None = None
    worker_filters: tuple[str, ...] = ()
    custom_name: str | None = None
    description: tuple[tuple[str, str], ...] = ()
    ignore_cache: bool = False
    progress_group: ProgressGroup | None = None
    caps: frozenset[str] = frozenset()
    locations: tuple[Location, ...] = ()

    @classmethod
    def of(
        cls,
        *,
        platform: Platform | None = None,
        worker_filters: Sequence[str] = (),
        custom_name: str | None = None,
        description: Mapping[str, str] | None = None,
        ignore_cache: bool = False,
        progress_group: ProgressGroup | None = None,
        caps: Iterable[str] = (),
        locations: Iterable[Location] = (),
    ) -> Constraints:
        return cls(
            platform=platform,
            worker_filters=tuple(worker_filters),
            custom_name=custom_name,
            description=tuple(sorted((description or {}).items())),
            ignore_cache=ignore_cache,
            progress_group=progress_group,
            caps=frozenset(caps),
            locations=tuple(locations),
        )

    def descriptions(self) -> dict[str, str]:
        d = dict(self.description)
        if self.custom_name is not None:
            d["llb.customname"] = self.custom_name
        return d


NO_CONSTRAINTS = Constraints()


@record(frozen=True, slots=True)
class Built:
    """What an op contributes when marshalled (see :class:`Vertex`)."""

    op: ops_pb2.Op
    caps: frozenset[str] = frozenset()
    # an op taken from a marshalled definition (:mod:`frontend.llb.definition`): its
    # exact bytes and metadata, re-emitted unchanged (``op`` and ``caps`` unused)
    data: bytes | None = None
    metadata: ops_pb2.OpMetadata | None = None


class Vertex(Protocol):
    """An LLB op. Implementations are immutable and compared by identity."""

    @property
    def constraints(self) -> Constraints: ...

    def walk_inputs(self) -> tuple[Output, ...]:
        """Inputs in the order the definition lists their ops (depth first)."""
        ...

    def build(self, ctx: MarshalContext) -> Built:
        """The op message (inputs resolved through ``ctx``) and the caps it uses."""
        ...


@record(frozen=True, slots=True)
class Output:
    """One output of an op (``Op`` digest + output index once marshalled)."""

    vertex: Vertex
    index: int = 0

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Output) and other.vertex is self.vertex and other.index == self.index
        )

    def __hash__(self) -> int:
        return hash((id(self.vertex), self.index))


@record(frozen=True, slots=True)
class State:
    """A filesystem state: an op output, or scratch (``output is None``).

    ``platform`` is the platform ops built on this state run for (Go's state value);
    ``None`` means the default platform given to :func:`frontend.llb.marshal`.
    """

    output: Output | None = None
    platform: Platform | None = None

    @property
    def is_scratch(self) -> bool:
        return self.output is None

    def with_platform(self, platform: Platform | None) -> State:
        return State(self.output, platform)

    def run(
        self,
        args: Sequence[str],
        *,
        env: Sequence[str] = (),
        cwd: str = "/",
        user: str = "",
        mounts: Sequence[Mount] = (),
        secret_env: Sequence[SecretEnv] = (),
        constraints: Constraints = NO_CONSTRAINTS,
        **kwargs: object,
    ) -> ExecResult:
        """Run ``args`` on this state (see :func:`frontend.llb.exec.run`)."""
        from frontend.llb.exec import run

        return run(
            self,
            args,
            env=env,
            cwd=cwd,
            user=user,
            mounts=mounts,
            secret_env=secret_env,
            constraints=constraints,
            **kwargs,  # type: ignore[arg-type]
        )

    def file(
        self, action: FileAction, *, cwd: str = "/", constraints: Constraints = NO_CONSTRAINTS
    ) -> State:
        """Apply a chain of file actions (see :mod:`frontend.llb.file`)."""
        from frontend.llb.file import file_op

        return file_op(self, action, cwd=cwd, constraints=constraints)


def scratch() -> State:
    """The empty filesystem."""
    return State()
