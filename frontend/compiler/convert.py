"""Compile a parsed Dockerfile to LLB and an image config (pipeline step 3).

Owned step: the stage bookkeeping of the reference frontend (``dockerfile2llb``
``convert.go``): given the stage graph, find the stages the target needs, have their
base images and named contexts resolved (:mod:`frontend.compiler.sources`), queue
ONBUILD triggers, then dispatch the reachable stages in file order, instruction by
instruction (:mod:`frontend.compiler.dispatch`), and finish the build context source
and the target's image config. This module implements the
:class:`~frontend.compiler.steps.RuleContext` the rules are given; nothing below it
imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from frontend import llb, records
from frontend.compiler.dispatch import dispatch
from frontend.compiler.envlist import EnvList
from frontend.compiler.epoch import (
    EpochError,
    epoch_time,
    epoch_value,
    resolve_epoch,
    unix_nano,
    with_epoch_value,
)
from frontend.compiler.image import ImageConfig
from frontend.compiler.options import CompileOptions, ImageResolver, no_resolver
from frontend.compiler.sources import (
    SourceKey,
    Sources,
    context_name,
    follow_paths,
    normalize,
    with_digest,
)
from frontend.compiler.state import StageState
from frontend.compiler.steps import normalize_workdir, to_slash
from frontend.gocompat import go_parse_bool, go_parse_uint, go_quote
from frontend.language import Dockerfile, parse_dockerfile
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Add, Arg, Copy, From, Instruction, Onbuild, Run, Workdir
from frontend.language.shell import Lexer
from frontend.llb.exec import DEFAULT_PATH
from frontend.llb.reference import InvalidReferenceError
from frontend.records import record
from frontend.stages import (
    BaseImage,
    BaseScratch,
    BaseStage,
    FromRef,
    StageGraph,
    Stages,
    check_from_ref,
    from_refs,
    resolve_graph,
    split_stages,
)


@record(frozen=True, slots=True)
class DispatchedStage:
    """What one dispatched stage started from, for the outline (the reference builds
    it from its conversion): the environment its first command saw (the base image's
    or named context's config Env with the default PATH, or its base stage's at the
    end) and its commands, the ONBUILD triggers it inherited (located at its FROM)
    first."""

    index: int
    env: tuple[tuple[str, str], ...]
    commands: tuple[Instruction, ...]


@record(frozen=True, slots=True)
class CompileResult:
    """The target's LLB state and image config, and what the gateway needs besides."""

    state: llb.State
    image: ImageConfig
    base_image: ImageConfig | None
    platform: llb.Platform
    source_map: llb.SourceMap
    ignore_cache: bool
    # SOURCE_DATE_EPOCH (unix seconds) when set: the driver hands it to the exporter
    epoch: int | None = None
    # the LLB caps the ops may rely on (None: unknown, as Go's nil ``LLBCaps``)
    caps: frozenset[str] | None = None
    # the stages dispatched, in file order, and those a named context replaced
    stages: tuple[DispatchedStage, ...] = ()
    context_stages: frozenset[int] = frozenset()
    # what an SBOM scan looks at besides ``state`` (the reference's ``SBOMTargets``
    # extras, by name, sorted): the build context (``context``) when
    # BUILDKIT_SBOM_SCAN_CONTEXT is on for the target, the stages the target needs for
    # which BUILDKIT_SBOM_SCAN_STAGE is on; and whether the scan ignores the cache
    sbom_extras: tuple[tuple[str, llb.State], ...] = ()
    sbom_ignore_cache: bool = False

    def definition(self) -> llb.Definition:
        return self.marshal(self.state, self.platform, self.caps)

    @staticmethod
    def marshal(
        state: llb.State, platform: llb.Platform, caps: frozenset[str] | None
    ) -> llb.Definition:
        """:meth:`definition` from the three fields it reads, for a caller that lets the
        rest of the result (the image config, the stages' instructions) go first."""
        return llb.marshal(state, default_platform=platform, caps=caps)


