"""Compile a parsed Dockerfile to LLB and an image config (pipeline step 3).

Owned step: given the stage graph, resolve the base images the target needs
(concurrently), then dispatch the reachable stages in file order, instruction by
instruction, exactly as the reference frontend (``dockerfile2llb``) does: the same ops,
fields, step names, source locations and image config. The per-instruction rules live
in :mod:`frontend.compiler.dispatch`; this module owns the stage bookkeeping.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from frontend import llb
from frontend.compiler.envlist import EnvList
from frontend.compiler.epoch import EpochError, epoch_time, source_date_epoch
from frontend.compiler.image import DEFAULT_PATH, ImageConfig
from frontend.compiler.options import (
    CompileOptions,
    ContextSource,
    ImageResolver,
    LocalContext,
    NamedContext,
    ResolvedImage,
    no_resolver,
)
from frontend.language import Dockerfile, parse_dockerfile
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Add, Copy, Instruction, Onbuild, Run, Workdir
from frontend.language.shell import Lexer
from frontend.llb.reference import ImageReference, InvalidReferenceError, parse_normalized
from frontend.llb.source import ResolveMode
from frontend.stages import (
    BaseImage,
    BaseScratch,
    BaseStage,
    FromRef,
    ResolvedStage,
    Stage,
    StageGraph,
    from_refs,
    resolve_graph,
    split_stages,
)

# ARGs that never become environment variables of RUN steps
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


@dataclass(frozen=True, slots=True)
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

    def definition(self) -> llb.Definition:
        return llb.marshal(self.state, default_platform=self.platform)


@dataclass(eq=False)
class StageState:
    """One stage while it is compiled (local to one compilation)."""

    resolved: ResolvedStage
    name: str  # progress prefix name ("" when the Dockerfile has one stage)
    state: llb.State = field(default_factory=llb.scratch)
    image: ImageConfig | None = None
    base_image: ImageConfig | None = None
    platform: llb.Platform | None = None
    env: EnvList = field(default_factory=EnvList)
    cwd: str = "/"
    user: str = ""
    network: str = "default"
    build_args: list[tuple[str, str | None]] = field(default_factory=list)
    commands: list[tuple[Instruction, bool]] = field(default_factory=list)  # (cmd, onbuild)
    cmd_total: int = 0
    cmd_index: int = 0
    cmd_is_onbuild: bool = False
    cmd_set: bool = False  # CMD seen in this stage (ENTRYPOINT then keeps it)
    ignore_cache: bool = False
    epoch: str | None = None  # history ``created`` (RFC 3339) from SOURCE_DATE_EPOCH
    dispatched: bool = False
    onbuild_initialised: bool = False
    ctx_paths: set[str] = field(default_factory=set)
    # paths other stages or commands read from this stage's filesystem ("/" = all);
    # shared with the stages built on it (the follow paths of a local named context)
    paths: set[str] = field(default_factory=set)

    @property
    def stage(self) -> Stage:
        return self.resolved.stage

    @property
    def img(self) -> ImageConfig:
        assert self.image is not None
        return self.image

    @property
    def plat(self) -> llb.Platform:
        assert self.platform is not None
        return self.platform

    def prefix(self, text: str, multi_platform: bool, *, target_env: bool = True) -> str:
        """``[name i/n] text`` (the reference's ``prefixCommand``); advances the index.

        With several platforms the prefix starts with the step's platform and, when the
        stage's env names another target (``ARG TARGETARCH`` in a stage built for the
        build platform), ``->arch`` (``target_env=False``: not for FROM)."""
        if self.cmd_total == 0:
            return text
        out = "["
        if multi_platform and self.platform is not None:
            out += str(self.platform)
            if target_env:
                out += target_platform_suffix(self.platform, self.env)
            out += " "
        if self.name:
            out += self.name + " "
        self.cmd_index += 1
        width = int(1 + math.log10(self.cmd_total))
        out += f"{self.cmd_index:>{width}}/{self.cmd_total}] "
        if self.cmd_is_onbuild:
            out += "ONBUILD "
        return out + text


def target_platform_suffix(base: llb.Platform, env: EnvList) -> str:
    """The reference's ``formatTargetPlatform(base, platformFromEnv(env))``: ``->arm64``
    when the env's TARGETPLATFORM (or TARGETOS/TARGETARCH/TARGETVARIANT) names another
    architecture on the same OS, ``->os/arch`` for another OS, else empty."""
    os_name = arch = variant = ""
    found = False
    for key in env:
        value = env.get(key) or ""
        if key == "TARGETPLATFORM":
            try:
                p = llb.Platform.parse(value)
            except ValueError:
                return ""
            os_name, arch, variant, found = p.os, p.architecture, p.variant, True
            break
        if key == "TARGETOS":
            os_name, found = value, True
        elif key == "TARGETARCH":
            arch, found = value, True
        elif key == "TARGETVARIANT":
            variant, found = value, True
    if not found:
        return ""
    try:
        target = llb.Platform.parse(
            f"{os_name or base.os}/{arch or base.architecture}" + (f"/{variant}" if variant else "")
        )
    except ValueError:
        return ""
    if target.os == base.os and target.architecture != base.architecture:
        return "->" + target.architecture + (f"/{target.variant}" if target.variant else "")
    if target.os != base.os:
        return "->" + str(target)
    return ""


def _counts_as_step(ins: Instruction) -> bool:
    return isinstance(ins, Run | Copy | Add | Workdir)


def default_args(opts: CompileOptions, target: str) -> EnvList:
    """The automatic platform ARGs (overridable by build args) and TARGETSTAGE."""
    bp, tp = opts.build_platform, opts.target_platform
    pairs = [
        ("BUILDPLATFORM", str(bp)),
        ("BUILDOS", bp.os),
        ("BUILDOSVERSION", bp.os_version),
        ("BUILDARCH", bp.architecture),
        ("BUILDVARIANT", bp.variant),
        ("TARGETPLATFORM", str(tp)),
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


def normalize_ref(name: str) -> str:
    """``alpine`` -> ``docker.io/library/alpine:latest`` (tag added when missing)."""
    ref = parse_normalized(name)
    return str(ImageReference(ref.domain, ref.path, ref.tag or "latest"))


def context_name(name: str) -> str:
    """The name a named build context is looked up by (the reference's
    ``NamedContext``): the familiar form without ``:latest``, so
    ``docker.io/library/alpine:latest`` -> ``alpine`` and ``alpine:3.15`` stays.
    Raises :class:`InvalidReferenceError` for a name that is no image reference."""
    return parse_normalized(name).familiar().removesuffix(":latest")


def follow_paths(paths: set[str]) -> list[str]:
    """The reference's ``normalizeContextPaths``: none when the whole tree is used
    (``/``), else the used paths relative to the root, sorted."""
    if "/" in paths:
        return []
    return sorted({p.lstrip("/") or "." for p in paths})


class Compiler:
    """One compilation of one Dockerfile; see :func:`compile_dockerfile`."""

    def __init__(
        self,
        dockerfile: Dockerfile,
        opts: CompileOptions,
        resolver: ImageResolver,
    ) -> None:
        self.df = dockerfile
        self.opts = opts
        self.resolver = resolver
        self.lexer: Lexer = dockerfile.lexer()
        self.source_map = llb.SourceMap(
            dockerfile.filename, dockerfile.source.encode(), "Dockerfile"
        )
        # the build context's source: its follow paths are known only once every stage
        # is dispatched, so the op is made when the graph is marshalled
        self._main_context: llb.State | None = None
        self.build_context = llb.deferred(self._finalised_main_context)
        # (normalised ref, platform) -> the resolver's answer
        self._resolved_cache: dict[tuple[str, str], ResolvedImage | Exception] = {}
        # (context name, platform) -> the named context found (None: there is none)
        self._context_sources: dict[tuple[str, str], ContextSource | None] = {}
        self._contexts: dict[tuple[str, str], NamedContext | Exception] = {}
        # stages whose name is a named context's: the context replaces them
        self.context_stages: dict[int, tuple[str, str]] = {}
        try:
            self.epoch = source_date_epoch(opts.build_args)
        except EpochError as e:
            raise DockerfileError(str(e)) from None

    # -- entry ----------------------------------------------------------------------

    def compile(self) -> CompileResult:
        stages = split_stages(self.df.instructions)
        target_name = self.opts.target or (stages.stages[-1].name or "")
        global_env = default_args(self.opts, target_name)
        global_env = self._meta_args(stages.meta_args, global_env)
        self.global_env = global_env
        graph = resolve_graph(stages, global_env, self.lexer, self.opts.target)
        self.graph = graph
        states = self._make_states(graph)
        self.states = states
        for st in states if self.opts.named_context is not None else ():
            if st.stage.name:
                key = self._context_key(st.stage.name, self._stage_platform(st))
                if key is not None:
                    self.context_stages[st.stage.index] = key

        reachable = self._reachable([graph.target])
        while True:
            self._resolve_bases(reachable)
            grew = self._init_onbuild(reachable)
            if not grew:
                break
            reachable = self._reachable(reachable | grew)

        for st in states:
            if st.stage.index in reachable and not st.dispatched:
                self._dispatch_stage(st)

        target = states[graph.target]
        target.paths.add("/")  # the whole result is used
        image = target.img
        if self.opts.labels:
            labels = image.config.get("Labels") or {}
            labels.update(self.opts.labels)
            image.config["Labels"] = labels
        if self.opts.platform_explicit:
            image.set_platform(self.opts.target_platform)

        ctx_paths: set[str] = set()
        for st in states:
            if st.dispatched:
                ctx_paths |= st.ctx_paths
        self._main_context = self._main_context_state(ctx_paths)
        ignore = any(st.ignore_cache for st in states if st.dispatched)
        return CompileResult(
            state=target.state,
            image=image,
            base_image=target.base_image,
            platform=target.plat,
            source_map=self.source_map,
            ignore_cache=ignore,
            epoch=self.epoch,
        )

    # -- global ARGs ------------------------------------------------------------------

    def _meta_args(self, meta_args: tuple[Instruction, ...], env: EnvList) -> EnvList:
        from frontend.language.instructions import Arg

        for cmd in meta_args:
            assert isinstance(cmd, Arg)
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

    def _reachable(self, roots: Iterable[int]) -> frozenset[int]:
        """The stages ``roots`` need; a stage replaced by a named context does not
        need its base, as in the reference."""
        return self.graph.reachable(roots, replaced=self.context_stages)

    def _context_key(self, name: str, platform: llb.Platform) -> tuple[str, str] | None:
        """The key of the named context ``name`` (a stage name or a normalised image
        reference) for ``platform``, or None when the build has no such context. As
        in the reference, ``scratch`` and ``context`` are never named contexts."""
        lookup = self.opts.named_context
        if lookup is None or name.lower() in ("scratch", "context"):
            return None
        try:
            short = context_name(name)
        except InvalidReferenceError as e:
            raise DockerfileError(f"invalid context name {name}: {e}") from None
        key = (short, str(platform))
        if key not in self._context_sources:
            self._context_sources[key] = lookup(short, platform)
        return key if self._context_sources[key] is not None else None

    def _load_context(self, key: tuple[str, str]) -> NamedContext | Exception:
        source = self._context_sources[key]
        assert source is not None
        try:
            return source.load()
        except Exception as e:  # reported where the context is used
            return e

    def _context(self, key: tuple[str, str], location: Range | None) -> NamedContext:
        if key not in self._contexts:
            self._contexts[key] = self._load_context(key)
        res = self._contexts[key]
        if isinstance(res, DockerfileError):
            raise res if location is None else res.with_location(location)
        if isinstance(res, Exception):
            raise DockerfileError(str(res), location) from res
        return res

    def _context_state(self, ctx: NamedContext, paths: set[str]) -> llb.State:
        """The state of one use of a loaded context; a local directory gets its own
        source whose follow paths are the ``paths`` this use reads."""
        if ctx.local is None:
            return ctx.state
        return _context_local(ctx.local, paths)

    def _resolve_bases(self, reachable: AbstractSet[int]) -> None:
        """Resolve, concurrently, the base images (and ``--from`` images) needed, and
        load the named contexts used instead of images or stages."""
        jobs: dict[tuple[str, str], str] = {}  # (normalised ref, platform) -> name
        contexts: set[tuple[str, str]] = set()
        for st in self.states:
            if st.stage.index not in reachable or st.image is not None:
                continue
            if st.stage.index in self.context_stages:
                contexts.add(self.context_stages[st.stage.index])
                continue
            if isinstance(st.resolved.base, BaseImage):
                ref = self._normalize(st.resolved.base_name, st.stage.location)
                platform = self._stage_platform(st)
                key = self._context_key(ref, platform)
                if key is not None:
                    contexts.add(key)
                else:
                    jobs.setdefault((ref, str(platform)), st.resolved.base_name)
            for ins, _ in st.commands:
                for value, loc in _image_sources(ins, self.graph):
                    ref = self._normalize(value, loc)
                    key = self._context_key(ref, self.opts.target_platform)
                    if key is not None:
                        contexts.add(key)
                    else:
                        jobs.setdefault((ref, str(self.opts.target_platform)), value)
        todo = [k for k in jobs if k not in self._resolved_cache]
        todo_contexts = sorted(k for k in contexts if k not in self._contexts)
        if todo or todo_contexts:
            workers = min(8, len(todo) + len(todo_contexts))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                loaded = list(pool.map(self._load_context, todo_contexts))
                results = list(pool.map(self._resolve_one, todo))
            for key, res in zip(todo, results, strict=True):
                self._resolved_cache[key] = res
            for ckey, cres in zip(todo_contexts, loaded, strict=True):
                self._contexts[ckey] = cres
        for st in self.states:
            if st.stage.index in reachable and st.image is None and st.platform is None:
                self._init_base(st)

    def _stage_platform(self, st: StageState) -> llb.Platform:
        """The platform a stage's base is resolved for: its FROM ``--platform``, else
        the target platform."""
        rs = st.resolved
        if not rs.platform:
            return self.opts.target_platform
        try:
            return llb.Platform.parse(rs.platform)
        except ValueError as e:
            raise DockerfileError(
                f"failed to parse platform {rs.stage.from_.platform}: {e}", st.stage.location
            ) from None

    def _resolve_one(self, key: tuple[str, str]) -> ResolvedImage | Exception:
        ref = key[0]
        platform = llb.Platform.parse(key[1])
        prefix = "["
        if self.opts.multi_platform:
            prefix += str(platform) + " "
        log_name = f"{prefix}internal] load metadata for {ref}"
        try:
            return self.resolver(ref, platform, log_name)
        except Exception as e:  # reported at the FROM that needs it
            return e

    def _resolved(
        self, ref: str, original: str, location: Range, platform: llb.Platform
    ) -> ResolvedImage:
        res = self._resolved_cache[(ref, str(platform))]
        if isinstance(res, DockerfileError):
            raise res.with_location(location)
        if isinstance(res, Exception):
            raise DockerfileError(f"{original}: {res}", location) from res
        return res

    def _normalize(self, name: str, location: Range) -> str:
        try:
            return normalize_ref(name)
        except InvalidReferenceError as e:
            raise DockerfileError(f'failed to parse stage name "{name}": {e}', location) from None

    def _init_base(self, st: StageState) -> None:
        rs = st.resolved
        platform = self._stage_platform(st)
        if st.stage.index in self.context_stages:
            self._init_context_stage(st, platform)
            return
        if isinstance(rs.base, BaseStage):
            return  # initialised from its base stage when dispatched
        st.platform = platform
        if isinstance(rs.base, BaseScratch):
            st.state = llb.scratch()
            st.image = ImageConfig.empty(platform)
            return
        ref = self._normalize(rs.base_name, st.stage.location)
        key = self._context_key(ref, platform)
        if key is not None:
            # FROM <named context>: its state and (for an image) its config, like a
            # base image's; no FROM step of ours (the context names its own ops)
            ctx = self._context(key, st.stage.location)
            if ctx.config is not None:
                st.image = ImageConfig.from_json(ctx.config)
                st.base_image = ImageConfig.from_json(ctx.config)
            else:
                st.image = ImageConfig.empty(platform)
                st.base_image = ImageConfig.empty(platform)
            st.state = self._context_state(ctx, st.paths).with_platform(platform)
            return
        res = self._resolved(ref, rs.base_name, st.stage.location, platform)
        image = ImageConfig.from_json(res.config) if res.config else ImageConfig.empty(platform)
        if not res.config:
            image.config.clear()
        st.base_image = ImageConfig.from_json(res.config, keep_created=True) if res.config else None
        name = ref
        if res.ref and res.ref != ref:
            name = self._normalize(res.ref, st.stage.location)
        if res.digest:
            name = _with_digest(name, res.digest)
        st.image = image
        if res.config and not image.has_layers:
            st.state = llb.scratch()
            return
        st.state = llb.image(
            name,
            platform=platform,
            resolve_mode=_resolve_mode(self.opts.image_resolve_mode),
            constraints=llb.Constraints.of(
                custom_name=st.prefix("FROM " + name, self.opts.multi_platform, target_env=False),
                description={"com.docker.dockerfile.v1.command": st.stage.from_.original},
                locations=[self._location(st.stage.location)],
            ),
        )

    def _init_context_stage(self, st: StageState, platform: llb.Platform) -> None:
        """A stage named like a named context IS that context: its own instructions
        are never dispatched; an image context's config becomes the stage's, and its
        platform the image's."""
        ctx = self._context(self.context_stages[st.stage.index], st.stage.location)
        st.state = self._context_state(ctx, st.paths)
        st.dispatched = True
        st.platform = platform
        if ctx.config is not None:
            image = ImageConfig.from_json(ctx.config)
            image.config.pop("OnBuild", None)
            os_name = str(image.data.get("os") or "")
            arch = str(image.data.get("architecture") or "")
            if os_name and arch:
                st.platform = llb.Platform(
                    os_name,
                    arch,
                    str(image.data.get("variant") or ""),
                    str(image.data.get("os.version") or ""),
                )
        else:
            image = ImageConfig.empty(platform)
            image.config.clear()
        st.image = image

    def external_state(
        self,
        value: str,
        location: Range,
        *,
        located: bool = True,
        paths: set[str] | None = None,
    ) -> llb.State:
        """The state of a ``--from`` that names an image (or ``scratch``), or a named
        context (``paths``: what this use reads from it).

        As in the reference, every use makes its own implicit stage, so an image used
        twice gets one source location per use (the ops are the same and merge when
        marshalled). ``located=False`` (``RUN --mount from=``, whose implicit stage has
        no location in the reference) gives it an empty location."""
        if value == "scratch":
            return llb.scratch()
        ref = self._normalize(value, location)
        key = self._context_key(ref, self.opts.target_platform)
        if key is not None:
            ctx = self._context(key, location)
            return self._context_state(ctx, set() if paths is None else paths)
        res = self._resolved(ref, value, location, self.opts.target_platform)
        name = ref
        if res.digest:
            name = _with_digest(ref, res.digest)
        where = self._location(location) if located else self.source_map.location(())
        return llb.image(
            name,
            platform=self.opts.target_platform,
            resolve_mode=_resolve_mode(self.opts.image_resolve_mode),
            constraints=llb.Constraints.of(custom_name="FROM " + name, locations=[where]),
        )

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
                triggers = [str(t) for t in st.image.config.get("OnBuild") or []]
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
                    src = self.graph.source(r.value, r.location, by_index=r.by_index)
                    if isinstance(src, BaseStage) and src.index not in reachable:
                        grew.add(src.index)
            st.commands = cmds + st.commands
            st.cmd_total += len(cmds)  # every trigger counts, as in the reference
            if st.image is not None:
                st.image.config.pop("OnBuild", None)
        return grew

    def _parse_trigger(self, text: str, location: Range) -> Instruction:
        try:
            parsed = parse_dockerfile(text, self.df.filename)
        except DockerfileError as e:
            raise e.with_location(location) from None
        if len(parsed.instructions) != 1:
            raise DockerfileError("onbuild trigger should be a single expression", location)
        ins = parsed.instructions[0]
        return _relocate(ins, location)

    # -- dispatch -----------------------------------------------------------------------

    def _dispatch_stage(self, st: StageState) -> None:
        from frontend.compiler.dispatch import dispatch

        rs = st.resolved
        if isinstance(rs.base, BaseStage):
            base = self.states[rs.base.index]
            if not base.dispatched:
                self._dispatch_stage(base)
            st.state = base.state
            st.platform = base.platform
            st.image = base.img.clone()
            st.image.config.pop("OnBuild", None)
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
        env_items = image.env
        if not any(e.partition("=")[0] == "PATH" for e in env_items) and st.plat.os != "windows":
            image.config["Env"] = [*env_items, f"PATH={DEFAULT_PATH}"]
        for item in image.env:
            k, _, v = item.partition("=")
            st.env = st.env.set(k, v)
        workdir = image.config.get("WorkingDir") or ""
        if workdir:
            st.cwd = normalize_workdir(st.cwd, str(workdir))
            image.config["WorkingDir"] = st.cwd
        user = image.config.get("User") or ""
        if user:
            st.user = str(user)
        if self.opts.network_mode != "default":
            st.network = self.opts.network_mode
        for ins, onbuild in st.commands:
            st.cmd_is_onbuild = onbuild
            try:
                dispatch(self, st, ins)
            except DockerfileError as e:
                raise e if e.location is not None else e.with_location(ins.location) from None

    # -- helpers for dispatch -----------------------------------------------------------

    def _location(self, r: Range) -> llb.Location:
        return self.source_map.location(
            [llb.SourceRange.lines(line) for line in range(r.start_line, r.end_line + 1)]
        )

    def location(self, r: Range) -> llb.Location:
        return self._location(r)

    def source_for(
        self, value: str, location: Range, current: StageState, *, mount: bool = False
    ) -> tuple[llb.State, set[str]]:
        """The state a ``--from`` names: a dispatched stage, a named context or an
        image, and the set the caller adds the paths it reads to. For a ``RUN --mount
        from=`` (``mount``) a number is not a stage index and an image source gets no
        location, as in the reference."""
        src = self.graph.source(value, location, by_index=not mount)
        if isinstance(src, BaseStage):
            other = self.states[src.index]
            if not other.dispatched:
                raise DockerfileError(
                    f'cannot copy from stage "{value}", it needs to be defined before '
                    f'current stage "{current.stage.display_name}"',
                    location,
                )
            return other.state, other.paths
        paths: set[str] = set()
        return self.external_state(src.ref, location, located=not mount, paths=paths), paths

    def _finalised_main_context(self) -> llb.State:
        if self._main_context is None:
            raise RuntimeError("build context used before it was finalised")
        return self._main_context

    def _main_context_state(self, ctx_paths: set[str]) -> llb.State:
        follow = follow_paths(ctx_paths)
        return llb.local(
            self.opts.context_name,
            session_id=self.opts.session_id,
            exclude_patterns=self.opts.dockerignore,
            follow_paths=follow,
            shared_key_hint=self.opts.context_name,
            constraints=llb.Constraints.of(custom_name="[internal] load build context"),
        )


