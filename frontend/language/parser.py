"""Dockerfile text -> located nodes (language step).

Physical lines become logical lines (directives, comments, blank lines, line
continuations with the escape token, heredoc bodies), and each logical line
becomes a :class:`Node`: the instruction name as written, its ``--flags``, its
arguments split the way the reference splits them for that instruction, the
exec-form (JSON) attribute, heredocs and the source range.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from frontend.gocompat import go_quote
from frontend.language.directives import Directive, DirectiveParser
from frontend.language.errors import DockerfileError, Range
from frontend.language.shell import _SPACES, SPACE_CHARS, Lexer, is_space

__all__ = [
    "Heredoc", "Node", "NodeFields", "ParseResult", "ParsedLine", "parse_heredoc", "parse_nodes",
]  # fmt: skip

_SEPARATOR_CHARS = "\t\v\f\r "
_WS_SPLIT = re.compile(f"[{_SEPARATOR_CHARS}]+")
_HEREDOC_RE = re.compile(r"([0-9]*)<<(-?)([^<]*)", re.DOTALL)
_LEADING_TABS = re.compile(r"^\t+", re.MULTILINE)
_HEREDOC_COMMANDS = frozenset({"run", "copy", "add"})


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Node:
    """One instruction as the parser sees it (the reference's AST node)."""

    name: str  # as written
    original: str
    flags: tuple[str, ...]
    args: tuple[str, ...]
    json: bool
    heredocs: tuple[Heredoc, ...]
    location: Range
    comments: tuple[str, ...] = ()
    sub: Node | None = None  # ONBUILD's trigger
    legacy_kv: bool = False  # ENV/LABEL written as ``KEY name value``

    @property
    def command(self) -> str:
        return self.name.lower()


class NodeFields(Protocol):
    """What the instruction step reads of a node: a :class:`Node`, or a
    :class:`ParsedLine` (the same fields, before the node is frozen)."""

    @property
    def name(self) -> str: ...
    @property
    def original(self) -> str: ...
    @property
    def flags(self) -> tuple[str, ...]: ...
    @property
    def args(self) -> tuple[str, ...]: ...
    @property
    def json(self) -> bool: ...
    @property
    def heredocs(self) -> tuple[Heredoc, ...]: ...
    @property
    def location(self) -> Range: ...
    @property
    def sub(self) -> NodeFields | None: ...
    @property
    def legacy_kv(self) -> bool: ...


@dataclass(slots=True)
class ParsedLine:
    """A :class:`Node` as the parser builds it (cheap to make: instructions are built
    from these, and nodes only when asked for)."""

    name: str
    original: str
    flags: tuple[str, ...]
    args: tuple[str, ...]
    json: bool
    heredocs: tuple[Heredoc, ...]
    location: Range
    comments: tuple[str, ...] = ()
    sub: ParsedLine | None = None
    legacy_kv: bool = False

    def node(self) -> Node:
        """This line as a (frozen) node."""
        sub = self.sub.node() if self.sub is not None else None
        return Node(
            self.name, self.original, self.flags, self.args, self.json, self.heredocs,
            self.location, self.comments, sub, self.legacy_kv,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParseResult:
    lines: tuple[ParsedLine, ...]
    escape: str
    directives: tuple[Directive, ...]
    warnings: tuple[tuple[str, Range], ...]

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The nodes of the instructions, in file order."""
        return tuple(line.node() for line in self.lines)


_LEXER_HEREDOC_LINE = Lexer("\\", raw_quotes=True, raw_escapes=True, skip_unset_env=True)
_LEXER_HEREDOC_WORD = Lexer("\\", skip_unset_env=True)
_LEXER_HEREDOC_WORD_RAW = Lexer("\\", raw_quotes=True, skip_unset_env=True)


def parse_heredoc(word: str) -> Heredoc | None:
    """The heredoc a word such as ``<<EOF``, ``<<-"EOF"`` or ``3<<EOF`` starts, or None."""
    match = _HEREDOC_RE.fullmatch(word)
    if match is None:
        return None
    fd_text, dash, rest = match.groups()
    if not rest:
        return None
    fd = int(fd_text) if fd_text else 0
    if _PLAIN_WORD.fullmatch(rest):
        # nothing for the lexer to do: one word, as written, not quoted
        return Heredoc(rest, fd, True, dash == "-")
    return _lex_heredoc(rest, fd, dash == "-")


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
    (quotes and escapes kept, unset variables left; [] when the line does not lex)."""
    if "'" in line or '"' in line or "\\" in line or "$" in line:
        try:
            return _LEXER_HEREDOC_LINE.expand_words(line, {})
        except DockerfileError:
            return []
    # nothing for the lexer to do: its words are the runs of non-space characters
    return _NON_SPACE_RUN.findall(line)


def _heredocs_from_line(line: str) -> list[Heredoc]:
    docs = []
    for word in _heredoc_line_words(line):
        if "<<" in word:
            doc = parse_heredoc(word)
            if doc is not None:
                docs.append(doc)
    return docs


@lru_cache(maxsize=4)
def _continuation_re(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*\Z|^{e}[ \t]*\Z", re.DOTALL)


def _lstrip(text: str) -> str:
    return text.lstrip(SPACE_CHARS)


def _strip(text: str) -> str:
    return text.strip(SPACE_CHARS)


_NON_SPACE_RUN = re.compile(f"[^{re.escape(SPACE_CHARS)}]+")
_SPACE_RUN = re.compile(f"[{re.escape(SPACE_CHARS)}]+")
# a word the shell lexer leaves as it is (no quote, escape, variable or space)
_PLAIN_WORD = re.compile(f"""[^{re.escape(SPACE_CHARS)}'"\\\\$]+""")


# ---------------------------------------------------------------- arguments


def extract_flags(line: str) -> tuple[str, list[str]]:
    """Split leading ``--flag`` words (quotes and ``\\`` handled) from the rest."""
    words: list[str] = []
    n = len(line)
    pos = 0
    while True:
        m = _NON_SPACE_RUN.search(line, pos)
        if m is None:
            return "", words
        pos = m.start()
        if not line.startswith("--", pos):
            return line[pos:], words
        simple = m.group()
        if not ('"' in simple or "'" in simple or "\\" in simple):
            pos = m.end()
            if pos >= n:
                if simple != "--":
                    words.append(simple)
                return "", words
            if simple == "--":
                return line[pos:], words
            words.append(simple)
            continue
        word: list[str] = []
        blank_ok = False
        quote = ""
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if pos + 1 == n:
                        quote = ""
                    else:
                        pos += 1
                        word.append(line[pos])
                else:
                    word.append(ch)
                pos += 1
                continue
            if is_space(ch):
                break
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
            elif ch == "\\":
                if pos + 1 < n:
                    pos += 1
                    word.append(line[pos])
            else:
                word.append(ch)
            pos += 1
        text = "".join(word)
        if pos >= n:
            if text != "--" and (blank_ok or text):
                words.append(text)
            return "", words
        if text == "--":
            return line[pos:], words
        if blank_ok or text:
            words.append(text)


@lru_cache(maxsize=4)
def _word_tokens_re(escape: str) -> re.Pattern[str]:
    """Tokens of a word list: a word whose quotes are closed and whose escape tokens
    each escape a character, a run of white space, or any other single character."""
    e = re.escape(escape)
    sp = re.escape(SPACE_CHARS)
    piece = rf"""[^{sp}'"{e}]|{e}.|"(?:[^"{e}]|{e}.)*"|'[^']*'"""
    return re.compile(rf"((?:{piece})+)|[{sp}]+|(.)", re.DOTALL)


def _split_words_fast(rest: str, escape: str) -> list[str] | None:
    """:func:`split_words` for text without an unclosed quote or a trailing escape
    token (then each word is its text as written), else None."""
    words: list[str] = []
    for m in _word_tokens_re(escape).finditer(rest):
        word, other = m.groups()
        if other is not None:
            return None
        if word is not None:
            words.append(word)
    return words


def split_words(rest: str, escape: str) -> list[str]:
    """The reference's word splitter for ENV/LABEL/ARG (quotes and escapes kept)."""
    if not ("'" in rest or '"' in rest or escape in rest):
        return [w for w in _SPACE_RUN.split(rest) if w]
    fast = _split_words_fast(rest, escape)
    if fast is not None:
        return fast
    return _split_words_general(rest, escape)


def _split_words_general(rest: str, escape: str) -> list[str]:
    words: list[str] = []
    n = len(rest)
    pos = 0
    word: list[str] = []
    in_word = False
    blank_ok = False
    quote = ""
    while pos < n:
        ch = rest[pos]
        if not in_word:
            if is_space(ch):
                pos += 1
                continue
            in_word = True
        if not quote:
            if is_space(ch):
                if blank_ok or word:
                    words.append("".join(word))
                word = []
                blank_ok = False
                in_word = False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        # in a quote
        if ch == quote:
            quote = ""
        if ch == escape and quote != "'":
            if pos + 1 == n:
                pos += 1
                quote = ""
                continue
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


class _NotStringArray(DockerfileError):
    pass


def _reject_constant(name: str) -> object:
    raise ValueError(name)


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def _fix_surrogates(s: str) -> str:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace").decode("utf-8").replace("?", "\ufffd")
    return s


def parse_json_array(rest: str) -> list[str] | None:
    """``rest`` as a JSON array of strings, or None when it is not JSON.

    Raises when it is a JSON array with something other than strings in it.
    """
    rest = _lstrip(rest)
    if not rest.startswith("["):
        return None
    try:
        # like a Go json.Decoder: the first value counts, what follows is ignored
        value, _ = _JSON.raw_decode(rest)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if not isinstance(item, str):
            raise _NotStringArray(
                "when using JSON array syntax, arrays must be comprised of strings only"
            )
        out.append(_fix_surrogates(item) if "\\u" in rest else item)
    return out


def _maybe_json(rest: str) -> tuple[list[str], bool]:
    if rest == "":
        return [], False
    arr = parse_json_array(rest)
    if arr is not None:
        return arr, True
    return [rest], False


def _maybe_json_to_list(rest: str) -> tuple[list[str], bool]:
    arr = parse_json_array(rest)
    if arr is not None:
        return arr, True
    return _whitespace_delimited(rest), False


def _whitespace_delimited(rest: str) -> list[str]:
    if rest == "":
        return []
    return _WS_SPLIT.split(rest)


def _name_val(rest: str, key: str, escape: str) -> tuple[list[str], bool]:
    words = split_words(rest, escape)
    if not words:
        return [], False
    if "=" not in words[0]:
        parts = _WS_SPLIT.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileError(f"{key} must have two arguments")
        return [parts[0], parts[1]], True
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise DockerfileError(
                f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value"
            )
        k, _, v = word.partition("=")
        out += [k, v]
    return out, False


def _split_name(text: str) -> list[str]:
    """``text`` (stripped) split at its first run of separators: name and the rest."""
    name, sep, rest = text.partition(" ")
    # one space after a name of letters (the common case) is the whole separator
    if sep and name.isalpha() and rest[0] not in _SEPARATOR_CHARS:
        return [name, rest]
    return _WS_SPLIT.split(text, maxsplit=1)


def _split_command(line: str) -> tuple[str, tuple[str, ...], str]:
    parts = _split_name(line.strip(SPACE_CHARS))
    if len(parts) == 2:
        rest = parts[1]
        if _has_no_flags(rest):
            return parts[0], (), rest
        args, flags = extract_flags(rest)
        return parts[0], tuple(flags), _strip(args)
    return parts[0], (), ""


def _has_no_flags(rest: str) -> bool:
    """Whether ``extract_flags`` would find no flag in ``rest`` and leave it as it is (its
    first word does not start with ``--``, and there is no white space before it)."""
    return rest[:2] != "--" and rest[:1] not in _SPACES and rest != ""


# how each instruction's arguments are split (the reference's dispatch table)
_K_JSON, _K_JSON_LIST, _K_WHITESPACE, _K_STRING, _K_ENV, _K_LABEL, _K_ARG, _K_HEALTH, _K_ONBUILD = (
    range(1, 10)
)
_ARG_KIND = {
    "run": _K_JSON, "cmd": _K_JSON, "entrypoint": _K_JSON, "shell": _K_JSON,
    "add": _K_JSON_LIST, "copy": _K_JSON_LIST, "volume": _K_JSON_LIST,
    "expose": _K_WHITESPACE, "from": _K_WHITESPACE,
    "maintainer": _K_STRING, "stopsignal": _K_STRING, "user": _K_STRING, "workdir": _K_STRING,
    "env": _K_ENV, "label": _K_LABEL, "arg": _K_ARG, "healthcheck": _K_HEALTH,
    "onbuild": _K_ONBUILD,
}  # fmt: skip


def _node_from_line(
    line: str, escape: str, location: Range, comments: tuple[str, ...]
) -> ParsedLine:
    cmd, flags, rest = _split_command(line)
    kind = _ARG_KIND.get(cmd.lower(), 0)
    is_json = False
    legacy = False
    sub: ParsedLine | None = None
    args: list[str] | tuple[str, ...]
    if kind == _K_JSON:
        if rest[:1] == "[":  # (``rest`` is stripped: anything else is not JSON)
            args, is_json = _maybe_json(rest)
        else:
            args = (rest,) if rest else ()
    elif kind == _K_JSON_LIST:
        if rest[:1] == "[":
            args, is_json = _maybe_json_to_list(rest)
        else:
            args = _whitespace_delimited(rest)
    elif kind == _K_WHITESPACE:
        args = _whitespace_delimited(rest)
    elif kind == _K_STRING:
        args = (rest,) if rest else ()
    elif kind == _K_ENV:
        args, legacy = _name_val(rest, "ENV", escape)
    elif kind == _K_LABEL:
        args, legacy = _name_val(rest, "LABEL", escape)
    elif kind == _K_ARG:
        args = split_words(rest, escape)
    elif kind == _K_HEALTH:
        sep = 0
        while sep < len(rest) and not is_space(rest[sep]):
            sep += 1
        if sep == 0:
            args = []
        else:
            nxt = sep
            while nxt < len(rest) and is_space(rest[nxt]):
                nxt += 1
            cmd_args, is_json = _maybe_json(rest[nxt:])
            args = [rest[:sep], *cmd_args]
    elif kind == _K_ONBUILD:
        if rest:
            sub = _node_from_line(rest, escape, location, ())
            args = [sub.name, *sub.args]
            is_json = False
        else:
            args = []
    else:
        args = []
    return ParsedLine(cmd, line, flags, tuple(args), is_json, (), location, comments, sub, legacy)


# ---------------------------------------------------------------- lines


def decode(source: str | bytes) -> str:
    """The text of a Dockerfile: UTF-8 (invalid bytes replaced), without a BOM."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    return text.removeprefix("\ufeff")


def parse_nodes(text: str) -> ParseResult:
    """Parse decoded Dockerfile text into nodes. Raises :class:`DockerfileError`."""
    # only "\n" ends a line, like the reference's scanner: physical line k + 1 is
    # parts[k], which had a "\n" after it when k < last
    parts = text.split("\n")
    last = len(parts) - 1
    total = last if parts[-1] == "" else last + 1
    directives = DirectiveParser()
    found: list[Directive] = []
    escape = "\\"
    cont_re = _continuation_re(escape)
    nodes: list[ParsedLine] = []
    warnings: list[tuple[str, Range]] = []
    comments: list[str] = []
    i = 0  # index of the next physical line; also the number of lines read

    def directive_check(token: str, lineno: int) -> None:
        nonlocal escape, cont_re
        directives.line = lineno - 1
        try:
            d = directives.parse_line(token)
        except DockerfileError as err:
            raise err.with_location(Range(lineno, lineno)) from None
        if d is None:
            return
        found.append(d)
        if d.name == "escape":
            if d.value not in ("`", "\\"):
                raise DockerfileError(
                    f"invalid escape token '{d.value}' does not match ` or \\",
                    Range(lineno, lineno),
                )
            escape = d.value
            cont_re = _continuation_re(escape)

    while i < total:
        # the line without its end, left-stripped (the reference's processLine)
        token = parts[i].rstrip("\r").lstrip(SPACE_CHARS)
        i += 1
        if not directives.done:
            directive_check(token, i)
        if not token:
            continue
        if token[0] == "#":
            comments.append(_strip(token[1:]))
            continue
        start = i
        # a line ends unless it ends with the escape token (then the general rule decides)
        if token.rstrip(" \t")[-1:] != escape:
            line = token
        else:
            line, end_of_line = _trim_continuation(cont_re, token)
            empty_continuation = False
            while not end_of_line and i < total:
                token = parts[i].rstrip("\r")
                i += 1
                stripped = token.lstrip(SPACE_CHARS)
                if stripped[:1] == "#":
                    continue  # a comment inside a continued instruction
                if not stripped:
                    empty_continuation = True
                    continue
                part, end_of_line = _trim_continuation(cont_re, token)
                line += part
            if empty_continuation:
                warnings.append(("Empty continuation line found in: " + line, Range(start, i)))
        loc = Range(start, i)
        try:
            node = _node_from_line(line, escape, loc, tuple(comments) if comments else ())
        except DockerfileError as err:
            raise err.with_location(loc) from None
        if comments:
            comments = []
        if "<<" in line:
            target = node.sub if node.sub is not None and node.name.lower() == "onbuild" else node
            if target.name.lower() in _HEREDOC_COMMANDS and not target.json:
                i = _read_heredocs(node, line, parts, i, total, start)
        nodes.append(node)
    if not nodes:
        raise DockerfileError("file with no instructions", Range(max(i, 1), max(i, 1)))
    return ParseResult(tuple(nodes), escape, tuple(found), tuple(warnings))


def _trim_continuation(cont_re: re.Pattern[str], line: str) -> tuple[str, bool]:
    """``line`` without its line-continuation escape, and whether the instruction ends."""
    m = cont_re.search(line)
    if m is None:
        return line, True
    return line[: m.start()] + (m.group(1) or ""), False


def _read_heredocs(
    node: ParsedLine, line: str, parts: list[str], i: int, total: int, start: int
) -> int:
    """Read the bodies of the heredocs ``line`` starts (from physical line ``i`` on) into
    ``node`` (and its ONBUILD trigger); the index of the next line."""
    try:
        docs = _heredocs_from_line(line)
    except DockerfileError as err:
        raise err.with_location(Range(start, i)) from None
    if not docs:
        return i
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
    loc = Range(start, i)
    # ``original`` stays the instruction line: the reference's parser keeps the bodies
    # in the heredocs only (its ONBUILD expression adds them back)
    node.heredocs = tuple(read)
    node.location = loc
    if node.sub is not None:
        node.sub.heredocs = node.heredocs
        node.sub.location = loc
    return i
