"""``.dockerignore`` patterns matched the way the reference matches them.

Owned step: ``frontend.dockerui`` (the build context's ``.dockerignore`` for the
checks). :class:`PatternMatcher` is moby's ``patternmatcher`` (``New``,
``MatchesOrParentMatches``, ``Exclusions``, ``Patterns``) for slash-separated paths:
each pattern is trimmed and cleaned, ``!`` marks an exclusion, and a pattern compiles
to an exact, prefix (``dir/**``), suffix (``**/name``) or regular-expression match
(``*`` and ``?`` stay within a path element, ``**`` crosses them, ``\\`` escapes the
next character). It is the ``IgnoreMatcher`` the ``CopyIgnoredFile`` check reads
(:class:`frontend.dockerui.checks.facts.IgnoreMatcher`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import Final

from frontend.gateway.errors import UserError
from frontend.gocompat import GO_SPACE, go_clean
from frontend.records import field, record

__all__ = ["PatternMatcher"]

# regexp metacharacters that mean nothing to filepath.Match (escaped as they are)
_ESCAPE: Final = frozenset(".+()|{}$")
_EXACT, _PREFIX, _SUFFIX, _REGEXP = range(4)


@record(slots=True)
class _Pattern:
    """One ``.dockerignore`` pattern, cleaned, and its matcher once compiled."""

    cleaned: str
    exclusion: bool
    kind: int = -1
    regexp: re.Pattern[str] | None = field(default=None, repr=False)

    def compile(self) -> None:
        out = "^"
        kind = _EXACT
        chars = self.cleaned
        i, n = 0, len(chars)
        first = True
        while i < n:
            ch = chars[i]
            i += 1
            if ch == "*":
                if i < n and chars[i] == "*":
                    i += 1
                    if i < n and chars[i] == "/":  # **/ is **
                        i += 1
                    if i >= n:  # ** at the end: everything below
                        if kind == _EXACT:
                            kind = _PREFIX
                        else:
                            out += ".*"
                            kind = _REGEXP
                    else:
                        out += "(.*/)?"
                        kind = _REGEXP
                    if first:
                        kind = _SUFFIX
                else:
                    out += "[^/]*"
                    kind = _REGEXP
            elif ch == "?":
                out += "[^/]"
                kind = _REGEXP
            elif ch in _ESCAPE:
                out += "\\" + ch
            elif ch == "\\":
                if i < n:
                    out += "\\" + chars[i]
                    i += 1
                    kind = _REGEXP
                else:
                    out += "\\\\"
            elif ch in "[]":
                out += ch
                kind = _REGEXP
            else:
                out += ch
            first = False
        if kind == _REGEXP:
            try:
                self.regexp = re.compile(out + "$")
            except re.error:
                self.regexp = None
        self.kind = kind

    def match(self, path: str) -> bool:
        if self.kind < 0:
            self.compile()
        if self.kind == _EXACT:
            return path == self.cleaned
        if self.kind == _PREFIX:
            return path.startswith(self.cleaned[:-2])
        if self.kind == _SUFFIX:
            suffix = self.cleaned[2:]
            if path.endswith(suffix):
                return True
            return suffix[:1] == "/" and path == suffix[1:]
        return self.regexp is not None and self.regexp.match(path) is not None


class PatternMatcher:
    """moby's ``patternmatcher.PatternMatcher`` over ``.dockerignore`` patterns."""

    __slots__ = ("_exclusions", "_patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns: list[_Pattern] = []
        self._exclusions = False
        for raw in patterns:
            p = raw.strip(GO_SPACE)
            if not p:
                continue
            p = go_clean(p)
            exclusion = p.startswith("!")
            if exclusion:
                if len(p) == 1:
                    raise UserError('illegal exclusion pattern: "!"')
                p = p[1:]
                self._exclusions = True
            self._patterns.append(_Pattern(p, exclusion))

    def exclusions(self) -> bool:
        """Whether any pattern is an exclusion (``!pattern``)."""
        return self._exclusions

    def patterns(self) -> list[str]:
        """The patterns that are not exclusions, cleaned."""
        return [p.cleaned for p in self._patterns if not p.exclusion]

    def matches_or_parent_matches(self, path: str) -> bool:
        """Whether ``path`` (slash-separated) or one of its parent directories is
        excluded, later patterns overriding earlier ones."""
        matched = False
        parent = posixpath.dirname(path) or "."
        dirs = parent.split("/")
        for pattern in self._patterns:
            if pattern.exclusion != matched:
                continue
            found = pattern.match(path)
            if not found and parent != ".":
                found = any(pattern.match("/".join(dirs[: i + 1])) for i in range(len(dirs)))
            if found:
                matched = not pattern.exclusion
        return matched
