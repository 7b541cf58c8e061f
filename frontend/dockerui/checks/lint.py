"""The build checks of a Dockerfile, end to end: :func:`lint`.

Owned step: ``frontend.dockerui.checks`` (the entry). In the reference's order:
the configuration (:func:`~frontend.dockerui.checks.directive.build_config`), the
parse-time rules (:mod:`~frontend.dockerui.checks.parse_rules`), the FROM rules with
the global ARGs (:mod:`~frontend.dockerui.checks.from_rules`), the stage graph
(:func:`frontend.stages.resolve_graph`), the base images of the stages to dispatch
(an :data:`~frontend.dockerui.checks.facts.ImageLookup` when the caller can resolve
them: their configs, and ``InvalidBaseImagePlatform``), the dispatch-time rules on a
static walk of the stages (:mod:`~frontend.dockerui.checks.walk`), and finally the
``error=true`` violation. The first error ends the checks; the warnings found until
then are kept, as in the reference's lint subrequest.

:func:`run_checks` is the same without the configuration and error capture, for a
build that owns its :class:`~frontend.dockerui.checks.linter.Linter`: with
``dispatch=False`` it stops before the walk, leaving the dispatch-time rules to the
compiler (:mod:`~frontend.dockerui.checks.dispatch_rules`,
:mod:`~frontend.dockerui.checks.compile_rules`).
"""

from __future__ import annotations

from collections.abc import Sequence

from frontend.dockerui.checks.compile_rules import check_base_image_platform
from frontend.dockerui.checks.directive import CHECK_BUILD_ARG, build_config
from frontend.dockerui.checks.facts import (
    BuildFacts,
    GlobalArgs,
    ImageFacts,
    ImageLookup,
    ImageRequest,
    automatic_args,
    meta_args,
)
from frontend.dockerui.checks.from_rules import FromResult, check_default_bases, check_from
from frontend.dockerui.checks.linter import LintConfig, Linter, LintWarning, WarningCallback
from frontend.dockerui.checks.parse_rules import check_parsed, check_source, line_linter
from frontend.dockerui.checks.source import CheckedFile
from frontend.dockerui.checks.walk import dispatch_order, walk
from frontend.language import Dockerfile
from frontend.language.errors import DockerfileError
from frontend.language.parser import decode
from frontend.language.shell import Lexer
from frontend.records import record, replace
from frontend.stages import BaseImage, BaseStage, StageGraph, resolve_graph, split_stages

__all__ = ["LintResult", "lint", "run_checks"]


@record(frozen=True, slots=True)
class LintResult:
    """The warnings, in the order found, and the error that ended the checks (the
    build would fail with it), if any."""

    warnings: tuple[LintWarning, ...]
    error: DockerfileError | None = None


def run_checks(
    linter: Linter,
    dockerfile: Dockerfile | str | bytes,
    facts: BuildFacts | None = None,
    *,
    dispatch: bool = True,
    images: ImageLookup | None = None,
) -> CheckedFile:
    """Run the checks into ``linter``. Raises :class:`DockerfileError` where the
    reference's conversion would fail (``images`` may raise it too)."""
    facts = facts if facts is not None else BuildFacts()
    if isinstance(dockerfile, Dockerfile):
        checked = check_parsed(linter, dockerfile)
    else:
        checked = check_source(linter, dockerfile)
    lexer = Lexer(checked.escape)
    stages = checked.stages
    target_stage = facts.target or (stages[-1].name or "")
    auto = automatic_args(facts, target_stage)

    defaults: GlobalArgs | None
    try:
        defaults = meta_args(checked.meta_args, lexer, auto, None)
    except DockerfileError:
        defaults = None
    check_default_bases(linter, stages, lexer, defaults)

    global_args = meta_args(checked.meta_args, lexer, auto, facts.build_args)
    resolved = [
        check_from(line_linter(linter, stage.line.comments), stage, lexer, global_args)
        for stage in stages
    ]
    if not dispatch:
        return checked
    split = split_stages(line.instruction for line in checked.lines)
    graph = resolve_graph(split, global_args.env, lexer, facts.target)
    if images is not None:
        facts = _with_images(linter, checked, graph, resolved, facts, images)

    def for_line(comments: Sequence[str]) -> Linter:
        return line_linter(linter, comments)

    walk(for_line, checked, graph, resolved, facts, global_args)
    return checked


