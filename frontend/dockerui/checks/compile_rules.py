"""The rules that need what only the compiler knows, as functions it calls.

Owned step: ``frontend.dockerui.checks`` (compile-time rules). Each function decides
one rule from facts the compilation has at that point and reports through the linter
it is given (the one for the instruction: see
:func:`~frontend.dockerui.checks.parse_rules.line_linter`):

* :func:`check_undefined_vars` — ``UndefinedVar``, after a word expansion of an
  instruction at dispatch (ENV, LABEL, ADD, COPY, WORKDIR, RUN mounts, USER, VOLUME,
  STOPSIGNAL, and an ARG's default): the names looked up but unset, less the ARGs the
  stage declared, with a suggestion among the stage's environment;
* :func:`check_copy_source` — ``CopyIgnoredFile``, for each build-context source path
  of COPY (without ``--from``) and ADD (not a URL or Git source);
* :func:`check_base_image_platform` — ``InvalidBaseImagePlatform``, when an image
  resolved for a stage the target needs has another OS or architecture than asked for.

``UndefinedArgInFrom`` and ``InvalidDefaultArgInFrom`` are decided from the global ARGs
by :mod:`~frontend.dockerui.checks.from_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.facts import NON_ENV_ARGS, IgnoreMatcher, format_all, normalized
from frontend.dockerui.checks.linter import Linter
from frontend.gocompat import go_clean
from frontend.language.errors import Range
from frontend.language.flags import suggest
from frontend.llb.platform import Platform

__all__ = [
    "check_base_image_platform",
    "check_copy_source",
    "check_undefined_vars",
]


def check_undefined_vars(
    linter: Linter,
    unset: Iterable[str],
    *,
    stage_args: Iterable[str],
    env_keys: Sequence[str],
    location: Range,
) -> None:
    """``UndefinedVar`` for each name in ``unset`` (sorted) that is not an ARG of the
    stage (``stage_args``: declared so far, base stages included) nor an SBOM switch;
    the suggestion is searched among ``env_keys``, the stage environment's names."""
    declared = set(stage_args)
    for name in sorted(set(unset) - declared):
        if name in NON_ENV_ARGS:
            continue
        linter.run(R.undefined_var(name, suggest(name, env_keys) or ""), location)


_ROOT_PATTERNS = frozenset({"*", "**", "**/*"})


def check_copy_source(
    linter: Linter, src: str, *, add: bool, location: Range, matcher: IgnoreMatcher | None
) -> None:
    """``CopyIgnoredFile`` for one source path. Nothing is decided without patterns or
    with exclusions among them (a file under an excluded directory may be let back in);
    the context root (``.``, ``/``) counts only when a pattern excludes everything."""
    if matcher is None or matcher.exclusions():
        return
    path = go_clean(src)
    if path in (".", "/") and not any(p in _ROOT_PATTERNS for p in matcher.patterns()):
        return
    if matcher.matches_or_parent_matches(path):
        linter.run(R.copy_ignored_file("Add" if add else "Copy", path), location)


def check_base_image_platform(
    linter: Linter, image: str, expected: Platform, actual: Platform, location: Range
) -> None:
    """``InvalidBaseImagePlatform``: ``image`` is the FROM name (global ARGs applied,
    not normalised), ``actual`` the platform of its config."""
    if expected.os != actual.os or expected.architecture != actual.architecture:
        linter.run(
            R.invalid_base_image_platform(
                image, format_all(normalized(expected)), format_all(normalized(actual))
            ),
            location,
        )
