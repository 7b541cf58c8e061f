"""Stages and their dependencies (pipeline step 2).

Owned step: turning the parsed instruction list into stages, naming every stage's base
once the global ARGs are expanded, following the edges ``FROM <stage>``,
``COPY --from`` and ``RUN --mount from=``, rejecting cycles and unknown targets, and
computing which stages the target needs (only those are compiled). Rules and messages
follow the reference frontend (``dockerfile2llb`` ``buildDispatchStates``,
``toCommand``, ``validateCircularDependency``).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from frontend.gocompat import go_parse_int
from frontend.language.errors import DockerfileError, Range
from frontend.language.flags import with_suggestion
from frontend.language.instructions import Arg, Copy, From, Instruction, Onbuild, Run
from frontend.language.shell import Lexer
from frontend.llb.platform import Platform
from frontend.records import field, record

SCRATCH = "scratch"


@record(frozen=True, slots=True)
class Stage:
    """One ``FROM`` and the instructions up to the next ``FROM``."""

    index: int
    from_: From
    commands: tuple[Instruction, ...]

    @property
    def name(self) -> str | None:
        """The ``AS`` name, lower-cased (lookups are case-insensitive), or None."""
        return self.from_.stage_name

    @property
    def display_name(self) -> str:
        """The name progress lines use: the ``AS`` name or ``stage-<index>``."""
        return self.name if self.name else f"stage-{self.index}"

    @property
    def location(self) -> Range:
        return self.from_.location


@record(frozen=True, slots=True)
class Stages:
    """A Dockerfile cut into global ARGs (before the first FROM) and stages."""

    meta_args: tuple[Arg, ...]
    stages: tuple[Stage, ...]

    def find(self, name: str) -> Stage | None:
        """The stage called ``name`` (case-insensitive)."""
        wanted = name.lower()
        for stage in self.stages:
            if stage.name == wanted:
                return stage
        return None

    def names(self) -> list[str]:
        return [s.name for s in self.stages if s.name]


def split_stages(instructions: Iterable[Instruction]) -> Stages:
    """Group instructions into stages; only ARG may come before the first FROM."""
    meta_args: list[Arg] = []
    stages: list[tuple[From, list[Instruction]]] = []
    for ins in instructions:
        if isinstance(ins, From):
            stages.append((ins, []))
        elif not stages:
            if isinstance(ins, Arg):
                meta_args.append(ins)
            else:
                raise DockerfileError("no build stage in current context", ins.location)
        else:
            stages[-1][1].append(ins)
    if not stages:
        # the reference names no line; ours points at the ARGs (all there is)
        where = None
        if meta_args:
            first, last = meta_args[0].location, meta_args[-1].location
            if first is not None and last is not None:
                where = Range(first.start_line, max(last.start_line, last.end_line))
        raise DockerfileError("dockerfile contains no stages to build", where)
    return Stages(
        tuple(meta_args),
        tuple(Stage(i, f, tuple(cmds)) for i, (f, cmds) in enumerate(stages)),
    )


# ------------------------------------------------------------------ resolved graph


@record(frozen=True, slots=True)
class BaseImage:
    """A base or ``--from`` source that is an image reference (not yet normalised)."""

    ref: str


@record(frozen=True, slots=True)
class BaseScratch:
    """``FROM scratch``: the empty filesystem."""


@record(frozen=True, slots=True)
class BaseStage:
    """An earlier stage, by index."""

    index: int


Base = BaseImage | BaseScratch | BaseStage


@record(frozen=True, slots=True)
class ResolvedStage:
    """A stage with its ``FROM`` resolved: base, expanded name and platform, the global
    ARGs it used and the stages it needs."""

    stage: Stage
    base: Base
    base_name: str  # the FROM argument after global-ARG expansion
    platform: str | None  # the --platform value after expansion
    used_args: frozenset[str]  # global ARGs the FROM line used
    deps: tuple[int, ...]  # stage indexes used by COPY --from / RUN --mount from=


@record(frozen=True, slots=True)
class StageGraph:
    """Every stage with its base and dependencies, and the chosen target."""

    stages: tuple[ResolvedStage, ...]
    target: int
    # stage name (lower-case) -> index, built once (a lookup per --from stays O(1))
    names: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.names:
            by_name = {s.stage.name: s.stage.index for s in self.stages if s.stage.name}
            object.__setattr__(self, "names", by_name)

    def source(
        self, value: str, location: Range, *, by_index: bool = True
    ) -> BaseStage | BaseImage:
        """What a ``--from`` value names: a stage (by name, or by index unless
        ``by_index`` is false: ``RUN --mount from=`` looks names up only, so there
        ``from=0`` is the image ``0``) or an image."""
        return _lookup(self.names, len(self.stages), value, location, by_index=by_index)

    def reachable(
        self, roots: Iterable[int] | None = None, *, replaced: Container[int] = ()
    ) -> frozenset[int]:
        """The stages ``roots`` (default: the target) need, themselves included.

        A stage in ``replaced`` (one a named build context stands in for) needs
        nothing of its own: its base is not followed (its ``--from`` edges still are, as
        in the reference).
        """
        seen: set[int] = set()
        todo = [self.target] if roots is None else list(roots)
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            rs = self.stages[i]
            if isinstance(rs.base, BaseStage) and i not in replaced:
                todo.append(rs.base.index)
            todo.extend(rs.deps)
        return frozenset(seen)


def _lookup(
    by_name: Mapping[str, int],
    count: int,
    value: str,
    location: Range,
    *,
    by_index: bool = True,
) -> BaseStage | BaseImage:
    if not by_index:
        found = by_name.get(value.lower())
        return BaseImage(value) if found is None else BaseStage(found)
    # the reference's strconv.Atoi, except that a leading "+" stays a name (as before;
    # Atoi would take "+1" as index 1)
    index = go_parse_int(value) if value[:1] != "+" else None
    if index is not None:
        if index < 0 or index >= count:
            raise DockerfileError(f"invalid stage index {index}", location)
        return BaseStage(index)
    found = by_name.get(value.lower())
    if found is not None:
        return BaseStage(found)
    return BaseImage(value)


@record(frozen=True, slots=True)
class FromRef:
    """One ``--from`` / ``from=`` value of an instruction: the one scanner of them,
    used by the graph (edges) and by the compiler (the sources it loads)."""

    value: str
    location: Range
    by_index: bool  # a stage index is accepted (COPY --from yes, RUN --mount from= no)
    mount_type: str = ""  # the RUN --mount type; "" for COPY --from
    onbuild: bool = False  # in an ONBUILD trigger: used by the stages built on this one


def from_refs(ins: Instruction) -> list[FromRef]:
    """The ``--from`` / ``from=`` values ``ins`` refers to, in order, ONBUILD triggers
    included (marked ``onbuild``, located at the ONBUILD). A ``--mount`` ``from=`` is
    one whatever the mount's type: as in the reference, the parser does not know the
    type (:func:`~frontend.language.mounts.mount_source`), so a secret or ssh mount's
    ``from=`` is an edge too (and a cycle when it names its own stage)."""
    if isinstance(ins, Copy):
        return [FromRef(ins.from_, ins.location, True)] if ins.from_ else []
    if isinstance(ins, Run):
        return [FromRef(m.from_, ins.location, False, m.type) for m in ins.mounts if m.from_]
    if isinstance(ins, Onbuild) and ins.inner is not None:  # (None: refused where run)
        return [
            FromRef(r.value, ins.location, r.by_index, r.mount_type, onbuild=True)
            for r in from_refs(ins.inner)
        ]
    return []


def check_from_ref(ref: FromRef, lexer: Lexer) -> None:
    """A ``COPY --from`` value takes no variables (the reference's ``toCommand``, for
    the stage's own commands and, when they run, the ONBUILD triggers it inherits)."""
    if not ref.mount_type and lexer.expand_word(ref.value, {}).value != ref.value:
        raise DockerfileError(
            "variable expansion is not supported for --from, define a new stage "
            "with FROM using ARG from global scope as a workaround",
            ref.location,
        )


def resolve_graph(
    stages: Stages,
    global_env: Mapping[str, str],
    lexer: Lexer,
    target: str = "",
) -> StageGraph:
    """Expand every FROM with the global ARGs and link the stages.

    Raises :class:`DockerfileError` (located where possible) for a blank base, a bad
    ``--from``, an unknown target or a dependency cycle.
    """
    by_name: dict[str, int] = {}
    resolved: list[ResolvedStage] = []
    count = len(stages.stages)
    all_names = {s.name: s.index for s in stages.stages if s.name}
    for stage in stages.stages:
        f = stage.from_
        try:
            res = lexer.expand_word(f.base, global_env)
        except DockerfileError as err:
            raise err.with_location(f.location) from None
        if not res.value:
            raise DockerfileError(f"base name ({f.base}) should not be blank", f.location)
        used = set(res.used)
        platform: str | None = None
        if f.platform:
            try:
                pres = lexer.expand_word(f.platform, global_env)
            except DockerfileError as err:
                # (the reference names the failed expansion's result: always "")
                raise DockerfileError(
                    f"failed to process arguments for platform : {err.message}", f.location
                ) from None
            if not pres.value:
                raise DockerfileError(
                    _suggest_arg(
                        f"empty platform value from expression {f.platform}",
                        pres.unset,
                        global_env,
                    ),
                    f.location,
                )
            platform = pres.value
            used |= pres.used
            try:  # every stage's, reachable or not, as the reference parses them
                Platform.parse_raw(platform)
            except ValueError as e:
                why = _suggest_arg(str(e), pres.unset, global_env)
                raise DockerfileError(
                    f"failed to parse platform {f.platform}: {why}", f.location
                ) from None
        base: Base
        # only stages defined earlier, and exactly: the reference looks the FROM value
        # up without lower-casing it (``FROM Build`` after ``AS build`` is an image)
        if res.value in by_name:
            base = BaseStage(by_name[res.value])
        elif res.value == SCRATCH:
            base = BaseScratch()
        else:
            base = BaseImage(res.value)
        deps: list[int] = []
        for ins in stage.commands:
            for ref in from_refs(ins):
                if ref.onbuild:
                    continue  # a source of the stages built on this one, not of this one
                check_from_ref(ref, lexer)
                src = _lookup(all_names, count, ref.value, ins.location, by_index=ref.by_index)
                if isinstance(src, BaseStage) and src.index not in deps:
                    deps.append(src.index)
        resolved.append(
            ResolvedStage(stage, base, res.value, platform, frozenset(used), tuple(deps))
        )
        if stage.name:
            by_name[stage.name] = stage.index

    if target:
        index = all_names.get(target.lower())
        if index is None:
            raise DockerfileError(
                with_suggestion(
                    f'target stage "{target}" could not be found', target, all_names, True
                )
            )
    else:
        index = count - 1
    graph = StageGraph(tuple(resolved), index)
    _check_cycles(graph)
    return graph


def _suggest_arg(message: str, unset: Iterable[str], args: Mapping[str, str]) -> str:
    """The reference's ``wrapSuggestAny``: ``(did you mean X?)`` for the first unset
    name of the expression that is close to a global ARG."""
    for name in sorted(unset):
        wrapped = with_suggestion(message, name, args)
        if wrapped != message:
            return wrapped
    return message


def _check_cycles(graph: StageGraph) -> None:
    """The reference's ``validateCircularDependency``: a depth-first search from each
    stage in file order over the stages its commands use (``COPY --from``, ``RUN
    --mount from=``), never revisiting a stage.  A cycle is reported on the stage the
    search started from.  The reference locates the error at every command on the
    cycle's path; our errors carry one location, so it is that stage's FROM.
    Iterative: chains of thousands of stages are fine."""
    visited: set[int] = set()
    for start in range(len(graph.stages)):
        if start in visited:
            continue
        visited.add(start)
        on_path = {start}
        # (stage, index of its next use to follow): the current path
        stack: list[tuple[int, int]] = [(start, 0)]
        while stack:
            i, k = stack[-1]
            edges = graph.stages[i].deps
            if k >= len(edges):
                stack.pop()
                on_path.discard(i)
                continue
            stack[-1] = (i, k + 1)
            j = edges[k]
            if j in on_path:
                raise DockerfileError(
                    "circular dependency detected on stage: "
                    + graph.stages[start].stage.display_name,
                    graph.stages[start].stage.location,
                )
            if j not in visited:
                visited.add(j)
                on_path.add(j)
                stack.append((j, 0))