def default_args(opts: CompileOptions, target: str) -> EnvList:
    """The automatic platform ARGs (overridable by build args) and TARGETSTAGE."""
    bp, tp = opts.build_platform, opts.target_platform
    pairs = [
        ("BUILDPLATFORM", str(bp)),
        ("BUILDOS", bp.os),
        ("BUILDOSVERSION", bp.os_version),
        ("BUILDARCH", bp.architecture),
        ("BUILDVARIANT", bp.variant),
        ("TARGETPLATFORM", tp.format_all()),
        ("TARGETOS", tp.os),
        ("TARGETOSVERSION", tp.os_version),
        ("TARGETARCH", tp.architecture),
        ("TARGETVARIANT", tp.variant),
        ("TARGETSTAGE", target),
    ]
    env = EnvList()
    for k, v in pairs:
        env = env.set(k, opts.build_args.get(k, v))
    return env


class Compiler:
    """One compilation of one Dockerfile; see :func:`compile_dockerfile`.

    The constructor takes every input and works out what does not depend on the
    engine: the SOURCE_DATE_EPOCH, the global ARGs, the stage graph, one
    :class:`StageState` per stage and the stages a named context replaces.
    :meth:`compile` (once) resolves, dispatches and returns the result."""

    def __init__(
        self,
        dockerfile: Dockerfile,
        opts: CompileOptions,
        resolver: ImageResolver,
    ) -> None:
        self.df = dockerfile
        self.opts = opts
        self.lexer: Lexer = dockerfile.lexer()
        self.source_map = opts.source_map or llb.SourceMap(
            dockerfile.filename, dockerfile.data or dockerfile.source.encode(), "Dockerfile"
        )
        self.sources = Sources(opts, resolver)
        # the build context's source: its follow paths are known only once every stage
        # is dispatched, so the op is made when the graph is marshalled (the callback
        # holds the slot only, not the compiler: the result must not keep it alive)
        self._main_context = _Slot()
        # a main context given as a state (a frontend input: any output of its op) is
        # used as it is; only the local directory waits for its follow paths
        self.build_context = (
            opts.main_context
            if opts.main_context is not None
            else llb.deferred(self._main_context.get)
        )
        self._compiled = False
        self._dispatched: list[DispatchedStage] = []

        stages = split_stages(dockerfile.instructions)
        # TARGETSTAGE: the target as given, else the last stage's name, else "default"
        target_name = opts.target or stages.stages[-1].name or "default"
        self.global_env = self._meta_args(stages.meta_args, default_args(opts, target_name))
        # after the global ARGs, before the stages see them: the resolved value
        # replaces SOURCE_DATE_EPOCH in the build args and the global ARGs
        self.epoch = self._source_date_epoch(stages)
        opts = self.opts
        self.graph = resolve_graph(stages, self.global_env, self.lexer, opts.target)
        self.states = self._make_states(self.graph)
        # stages whose name is a named context's: the context replaces them
        self.context_stages: dict[int, SourceKey] = {}
        for st in self.states if opts.named_context is not None else ():
            if st.stage.name:
                key = self.sources.context_key(st.stage.name, self._stage_platform(st))
                if key is not None:
                    self.context_stages[st.stage.index] = key

    # -- entry ----------------------------------------------------------------------

    def compile(self) -> CompileResult:
        if self._compiled:
            raise RuntimeError("a Compiler compiles once")
        self._compiled = True
        graph, states = self.graph, self.states
        self._check_image_names()
        reachable = self._reachable([graph.target])
        while True:
            self._resolve_bases(reachable)
            grew = self._init_onbuild(reachable)
            if not grew:
                break
            reachable = self._reachable(reachable | grew)
        self._resolve_bases(reachable)  # the images the last ONBUILD triggers name

        for st in states:
            if st.stage.index in reachable and not st.dispatched:
                self._dispatch_stage(st)

        target = states[graph.target]
        target.paths.add("/")  # the whole result is used
        image = target.img
        if self.opts.labels:
            image.set_labels(self.opts.labels.items())
        if self.opts.platform_explicit:
            image.set_platform(self.opts.target_platform)
        image.normalize_platform()

        ctx_paths: set[str] = set()
        for st in states:
            if st.dispatched:
                ctx_paths |= st.ctx_paths
        self._main_context.set(self._main_context_state(ctx_paths))
        ignore = any(st.ignore_cache for st in states if st.dispatched)
        extras, sbom_ignore = self._sbom_targets(target, reachable)
        return CompileResult(
            state=target.state,
            image=image,
            base_image=target.base_image,
            platform=self.opts.target_platform,
            source_map=self.source_map,
            ignore_cache=ignore,
            epoch=self.epoch,
            caps=self.opts.llb_caps,
            stages=tuple(sorted(self._dispatched, key=lambda d: d.index)),
            context_stages=frozenset(self.context_stages),
            sbom_extras=extras,
            sbom_ignore_cache=sbom_ignore,
        )

    # -- SOURCE_DATE_EPOCH ---------------------------------------------------------------

    def _source_date_epoch(self, stages: Stages) -> int | None:
        """The epoch (:func:`frontend.compiler.epoch.resolve_epoch`); its value (or
        nothing) then stands for SOURCE_DATE_EPOCH in the build args and global ARGs."""
        value = epoch_value(self.opts.build_args, self.global_env)
        if value is None:
            return None
        engine = self.opts.epoch_resolver is not None
        try:
            seconds = resolve_epoch(
                value,
                self.opts.epoch_resolver,
                stages=stages.stages,
                build_args=self.opts.build_args,
                global_env=self.global_env,
                lexer=self.lexer,
                main_context=self._epoch_main_context,
                named_context=self._epoch_named_context if engine else None,
            )
        except EpochError as e:
            raise DockerfileError(str(e)) from None
        formatted = "" if seconds is None else str(seconds)
        args, self.global_env = with_epoch_value(self.opts.build_args, self.global_env, formatted)
        self.opts = records.replace(self.opts, build_args=args)
        return seconds

    def _epoch_main_context(self) -> llb.State | None:
        """``SOURCE_DATE_EPOCH=context``: the main build context as the reference's
        ``MainContext`` gives it (a local directory: its source, without follow
        paths); None without an engine."""
        if self.opts.epoch_resolver is None:
            return None
        return self._main_context_state(set())

    def _epoch_named_context(self, value: str) -> llb.State | None:
        """The named context ``value`` (the reference's ``NamedContext``, for the
        build platform: the name must be a reference's), loaded; None when the build
        has none by that name."""
        try:
            name = context_name(value)
        except InvalidReferenceError as e:
            raise DockerfileError(f"invalid context name {value}: {e}") from None
        key = self.sources.context_key(name, self.opts.build_platform)
        if key is None:
            return None
        return self.sources.context_state(self.sources.context(key, None), set())

    # -- SBOM scan targets ----------------------------------------------------------------

    def _sbom_targets(
        self, target: StageState, reachable: AbstractSet[int]
    ) -> tuple[tuple[tuple[str, llb.State], ...], bool]:
        """The reference's ``SBOMTargets`` extras and ``IsIgnoreCache``: the build
        context when the target scans it, each other stage the target needs that
        scans itself (by its name); sorted by name (the reference walks a Go map)."""
        extras: dict[str, llb.State] = {}
        ignore = target.ignore_cache
        if self._scans(target, SBOM_SCAN_CONTEXT):
            extras["context"] = self.build_context
        for st in self.states:
            index = st.stage.index
            if index == target.stage.index or index not in reachable or not st.dispatched:
                continue
            if self._scans(st, SBOM_SCAN_STAGE):
                extras[st.stage.name or ""] = st.state
                ignore = ignore or st.ignore_cache
        return tuple(sorted(extras.items())), ignore

    def _scans(self, st: StageState, arg: str) -> bool:
        """Whether the SBOM switch ``arg`` is on for the stage: the global ARG's value,
        overridden by the stage's own ARG, each ``true``/``false`` or a comma list of
        stage names (the reference's ``isEnabledForStage``)."""
        on = False
        if arg in self.global_env:
            on = _enabled_for_stage(st.stage.name or "", self.global_env[arg])
        for key, value in st.build_args:
            if key == arg and value is not None:
                on = _enabled_for_stage(st.stage.name or "", value)
        return on

    # -- global ARGs ------------------------------------------------------------------

    def _meta_args(self, meta_args: tuple[Arg, ...], env: EnvList) -> EnvList:
        for cmd in meta_args:
            for pair in cmd.pairs:
                value: str | None
                if pair.key in self.opts.build_args:
                    value = self.opts.build_args[pair.key]
                elif pair.value is not None:
                    try:
                        value = self.lexer.expand_word(pair.value, env).value
                    except DockerfileError as e:
                        raise e.with_location(cmd.location) from None
                else:
                    value = None
                if value is not None:
                    env = env.set(pair.key, value)
        return env

    # -- stages -----------------------------------------------------------------------

    def _make_states(self, graph: StageGraph) -> list[StageState]:
        single = len(graph.stages) == 1 and not self._has_external_sources(graph)
        out: list[StageState] = []
        for rs in graph.stages:
            st = StageState(rs, "" if single else rs.stage.display_name)
            total = 1 if isinstance(rs.base, BaseImage) else 0
            total += sum(1 for c in rs.stage.commands if _counts_as_step(c))
            st.cmd_total = total
            st.commands = [(c, False) for c in rs.stage.commands]
            st.ignore_cache = self.opts.is_no_cache(rs.stage.name)
            st.epoch = None if self.epoch is None else epoch_time(self.epoch)
            st.epoch_ns = None if self.epoch is None else unix_nano(self.epoch)
            out.append(st)
        return out

    def _has_external_sources(self, graph: StageGraph) -> bool:
        """True when some ``--from``/``from=`` does not name a stage: the reference then
        counts an extra, unnamed state, so even a single stage keeps its ``stage-0``
        name. A ``RUN --mount`` without ``from`` (any type: bind from the context, cache,
        tmpfs, secret, ssh) counts as ``from=scratch``, as in the reference."""
        names = {s.stage.name.lower() for s in graph.stages if s.stage.name}
        for rs in graph.stages:
            for c in rs.stage.commands:
                if isinstance(c, Copy) and c.from_ and not _names_stage(c.from_, names):
                    return True
                if isinstance(c, Run):
                    for m in c.mounts:
                        if not m.from_ or not _names_stage(m.from_, names, by_index=False):
                            return True
        return False

    def _check_image_names(self) -> None:
        """Every stage's base image name and every ``--from``/``from=`` image must be
        an image reference, in stages the target needs or not: the reference parses
        them all (``resolveBaseImage`` of each state without a base stage) and
        resolves only the reachable ones. Stages first, then the ``--from`` images,
        as the reference's states are ordered."""
        for st in self.states:
            if isinstance(st.resolved.base, BaseImage):
                normalize(st.resolved.base_name, st.stage.location)
        for st in self.states:
            for ins in st.stage.commands:
                for value, loc in _image_sources(ins, self.graph):
                    normalize(value, loc)

    def _reachable(self, roots: Iterable[int]) -> frozenset[int]:
        """The stages ``roots`` need; a stage replaced by a named context does not
        need its base, as in the reference."""
        return self.graph.reachable(roots, replaced=self.context_stages)

    def _resolve_bases(self, reachable: AbstractSet[int]) -> None:
        """Resolve, concurrently, the base images (and ``--from`` images) needed, and
        load the named contexts used instead of images or stages."""
        jobs: dict[SourceKey, str] = {}  # (normalised ref, platform) -> name
        contexts: set[SourceKey] = set()
        for st in self.states:
            if st.stage.index not in reachable:
                if st.image is None and isinstance(st.resolved.base, BaseImage):
                    # the reference names the FROM of an image stage it does not need
                    # (yet) each round: one an ONBUILD trigger needs later counts them
                    st.begin_step()
                continue
            if st.stage.index in self.context_stages:
                if st.image is None:
                    contexts.add(self.context_stages[st.stage.index])
                continue
            if st.image is None and isinstance(st.resolved.base, BaseImage):
                ref = normalize(st.resolved.base_name, st.stage.location)
                platform = self._stage_platform(st)
                key = self.sources.context_key(ref, platform)
                if key is not None:
                    contexts.add(key)
                else:
                    jobs.setdefault((ref, platform), st.resolved.base_name)
            for ins, _ in st.commands:
                for value, loc in _image_sources(ins, self.graph):
                    ref = normalize(value, loc)
                    key = self.sources.context_key(ref, self.opts.target_platform)
                    if key is not None:
                        contexts.add(key)
                    else:
                        jobs.setdefault((ref, self.opts.target_platform), value)
        self.sources.load(jobs, contexts)
        for st in self.states:
            if st.stage.index in reachable and st.image is None and st.platform is None:
                self._init_base(st)

    def _stage_platform(self, st: StageState) -> llb.Platform:
        """The platform a stage's base is resolved for: its FROM ``--platform`` (as
        parsed, not normalised: the image source carries it so), else the target
        platform."""
        rs = st.resolved
        if not rs.platform:
            return self.opts.target_platform
        try:
            return llb.Platform.parse_raw(rs.platform)
        except ValueError as e:
            raise DockerfileError(
                f"failed to parse platform {rs.stage.from_.platform}: {e}", st.stage.location
            ) from None

    def _init_base(self, st: StageState) -> None:
        rs = st.resolved
        platform = self._stage_platform(st)
        if st.stage.index in self.context_stages:
            self._init_context_stage(st, platform)
            return
        if isinstance(rs.base, BaseStage):
            return  # initialised from its base stage when dispatched
        if isinstance(rs.base, BaseScratch):
            # as in the reference, FROM scratch is the target platform's whatever its
            # --platform says, and its state has none (its execs run for the target)
            st.platform = self.opts.target_platform
            st.state = llb.scratch()
            st.image = ImageConfig.empty(st.platform)
            return
        st.platform = platform
        ref = normalize(rs.base_name, st.stage.location)
        key = self.sources.context_key(ref, platform)
        if key is not None:
            # FROM <named context>: its state and (for an image) its config, like a
            # base image's; no FROM step of ours (the context names its own ops)
            ctx = self.sources.context(key, st.stage.location)
            if ctx.config is not None:
                st.image = ImageConfig.from_json(ctx.config)
                st.base_image = ImageConfig.from_json(ctx.config)
            else:
                st.image = ImageConfig.empty(platform)
                st.base_image = ImageConfig.empty(platform)
            st.state = self.sources.context_state(ctx, st.paths).with_platform(
                platform.normalized()
            )
            return
        res = self.sources.resolved(ref, rs.base_name, st.stage.location, platform)
        image = ImageConfig.from_json(res.config) if res.config else ImageConfig.empty(platform)
        if not res.config:
            image.clear_config()
        st.base_image = ImageConfig.from_json(res.config, keep_created=True) if res.config else None
        name = ref
        if res.ref and res.ref != ref:
            name = normalize(res.ref, st.stage.location)
        if res.digest:
            name = with_digest(name, res.digest)
        st.image = image
        if res.config and not image.has_layers:
            st.state = llb.scratch()
            return
        st.begin_step()
        st.state = self.sources.image_state(
            name,
            platform,
            llb.Constraints.of(
                custom_name=st.step_name(
                    "FROM " + name, self.opts.multi_platform, target_env=False
                ),
                description={"com.docker.dockerfile.v1.command": st.stage.from_.original},
                locations=[self.location(st.stage.location)],
            ),
        )

    def _init_context_stage(self, st: StageState, platform: llb.Platform) -> None:
        """A stage named like a named context IS that context: its own instructions
        are never dispatched; an image context's config becomes the stage's, and its
        platform the image's."""
        ctx = self.sources.context(self.context_stages[st.stage.index], st.stage.location)
        st.state = self.sources.context_state(ctx, st.paths)
        st.dispatched = True
        st.platform = platform
        if ctx.config is not None:
            image = ImageConfig.from_json(ctx.config)
            image.clear_onbuild()
            named = image.platform  # the image's own platform, when it names one
            if named is not None:
                st.platform = named
        else:
            image = ImageConfig.empty(platform)
            image.clear_config()
        st.image = image

    def _init_onbuild(self, reachable: AbstractSet[int]) -> set[int]:
        """Queue ONBUILD triggers (base image config, or the base stage's ONBUILDs) in
        front of each reachable stage's commands; return stages they newly need."""
        grew: set[int] = set()
        for st in self.states:
            if st.stage.index not in reachable or st.onbuild_initialised:
                continue
            if st.stage.index in self.context_stages:
                st.onbuild_initialised = True  # never dispatched
                continue
            if st.image is None and not isinstance(st.resolved.base, BaseStage):
                continue
            st.onbuild_initialised = True
            triggers: list[str] = []
            if st.image is not None:
                triggers = st.image.onbuild
            if isinstance(st.resolved.base, BaseStage):
                base = self.states[st.resolved.base.index]
                triggers += [c.expression for c, _ in base.commands if isinstance(c, Onbuild)]
            if not triggers:
                continue
            cmds: list[tuple[Instruction, bool]] = []
            for text in triggers:
                cmd = self._parse_trigger(text, st.stage.location)
                cmds.append((cmd, True))
                for r in _stage_sources(cmd):
                    check_from_ref(r, self.lexer)
                    src = self.graph.source(r.value, r.location, by_index=r.by_index)
                    if isinstance(src, BaseStage) and src.index not in reachable:
                        grew.add(src.index)
            st.commands = cmds + st.commands
            st.cmd_total += len(cmds)  # every trigger counts, as in the reference
            if st.image is not None:
                st.image.clear_onbuild()
        return grew

    def _parse_trigger(self, text: str, location: Range) -> Instruction:
        try:
            parsed = parse_dockerfile(text, self.df.filename)
        except DockerfileError as e:
            # the reference (parser.SetLocation) puts the error at the stage's FROM, and
            # its ParseCommand has no "dockerfile parse error on line N" wording
            raise DockerfileError(e.message, location, self.df.filename) from None
        if len(parsed.instructions) != 1:
            raise DockerfileError("onbuild trigger should be a single expression", location)
        cmd = parsed.instructions[0]
        if isinstance(cmd, From):
            # a base image's config may carry any text; the reference's ParseCommand
            # refuses what is no command with its Go type's name
            raise DockerfileError("*instructions.Stage is not a command type", location)
        return records.replace(cmd, location=location)

    # -- dispatch -----------------------------------------------------------------------

    def _dispatch_stage(self, st: StageState) -> None:
        rs = st.resolved
        if isinstance(rs.base, BaseStage):
            base = self.states[rs.base.index]
            if not base.dispatched:
                self._dispatch_stage(base)
            st.state = base.state
            st.platform = base.platform
            st.image = base.img.clone()
            st.image.clear_onbuild()
            st.base_image = base.base_image.clone() if base.base_image else None
            st.build_args = list(base.build_args)
            st.paths = base.paths  # uses of this stage are uses of its base
            st.env = base.env
            st.cwd = base.cwd
            st.user = base.user
            st.network = base.network
        st.dispatched = True
        if st.platform is None:
            st.platform = self.opts.target_platform
        image = st.img
        if not image.has_env("PATH") and st.plat.os != "windows":
            image.set_env("PATH", DEFAULT_PATH)
        for item in image.env:
            k, _, v = item.partition("=")
            st.env = st.env.set(k, v)
        if image.workdir:  # the reference's WORKDIR of the image's own directory
            try:
                image.workdir = normalize_workdir(image.workdir, image.workdir, st.plat.os)
            except DockerfileError as e:
                raise e.with_location(st.stage.location) from None
            st.cwd = to_slash(image.workdir, st.plat.os)
        if image.user:
            st.user = image.user
        if self.opts.network_mode != "default":
            st.network = self.opts.network_mode
        record = DispatchedStage(
            st.stage.index, tuple(st.env.items()), tuple(c for c, _ in st.commands)
        )
        self._dispatched.append(record)
        for ins, onbuild in st.commands:
            st.cmd_is_onbuild = onbuild
            try:
                dispatch(self, st, ins)
            except DockerfileError as e:
                raise e if e.location is not None else e.with_location(ins.location) from None

    # -- what the rules ask of the compilation (steps.RuleContext) -----------------------

    def location(self, r: Range) -> llb.Location:
        return self.source_map.location(
            [llb.SourceRange.lines(line) for line in range(r.start_line, r.end_line + 1)]
        )

    def source_for(
        self, value: str, location: Range, current: StageState, *, mount: str | None = None
    ) -> tuple[llb.State, set[str]]:
        """The state a ``--from`` names: a dispatched stage, a named context or an
        image, and the set the caller adds the paths it reads to. For a ``RUN --mount
        from=`` (``mount`` is the mount's target as written) a number is not a stage
        index, an image source gets no location and a stage not yet built is refused
        with the mount's message, as in the reference.

        As in the reference, every use of an image makes its own implicit stage, so an
        image used twice gets one source location per use (the ops are the same and
        merge when marshalled)."""
        src = self.graph.source(value, location, by_index=mount is None)
        if isinstance(src, BaseStage):
            other = self.states[src.index]
            if not other.dispatched:
                if mount is not None:
                    raise DockerfileError(
                        f"cannot mount from stage {go_quote(value)} to {go_quote(mount)}, "
                        "stage needs to be defined before current command",
                        location,
                    )
                raise DockerfileError(
                    f'cannot copy from stage "{value}", it needs to be defined before '
                    f'current stage "{current.stage.display_name}"',
                    location,
                )
            return other.state, other.paths
        paths: set[str] = set()
        where = self.source_map.location(()) if mount is not None else self.location(location)
        return self.sources.external_state(src.ref, location, where, paths), paths

    # -- the build context ----------------------------------------------------------------

    def _main_context_state(self, ctx_paths: set[str]) -> llb.State:
        if self.opts.main_context is not None:
            return self.opts.main_context
        follow = follow_paths(ctx_paths)
        return llb.local(
            self.opts.context_name,
            session_id=self.opts.session_id,
            exclude_patterns=self.opts.exclude_patterns(),
            follow_paths=follow,
            shared_key_hint=self.opts.context_name,
            constraints=llb.Constraints.of(custom_name="[internal] load build context"),
        )


