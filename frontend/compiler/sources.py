"""Base images and named contexts of one compilation (part of pipeline step 3).

Owned step: what a ``FROM`` or ``--from`` that is not a stage of the Dockerfile
stands for — resolving image configs (concurrently, once per reference and
platform, errors kept until the instruction that needs the image), finding and
loading named build contexts (``--build-context``), and the LLB state of each use:
an image source, a loaded context's state, or a local directory whose follow paths
are known only at the end (an :func:`frontend.llb.deferred` state).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from frontend import llb
from frontend.compiler.options import (
    CompileOptions,
    ContextSource,
    ImageResolver,
    LocalContext,
    NamedContext,
    ResolvedImage,
)
from frontend.compiler.steps import CMD_DESCRIPTION
from frontend.language.errors import DockerfileError, Range
from frontend.llb.reference import (
    ImageReference,
    InvalidReferenceError,
    normalize_image_ref,
    parse_normalized,
)
from frontend.llb.source import ResolveMode

# (normalised image reference or context name, platform)
SourceKey = tuple[str, llb.Platform]


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


def normalize(name: str, location: Range) -> str:
    """``alpine`` -> ``docker.io/library/alpine:latest`` (the llb rule: a digest is
    kept), as a located error for a name that is no image reference."""
    try:
        return normalize_image_ref(name)
    except InvalidReferenceError as e:
        raise DockerfileError(f'failed to parse stage name "{name}": {e}', location) from None


class Sources:
    """The images and named contexts one compilation uses (see the module doc)."""

    def __init__(self, opts: CompileOptions, resolver: ImageResolver) -> None:
        self.opts = opts
        self.resolver = resolver
        # (normalised ref, platform) -> the resolver's answer
        self._resolved: dict[SourceKey, ResolvedImage | Exception] = {}
        # (context name, platform) -> the named context found (None: there is none)
        self._context_sources: dict[SourceKey, ContextSource | None] = {}
        self._contexts: dict[SourceKey, NamedContext | Exception] = {}

    # -- named contexts -----------------------------------------------------------

    def context_key(self, name: str, platform: llb.Platform) -> SourceKey | None:
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
        key = (short, platform)
        if key not in self._context_sources:
            self._context_sources[key] = lookup(short, platform)
        return key if self._context_sources[key] is not None else None

    def _load_context(self, key: SourceKey) -> NamedContext | Exception:
        source = self._context_sources[key]
        assert source is not None
        try:
            return source.load()
        except Exception as e:  # reported where the context is used
            return e

    def context(self, key: SourceKey, location: Range | None) -> NamedContext:
        """The loaded context (loading it now if needed); its error, located."""
        if key not in self._contexts:
            self._contexts[key] = self._load_context(key)
        res = self._contexts[key]
        if isinstance(res, DockerfileError):
            raise res if location is None else res.with_location(location)
        if isinstance(res, Exception):
            raise DockerfileError(str(res), location) from res
        return res

    @staticmethod
    def context_state(ctx: NamedContext, paths: set[str]) -> llb.State:
        """The state of one use of a loaded context; a local directory gets its own
        source whose follow paths are the ``paths`` this use reads."""
        if ctx.local is None:
            return ctx.state
        return _context_local(ctx.local, paths)

    # -- images -------------------------------------------------------------------

    def load(self, images: Iterable[SourceKey], contexts: Iterable[SourceKey]) -> None:
        """Resolve the image configs and load the named contexts not done yet,
        concurrently; failures are kept for the instruction that needs them."""
        todo = [k for k in images if k not in self._resolved]
        todo_contexts = sorted(
            (k for k in set(contexts) if k not in self._contexts),
            key=lambda k: (k[0], k[1].format_all()),
        )
        if not todo and not todo_contexts:
            return
        workers = min(8, len(todo) + len(todo_contexts))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            loaded = list(pool.map(self._load_context, todo_contexts))
            results = list(pool.map(self._resolve_one, todo))
        for key, res in zip(todo, results, strict=True):
            self._resolved[key] = res
        for ckey, cres in zip(todo_contexts, loaded, strict=True):
            self._contexts[ckey] = cres

    def _resolve_one(self, key: SourceKey) -> ResolvedImage | Exception:
        ref, platform = key
        prefix = "["
        if self.opts.multi_platform:
            prefix += platform.format_all() + " "
        log_name = f"{prefix}internal] load metadata for {ref}"
        try:
            return self.resolver(ref, platform, log_name)
        except Exception as e:  # reported at the FROM that needs it
            return e

    def resolved(
        self, ref: str, original: str, location: Range, platform: llb.Platform
    ) -> ResolvedImage:
        """The resolver's answer for ``ref`` (see :meth:`load`); its error, located."""
        res = self._resolved[(ref, platform)]
        if isinstance(res, DockerfileError):
            raise res.with_location(location)
        if isinstance(res, Exception):
            raise DockerfileError(f"{original}: {res}", location) from res
        return res

    def image_state(
        self, name: str, platform: llb.Platform, constraints: llb.Constraints
    ) -> llb.State:
        """The image source of ``name`` with the build's resolve mode: the op for
        ``platform`` as given, its state for ``platform`` normalised (Go's llb state)."""
        return llb.image(
            name,
            platform=platform,
            resolve_mode=_resolve_mode(self.opts.image_resolve_mode),
            constraints=constraints,
        ).with_platform(platform.normalized())

    def external_state(
        self, value: str, location: Range, where: llb.Location, paths: set[str]
    ) -> llb.State:
        """The state of a ``--from`` that names an image (or ``scratch``), or a named
        context (``paths``: what this use reads from it); ``where`` is the image
        source's location."""
        if value == "scratch":
            return llb.scratch()
        ref = normalize(value, location)
        key = self.context_key(ref, self.opts.target_platform)
        if key is not None:
            return self.context_state(self.context(key, location), paths)
        res = self.resolved(ref, value, location, self.opts.target_platform)
        name = with_digest(ref, res.digest) if res.digest else ref
        return self.image_state(
            name,
            self.opts.target_platform,
            llb.Constraints.of(
                custom_name="FROM " + name,
                # the reference describes an image named only by ``--from`` with
                # the empty command (its implicit stage has no source line)
                description={CMD_DESCRIPTION: ""},
                locations=[where],
            ),
        )


def with_digest(name: str, digest: str) -> str:
    """``name`` pinned to ``digest`` (a digest it had is replaced)."""
    ref = parse_normalized(name)
    return str(ImageReference(ref.domain, ref.path, ref.tag, digest))


def _resolve_mode(mode: str) -> ResolveMode:
    if mode == "pull":
        return "pull"
    if mode == "local":
        return "local"
    return "default"


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
