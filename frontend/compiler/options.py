"""What the compiler is asked to do (pipeline step 3 input), and how it resolves images.

Owned step: the compiler's inputs, independent of where they come from (the gateway's
build options, or the ``pyfrontend llb`` command line).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from frontend.llb import HostIP, Platform, SourceMap, State, Ulimit
from frontend.records import field, record

LINUX_AMD64 = Platform("linux", "amd64")


@record(frozen=True, slots=True)
class ResolvedImage:
    """An image's config as the engine resolved it."""

    ref: str  # the reference that was resolved (may be rewritten by a policy)
    digest: str  # manifest digest, or "" when the engine gave none
    config: bytes  # the OCI image config JSON ("" = unknown: an empty config)


class ImageResolver(Protocol):
    """Resolves image configs; called concurrently from several threads."""

    def __call__(self, ref: str, platform: Platform, log_name: str) -> ResolvedImage: ...


def no_resolver(ref: str, platform: Platform, log_name: str) -> ResolvedImage:
    """Without an engine: every image gets an empty config (as the reference's
    converter does with no resolver)."""
    return ResolvedImage(ref, "", b"")


@record(frozen=True, slots=True)
class LocalContext:
    """A named context that is a directory of the client (``local:NAME``).

    The compiler makes one ``local`` source per use of the context, named
    ``[context <name>] load from client``, whose follow paths are the paths the
    build reads from that use (as the reference's ``asyncLocalOutput`` does)."""

    local_name: str  # the client's local directory name (``local:NAME``)
    session_id: str = ""
    shared_key_hint: str = ""
    exclude_patterns: tuple[str, ...] = ()  # from the directory's own .dockerignore
    custom_name: str = ""


@record(frozen=True, slots=True)
class NamedContext:
    """A loaded named build context: a ready state (an image, a URL, ...) with the
    image config when it is an image, or a local directory (:class:`LocalContext`)."""

    state: State = field(default_factory=State)
    config: bytes | None = None  # the OCI image config JSON when the context is an image
    local: LocalContext | None = None


@record(frozen=True, slots=True)
class ContextSource:
    """A named context the build was given, found but not loaded yet.

    ``name`` is how progress names it (``NAME``, or ``NAME::os/arch`` when the option
    was given for one platform). ``load`` does the work (resolving an image config,
    reading a directory's .dockerignore); it is called only for contexts the target
    needs, possibly from several threads, and raises on failure."""

    name: str
    load: Callable[[], NamedContext]


class NamedContextLookup(Protocol):
    """Finds the named context for ``name`` (already normalised the reference's way:
    ``docker.io/library/alpine:latest`` -> ``alpine``) built for ``platform``; None
    when the build has none by that name."""

    def __call__(self, name: str, platform: Platform) -> ContextSource | None: ...


class EpochResolver(Protocol):
    """Dates a state for SOURCE_DATE_EPOCH (``context``, a named context, a source
    stage): the unix seconds of its single source op as the engine tells them (a git
    commit's committer time, a download's Last-Modified, else the newest file of the
    archive it is), or None when there is nothing to date. ``log_name`` names the
    step in progress."""

    def __call__(self, state: State, log_name: str) -> int | None: ...


@record(frozen=True, slots=True)
class CompileOptions:
    """What a compilation is asked for besides the Dockerfile: target, args, platforms
    and the build's options."""

    target: str = ""
    build_args: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    target_platform: Platform = LINUX_AMD64
    build_platform: Platform = LINUX_AMD64
    platform_explicit: bool = False  # --platform given: the image config takes it
    multi_platform: bool = False
    # None: cache everything; () : no cache for all stages; names: those stages
    no_cache: tuple[str, ...] | None = None
    image_resolve_mode: str = "default"  # default | pull | local
    network_mode: str = "default"  # force-network-mode: default | none | host
    hostname: str = ""
    extra_hosts: tuple[HostIP, ...] = ()
    ulimits: tuple[Ulimit, ...] = ()
    shm_size: int = 0
    cgroup_parent: str = ""
    session_id: str = ""
    context_name: str = "context"
    # the main build context when it is not the client's local directory (a git or
    # http(s) URL, a frontend input): used as given, without follow paths or excludes
    main_context: State | None = None
    # exclude patterns for the build context, or what reads them: called once, when the
    # stages are dispatched (the reference asks for them then, after resolving the base
    # images), so that reading them overlaps the compilation
    dockerignore: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    llb_caps: frozenset[str] | None = None  # None: assume everything is supported
    # named build contexts (``--build-context``): None means the build has none
    named_context: NamedContextLookup | None = None
    # the Dockerfile as the ops' source map (the reference's ConvertOpt.SourceMap: the
    # file's bytes and the definition that read it); None: made from the parsed file
    source_map: SourceMap | None = None
    # dates the build context, a named context or a source stage a SOURCE_DATE_EPOCH
    # value names; None (no engine): such a value sets no epoch
    epoch_resolver: EpochResolver | None = None

    def exclude_patterns(self) -> tuple[str, ...]:
        """The build context's exclude patterns (:attr:`dockerignore`, read if need be)."""
        patterns = self.dockerignore
        return patterns() if callable(patterns) else patterns

    def supports(self, cap: str) -> bool:
        return self.llb_caps is None or cap in self.llb_caps

    def is_no_cache(self, stage_name: str | None) -> bool:
        """Whether the stage's steps ignore the cache (``--no-cache`` / ``no-cache``):
        all stages for ``()``, else the named ones, matched as the reference does
        (``strings.EqualFold``: case-insensitive, rune by rune)."""
        if self.no_cache is None:
            return False
        if not self.no_cache:
            return True
        return bool(stage_name) and any(equal_fold(stage_name or "", s) for s in self.no_cache)


def equal_fold(a: str, b: str) -> bool:
    """Go's ``strings.EqualFold``: equal under simple (one rune to one rune) Unicode
    case folding, so ``K`` (Kelvin sign) matches ``k`` and ``\u017f`` (long s)
    matches ``s``, but ``\u00df`` does not match ``ss`` (``str.casefold`` would say
    it does; ``str.lower`` misses the long s)."""
    return len(a) == len(b) and all(
        x == y or _fold(x) == _fold(y) for x, y in zip(a, b, strict=True)
    )


def _fold(ch: str) -> str:
    for folded in (ch.casefold(), ch.lower()):
        if len(folded) == 1:
            return folded
    return ch
