"""The build checks of a Dockerfile, end to end: :func:`lint`.

Owned step: ``frontend.dockerui.checks`` (the entry). In the reference's order:
the configuration (:func:`~frontend.dockerui.checks.directive.build_config`), the
parse-time rules (:mod:`~frontend.dockerui.checks.parse_rules`), the FROM rules with
the global ARGs (:mod:`~frontend.dockerui.checks.from_rules`), the stage graph
(:func:`frontend.stages.resolve_graph`), the dispatch-time rules on a static walk of
the stages (:mod:`~frontend.dockerui.checks.walk`), and finally the ``error=true``
violation. The first error ends the checks; the warnings found until then are kept, as
in the reference's lint subrequest.

:func:`run_checks` is the same without the configuration and error capture, for a
build that owns its :class:`~frontend.dockerui.checks.linter.Linter`: with
``dispatch=False`` it stops before the walk, leaving the dispatch-time rules to the
compiler (:mod:`~frontend.dockerui.checks.dispatch_rules`,
:mod:`~frontend.dockerui.checks.compile_rules`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frontend.dockerui.checks.directive import CHECK_BUILD_ARG, build_config
from frontend.dockerui.checks.facts import BuildFacts, GlobalArgs, automatic_args, meta_args
from frontend.dockerui.checks.from_rules import check_default_bases, check_from
from frontend.dockerui.checks.linter import LintConfig, Linter, LintWarning, WarningCallback
from frontend.dockerui.checks.parse_rules import check_parsed, check_source, line_linter
from frontend.dockerui.checks.source import CheckedFile
from frontend.dockerui.checks.walk import walk
from frontend.language import Dockerfile
from frontend.language.errors import DockerfileError
from frontend.language.parser import decode
from frontend.language.shell import Lexer
from frontend.stages import resolve_graph, split_stages

__all__ = ["LintResult", "lint", "run_checks"]


@dataclass(frozen=True, slots=True)
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
) -> CheckedFile:
    """Run the checks into ``linter``. Raises :class:`DockerfileError` where the
    reference's conversion would fail."""
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

    def for_line(comments: Sequence[str]) -> Linter:
        return line_linter(linter, comments)

    walk(for_line, checked, graph, resolved, facts, global_args)
    return checked


def lint(
    dockerfile: Dockerfile | str | bytes,
    facts: BuildFacts | None = None,
    *,
    config: LintConfig | None = None,
    on_warning: WarningCallback | None = None,
    filename: str = "Dockerfile",
) -> LintResult:
    """The build checks of ``dockerfile`` (text, or already parsed).

    The configuration is the build arg ``BUILDKIT_DOCKERFILE_CHECK`` of ``facts`` when
    given (it wins over ``# check=``); ``config`` bypasses both. ``on_warning`` sees
    each warning as it is found (for the gateway's ``Warn``).
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
        run_checks(linter, dockerfile, facts)
        error = linter.error()
    except DockerfileError as err:
        error = err.with_location(None, filename)
    return LintResult(linter.warnings, error)
