"""Dockerfile text -> located nodes: logical lines and the node of each instruction.

Owned step: ``frontend.language`` (lines and nodes). Physical lines become logical
lines (parser directives and the escape token they set, comments, blank lines, line
continuations with the escape token, heredoc bodies read by
:mod:`frontend.language.heredocs`), and each logical line becomes a :class:`Node`: the
instruction name as written, its ``--flags``, its arguments split the way the reference
splits them for that instruction (the forms of :mod:`frontend.language.arguments`), the
exec-form (JSON) attribute, heredocs and the source range.
"""

from __future__ import annotations

from typing import Final, Protocol

from frontend.language.arguments import (
    maybe_json,
    maybe_json_to_list,
    name_val,
    split_command,
    split_words,
    whitespace_delimited,
)
from frontend.language.directives import Directive, DirectiveParser
from frontend.language.errors import DockerfileError, Range
from frontend.language.heredocs import HEREDOC_COMMANDS, Heredoc, parse_heredoc, read_heredocs
from frontend.language.shell import SPACE_CHARS, is_space
from frontend.records import record

__all__ = [
    "Heredoc", "Node", "NodeFields", "ParseResult", "ParsedLine", "decode", "parse_heredoc",
    "parse_nodes",
]  # fmt: skip


@record(frozen=True, slots=True)
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


@record(slots=True)
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


