"""Word expansion (language step): the shell-like lexer of Dockerfile words.

Owned step: ``frontend.language`` (word expansion). Implements the reference
frontend's word processing: quotes, the escape token, ``$V``/``${V}`` and the
modifiers ``:- - :+ + :? ? # ## % %% / //`` (their patterns are the reference's shell
patterns: ``*`` and ``?`` wild, everything else literal); word splitting (a ``<<``
keeps the blanks after it in its word, as the reference's heredoc marker); and
reporting which variable names were used (found) and which were looked up but unset
(the build checks need both). An error names the word: ``failed to process "<word>":
<what>``, as the reference's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Final

from frontend.gocompat import go_quote
from frontend.language.errors import DockerfileError
from frontend.records import field, record

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
_MODIFIERS = frozenset("+-?#%")
_HEREDOC_BLANKS = frozenset("\t\r ")
_BLANKS_CLASS = "".join(re.escape(c) for c in sorted(_SPACES))
_RUNS = re.compile(f"[{_BLANKS_CLASS}]+|[^{_BLANKS_CLASS}]+")
_GO_EOF = "\ufffd"  # what Go's string(rune) of the scanner's EOF prints


def is_space(ch: str) -> bool:
    """Whether ``ch`` is white space as the reference (Go ``unicode.IsSpace``) sees it."""
    return ch in _SPACES


@record(frozen=True, slots=True)
class ExpandResult:
    """The expansion of one word: its value, the names found and those unset."""

    value: str
    used: frozenset[str]
    unset: frozenset[str]


class _Words:
    """Collects split words while a word is processed.

    The current word is kept as a list of pieces (joined when it ends) and strings are
    added a run of blanks or non-blanks at a time, so building a word is linear in its
    length (a string grown by ``+=`` on an attribute is copied each time)."""

    __slots__ = ("in_word", "parts", "size", "words")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.words: list[str] = []
        self.in_word = False

    def _blank(self) -> None:
        if self.in_word and self.size:
            self.words.append("".join(self.parts))
            self.parts = []
            self.size = 0
            self.in_word = False

    def drop_word(self) -> None:
        """Forget the current word's text (it stays a word in progress)."""
        self.parts = []
        self.size = 0

    def add_char(self, ch: str) -> None:
        if ch in _SPACES:
            self._blank()
        else:
            self.add_raw(ch)

    def add_raw(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)
        self.in_word = True

    def add_string(self, s: str) -> None:
        # a run of blanks acts as its first blank does (the others find no word)
        for run in _RUNS.findall(s):
            if run[0] in _SPACES:
                self._blank()
            else:
                self.add_raw(run)

    def result(self) -> list[str]:
        if self.size:
            self.words.append("".join(self.parts))
            self.parts = []
            self.size = 0
            self.in_word = False
        return self.words


class _NoWords(_Words):
    """The collector of a word that is not split (:meth:`Lexer.expand_word`): it keeps
    nothing, so a long word is not copied into words that are thrown away."""

    __slots__ = ()

    def drop_word(self) -> None:
        pass

    def add_char(self, ch: str) -> None:
        pass

    def add_raw(self, s: str) -> None:
        pass

    def add_string(self, s: str) -> None:
        pass


@lru_cache(maxsize=64)
def _plain_run(stop: str, escape: str, skip_quotes: bool) -> re.Pattern[str]:
    """Characters :meth:`_Scan._process` adds as they are (not ``$``, ``<``, the
    escape token, ``stop``, nor a quote unless quotes are skipped): consumed a run at a
    time, so a long word costs one regex scan, not a loop turn a character."""
    special = "$<" + escape + stop + ("" if skip_quotes else "'\"")
    return re.compile("[^" + "".join(re.escape(c) for c in sorted(set(special))) + "]+")


