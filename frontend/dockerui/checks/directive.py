"""The check configuration: ``# check=`` and ``BUILDKIT_DOCKERFILE_CHECK``.

Owned step: ``frontend.dockerui.checks`` (configuration). The value
``skip=A,B|all;error=true;experimental=A|all`` is parsed as the reference's
``ParseLintOptions`` does, errors included: at most three ``;``-separated parts (the
third keeps any further ``;``), case-sensitive keys, each of ``skip`` / ``experimental``
a comma list or ``all`` (a later part replaces an earlier one), ``error`` a Go boolean.

Which configuration a build uses (:func:`build_config`): the build option
``build-arg:BUILDKIT_DOCKERFILE_CHECK`` when it is given at all (even empty), else the
``# check=`` parser directive (found as the reference's ``ParseDirective`` finds it:
after a BOM and a ``#!`` line, value cut at the first space). On top of that, a
``# check=`` comment right above an instruction adds its skips and experimental rules
for that instruction only (:func:`comment_config`); a bad one there is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from frontend.dockerui.checks.linter import LintConfig
from frontend.dockerui.config import BUILD_ARG_PREFIX, CHECK_BUILD_ARG
from frontend.gocompat import go_parse_bool, go_quote
from frontend.language.directives import DirectiveParser
from frontend.language.errors import DockerfileError

__all__ = [
    "CHECK_BUILD_ARG",
    "CHECK_OPTION",
    "build_config",
    "check_directive",
    "comment_config",
    "parse_check_options",
]

CHECK_OPTION: Final = BUILD_ARG_PREFIX + CHECK_BUILD_ARG  # the frontend option carrying it


def _names(value: str) -> frozenset[str]:
    return frozenset(name.strip() for name in value.split(","))


def parse_check_options(text: str) -> LintConfig:
    """Parse a check configuration. Raises :class:`DockerfileError` with the
    reference's messages (``invalid check option "..."``, ``failed to parse check
    option "...": strconv.ParseBool: ...``)."""
    text = text.strip()
    if not text:
        return LintConfig()
    skip: frozenset[str] = frozenset()
    experimental: frozenset[str] = frozenset()
    error = skip_all = experimental_all = False
    for part in text.split(";", 2):
        key, eq, value = part.partition("=")
        if not eq:
            raise DockerfileError(f"invalid check option {go_quote(part)}")
        key = key.strip()
        if key == "skip":
            value = value.strip()
            if value == "all":
                skip_all = True
            else:
                skip = _names(value)
        elif key == "experimental":
            value = value.strip()
            if value == "all":
                experimental_all = True
            else:
                experimental = _names(value)
        elif key == "error":
            flag = go_parse_bool(value.strip())
            if flag is None:
                raise DockerfileError(
                    f"failed to parse check option {go_quote(part)}: strconv.ParseBool: "
                    f"parsing {go_quote(value.strip())}: invalid syntax"
                )
            error = flag
        else:
            raise DockerfileError(f"invalid check option {go_quote(key)}")
    return LintConfig(skip_all, skip, experimental_all, experimental, error)


def check_directive(source: str) -> str:
    """The value of the ``# check=`` directive up to its first space ("" when absent):
    directives are read after a BOM and a ``#!`` line, and a repeated one ends them."""
    text = source.removeprefix("\ufeff")
    line = 0
    first, sep, rest = text.partition("\n")
    if first.startswith("#!"):
        text = rest if sep else ""
        line = 1
    parser = DirectiveParser("#", line)
    for raw in text.split("\n"):
        if parser.done:
            break
        try:
            found = parser.parse_line(raw.rstrip("\r"))
        except DockerfileError:
            break
        if found is not None and found.name == "check":
            return found.value.split(" ", 1)[0]
    return ""


def build_config(source: str, option: str | None = None) -> LintConfig:
    """The configuration of a build of ``source``: ``option`` (the value of
    ``build-arg:BUILDKIT_DOCKERFILE_CHECK``, None when not given) wins over the
    ``# check=`` directive. Raises :class:`DockerfileError` worded as the reference
    (``failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: ...`` /
    ``failed to parse check options: ...``)."""
    if option is not None:
        try:
            return parse_check_options(option)
        except DockerfileError as err:
            raise DockerfileError(f"failed to parse {CHECK_OPTION}: {err.message}") from None
    try:
        return parse_check_options(check_directive(source))
    except DockerfileError as err:
        raise DockerfileError(f"failed to parse check options: {err.message}") from None


def comment_config(comments: Iterable[str]) -> LintConfig | None:
    """The configuration a ``# check=`` comment above an instruction adds (the first
    such comment; None when there is none or it does not parse)."""
    for comment in comments:
        try:
            found = DirectiveParser("#").parse_line("#" + comment)
        except DockerfileError:
            continue
        if found is None or found.name != "check":
            continue
        try:
            return parse_check_options(found.value.split(" ", 1)[0])
        except DockerfileError:
            return None
    return None
