"""Word expansion (language step): the shell-like lexer of Dockerfile words.

Owned step: ``frontend.language`` (word expansion). Implements the reference
frontend's word processing: quotes, the escape token, ``$V``/``${V}`` and the
modifiers ``:- - :+ + :? ? # ## % %% / //``; word splitting; and reporting which
variable names were used (found) and which were looked up but unset (the build checks
need both).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from frontend.language.errors import DockerfileError

__all__ = [
    "SPACE_CHARS",
    "EnvExpander",
    "ExpandResult",
    "Lexer",
    "is_space",
]

_EOF = ""
# Go's unicode.IsSpace: the Unicode White_Space property.
_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
SPACE_CHARS = "".join(sorted(_SPACES))
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


def is_space(ch: str) -> bool:
    """Whether ``ch`` is white space as the reference (Go ``unicode.IsSpace``) sees it."""
    return ch in _SPACES


@dataclass(frozen=True, slots=True)
class ExpandResult:
    """The expansion of one word: its value, the names found and those unset."""

    value: str
    used: frozenset[str]
    unset: frozenset[str]


class _Words:
    """Collects split words while a word is processed."""

    __slots__ = ("in_word", "word", "words")

    def __init__(self) -> None:
        self.word = ""
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if ch in _SPACES:
            if self.in_word and self.word:
                self.words.append(self.word)
                self.word = ""
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, s: str) -> None:
        self.word += s
        self.in_word = True

    def add_string(self, s: str) -> None:
        for ch in s:
            self.add_char(ch)

    def result(self) -> list[str]:
        if self.word:
            self.words.append(self.word)
            self.word = ""
            self.in_word = False
        return self.words


class _Scan:
    """One pass over one word."""

    __slots__ = (
        "env",
        "escape",
        "pos",
        "raw_escapes",
        "raw_quotes",
        "skip_quotes",
        "skip_unset",
        "text",
        "unset",
        "used",
    )

    def __init__(self, lexer: Lexer, text: str, env: Mapping[str, str]) -> None:
        self.text = text
        self.pos = 0
        self.env = env
        self.escape = lexer.escape
        self.raw_quotes = lexer.raw_quotes
        self.raw_escapes = lexer.raw_escapes
        self.skip_quotes = lexer.skip_quotes
        self.skip_unset = lexer.skip_unset_env
        self.used: set[str] = set()
        self.unset: set[str] = set()

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else _EOF

    def next(self) -> str:
        if self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            return ch
        return _EOF

    def get_env(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            self.used.add(name)
            return self.env[name], True
        self.unset.add(name)
        return "", False

    def _process_to(self, stop: str, raw_escapes: bool, missing: str) -> str:
        """:meth:`process` up to ``stop``; running out of input is ``syntax error:
        <missing>``."""
        try:
            word, _ = self.process(stop, raw_escapes)
        except DockerfileError:
            if self.peek() == _EOF:
                raise DockerfileError(f"syntax error: {missing}") from None
            raise
        return word

    def process(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        out: list[str] = []
        words = _Words()
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if stop and ch == stop:
                self.pos += 1
                return "".join(out), words.result()
            if ch == "'" and not self.skip_quotes:
                tmp = self.single_quote()
                out.append(tmp)
                words.add_raw(tmp)
            elif ch == '"' and not self.skip_quotes:
                tmp = self.double_quote()
                out.append(tmp)
                words.add_raw(tmp)
            elif ch == "$":
                tmp = self.dollar()
                out.append(tmp)
                words.add_string(tmp)
            else:
                self.pos += 1
                if ch == self.escape:
                    if raw_escapes:
                        words.add_raw(ch)
                        out.append(ch)
                    ch = self.next()
                    if ch == _EOF:
                        break
                    words.add_raw(ch)
                else:
                    words.add_char(ch)
                out.append(ch)
        if stop:
            raise DockerfileError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(out), words.result()

    def single_quote(self) -> str:
        self.pos += 1
        end = self.text.find("'", self.pos)
        if end < 0:
            raise DockerfileError(
                "unexpected end of statement while looking for matching single-quote"
            )
        body = self.text[self.pos : end]
        self.pos = end + 1
        return f"'{body}'" if self.raw_quotes else body

    def double_quote(self) -> str:
        self.pos += 1
        out: list[str] = ['"'] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if ch == _EOF:
                raise DockerfileError(
                    "unexpected end of statement while looking for matching double-quote"
                )
            if ch == '"':
                self.pos += 1
                if self.raw_quotes:
                    out.append('"')
                break
            if ch == "$":
                out.append(self.dollar())
                continue
            self.pos += 1
            if ch == self.escape:
                if self.raw_escapes:
                    out.append(ch)
                nxt = self.peek()
                if nxt == _EOF:
                    continue
                if nxt in ('"', "$", self.escape):
                    ch = self.next()
            out.append(ch)
        return "".join(out)

    def name(self) -> str:
        start = self.pos
        text = self.text
        if start < len(text):
            ch = text[start]
            if ch.isdigit():
                end = start
                while end < len(text) and text[end].isdigit():
                    end += 1
                self.pos = end
                return text[start:end]
            if ch in _SPECIAL_PARAMS:
                self.pos += 1
                return ch
        end = start
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        self.pos = end
        return text[start:end]

    def dollar(self) -> str:
        self.pos += 1  # the $
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            value, found = self.get_env(name)
            if not found and self.skip_unset:
                return "$" + name
            return value
        self.pos += 1  # the {
        ch = self.peek()
        if ch == _EOF:
            raise DockerfileError("syntax error: missing '}'")
        if ch in "{}:":
            raise DockerfileError("syntax error: bad substitution")
        name = self.name()
        ch = self.next()
        if ch == "}":
            value, found = self.get_env(name)
            if not found and self.skip_unset:
                return "${" + name + "}"
            return value
        mod = ch
        null_is_unset = False
        if ch == ":":
            null_is_unset = True
            ch = self.next()
            mod += ch
        if ch in ("+", "-", "?", "#", "%"):
            pattern_mode = ch in "#%"
            if null_is_unset and pattern_mode:
                raise DockerfileError(f"unsupported modifier ({mod}) in substitution")
            greedy = False
            if pattern_mode and self.peek() == ch:
                self.pos += 1
                greedy = True
                mod += ch
            word = self._process_to("}", pattern_mode, "missing '}'")
            value, found = self.get_env(name)
            if self.skip_unset and not found:
                return "${" + name + mod + word + "}"
            if ch == "-":
                return word if not found or (null_is_unset and value == "") else value
            if ch == "+":
                return "" if not found or (null_is_unset and value == "") else word
            if ch == "?":
                if not found:
                    raise DockerfileError(f"{name}: {word or 'is not allowed to be unset'}")
                if null_is_unset and value == "":
                    raise DockerfileError(f"{name}: {word or 'is not allowed to be empty'}")
                return value
            rx = _pattern(word)
            if ch == "#":
                return _trim_prefix(rx, value, greedy)
            return _trim_suffix(rx, value, greedy)
        if ch == "/" and not null_is_unset:
            replace_all = self.peek() == "/"
            if replace_all:
                self.pos += 1
            pattern = self._process_to("/", True, "missing '/' in ${}")
            replacement = self._process_to("}", True, "missing '}'")
            value, found = self.get_env(name)
            if self.skip_unset and not found:
                sep = "//" if replace_all else "/"
                return "${" + name + sep + pattern + "/" + replacement + "}"
            return _replace(_pattern(pattern), value, replacement, replace_all)
        if ch == _EOF:
            raise DockerfileError("syntax error: missing '}'")
        raise DockerfileError(f"unsupported modifier ({mod}) in substitution")


def _check_ranges(pattern: str, body: str) -> None:
    """Reject a bracket set with a range whose ends are out of order (``[z-a]``)."""
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            if body[i] > body[i + 2]:
                raise DockerfileError(
                    f"invalid pattern ({pattern}) in substitution: error parsing regexp: "
                    f"invalid character class range: `{body[i : i + 3]}`"
                )
            i += 3
        else:
            i += 1


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern[str]:
    """A shell glob (``*``, ``?``, ``[...]``, ``\\`` escapes) as a regular expression."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "\\":
            if i < n:
                out.append(re.escape(pattern[i]))
                i += 1
            else:
                out.append(re.escape("\\"))
        elif ch == "[":
            start = i + 1 if i < n and pattern[i] in "!^" else i
            if start < n and pattern[start] == "]":
                start += 1  # a ] first in the set is a member
            end = pattern.find("]", start)
            if end < 0:
                out.append(re.escape("["))
                continue
            body = pattern[i:end]
            i = end + 1
            neg = body[:1] in ("!", "^")
            if neg:
                body = body[1:]
            _check_ranges(pattern, body)
            body = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
            body = body.replace("]", "\\]")
            out.append(f"[{'^' if neg else ''}{body}]")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL)


