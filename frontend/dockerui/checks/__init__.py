"""Build checks (the reference's ``linter``): the rules of syntax 1.26 and when they warn.

Owned step: ``frontend.dockerui.checks``, by module (each imports only those before it):

* :mod:`~.rules`          the rule table and each rule's message (``Finding``)
* :mod:`~.linter`         ``LintConfig``, ``Linter`` (filtering, collecting), ``LintWarning``
* :mod:`~.directive`      ``# check=`` / ``BUILDKIT_DOCKERFILE_CHECK`` and which wins
* :mod:`~.suggest`        "did you mean" suggestions
* :mod:`~.source`         the parsed Dockerfile as the rules read it (nodes, comments)
* :mod:`~.parse_rules`    rules decided from the parsed Dockerfile alone
* :mod:`~.facts`          build facts; the global ARGs as the reference computes them
* :mod:`~.from_rules`     rules of the FROM lines (global ARGs, ``--platform``)
* :mod:`~.expose`         EXPOSE port specs and their rules
* :mod:`~.dispatch_rules` rules decided while dispatching an instruction
* :mod:`~.compile_rules`  rules on what only the compiler knows (called by it)
* :mod:`~.walk`           a static dispatch of the stages, for the dispatch-time rules
* :mod:`~.lint`           ``lint(...)``: all of it, in the reference's order
* :mod:`~.results`        the lint subrequest's ``result.json``
"""

from __future__ import annotations

from frontend.dockerui.checks.directive import (
    CHECK_OPTION,
    build_config,
    comment_config,
    parse_check_options,
)
from frontend.dockerui.checks.facts import BuildFacts, ImageFacts
from frontend.dockerui.checks.lint import LintResult, lint, run_checks
from frontend.dockerui.checks.linter import LintConfig, Linter, LintWarning
from frontend.dockerui.checks.rules import RULES, RULES_BY_NAME, Finding, Rule

__all__ = [
    "CHECK_OPTION",
    "RULES",
    "RULES_BY_NAME",
    "BuildFacts",
    "Finding",
    "ImageFacts",
    "LintConfig",
    "LintResult",
    "LintWarning",
    "Linter",
    "Rule",
    "build_config",
    "comment_config",
    "lint",
    "parse_check_options",
    "run_checks",
]