def _context_local(ctx: LocalContext, paths: set[str]) -> llb.State:
    """One use of a local named context: ``local://NAME`` whose follow paths are the
    paths that use reads, known only once every stage is dispatched (the reference's
    ``asyncLocalOutput``); the source is made when the graph is marshalled."""

    def make() -> llb.State:
        return llb.local(
            ctx.local_name,
            session_id=ctx.session_id,
            exclude_patterns=ctx.exclude_patterns,
            follow_paths=follow_paths(paths),
            shared_key_hint=ctx.shared_key_hint,
            constraints=llb.Constraints.of(custom_name=ctx.custom_name or None),
        )

    return llb.deferred(make)


def _names_stage(value: str, names: set[str], *, by_index: bool = True) -> bool:
    return (by_index and value.isdigit()) or value.lower() in names


def _stage_sources(ins: Instruction) -> list[FromRef]:
    """The ``--from``/``from=`` sources ``ins`` itself reads (not its ONBUILD triggers,
    not a tmpfs mount's ignored ``from=``)."""
    return [r for r in from_refs(ins) if r.reads_source and not r.onbuild]


def _image_sources(ins: Instruction, graph: StageGraph) -> list[tuple[str, Range]]:
    out = []
    for r in _stage_sources(ins):
        if r.value == "scratch":
            continue
        src = graph.source(r.value, r.location, by_index=r.by_index)
        if isinstance(src, BaseImage):
            out.append((src.ref, r.location))
    return out


def _relocate(ins: Instruction, location: Range) -> Instruction:
    import dataclasses

    return dataclasses.replace(ins, location=location)


def _with_digest(name: str, digest: str) -> str:
    ref = parse_normalized(name)
    return str(ImageReference(ref.domain, ref.path, ref.tag, digest))


def _resolve_mode(mode: str) -> ResolveMode:
    if mode == "pull":
        return "pull"
    if mode == "local":
        return "local"
    return "default"


def normalize_workdir(current: str, path: str) -> str:
    """The reference's ``NormalizeWorkdir`` for Linux: join relative paths to the
    current directory and clean."""
    import posixpath

    if not path.startswith("/"):
        path = posixpath.join(current or "/", path)
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


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