class _Slot:
    """The main build context's state, set once every stage is dispatched."""

    __slots__ = ("_state",)

    def __init__(self) -> None:
        self._state: llb.State | None = None

    def set(self, state: llb.State) -> None:
        self._state = state

    def get(self) -> llb.State:
        if self._state is None:
            raise RuntimeError("build context used before it was finalised")
        return self._state


SBOM_SCAN_CONTEXT = "BUILDKIT_SBOM_SCAN_CONTEXT"
SBOM_SCAN_STAGE = "BUILDKIT_SBOM_SCAN_STAGE"


def _enabled_for_stage(stage: str, value: str) -> bool:
    enabled = go_parse_bool(value)
    if enabled is not None:
        return enabled
    return stage in value.split(",")


def _counts_as_step(ins: Instruction) -> bool:
    return isinstance(ins, Run | Copy | Add | Workdir)


def _names_stage(value: str, names: set[str], *, by_index: bool = True) -> bool:
    return (by_index and go_parse_uint(value) is not None) or value.lower() in names


def _stage_sources(ins: Instruction) -> list[FromRef]:
    """The ``--from``/``from=`` sources ``ins`` itself uses (not its ONBUILD
    triggers)."""
    return [r for r in from_refs(ins) if not r.onbuild]


def _image_sources(ins: Instruction, graph: StageGraph) -> list[tuple[str, Range]]:
    out = []
    for r in _stage_sources(ins):
        if r.value == "scratch":
            continue
        src = graph.source(r.value, r.location, by_index=r.by_index)
        if isinstance(src, BaseImage):
            out.append((src.ref, r.location))
    return out


def compile_dockerfile(
    dockerfile: Dockerfile,
    opts: CompileOptions,
    resolver: ImageResolver = no_resolver,
) -> CompileResult:
    """Compile ``dockerfile`` for ``opts`` (target, build args, platform, ...).

    Raises :class:`DockerfileError` for every user error, located where the reference
    locates it.
    """
    return Compiler(dockerfile, opts, resolver).compile()