@lru_cache(maxsize=8)
def _plain_quoted(escape: str) -> re.Pattern[str]:
    """Characters a double-quoted string keeps as they are (not ``"``, ``$``, the
    escape token), consumed a run at a time."""
    return re.compile("[^" + "".join(re.escape(c) for c in sorted({'"', "$", escape})) + "]+")


def _is_name_char(ch: str) -> bool:
    """A letter, a decimal digit or ``_`` (Go's ``unicode.IsLetter``/``IsDigit``)."""
    return ch.isalpha() or ch.isdecimal() or ch == "_"


# ``${a:-${b:-...}}``: how deep substitutions may nest. The reference (Go's growable
# stacks) has no bound; each level here is a few Python frames, so depth is bounded
# well inside the interpreter's recursion limit, with a located error past it.
MAX_NESTING: Final = 64


class _Scan:
    """One pass over one word."""

    __slots__ = (
        "active",
        "depth",
        "env",
        "escape",
        "pos",
        "raw_escapes",
        "raw_quotes",
        "skip_quotes",
        "skip_unset",
        "split",
        "text",
        "unset",
        "used",
    )

    def __init__(
        self, lexer: Lexer, text: str, env: Mapping[str, str], *, split: bool = True
    ) -> None:
        self.text = text
        self.split = split  # whether the words are wanted (else only the word)
        self.pos = 0
        self.env = env
        self.escape = lexer.escape
        self.raw_quotes = lexer.raw_quotes
        # whether escape tokens are kept: the lexer's setting, or that of the nested
        # word being processed (a pattern keeps them, a default value does not)
        self.raw_escapes = lexer.raw_escapes
        self.skip_quotes = lexer.skip_process_quotes
        self.skip_unset = lexer.skip_unset_env
        self.active: _Words | None = None  # the words of the innermost word being processed
        self.used: set[str] = set()
        self.unset: set[str] = set()
        self.depth = 0  # words being processed, one inside the other

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
        """The word up to ``stop`` (the end when ``""``), and its split words.

        The reference's words of a word share one buffer with the words of the word
        around them: a nested word (a ``${name<modifier>...}``) drops the part of the
        word it is in that was read before it (``a${x:-b}c`` splits as ``["bc"]``).
        """
        if self.depth >= MAX_NESTING:
            raise DockerfileError(
                f"syntax error: variable substitutions nested more than {MAX_NESTING} deep"
            )
        outer = self.active
        if outer is not None:
            outer.drop_word()
        words = _Words() if self.split else _NoWords()
        self.active = words
        outer_raw = self.raw_escapes
        self.raw_escapes = raw_escapes
        self.depth += 1
        try:
            return self._process(stop, words)
        finally:
            self.depth -= 1
            self.active = outer
            self.raw_escapes = outer_raw

    def _process(self, stop: str, words: _Words) -> tuple[str, list[str]]:
        out: list[str] = []
        text = self.text
        n = len(text)
        plain = _plain_run(stop, self.escape, self.skip_quotes)
        while self.pos < n:
            ch = text[self.pos]
            match = plain.match(text, self.pos)
            if match is not None:  # a run of characters that stand for themselves
                run = match.group()
                self.pos = match.end()
                words.add_string(run)
                out.append(run)
                continue
            if stop and ch == stop:
                self.pos += 1
                return "".join(out), words.result()
            if ch == "$":
                tmp = self.dollar()
                out.append(tmp)
                words.add_string(tmp)
            elif ch == "<":
                tmp = self.possible_heredoc()
                out.append(tmp)
                words.add_raw(tmp)
            elif ch == "'" and not self.skip_quotes:
                tmp = self.single_quote()
                out.append(tmp)
                words.add_raw(tmp)
            elif ch == '"' and not self.skip_quotes:
                tmp = self.double_quote()
                out.append(tmp)
                words.add_raw(tmp)
            else:
                self.pos += 1
                if ch == self.escape:
                    if self.raw_escapes:
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

    def possible_heredoc(self) -> str:
        """``<``, or ``<<`` with the blanks after it (one word with what follows)."""
        self.pos += 1
        if self.peek() != "<":
            return "<"
        self.pos += 1
        start = self.pos
        while self.peek() in _HEREDOC_BLANKS:  # (the end, "", is none)
            self.pos += 1
        return "<<" + self.text[start : self.pos]

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
        plain = _plain_quoted(self.escape)
        while True:
            match = plain.match(self.text, self.pos)
            if match is not None:
                out.append(match.group())
                self.pos = match.end()
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
        """A variable name: digits, one special parameter, or letters, digits and
        ``_`` (Go's ``unicode.IsLetter``/``IsDigit``: Python's ``isalpha``/``isdecimal``)."""
        start = self.pos
        text = self.text
        end = start
        if start < len(text):
            ch = text[start]
            if ch.isdecimal():
                while end < len(text) and text[end].isdecimal():
                    end += 1
                self.pos = end
                return text[start:end]
            if ch in _SPECIAL_PARAMS:
                self.pos += 1
                return ch
        while end < len(text) and _is_name_char(text[end]):
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
        mod = ch or _GO_EOF
        null_is_unset = ch == ":"
        if null_is_unset:
            # whatever follows ``:`` is read as a ``:-``-like modifier's word
            ch = self.next()
            mod += ch or _GO_EOF
        if null_is_unset or ch in _MODIFIERS:
            pattern_mode = ch in ("#", "%")
            if null_is_unset and pattern_mode:
                raise DockerfileError(f"unsupported modifier ({mod}) in substitution")
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
            if pattern_mode:
                # the doubled modifier is read from the word as processed
                greedy = word[:1] == ch
                if greedy:
                    word = word[1:]
                if ch == "#":
                    return _trim_prefix(word, value, greedy)
                return _trim_suffix(word, value, greedy)
            raise DockerfileError(f"unsupported modifier ({mod}) in substitution")
        if ch == "/":
            replace_all = self.peek() == "/"
            if replace_all:
                self.pos += 1
            pattern = self._process_to("/", True, "missing '/' in ${}")
            replacement = self._process_to("}", True, "missing '}'")
            value, found = self.get_env(name)
            if self.skip_unset and not found:
                return "${" + name + "/" + pattern + "/" + replacement + "}"
            glob = _glob(pattern, pattern)
            if replace_all:
                return _replace_all(glob, value, replacement)
            span = _find(glob, value, 0)
            if span is None:
                return value
            return value[: span[0]] + replacement + value[span[1] :]
        raise DockerfileError(f"unsupported modifier ({mod}) in substitution")


