"""The rules decided from the parsed Dockerfile alone.

Owned step: ``frontend.dockerui.checks`` (parse-time rules), in the reference's order:

1. ``NoEmptyContinuation``, for each instruction the parser found an empty continuation
   line in (located at its last line, as the reference does);
2. for each instruction in file order, with the ``# check=`` comment above it applied:
   ``MaintainerDeprecated``, ``StageNameCasing`` and ``FromAsCasing`` (from the words
   as written, before the instruction is built: they warn even when building it
   fails), then ``InvalidDefinitionDescription`` for FROM ... AS and ARG;
3. per stage, ``ReservedStageName`` then ``DuplicateStageName``;
4. ``ConsistentInstructionCasing`` over the stages' instructions (the global ARGs do
   not count), against the casing most of them use (upper on a tie).

:func:`check_source` builds the instructions itself, so that the warnings of the lines
before an error are kept, with the reference's ``dockerfile parse error on line N``
wording; :func:`check_parsed` does the same for a file already parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.directive import comment_config
from frontend.dockerui.checks.linter import Linter
from frontend.dockerui.checks.source import (
    CheckedFile,
    CheckedLine,
    CheckedStage,
    parser_lines,
)
from frontend.language import Dockerfile
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Arg, From, Instruction, from_node
from frontend.language.parser import NodeFields, ParsedLine, decode, parse_nodes

__all__ = [
    "RESERVED_STAGE_NAMES",
    "check_casing",
    "check_continuations",
    "check_parsed",
    "check_source",
    "check_stage_names",
    "line_linter",
]

RESERVED_STAGE_NAMES: Final = frozenset({"context", "scratch"})
_CONTINUATION_WARNING: Final = "Empty continuation line found in: "


def line_linter(linter: Linter, comments: Sequence[str]) -> Linter:
    """The linter for one instruction: the ``# check=`` comment above it merged in."""
    return linter.with_config(comment_config(comments))


def check_continuations(linter: Linter, warnings: Sequence[tuple[str, Range]]) -> None:
    """``NoEmptyContinuation`` for the parser's empty-continuation warnings."""
    for message, where in warnings:
        if message.startswith(_CONTINUATION_WARNING):
            linter.run(R.no_empty_continuation(), Range(where.end_line, where.end_line))


def _from_as_casing_matches(keyword: str, args: Sequence[str]) -> bool:
    if len(args) < 3:
        return True
    # a keyword of mixed case is ConsistentInstructionCasing's business
    if keyword == keyword.lower():
        return args[1] == args[1].lower()
    if keyword == keyword.upper():
        return args[1] == args[1].upper()
    return True


def _check_node(linter: Linter, node: NodeFields) -> None:
    """The rules that read the words as written, before the instruction is built."""
    command = node.name.lower()
    if command == "maintainer":
        linter.run(R.maintainer_deprecated(), node.location)
    elif command == "from":
        args = node.args
        if len(args) == 3 and args[2] != args[2].lower():
            linter.run(R.stage_name_casing(args[2]), node.location)
        if not _from_as_casing_matches(node.name, args):
            linter.run(R.from_as_casing(node.name, args[1]), node.location)


def _check_description(
    linter: Linter, instruction: str, keys: Sequence[str], comments: Sequence[str], loc: Range
) -> None:
    if not comments or not keys:
        return
    if comments[-1].split(" ", 1)[0] in keys:
        return
    example = keys[0] if len(keys) == 1 else "<arg_key>"
    linter.run(R.invalid_definition_description(instruction, example), loc)


def _check_built(linter: Linter, ins: Instruction, comments: Sequence[str]) -> None:
    """The rules that read the built instruction."""
    if isinstance(ins, From):
        if ins.stage_name:
            _check_description(linter, "FROM", [ins.stage_name], comments, ins.location)
    elif isinstance(ins, Arg):
        keys = [pair.key for pair in ins.pairs]
        _check_description(linter, "ARG", keys, comments, ins.location)


def _check_lines(
    linter: Linter,
    nodes: Sequence[ParsedLine],
    build: Callable[[int, ParsedLine], Instruction],
    escape: str,
) -> CheckedFile:
    meta: list[CheckedLine] = []
    stages: list[tuple[CheckedLine, list[CheckedLine]]] = []
    for i, node in enumerate(nodes):
        comments = tuple(node.comments)  # the language layer keeps them as the reference
        lnt = line_linter(linter, comments)
        _check_node(lnt, node)
        try:
            ins = build(i, node)
        except DockerfileError as err:
            loc = err.location or node.location
            raise DockerfileError(
                f"dockerfile parse error on line {node.location.start_line}: {err.message}", loc
            ) from None
        _check_built(lnt, ins, comments)
        line = CheckedLine(node, ins, comments)
        if isinstance(ins, From):
            stages.append((line, []))
        elif stages:
            stages[-1][1].append(line)
        elif isinstance(ins, Arg):
            meta.append(line)
        else:
            raise DockerfileError("no build stage in current context", node.location)
    if not stages:
        raise DockerfileError("dockerfile contains no stages to build")
    return CheckedFile(
        tuple(meta),
        tuple(CheckedStage(i, f, tuple(cmds)) for i, (f, cmds) in enumerate(stages)),
        escape,
    )


def check_stage_names(linter: Linter, stages: Sequence[CheckedStage]) -> None:
    """``ReservedStageName`` and ``DuplicateStageName``, stage by stage."""
    seen: set[str] = set()
    for stage in stages:
        name = stage.name
        if not name:
            continue
        if name in RESERVED_STAGE_NAMES:
            linter.run(R.reserved_stage_name(name), stage.line.node.location)
        if name in seen:
            linter.run(R.duplicate_stage_name(name), stage.line.node.location)
        seen.add(name)


def check_casing(linter: Linter, stages: Sequence[CheckedStage]) -> None:
    """``ConsistentInstructionCasing`` for every instruction of every stage."""
    lines = [line for stage in stages for line in (stage.line, *stage.commands)]
    lower = upper = 0
    for line in lines:
        word = line.keyword
        if word == word.lower():
            lower += 1
        elif word == word.upper():
            upper += 1
    majority_lower = lower > upper
    for line in lines:
        word = line.keyword
        if majority_lower and word.lower() != word:
            linter.run(R.consistent_instruction_casing(word, "lowercase"), line.node.location)
        elif not majority_lower and word.upper() != word:
            linter.run(R.consistent_instruction_casing(word, "uppercase"), line.node.location)


def _finish(linter: Linter, checked: CheckedFile) -> CheckedFile:
    check_stage_names(linter, checked.stages)
    check_casing(linter, checked.stages)
    return checked


def check_source(linter: Linter, source: str | bytes) -> CheckedFile:
    """Parse ``source`` and run the parse-time rules. Raises :class:`DockerfileError`
    where the reference's parse fails; the warnings found before stay in ``linter``."""
    result = parse_nodes(decode(source))
    check_continuations(linter, result.warnings)
    nodes = result.lines
    checked = _check_lines(linter, nodes, lambda _i, node: from_node(node), result.escape)
    return _finish(linter, checked)


def check_parsed(linter: Linter, df: Dockerfile) -> CheckedFile:
    """The parse-time rules of an already parsed Dockerfile. Raises
    :class:`DockerfileError` only for a file without stages (or a command before the
    first FROM)."""
    check_continuations(linter, df.warnings)
    instructions = df.instructions
    checked = _check_lines(linter, parser_lines(df), lambda i, _node: instructions[i], df.escape)
    return _finish(linter, checked)
