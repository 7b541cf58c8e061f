"""The rules of the FROM lines, decided with the global ARGs.

Owned step: ``frontend.dockerui.checks`` (FROM rules), in the reference's order:

1. :func:`check_default_bases` — ``InvalidDefaultArgInFrom``: with every global ARG at
   its default (build args ignored, except that they still set the automatic platform
   ARGs), each stage's base must be a valid image reference. Checked with the file's
   configuration (not the comment above the FROM); stops silently where expanding
   fails.
2. :func:`check_from`, stage by stage with the comment above its FROM applied —
   ``UndefinedArgInFrom`` for each name the base uses that is neither set nor declared
   before the first FROM (with a suggestion among those), then, when ``--platform`` is
   given, the same for the platform, ``RedundantTargetPlatform`` (``$TARGETPLATFORM``
   alone) and ``FromPlatformFlagConstDisallowed`` (a constant platform whose OS and
   architecture the stage name does not mention). It raises the reference's errors for
   a blank base and an empty or unparsable platform, after those warnings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.facts import GlobalArgs
from frontend.dockerui.checks.linter import Linter
from frontend.dockerui.checks.source import CheckedStage
from frontend.gocompat import go_quote
from frontend.language.errors import DockerfileError, Range
from frontend.language.flags import suggest
from frontend.language.shell import ExpandResult, Lexer
from frontend.llb.platform import KNOWN_ARCH, KNOWN_OS, Platform, normalize_arch
from frontend.llb.reference import InvalidReferenceError, parse_normalized
from frontend.records import record

__all__ = ["FromResult", "check_default_bases", "check_from", "parse_platform"]

_TARGET_PLATFORM: Final = "TARGETPLATFORM"
_SPECIFIER: Final = r"^[A-Za-z0-9_.-]+$"
_OS_SPECIFIER: Final = r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$"
_SPECIFIER_RE: Final = re.compile(_SPECIFIER)
_OS_SPECIFIER_RE: Final = re.compile(_OS_SPECIFIER)


def _invalid(message: str) -> DockerfileError:
    return DockerfileError(f"{message}: invalid argument")


def parse_platform(spec: str) -> Platform:
    """A platform specifier, refused with containerd's messages (``"" is an invalid
    component of "linux/": platform specifier component must match ...``)."""
    if "*" in spec:
        raise _invalid(f"{go_quote(spec)}: wildcards not yet supported")
    parts = spec.split("/", 3)
    for i, part in enumerate(parts):
        if i == 0 and _OS_SPECIFIER_RE.match(part) is None:
            raise _invalid(
                f"{go_quote(part)} is an invalid OS component of {go_quote(spec)}: "
                f"OSAndVersion specifier component must match {go_quote(_OS_SPECIFIER)}"
            )
        if i > 0 and _SPECIFIER_RE.match(part) is None:
            raise _invalid(
                f"{go_quote(part)} is an invalid component of {go_quote(spec)}: "
                f"platform specifier component must match {go_quote(_SPECIFIER)}"
            )
    if len(parts) > 3:
        raise _invalid(f"{go_quote(spec)}: cannot parse platform specifier")
    if len(parts) == 1:
        word = parts[0].lower()
        if word not in KNOWN_OS and normalize_arch(word, "")[0] not in KNOWN_ARCH:
            raise _invalid(f"{go_quote(spec)}: unknown operating system or architecture")
    try:
        return Platform.parse(spec)
    except ValueError as err:
        raise DockerfileError(str(err)) from None


def check_default_bases(
    linter: Linter, stages: Sequence[CheckedStage], lexer: Lexer, default_env: GlobalArgs | None
) -> None:
    """``InvalidDefaultArgInFrom`` (``default_env`` None: the defaults did not expand,
    so the reference skips the check)."""
    if default_env is None:
        return
    for stage in stages:
        base = stage.from_.base
        try:
            value = lexer.expand_word(base, default_env.env).value
        except DockerfileError:
            return
        try:
            parse_normalized(value)
        except InvalidReferenceError:
            linter.run(R.invalid_default_arg_in_from(base), stage.line.node.location)


def _undefined(linter: Linter, result: ExpandResult, global_args: GlobalArgs, loc: Range) -> None:
    declared = sorted(global_args.declared | set(global_args.env))
    for name in sorted(result.unset):
        if name in declared:
            continue
        linter.run(R.undefined_arg_in_from(name, suggest(name, declared) or ""), loc)


def _redundant(
    linter: Linter, written: str, result: ExpandResult, env: GlobalArgs, loc: Range
) -> None:
    # only $TARGETPLATFORM alone: another (possibly empty) variable makes it meaningful
    if len(result.used) != 1 or result.unset or _TARGET_PLATFORM not in result.used:
        return
    if env.env.get(_TARGET_PLATFORM, "") == result.value:
        linter.run(R.redundant_target_platform(written), loc)


def _constant(linter: Linter, stage_name: str, result: ExpandResult, loc: Range) -> None:
    if result.used or result.unset:
        return
    try:
        p = parse_platform(result.value)
    except DockerfileError:
        return  # the build fails on it later
    if p.os in stage_name or p.architecture in stage_name:
        return
    linter.run(R.from_platform_flag_const_disallowed(result.value), loc)


def _with_suggestion(message: str, unset: frozenset[str], options: Sequence[str]) -> str:
    for name in sorted(unset):
        match = suggest(name, options)
        if match:
            return f"{message} (did you mean {match}?)"
    return message


@record(frozen=True, slots=True)
class FromResult:
    """A FROM line with the global ARGs applied."""

    base: str
    platform: Platform | None
    used: frozenset[str]  # global ARGs the line used


def check_from(
    linter: Linter, stage: CheckedStage, lexer: Lexer, global_args: GlobalArgs
) -> FromResult:
    """The FROM rules of one stage (``linter`` already has its comment applied).
    Raises :class:`DockerfileError` (at the FROM) as the reference does."""
    f = stage.from_
    loc = stage.line.node.location
    try:
        res = lexer.expand_word(f.base, global_args.env)
    except DockerfileError as err:
        raise err.with_location(loc) from None
    _undefined(linter, res, global_args, loc)
    if not res.value:
        raise DockerfileError(f"base name ({f.base}) should not be blank", loc)
    used = set(res.used)
    platform: Platform | None = None
    if f.platform:
        try:
            pres = lexer.expand_word(f.platform, global_args.env)
        except DockerfileError as err:
            raise DockerfileError(
                f"failed to process arguments for platform {f.platform}: {err.message}", loc
            ) from None
        _undefined(linter, pres, global_args, loc)
        _redundant(linter, f.platform, pres, global_args, loc)
        _constant(linter, stage.name or "", pres, loc)
        options = list(global_args.env)
        if not pres.value:
            message = f"empty platform value from expression {f.platform}"
            raise DockerfileError(_with_suggestion(message, pres.unset, options), loc)
        try:
            platform = parse_platform(pres.value)
        except DockerfileError as err:
            message = _with_suggestion(err.message, pres.unset, options)
            raise DockerfileError(
                f"failed to parse platform {f.platform}: {message}", loc
            ) from None
        used |= pres.used
    return FromResult(res.value, platform, frozenset(used))