@record(frozen=True, slots=True)
class ParseResult:
    """A parsed Dockerfile: its logical lines, escape character, directives and parse warnings."""

    lines: tuple[ParsedLine, ...]
    escape: str
    directives: tuple[Directive, ...]
    warnings: tuple[tuple[str, Range], ...]

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The nodes of the instructions, in file order."""
        return tuple(line.node() for line in self.lines)


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
    # ``ONBUILD ONBUILD ... X`` nests one node a level (the reference's recursive
    # parseSubCommand); the chain is walked in a loop, so its depth is not bounded by
    # Python's stack. The instruction layer refuses a chained ONBUILD.
    levels: list[tuple[str, str, tuple[str, ...]]] = []  # (line, cmd, flags) outermost first
    while True:
        cmd, flags, rest = split_command(line, escape)
        if cmd.lower() != "onbuild" or not rest:
            break
        levels.append((line, cmd, flags))
        line = rest
    node = _plain_node(line, cmd, flags, rest, escape, location, () if levels else comments)
    for i in range(len(levels) - 1, -1, -1):
        outer_line, outer_cmd, outer_flags = levels[i]
        node = ParsedLine(
            outer_cmd, outer_line, outer_flags, (node.name, *node.args), False, (), location,
            comments if i == 0 else (), node, False,
        )  # fmt: skip
    return node


def _plain_node(
    line: str,
    cmd: str,
    flags: tuple[str, ...],
    rest: str,
    escape: str,
    location: Range,
    comments: tuple[str, ...],
) -> ParsedLine:
    """The node of a line whose name is ``cmd`` (an ONBUILD here has no trigger)."""
    kind = _ARG_KIND.get(cmd.lower(), 0)
    is_json = False
    legacy = False
    args: list[str] | tuple[str, ...]
    if kind == _K_JSON:
        if rest[:1] == "[":  # (``rest`` is stripped: anything else is not JSON)
            args, is_json = maybe_json(rest)
        else:
            args = (rest,) if rest else ()
    elif kind == _K_JSON_LIST:
        if rest[:1] == "[":
            args, is_json = maybe_json_to_list(rest)
        else:
            args = whitespace_delimited(rest)
    elif kind == _K_WHITESPACE:
        args = whitespace_delimited(rest)
    elif kind == _K_STRING:
        args = (rest,) if rest else ()
    elif kind == _K_ENV:
        args, legacy = name_val(rest, "ENV", escape)
    elif kind == _K_LABEL:
        args, legacy = name_val(rest, "LABEL", escape)
    elif kind == _K_ARG:
        args = split_words(rest, escape)
    elif kind == _K_HEALTH:
        # the reference finds the type's end byte by byte: a byte 0x85 or 0xA0 inside
        # a character is a blank there too (and splits the character)
        text = rest if rest.isascii() else rest.encode("utf-8").decode("latin-1")
        sep = 0
        while sep < len(text) and not is_space(text[sep]):
            sep += 1
        if sep == 0:
            args = []
        else:
            nxt = sep
            while nxt < len(text) and is_space(text[nxt]):
                nxt += 1
            typ, tail = text[:sep], text[nxt:]
            if text is not rest:
                typ = typ.encode("latin-1").decode("utf-8", "replace")
                tail = tail.encode("latin-1").decode("utf-8", "replace")
            cmd_args, is_json = maybe_json(tail)
            args = [typ, *cmd_args]
    else:  # (ONBUILD without a trigger; with one it is built by _node_from_line)
        args = []
    return ParsedLine(cmd, line, flags, tuple(args), is_json, (), location, comments, None, legacy)


# ---------------------------------------------------------------- lines


def decode(source: str | bytes) -> str:
    """The text of a Dockerfile: UTF-8 (each invalid byte replaced), without a BOM.

    A ``str`` (the Python API) is taken as the UTF-8 it stands for: a lone surrogate
    (its bytes, with ``surrogatepass``) is invalid UTF-8 and becomes one U+FFFD a byte,
    so every later step may encode any text it holds."""
    if isinstance(source, bytes):
        text = source.decode("utf-8", "replace")
    else:
        try:
            source.encode("utf-8")
            text = source
        except UnicodeEncodeError:
            text = source.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text.removeprefix("\ufeff")


def parse_nodes(text: str) -> ParseResult:
    """Parse decoded Dockerfile text into nodes. Raises :class:`DockerfileError`."""
    # only "\n" ends a line, like the reference's scanner: physical line k + 1 is
    # parts[k], which had a "\n" after it when k < last
    parts = text.split("\n")
    last = len(parts) - 1
    total = last if parts[-1] == "" else last + 1
    too_long = _first_too_long(parts, total)
    if too_long is not None:
        total = too_long  # the reference's scanner stops there
    directives = DirectiveParser()
    found: list[Directive] = []
    escape = "\\"
    nodes: list[ParsedLine] = []
    warnings: list[tuple[str, Range]] = []
    comments: list[str] = []
    i = 0  # index of the next physical line; also the number of lines read
    steps = 0  # RUN, COPY and ADD instructions so far

    def directive_check(token: str, lineno: int) -> None:
        nonlocal escape
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

    while i < total:
        # the line without its end, left-stripped (the reference's processLine)
        raw = parts[i].rstrip("\r")
        token = raw.lstrip(SPACE_CHARS)
        i += 1
        directive = False
        if not directives.done:
            before = len(found)
            directive_check(token, i)
            directive = len(found) > before
        if not token:
            continue
        if token[0] == "#":
            # the reference's comments (kept for the next instruction): a directive is
            # none, an empty one drops those before it, and the text is the line
            # without its first character (so "  # a" is "# a")
            if not directive:
                comment = raw[1:].strip(SPACE_CHARS)
                if comment:
                    comments.append(comment)
                elif comments:
                    comments = []
            continue
        start = i
        # a line ends unless it ends with the escape token (then the general rule decides)
        if token.rstrip(" \t")[-1:] != escape:
            line = token
        else:
            line, end_of_line = _trim_continuation(escape, token)
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
                part, end_of_line = _trim_continuation(escape, token)
                line += part
            if empty_continuation:
                # (located at the last line read, as the reference)
                warnings.append(("Empty continuation line found in: " + line, Range(i, i)))
        loc = Range(start, i)
        try:
            node = _node_from_line(line, escape, loc, tuple(comments) if comments else ())
        except DockerfileError as err:
            raise err.with_location(loc) from None
        if comments:
            comments = []
        if "<<" in line:
            target = node.sub if node.sub is not None and node.name.lower() == "onbuild" else node
            if target.name.lower() in HEREDOC_COMMANDS and not target.json:
                docs, i = read_heredocs(line, parts, i, total, start)
                if docs:
                    _attach_heredocs(node, docs, Range(start, i))
        nodes.append(node)
        if node.name.lower() in _STEP_COMMANDS:
            steps += 1
            if steps > MAX_STEPS:
                raise DockerfileError(
                    f"the Dockerfile has more than {MAX_STEPS:,} RUN, COPY and ADD steps: "
                    f"its build definition would exceed the {MAX_DEFINITION_BYTES >> 20} MiB "
                    "BuildKit accepts in one message",
                    loc,
                )
    if not nodes:
        raise DockerfileError("file with no instructions", Range(max(i, 1), max(i, 1)))
    if too_long is not None:
        raise DockerfileError(
            f"dockerfile line greater than max allowed size of {_MAX_LINE - 1}", Range(i, i)
        )
    return ParseResult(tuple(nodes), escape, tuple(found), tuple(warnings))


# the reference reads lines with a bufio.Scanner: a line and its "\n" in 64 KiB
_MAX_LINE = 64 * 1024

# BuildKit takes a build's definition in one gateway message of at most 16 MiB (4 MiB
# before BuildKit 0.15). Each RUN, COPY and ADD step is an op of at least 336 bytes with
# its metadata and source location, so a file with more steps than this can never be
# built: it is refused while it is read (the reference fails at Solve, with no line).
MAX_DEFINITION_BYTES: Final = 16 << 20
MAX_STEPS: Final = 50_000
_STEP_COMMANDS: Final = frozenset({"run", "copy", "add"})


def _first_too_long(parts: list[str], total: int) -> int | None:
    """The index of the first line the reference's scanner cannot read (longer, in
    UTF-8 with its "\n", than its buffer; the last line, without one, must leave a byte
    free), or None."""
    for k in range(total):
        part = parts[k]
        if len(part) * 4 < _MAX_LINE - 4:
            continue  # (fast path: too short whatever its characters)
        size = len(part.encode("utf-8")) + (1 if k < len(parts) - 1 else 0)
        if size > _MAX_LINE or (k == len(parts) - 1 and size >= _MAX_LINE):
            return k
    return None


def _trim_continuation(escape: str, line: str) -> tuple[str, bool]:
    """``line`` without its line-continuation escape, and whether the instruction ends.

    The reference's rule (``([^\\])\\[ \t]*$|^\\[ \t]*$`` for escape ``\\``): the
    line ends with one escape token, then blanks; a doubled escape is no continuation.
    Only the line's end is looked at (a regex search tried every position: 11 ms a
    60 KB line)."""
    body = line.rstrip(" \t")
    if not body.endswith(escape):
        return line, True
    head = body[:-1]
    if head.endswith(escape):
        return line, True
    return head, False


def _attach_heredocs(node: ParsedLine, docs: tuple[Heredoc, ...], loc: Range) -> None:
    """Give ``node`` (and its ONBUILD trigger) the heredocs read for it; its range now
    ends with the last terminator."""
    # ``original`` stays the instruction line: the reference's parser keeps the bodies
    # in the heredocs only (its ONBUILD expression adds them back)
    node.heredocs = docs
    node.location = loc
    if node.sub is not None:
        node.sub.heredocs = docs
        node.sub.location = loc
