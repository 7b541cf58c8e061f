"""Build checks (the reference's ``linter``): the rules of syntax 1.26 and when they warn.

Owned step: ``frontend.dockerui.checks``, by module (each imports only those before it):

* :mod:`~.rules`          the rule table and each rule's message (``Finding``)
* :mod:`~.linter`         ``LintConfig``, ``Linter`` (filtering, collecting), ``LintWarning``
* :mod:`~.directive`      ``# check=`` / ``BUILDKIT_DOCKERFILE_CHECK`` and which wins
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

Wiring (:mod:`frontend.dockerui.warnings`). A build makes one ``Linter(build_config(
text, build_args.get("BUILDKIT_DOCKERFILE_CHECK")), on_warning)`` (only the first
platform's build warns, as in the reference); ``on_warning`` sends each
:class:`LintWarning` with the gateway's ``Warn``: the head digest of the Dockerfile's
source definition, ``short``, level 1, ``detail`` (the description), ``url``, the
source info (file name, data, ``Dockerfile``, definition) and ``ranges()``. The
compiler knows nothing of the checks: once it has compiled the first platform (or
failed), ``run_checks(linter, df, facts, images=...)`` runs them all, the base images'
configs being those the compiler resolved (an
:data:`~frontend.dockerui.checks.facts.ImageLookup`); at the end ``linter.error()``
is the ``error=true`` failure. ``lint(...)`` does the same with its own linter and is
what the lint subrequest answers with (``results.result_json``), its images resolved
for it. (``run_checks(dispatch=False)``, ``CheckedFile.by_line()`` and the
``compile_rules`` functions are there for a compiler that would call the
dispatch-time rules itself.)
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
