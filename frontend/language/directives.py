"""Parser directives (language step): ``# syntax=``, ``# escape=``, ``# check=``.

Owned step: ``frontend.language`` (directives). Directives are comment lines at the
very top of a Dockerfile, before any instruction, blank line or other comment; keys
are case-insensitive and each may appear once. :func:`detect_syntax` also knows the
other forms the reference recognises for ``syntax`` (``//syntax=``, a JSON
``{"syntax": ...}`` document, and a leading ``#!`` line that is skipped).
"""

from __future__ import annotations

import json
import re

from frontend.language.errors import DockerfileError, Range
from frontend.language.shell import SPACE_CHARS
from frontend.records import record

__all__ = [
    "Directive",
    "DirectiveParser",
    "detect_syntax",
]

# Go regexp \s is [\t\n\f\r ]
_WS = r"[\t\n\f\r ]"
_DIRECTIVE_RE = re.compile(rf"([a-zA-Z][a-zA-Z0-9]*){_WS}*={_WS}*(.+?){_WS}*\Z", re.DOTALL)
VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})


@record(frozen=True, slots=True)
class Directive:
    """One parser directive: lower-case ``name``, its ``value`` and its line."""

    name: str
    value: str
    location: Range


class DirectiveParser:
    """Recognises directives line by line until the first line that is not one."""

    __slots__ = ("_comment", "done", "line", "seen")

    def __init__(self, comment: str = "#", line: int = 0) -> None:
        self._comment = comment
        self.line = line
        self.done = False
        self.seen: set[str] = set()

    def parse_line(self, text: str) -> Directive | None:
        """The directive on the next line, or None; raises on a repeated directive."""
        self.line += 1
        if self.done:
            return None
        if not text.startswith(self._comment):
            self.done = True
            return None
        # after the comment marker, Go's unicode.IsSpace blanks, then the regexp's
        match = _DIRECTIVE_RE.match(text[len(self._comment) :].lstrip(SPACE_CHARS))
        if match is None:
            self.done = True
            return None
        name = match.group(1).lower()
        if name not in VALID_DIRECTIVES:
            self.done = True
            return None
        loc = Range(self.line, self.line)
        if name in self.seen:
            raise DockerfileError(f"only one {name} parser directive can be used", loc)
        self.seen.add(name)
        return Directive(name, match.group(2), loc)

    def parse_all(self, text: str) -> list[Directive]:
        found: list[Directive] = []
        for line in text.split("\n"):
            if self.done:
                break
            directive = self.parse_line(line.rstrip("\r"))
            if directive is not None:
                found.append(directive)
        return found


def detect_syntax(source: str | bytes) -> tuple[str, str, Range] | None:
    """The ``syntax`` directive as (frontend reference, whole value, line), or None.

    Like the reference: a UTF-8 BOM and a leading ``#!`` line are skipped, then
    ``# syntax=``, ``// syntax=`` and a JSON ``{"syntax": "..."}`` are tried in turn.
    """
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    text = text.removeprefix("\ufeff")
    line = 0
    first, sep, rest = text.partition("\n")
    if first.startswith("#!"):
        text = rest if sep else ""
        line = 1
    for comment in ("#", "//"):
        parser = DirectiveParser(comment, line)
        try:
            directives = parser.parse_all(text)
        except DockerfileError:
            directives = []
        for directive in directives:
            if directive.name == "syntax":
                return directive.value.split(" ", 1)[0], directive.value, directive.location
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if isinstance(doc, dict) and isinstance(doc.get("syntax"), str):
        value = doc["syntax"]
        if all(isinstance(v, str) for v in doc.values()):
            return value, value, Range(line + 1, line + 1)
    return None
