"""The Dockerfile language (pipeline step 1): text -> located, typed instructions.

Public API: :func:`parse_dockerfile` returns a :class:`Dockerfile` whose
``instructions`` are the typed records of
:mod:`frontend.language.instructions` (words unexpanded); word expansion lives
in :mod:`frontend.language.shell`; every user error is a
:class:`~frontend.language.errors.DockerfileError`.

Owned step: pipeline step 1, in these modules: ``parser`` (logical lines, directives
and escape token, continuations, nodes), ``arguments`` (flags, exec/JSON form, word
lists, key=value pairs), ``heredocs`` (heredoc words and bodies), ``directives``,
``instructions`` (building the typed instructions; the public home of their types),
``commands`` (the instruction types and their ``expand``), ``flags`` (``--flag``
parsing), ``mounts`` (``RUN --mount``/``--device`` specs), ``values`` (durations and
the one ``--chmod`` rule, :func:`~frontend.language.values.parse_chmod`), ``shell``
(word expansion) and ``errors``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from frontend.language.directives import (
    Directive,
    detect_syntax,
)
from frontend.language.errors import DockerfileError, InstructionError, Range
from frontend.language.instructions import (
    Add,
    Arg,
    ArgPair,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Instruction,
    KeyValue,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    ShellOrExec,
    SourceContent,
    StopSignal,
    User,
    Volume,
    Workdir,
    from_node,
)
from frontend.language.mounts import Device, RunMount
from frontend.language.parser import Heredoc, Node, ParsedLine, decode, parse_nodes
from frontend.language.shell import EnvExpander, ExpandResult, Lexer
from frontend.records import field, record

__all__ = [
    "Add", "Arg", "ArgPair", "Cmd", "Copy", "Device", "Directive",
    "Directives", "Dockerfile", "DockerfileError", "Entrypoint", "Env", "EnvExpander",
    "ExpandResult", "Expose", "From", "Healthcheck", "Heredoc", "Instruction",
    "InstructionError", "KeyValue", "Label", "Lexer", "Maintainer", "Node", "Onbuild",
    "Range", "Run", "RunMount", "Shell", "ShellOrExec", "SourceContent", "StopSignal",
    "User", "Volume", "Workdir", "detect_syntax", "parse_dockerfile",
]  # fmt: skip


@record(frozen=True, slots=True)
class Directives:
    """The parser directives found at the top of the file (None when absent)."""

    syntax: Directive | None = None
    escape: Directive | None = None
    check: Directive | None = None


@record(frozen=True, slots=True)
class Dockerfile:
    """A parsed Dockerfile: directives, escape token, instructions in file order.

    ``lines`` are what the parser made of the text (the same for the same ``source``);
    ``nodes`` makes the parser's nodes from them when asked for.
    """

    directives: Directives
    escape: str
    instructions: tuple[Instruction, ...]
    source: str
    filename: str
    lines: tuple[ParsedLine, ...] = field(default=(), repr=False, compare=False)
    warnings: tuple[tuple[str, Range], ...] = ()
    # the file as given (a BOM and bytes that are no UTF-8 kept): the source map's data
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The parser's nodes (made when asked for: the instructions do not need them)."""
        return tuple(line.node() for line in self.lines)

    def lexer(self) -> Lexer:
        """A word-expansion lexer with this file's escape token."""
        return Lexer(self.escape)


def _instruction(line: ParsedLine, filename: str) -> Instruction:
    """The typed instruction of ``line``; its errors are :class:`InstructionError` s."""
    try:
        return from_node(line)
    except DockerfileError as err:
        located = err.with_location(None, filename)
        raise InstructionError.of(located, line.location.start_line) from None


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing.

    A parse allocates many small objects that all stay alive (the instructions) and
    makes no reference cycles, so the collector's passes over them free nothing; on a
    10,000-instruction file they were a third of the parse time. Reference counting
    still frees everything as usual. The previous state is restored, and a thread that
    finds the collector already paused leaves it alone.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_error(source: str | bytes) -> DockerfileError | None:
    """A located error for a UTF-16 file (a UTF-16 byte order mark, or an ASCII
    letter followed or preceded by a NUL at the start): BuildKit reads Dockerfiles as
    UTF-8, where the reference reports ``unknown instruction: \\xff\\xfeF\\x00R...``."""
    if not isinstance(source, bytes) or len(source) < 2:
        return None
    head = source[:2]
    if head in _UTF16_BOMS or (
        b"\x00" in head and any(chr(b).isalpha() for b in head if b < 0x80 and b)
    ):
        return DockerfileError(
            "the Dockerfile is UTF-16 encoded; "
            "BuildKit reads Dockerfiles as UTF-8: save it as UTF-8",
            Range(1, 1),
        )
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_utf8_lines(data: bytes, lines: tuple[ParsedLine, ...], filename: str) -> None:
    """Refuse an instruction with bytes that are not UTF-8 (comments may have any):
    the reference fails later, with no line, when it marshals them into the LLB
    (``string field contains invalid UTF-8``)."""
    bad = {
        number
        for number, raw in enumerate(data.split(b"\n"), 1)
        if not raw.isascii() and not _is_utf8(raw)
    }
    for line in lines:
        loc = line.location
        for number in range(loc.start_line, max(loc.start_line, loc.end_line) + 1):
            if number in bad:
                raise DockerfileError(
                    f"invalid UTF-8 in the {line.name.upper()} instruction: "
                    "BuildKit needs UTF-8 text",
                    Range(number, number),
                    filename,
                )


def parse_dockerfile(source: str | bytes, filename: str = "Dockerfile") -> Dockerfile:
    """Parse a Dockerfile. Raises :class:`DockerfileError` (with range and file name)."""
    utf16 = _utf16_error(source)
    if utf16 is not None:
        raise utf16.with_location(None, filename)
    text = decode(source)
    with _no_cyclic_gc():
        try:
            result = parse_nodes(text)
        except DockerfileError as err:
            raise err.with_location(None, filename) from None
        if isinstance(source, bytes) and not _is_utf8(source):
            _check_utf8_lines(source, result.lines, filename)
        instructions = tuple(_instruction(line, filename) for line in result.lines)
    by_name = {d.name: d for d in result.directives}
    directives = Directives(by_name.get("syntax"), by_name.get("escape"), by_name.get("check"))
    data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
    return Dockerfile(
        directives, result.escape, instructions, text, filename, result.lines, result.warnings,
        data,
    )  # fmt: skip
