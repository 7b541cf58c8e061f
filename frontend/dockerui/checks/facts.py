"""What the checks know of the build besides the Dockerfile.

Owned step: ``frontend.dockerui.checks`` (build facts). :class:`BuildFacts` carries
the simple facts of a build that some rules depend on: build args, target and build
platforms, the target stage, whether every stage is checked (the lint subrequest
without a target), the stages a named context replaces and, when the build knows them,
base image configs (:class:`ImageFacts`, given up front or looked up while the checks
run: an :data:`ImageLookup` answering :class:`ImageRequest` s) and the
``.dockerignore`` matcher (:class:`IgnoreMatcher`). From them come the global ARGs as the
reference computes them: the automatic platform ARGs (:func:`automatic_args`,
``defaultArgs``) and the ARGs before the first FROM (:func:`meta_args`,
``buildMetaArgs``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final, Protocol

from frontend.dockerui.checks.source import CheckedLine
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Arg
from frontend.language.shell import Lexer
from frontend.llb.platform import Platform, normalize_arch, normalize_os
from frontend.records import field, record

__all__ = [
    "LINUX_AMD64",
    "NON_ENV_ARGS",
    "BuildFacts",
    "GlobalArgs",
    "IgnoreMatcher",
    "ImageFacts",
    "ImageLookup",
    "ImageRequest",
    "automatic_args",
    "format_all",
    "meta_args",
    "normalized",
]

LINUX_AMD64: Final = Platform("linux", "amd64")
# build ARGs that never become environment variables (the SBOM scan switches)
NON_ENV_ARGS: Final = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


class IgnoreMatcher(Protocol):
    """The build context's ``.dockerignore`` patterns, compiled (moby's
    ``patternmatcher``: a pattern excludes a path when it matches the path or one of
    its parent directories)."""

    def exclusions(self) -> bool:
        """Whether any pattern is an exclusion (``!pattern``)."""
        ...

    def patterns(self) -> Sequence[str]:
        """The patterns that are not exclusions, cleaned."""
        ...

    def matches_or_parent_matches(self, path: str) -> bool: ...


@record(frozen=True, slots=True)
class ImageFacts:
    """What the checks read of a resolved base image config."""

    env: tuple[tuple[str, str], ...] = ()  # Config.Env, in order
    shell: bool = False  # Config.Shell is set
    # the config's OS and architecture, for ``InvalidBaseImagePlatform`` (None: not
    # checked, e.g. an image without layers, which the reference builds as scratch)
    platform: Platform | None = None


@record(frozen=True, slots=True)
class ImageRequest:
    """A base image a dispatched stage needs the config of: the name FROM gives after
    the global ARGs, the stage's ``--platform`` (None: the target platform) and the
    FROM line."""

    name: str
    platform: Platform | None
    location: Range


# the build's image configs for the stages to dispatch, by request name (a name left
# out is unknown); raises :class:`DockerfileError` where the build fails resolving
ImageLookup = Callable[[Sequence[ImageRequest]], Mapping[str, ImageFacts]]


@record(frozen=True, slots=True)
class BuildFacts:
    """The facts of one build (or lint request) that rules depend on."""

    build_args: Mapping[str, str] = field(default_factory=dict)
    target_platform: Platform = LINUX_AMD64
    build_platform: Platform = LINUX_AMD64
    target: str = ""  # the requested target stage ("" = the last)
    # the target platform was asked for (``platform`` option): else an image of a
    # build platform is taken as it is (the reference's ``autoDetectPlatform``)
    platform_explicit: bool = False
    all_stages: bool = False  # check every stage (the lint subrequest without a target)
    named_contexts: frozenset[str] = frozenset()  # stage names a named context replaces
    # base image configs by the name FROM gives after the global ARGs (``alpine``);
    # an image not listed is unknown: rules that need its config stay silent
    images: Mapping[str, ImageFacts] = field(default_factory=dict)
    # the build context's .dockerignore (None: none, or not known)
    dockerignore: IgnoreMatcher | None = None


def format_all(p: Platform) -> str:
    """containerd's ``FormatAll``: ``os[(version[+features])]/arch[/variant]``."""
    if not p.os:
        return "unknown"
    head = p.os
    features = "+".join(p.os_features)
    if p.os_version or features:
        head += "(" + p.os_version + (("+" + features) if features else "") + ")"
    return "/".join(x for x in (head, p.architecture, p.variant) if x)


def normalized(p: Platform) -> Platform:
    """containerd's ``Normalize``: OS and architecture spelled the canonical way."""
    arch, variant = normalize_arch(p.architecture, p.variant)
    return Platform(normalize_os(p.os), arch, variant, p.os_version, p.os_features)


def automatic_args(facts: BuildFacts, target_stage: str) -> dict[str, str]:
    """The reference's automatic ARGs (``defaultArgs``), each overridable by a build
    arg of the same name; ``target_stage`` "" reads ``default``."""
    bp, tp = facts.build_platform, facts.target_platform
    pairs = (
        ("BUILDPLATFORM", str(bp)),
        ("BUILDOS", bp.os),
        ("BUILDOSVERSION", bp.os_version),
        ("BUILDARCH", bp.architecture),
        ("BUILDVARIANT", bp.variant),
        ("TARGETPLATFORM", format_all(tp)),
        ("TARGETOS", tp.os),
        ("TARGETOSVERSION", tp.os_version),
        ("TARGETARCH", tp.architecture),
        ("TARGETVARIANT", tp.variant),
        ("TARGETSTAGE", target_stage or "default"),
    )
    return {k: facts.build_args.get(k, v) for k, v in pairs}


@record(frozen=True, slots=True)
class GlobalArgs:
    """The global ARGs: their values (in the order set) and every name declared
    before the first FROM (with or without a value)."""

    env: Mapping[str, str]
    declared: frozenset[str]


def meta_args(
    lines: Sequence[CheckedLine],
    lexer: Lexer,
    env: Mapping[str, str],
    build_args: Mapping[str, str] | None,
) -> GlobalArgs:
    """The reference's ``buildMetaArgs``: each ARG before the first FROM takes the
    build arg of its name, else its default expanded with what is set so far.
    ``build_args`` None: defaults only. Raises :class:`DockerfileError` (at the ARG)."""
    out = dict(env)
    declared: set[str] = set()
    for line in lines:
        cmd = line.instruction
        if not isinstance(cmd, Arg):
            continue
        for pair in cmd.pairs:
            value: str | None
            if build_args is not None and pair.key in build_args:
                value = build_args[pair.key]
            elif pair.value is not None:
                try:
                    value = lexer.expand_word(pair.value, out).value
                except DockerfileError as err:
                    raise err.with_location(cmd.location) from None
            else:
                value = None
            if value is not None:
                out.pop(pair.key, None)
                out[pair.key] = value
            declared.add(pair.key)
    return GlobalArgs(out, frozenset(declared))
