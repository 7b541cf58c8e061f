"""The Dockerfile as the checks read it: each instruction with its node and comments.

Owned step: ``frontend.dockerui.checks`` (reading the parsed Dockerfile). The rules
need, besides the typed instruction, what the parser saw: the instruction name as
written, its raw arguments (``FROM x AS Name``), ONBUILD's trigger node, and the
comment lines right above it as the reference keeps them (``PrevComment``: a comment
line that is empty after ``#`` starts the list afresh, and parser directives are not
comments): the language layer's node comments are those.
"""

from __future__ import annotations

from frontend.language import Dockerfile
from frontend.language.instructions import From, Instruction
from frontend.language.parser import NodeFields, ParsedLine
from frontend.records import record

__all__ = [
    "CheckedFile",
    "CheckedLine",
    "CheckedStage",
    "parser_lines",
]


@record(frozen=True, slots=True)
class CheckedLine:
    """One instruction: its parser node, the typed instruction and its comments."""

    node: NodeFields
    instruction: Instruction
    comments: tuple[str, ...]

    @property
    def keyword(self) -> str:
        """The instruction name as written (``From``, ``copy``)."""
        return self.node.name


@record(frozen=True, slots=True)
class CheckedStage:
    """A FROM line and the instructions up to the next one."""

    index: int
    line: CheckedLine
    commands: tuple[CheckedLine, ...]

    @property
    def from_(self) -> From:
        ins = self.line.instruction
        assert isinstance(ins, From)
        return ins

    @property
    def name(self) -> str | None:
        """The stage name, lower-cased (None when unnamed)."""
        return self.from_.stage_name


@record(frozen=True, slots=True)
class CheckedFile:
    """The global ARGs (before the first FROM) and the stages, with the escape token."""

    meta_args: tuple[CheckedLine, ...]
    stages: tuple[CheckedStage, ...]
    escape: str = "\\"

    @property
    def lines(self) -> tuple[CheckedLine, ...]:
        """Every line in file order."""
        out = list(self.meta_args)
        for stage in self.stages:
            out.append(stage.line)
            out.extend(stage.commands)
        return tuple(out)

    def by_line(self) -> dict[int, CheckedLine]:
        """Each line by the first line of its instruction (for a compiler that meets
        the instructions and needs their comments and keywords)."""
        return {line.instruction.location.start_line: line for line in self.lines}


def parser_lines(df: Dockerfile) -> tuple[ParsedLine, ...]:
    """The parser lines of a parsed Dockerfile, one per instruction."""
    if len(df.lines) == len(df.instructions):
        return df.lines
    # a Dockerfile made without its lines: parse its text again
    from frontend.language import parse_dockerfile

    return parse_dockerfile(df.source, df.filename).lines
