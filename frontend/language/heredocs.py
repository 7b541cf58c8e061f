"""Here-documents: finding the heredocs an instruction starts and reading their bodies.

Owned step: ``frontend.language`` (heredocs). A word such as ``<<EOF``, ``<<-"EOF"``,
``<< EOF`` or ``3<<EOF`` in a ``RUN``/``COPY``/``ADD`` line (not in exec form) starts a
heredoc (:func:`parse_heredoc`, the reference's rules: quotes found by the shell
lexer); the lines that follow, up to a line that is the delimiter, are its body
(:func:`read_heredocs`). Bodies are kept as written; ``<<-`` strips leading tabs from
them when they are used (:func:`chomp_heredoc`). Whether a later step's word is a
heredoc (a ``COPY`` source, a ``RUN`` command that is one heredoc) is
:func:`heredoc_word`.
"""

from __future__ import annotations

import re

from frontend.gocompat import go_parse_uint
from frontend.language.arguments import NON_SPACE_RUN
from frontend.language.errors import DockerfileError, Range
from frontend.language.shell import SPACE_CHARS, Lexer
from frontend.records import record

__all__ = [
    "HEREDOC_COMMANDS", "Heredoc", "chomp_heredoc", "heredoc_word", "parse_heredoc",
    "read_heredocs",
]  # fmt: skip

# the instructions whose (non-exec-form) lines can start heredocs
HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})
# the reference's ``^(\d*)<<(-?)\s*([^<]*)$`` (Go's ``\s``: ASCII blanks, no \v)
_HEREDOC_RE = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)", re.DOTALL)
_LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)
_SPACED_MARKER = re.compile(r"<<[\t\r ]")
# a word the shell lexer leaves as it is (no quote, escape, variable or space)
_PLAIN_WORD = re.compile(f"""[^{re.escape(SPACE_CHARS)}'"\\\\$]+""")


@record(frozen=True, slots=True)
class Heredoc:
    """A here-document: ``name`` (the delimiter), ``file_descriptor``, whether the
    body is expanded (unquoted delimiter), whether leading tabs are stripped
    (``<<-``) and the raw ``content`` (lines with their line endings)."""

    name: str
    file_descriptor: int = 0
    expand: bool = True
    chomp: bool = False
    content: str = ""

    @property
    def data(self) -> str:
        """The content with leading tabs removed when ``chomp``."""
        return chomp_heredoc(self.content) if self.chomp else self.content


def chomp_heredoc(content: str) -> str:
    return _LEADING_TABS.sub("", content)


_LEXER_HEREDOC_LINE = Lexer("\\", raw_quotes=True, raw_escapes=True, skip_unset_env=True)
_LEXER_HEREDOC_WORD = Lexer("\\", skip_unset_env=True)
_LEXER_HEREDOC_WORD_RAW = Lexer("\\", raw_quotes=True, skip_unset_env=True)


def _fd(text: str) -> int:
    """The reference's ``strconv.ParseUint(match[1], 10, 0)`` with its error ignored:
    0 for no digits, the largest uint64 when out of range (ASCII digits only)."""
    if not text:
        return 0
    value = go_parse_uint(text, 10, 64)
    return (1 << 64) - 1 if value is None else value


def parse_heredoc(word: str) -> Heredoc | None:
    """The heredoc a word such as ``<<EOF``, ``<<-"EOF"`` or ``3<<EOF`` starts, or None.

    Raises :class:`DockerfileError` when the delimiter does not lex (the reference's
    ``ParseHeredoc``); :func:`heredoc_word` is the form that does not."""
    match = _HEREDOC_RE.fullmatch(word)
    if match is None:
        return None
    fd_text, dash, rest = match.groups()
    if not rest:
        return None
    fd = _fd(fd_text)
    if _PLAIN_WORD.fullmatch(rest):
        # nothing for the lexer to do: one word, as written, not quoted
        return Heredoc(rest, fd, True, dash == "-")
    return _lex_heredoc(rest, fd, dash == "-")


def heredoc_word(word: str) -> Heredoc | None:
    """The heredoc ``word`` names, or None (also when it does not lex: the reference's
    ``MustParseHeredoc``, by which later steps ask whether a ``COPY`` source or
    destination, or a whole ``RUN`` command, is a heredoc)."""
    try:
        return parse_heredoc(word)
    except DockerfileError:
        return None


def _lex_heredoc(rest: str, fd: int, chomp: bool) -> Heredoc | None:
    """The heredoc named by ``rest`` (what follows ``<<`` or ``<<-``), by the lexer."""
    words = _LEXER_HEREDOC_WORD.expand_words(rest, {})
    if len(words) != 1:
        return None
    raw = _LEXER_HEREDOC_WORD_RAW.expand_words(rest, {})
    if len(raw) != 1:
        raise DockerfileError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    name = words[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw[0].count("'") + raw[0].count('"')
    return Heredoc(name, fd, quotes == raw_quotes, chomp)


def _heredoc_line_words(line: str) -> list[str]:
    """The words of an instruction line as the reference looks for heredocs in them
    (quotes and escapes kept, unset variables left, a ``<<`` joined to what follows
    its blanks; [] when the line does not lex)."""
    if "'" in line or '"' in line or "\\" in line or "$" in line or _SPACED_MARKER.search(line):
        try:
            return _LEXER_HEREDOC_LINE.expand_words(line, {})
        except DockerfileError:
            return []
    # nothing for the lexer to do: its words are the runs of non-space characters
    return NON_SPACE_RUN.findall(line)


def _heredocs_from_line(line: str) -> list[Heredoc]:
    docs = []
    for word in _heredoc_line_words(line):
        if "<<" in word:
            doc = parse_heredoc(word)
            if doc is not None:
                docs.append(doc)
    return docs


def read_heredocs(
    line: str, parts: list[str], i: int, total: int, start: int
) -> tuple[tuple[Heredoc, ...], int]:
    """The heredocs the instruction ``line`` (from physical line ``start`` on) starts,
    with their bodies read from ``parts`` (physical line ``i`` on, ``total`` lines), and
    the index of the line after the last terminator (``((), i)`` when it starts none)."""
    try:
        docs = _heredocs_from_line(line)
    except DockerfileError as err:
        raise err.with_location(Range(start, i)) from None
    if not docs:
        return (), i
    read: list[Heredoc] = []
    for doc in docs:
        first = i
        terminated = False
        while i < total:
            candidate = parts[i].rstrip("\r")
            i += 1
            if doc.chomp:
                candidate = candidate.lstrip("\t")
            if candidate == doc.name:
                terminated = True
                break
        if not terminated:
            raise DockerfileError("unterminated heredoc", Range(start, i))
        body_end = i - 1  # the terminator's index
        content = "\n".join(parts[first:body_end])
        if body_end > first:
            content += "\n"  # every body line had its "\n" (the terminator follows)
        read.append(Heredoc(doc.name, doc.file_descriptor, doc.expand, doc.chomp, content))
    return tuple(read), i