def _trim_prefix(rx: re.Pattern[str], value: str, greedy: bool) -> str:
    ends = range(len(value), -1, -1) if greedy else range(len(value) + 1)
    for end in ends:
        if rx.fullmatch(value, 0, end):
            return value[end:]
    return value


def _trim_suffix(rx: re.Pattern[str], value: str, greedy: bool) -> str:
    starts = range(len(value) + 1) if greedy else range(len(value), -1, -1)
    for start in starts:
        if rx.fullmatch(value, start):
            return value[:start]
    return value


def _replace(rx: re.Pattern[str], value: str, replacement: str, replace_all: bool) -> str:
    out: list[str] = []
    i = 0
    n = len(value)
    while i <= n:
        match_end = -1
        for end in range(n, i - 1, -1):  # longest match at i
            if rx.fullmatch(value, i, end):
                match_end = end
                break
        if match_end < 0 or (match_end == i and rx.pattern != ""):
            if i < n:
                out.append(value[i])
            i += 1
            continue
        out.append(replacement)
        if not replace_all:
            out.append(value[match_end:])
            return "".join(out)
        if match_end == i:
            if i < n:
                out.append(value[i])
            i += 1
        else:
            i = match_end
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Lexer:
    """Processes Dockerfile words like the reference's shell lexer.

    ``escape`` is the file's escape token (``\\`` or ``\\```). ``raw_quotes`` and
    ``raw_escapes`` keep quotes and escape tokens in the output; ``skip_quotes`` makes
    quotes ordinary characters (the reference's ``SkipProcessQuotes``);
    ``skip_unset_env`` leaves references to unset names as written.
    """

    escape: str = "\\"
    raw_quotes: bool = False
    raw_escapes: bool = False
    skip_quotes: bool = False
    skip_unset_env: bool = False

    def expand_word(self, word: str, env: Mapping[str, str]) -> ExpandResult:
        """Expand ``word`` as one word (no splitting)."""
        scan = _Scan(self, word, env)
        value, _ = scan.process("", self.raw_escapes)
        return ExpandResult(value, frozenset(scan.used), frozenset(scan.unset))

    def expand_words(self, word: str, env: Mapping[str, str]) -> list[str]:
        """Expand ``word`` and split the result into words (quoted parts stay whole)."""
        return self.expand_words_result(word, env)[0]

    def expand_words_result(
        self, word: str, env: Mapping[str, str]
    ) -> tuple[list[str], ExpandResult]:
        """Like :meth:`expand_words`, with the single-word result and names as well."""
        scan = _Scan(self, word, env)
        value, words = scan.process("", self.raw_escapes)
        return words, ExpandResult(value, frozenset(scan.used), frozenset(scan.unset))


@dataclass(slots=True)
class EnvExpander:
    """Expands words of instructions against one environment and remembers the names.

    Passed to ``Instruction.expand``: ``word`` expands one word, ``words`` splits,
    ``raw`` expands heredoc content (quotes kept as written).
    """

    lexer: Lexer
    env: Mapping[str, str]
    used: set[str] = field(default_factory=set)
    unset: set[str] = field(default_factory=set)

    def _note(self, res: ExpandResult) -> str:
        self.used |= res.used
        self.unset |= res.unset
        return res.value

    def word(self, word: str) -> str:
        return self._note(self.lexer.expand_word(word, self.env))

    def words(self, word: str) -> list[str]:
        words, res = self.lexer.expand_words_result(word, self.env)
        self._note(res)
        return words

    def raw(self, text: str) -> str:
        # the reference's ExpandRaw: a new lexer (escape token \, whatever the file's)
        # that leaves quotes alone and still processes escapes
        lexer = Lexer("\\", skip_quotes=True)
        return self._note(lexer.expand_word(text, self.env))

    def __call__(self, word: str) -> str:
        return self.word(word)


WordExpander = Callable[[str], str]