def _with_images(
    linter: Linter,
    checked: CheckedFile,
    graph: StageGraph,
    resolved: Sequence[FromResult],
    facts: BuildFacts,
    images: ImageLookup,
) -> BuildFacts:
    """``facts`` with the configs of the base images the dispatched stages need, and
    ``InvalidBaseImagePlatform`` for each, as the reference checks them when it
    resolves them (with the file's configuration). A stage a named context replaces is
    not dispatched; a stage built on it asks for it by its name (the context's config:
    its environment is the base's, as the reference's ``init`` copies it), and a base
    the lookup finds a named context for is that context's (with no platform check)."""
    order, _ = dispatch_order(graph, checked.stages, facts)
    requests: dict[tuple[str, str], ImageRequest] = {}
    for i in order:
        stage = checked.stages[i]
        rs = graph.stages[i]
        replaced = stage
        if isinstance(rs.base, BaseStage):
            replaced = checked.stages[rs.base.index]
        if replaced.name and replaced.name in facts.named_contexts:
            # a stage a named context replaces (dispatched when checking every
            # stage), or one built on it: the context's image is the base
            platform = resolved[replaced.index].platform
            key = (replaced.name, str(platform) if platform is not None else "")
            requests.setdefault(key, ImageRequest(replaced.name, platform,
                                                  replaced.line.node.location))  # fmt: skip
            continue
        if not isinstance(rs.base, BaseImage):
            continue
        platform = resolved[i].platform
        key = (rs.base_name, str(platform) if platform is not None else "")
        requests.setdefault(key, ImageRequest(rs.base_name, platform,
                                              stage.line.node.location))  # fmt: skip
    if not requests:
        return facts
    found = images(list(requests.values()))
    for req in requests.values():
        image = found.get(req.name)
        if image is not None and image.platform is not None:
            _check_platform(linter, req, image, facts)
    return replace(facts, images={**facts.images, **found})


def _check_platform(
    linter: Linter, req: ImageRequest, image: ImageFacts, facts: BuildFacts
) -> None:
    actual = image.platform
    assert actual is not None
    expected = req.platform or facts.target_platform
    if req.platform is None and not facts.platform_explicit:
        # autoDetectPlatform: an image of the target or a build platform is taken
        for p in (facts.target_platform, facts.build_platform):
            if (p.os, p.architecture) == (actual.os, actual.architecture):
                return
    check_base_image_platform(linter, req.name, expected, actual, req.location)


def lint(
    dockerfile: Dockerfile | str | bytes,
    facts: BuildFacts | None = None,
    *,
    config: LintConfig | None = None,
    on_warning: WarningCallback | None = None,
    filename: str = "Dockerfile",
    images: ImageLookup | None = None,
) -> LintResult:
    """The build checks of ``dockerfile`` (text, or already parsed).

    The configuration is the build arg ``BUILDKIT_DOCKERFILE_CHECK`` of ``facts`` when
    given (it wins over ``# check=``); ``config`` bypasses both. ``on_warning`` sees
    each warning as it is found (for the gateway's ``Warn``); ``images`` resolves the
    base images (see :func:`run_checks`).
    """
    facts = facts if facts is not None else BuildFacts()
    text = dockerfile.source if isinstance(dockerfile, Dockerfile) else decode(dockerfile)
    if isinstance(dockerfile, Dockerfile):
        filename = dockerfile.filename
    try:
        option = facts.build_args.get(CHECK_BUILD_ARG)
        cfg = config if config is not None else build_config(text, option)
    except DockerfileError as err:
        return LintResult((), err.with_location(None, filename))
    linter = Linter(cfg, on_warning)
    error: DockerfileError | None
    try:
        run_checks(linter, dockerfile, facts, images=images)
        error = linter.error()
    except DockerfileError as err:
        error = err.with_location(None, filename)
    return LintResult(linter.warnings, error)