# a shell pattern's tokens: a character, or one of these
_ANY, _STAR = "\x00any", "\x00star"


@lru_cache(maxsize=256)
def _glob(pattern: str, shown: str) -> tuple[str, ...]:
    """The reference's shell pattern (``convertShellPatternToRegex``) as tokens:
    ``*`` (:data:`_STAR`) any run and ``?`` (:data:`_ANY`) any one character, neither
    matching a newline (Go's ``.``); ``\\*``, ``\\?`` and ``\\\\`` literal; ``\\}`` and
    ``\\/`` the character; everything else literal (no bracket sets). Another escape
    is an error naming ``shown`` (the pattern as the reference names it)."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if not out or out[-1] is not _STAR:  # (a run of stars is one)
                out.append(_STAR)
        elif ch == "?":
            out.append(_ANY)
        elif ch == "\\":
            if i < n and pattern[i] in "}/":
                continue  # the escape is not part of the pattern
            nxt = pattern[i] if i < n else _GO_EOF
            i += 1
            if nxt not in "*?\\":
                raise DockerfileError(
                    f"invalid pattern ({shown}) in substitution: invalid escape '\\{nxt}'"
                )
            out.append(nxt)
        else:
            out.append(ch)
    return tuple(out)


# The reference matches with Go's regexp (leftmost-first, linear time). For these
# patterns (characters, "." and ".*" or ".*?") leftmost-first is the leftmost start,
# then the longest end (".*") or, anchored with ".*?", the shortest: computed here by
# simulating the pattern's automaton, in time linear in the value (a backtracking
# regular expression can take exponential time on "*a*a*a*b").


def _closure(glob: tuple[str, ...], states: dict[int, int]) -> dict[int, int]:
    """``states`` (state -> start) with every state a star may be skipped to."""
    m = len(glob)
    for state in sorted(states):  # (a skip only moves forward: one pass is enough)
        start = states[state]
        nxt = state
        while nxt < m and glob[nxt] is _STAR:
            nxt += 1
            if states.get(nxt, start + 1) > start:
                states[nxt] = start
    return states


def _step(glob: tuple[str, ...], states: dict[int, int], ch: str) -> dict[int, int]:
    out: dict[int, int] = {}
    m = len(glob)
    for state, start in states.items():
        if state == m:
            continue
        token = glob[state]
        if token is _STAR:
            target = state if ch != "\n" else -1
        elif token is _ANY:
            target = state + 1 if ch != "\n" else -1
        else:
            target = state + 1 if ch == token else -1
        if target >= 0 and out.get(target, start + 1) > start:
            out[target] = start
    return _closure(glob, out)


def _prefix_ends(glob: tuple[str, ...], value: str) -> list[int]:
    """The ends of the prefixes of ``value`` the pattern matches, in order."""
    m = len(glob)
    states = _closure(glob, {0: 0})
    ends = [0] if m in states else []
    for i, ch in enumerate(value):
        if not states:
            break
        states = _step(glob, states, ch)
        if m in states:
            ends.append(i + 1)
    return ends


def _find(glob: tuple[str, ...], value: str, pos: int) -> tuple[int, int] | None:
    """The leftmost match at or after ``pos``, the longest from its start (Go's
    ``FindStringIndex`` of the greedy pattern), or None."""
    m = len(glob)
    best: tuple[int, int] | None = None
    states: dict[int, int] = {}
    n = len(value)
    for i in range(pos, n + 1):
        if best is None and 0 not in states:
            states[0] = i  # a match may start here
            states = _closure(glob, states)
        if m in states:
            start = states[m]
            if best is None or start < best[0] or (start == best[0] and i > best[1]):
                best = (start, i)
        if best is not None:
            states = {k: v for k, v in states.items() if v <= best[0]}
        if i == n or (not states and best is not None):
            break
        states = _step(glob, states, value[i])
    return best


def _trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    ends = _prefix_ends(_glob(pattern, pattern), value)
    if not ends:
        return value
    return value[ends[-1] if greedy else ends[0] :]


def _reverse_pattern(pattern: str) -> str:
    """``pattern`` reversed, each escape still before the character it escapes."""
    out = [""] * len(pattern)
    last = len(pattern) - 1
    i = 0
    while i <= last:
        ch = pattern[i]
        at = last - i
        if ch == "\\" and i != last:
            out[at - 1] = ch
            out[at] = pattern[i + 1]
            i += 2
        else:
            out[at] = ch
            i += 1
    return "".join(out)


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    # the shortest (or longest) suffix: a prefix of the reversed value
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


def _replace_all(glob: tuple[str, ...], value: str, template: str) -> str:
    """Go's ``Regexp.ReplaceAllString``: successive non-overlapping matches, an empty
    match right after a match not replaced; ``$0``/``${0}`` in ``template`` is the
    match, ``$$`` a ``$``, another ``$name`` nothing."""
    out: list[str] = []
    last_end = 0
    pos = 0
    n = len(value)
    while pos <= n:
        span = _find(glob, value, pos)
        if span is None:
            break
        start, end = span
        out.append(value[last_end:start])
        if end > last_end or start == 0:
            out.append(_expand_template(template, value[start:end]))
        last_end = end
        pos = pos + 1 if pos + 1 > end else end
    out.append(value[last_end:])
    return "".join(out)


def _template_name(text: str) -> tuple[str, str] | None:
    """The ``name`` or ``{name}`` at the start of ``text`` and what follows it, or None."""
    brace = text[:1] == "{"
    body = text[1:] if brace else text
    i = 0
    while i < len(body) and _is_name_char(body[i]):
        i += 1
    if i == 0:
        return None
    name = body[:i]
    if brace:
        if i >= len(body) or body[i] != "}":
            return None
        i += 1
    return name, body[i:]


def _expand_template(template: str, match: str) -> str:
    if "$" not in template:
        return template
    out: list[str] = []
    rest = template
    while True:
        before, dollar, after = rest.partition("$")
        if not dollar:
            break
        out.append(before)
        rest = after
        if rest[:1] == "$":
            out.append("$")
            rest = rest[1:]
            continue
        found = _template_name(rest)
        if found is None:
            out.append("$")  # malformed: the $ as written
            continue
        name, rest = found
        if name == "0":
            out.append(match)  # the only group: the whole match (others expand to "")
    out.append(rest)
    return "".join(out)


@record(frozen=True, slots=True)
class Lexer:
    """Processes Dockerfile words like the reference's shell lexer.

    ``escape`` is the file's escape token (``\\`` or ````` ``). ``raw_quotes`` and
    ``raw_escapes`` keep quotes and escape tokens in the output;
    ``skip_process_quotes`` leaves quotes as ordinary characters (variables in them
    are expanded); ``skip_unset_env`` leaves references to unset names as written.
    """

    escape: str = "\\"
    raw_quotes: bool = False
    raw_escapes: bool = False
    skip_unset_env: bool = False
    skip_process_quotes: bool = False

    def _process(
        self, word: str, env: Mapping[str, str], *, split: bool = True
    ) -> tuple[_Scan, str, list[str]]:
        # Go's text/scanner skips a byte order mark that starts its input
        scan = _Scan(self, word[1:] if word[:1] == "\ufeff" else word, env, split=split)
        try:
            value, words = scan.process("", self.raw_escapes)
        except DockerfileError as err:
            raise DockerfileError(f"failed to process {go_quote(word)}: {err.message}") from None
        return scan, value, words

    def expand_word(self, word: str, env: Mapping[str, str]) -> ExpandResult:
        """Expand ``word`` as one word (no splitting)."""
        scan, value, _ = self._process(word, env, split=False)
        return ExpandResult(value, frozenset(scan.used), frozenset(scan.unset))

    def expand_words(self, word: str, env: Mapping[str, str]) -> list[str]:
        """Expand ``word`` and split the result into words (quoted parts stay whole)."""
        return self.expand_words_result(word, env)[0]

    def expand_words_result(
        self, word: str, env: Mapping[str, str]
    ) -> tuple[list[str], ExpandResult]:
        """Like :meth:`expand_words`, with the single-word result and names as well."""
        scan, value, words = self._process(word, env)
        return words, ExpandResult(value, frozenset(scan.used), frozenset(scan.unset))


# heredoc content: the reference's own lexer for it (always ``\\``, quotes not special)
_HEREDOC_CONTENT = Lexer("\\", skip_process_quotes=True)


@record(slots=True)
class EnvExpander:
    """Expands words of instructions against one environment and remembers the names.

    Passed to ``Instruction.expand``: ``word`` expands one word, ``words`` splits,
    ``raw`` expands the content of a ``COPY``/``ADD`` heredoc (as the reference: the
    escape token is ``\\`` whatever the file's, and quotes are kept as written and
    do not stop expansion).
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
        return self._note(_HEREDOC_CONTENT.expand_word(text, self.env))

    def __call__(self, word: str) -> str:
        return self.word(word)


WordExpander = Callable[[str], str]
