"""A static walk of the stages in dispatch order, for the dispatch-time rules.

Owned step: ``frontend.dockerui.checks`` (static dispatch). Without the compiler, the
facts the dispatch-time rules need are tracked here the way the reference's dispatch
tracks them: the stages to dispatch (those the target needs, less those a named
context replaces; every stage for the lint subrequest without a target), in file
order; for each, what it inherits from the stage it is built on (environment, SHELL,
WORKDIR, the ARGs it declared) and the ONBUILD triggers of that stage (run first,
located at the FROM); then each instruction, expanded with the stage environment, goes
to :func:`~frontend.dockerui.checks.dispatch_rules.check_instruction`, with
``UndefinedVar`` (:func:`~frontend.dockerui.checks.compile_rules.check_undefined_vars`)
where the environment is fully known (scratch, a stage, or an image whose config is in
the :class:`~frontend.dockerui.checks.facts.BuildFacts`).

``CopyIgnoredFile`` is checked for the context sources of COPY and ADD when the facts
carry the ``.dockerignore`` matcher. Only the facts are kept (no LLB);
``InvalidBaseImagePlatform`` needs resolved images and is left to the compiler.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from frontend.dockerui.checks.compile_rules import check_copy_source, check_undefined_vars
from frontend.dockerui.checks.dispatch_rules import StageChecks, check_instruction
from frontend.dockerui.checks.facts import NON_ENV_ARGS, BuildFacts, GlobalArgs
from frontend.dockerui.checks.from_rules import FromResult
from frontend.dockerui.checks.linter import Linter
from frontend.dockerui.checks.source import CheckedFile, CheckedLine, CheckedStage
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import (
    Add,
    Arg,
    Copy,
    Env,
    Expose,
    Instruction,
    Label,
    Onbuild,
    Run,
    StopSignal,
    User,
    Volume,
    Workdir,
)
from frontend.language.parser import NodeFields
from frontend.language.shell import EnvExpander, Lexer
from frontend.llb.exec import DEFAULT_PATH
from frontend.records import field, record, replace
from frontend.stages import BaseScratch, BaseStage, StageGraph, from_refs

__all__ = ["dispatch_order", "walk"]

# the instructions whose words the reference expands (and checks for unset names)
_EXPANDED = (Env, Label, Add, Copy, Workdir, Run, User, Volume, StopSignal)

LineLinter = Callable[[Sequence[str]], Linter]


@record(slots=True)
class _Stage:
    """One stage as the checks walk it: its checks, environment and declared ARGs."""

    checks: StageChecks
    env: dict[str, str] = field(default_factory=dict)
    env_known: bool = True
    args: list[str] = field(default_factory=list)  # ARGs declared (base stages first)


def _set(env: dict[str, str], key: str, value: str) -> None:
    env.pop(key, None)
    env[key] = value


def dispatch_order(
    graph: StageGraph, stages: Sequence[CheckedStage], facts: BuildFacts
) -> tuple[list[int], frozenset[int]]:
    """The stages dispatched, in order, and those that run their base's ONBUILD
    triggers (the stages the target needs)."""
    replaced = frozenset(s.index for s in stages if s.name and s.name in facts.named_contexts)
    reachable = graph.reachable(replaced=replaced)
    while True:  # ONBUILD triggers may use more stages (COPY --from)
        more: set[int] = set()
        for i in reachable:
            base = graph.stages[i].base
            if not isinstance(base, BaseStage) or i in replaced:
                continue
            for line in stages[base.index].commands:
                # (a trigger that does not build, ``inner`` None, is the compiler's error)
                if isinstance(line.instruction, Onbuild) and line.instruction.inner is not None:
                    for ref in from_refs(line.instruction.inner):
                        src = graph.source(ref.value, stages[i].line.node.location,
                                           by_index=ref.by_index)  # fmt: skip
                        if isinstance(src, BaseStage) and src.index not in reachable:
                            more.add(src.index)
        if not more:
            break
        reachable = graph.reachable(reachable | more, replaced=replaced)
    if facts.all_stages:
        return list(range(len(stages))), reachable
    return [i for i in range(len(stages)) if i in reachable and i not in replaced], reachable


def _start(
    stage: CheckedStage,
    graph: StageGraph,
    done: Mapping[int, _Stage],
    facts: BuildFacts,
    resolved: FromResult,
) -> _Stage:
    rs = graph.stages[stage.index]
    own_os = resolved.platform.os if resolved.platform is not None else None
    base = rs.base
    # a stage a named context replaces (dispatched only when checking every stage):
    # its commands apply to the context, whose image is its base
    replaced = bool(stage.name) and stage.name in facts.named_contexts
    if not replaced and isinstance(base, BaseStage) and base.index in done:
        # everything comes from the base stage, its platform too (the reference's
        # ``init`` replaces the stage's own --platform with it)
        parent = done[base.index]
        st = _Stage(parent.checks.for_child(), dict(parent.env), parent.env_known,
                    list(parent.args))  # fmt: skip
    else:
        os = own_os or facts.target_platform.os
        if not replaced and isinstance(base, BaseScratch):
            st = _Stage(StageChecks(os))
        else:
            image = facts.images.get(stage.name if replaced and stage.name else rs.base_name)
            if image is None:
                st = _Stage(StageChecks(os), env_known=False)
            else:
                st = _Stage(StageChecks(os, shell=image.shell))
                for k, v in image.env:
                    _set(st.env, k, v)
    if "PATH" not in st.env and st.checks.os != "windows":
        st.env["PATH"] = DEFAULT_PATH
    return st


def _arg(
    linter: Linter,
    st: _Stage,
    cmd: Arg,
    lexer: Lexer,
    facts: BuildFacts,
    global_args: GlobalArgs,
    loc: Range,
) -> None:
    for pair in cmd.pairs:
        check_instruction(linter, st.checks, replace(cmd, pairs=(pair,)), "ARG", loc)
        value: str | None = None
        if pair.key in facts.build_args:
            value = facts.build_args[pair.key]
        elif pair.value is not None:
            res = lexer.expand_word(pair.value, st.env)
            if st.env_known:
                check_undefined_vars(linter, res.unset, stage_args=st.args,
                                     env_keys=list(st.env), location=loc)  # fmt: skip
            value = res.value
        elif pair.key in global_args.env:
            value = global_args.env[pair.key]
        if value is not None and pair.key not in NON_ENV_ARGS:
            _set(st.env, pair.key, value)
        st.args.append(pair.key)


def _dispatch(
    linter: Linter,
    st: _Stage,
    cmd: Instruction,
    keyword: str,
    lexer: Lexer,
    facts: BuildFacts,
    global_args: GlobalArgs,
    loc: Range,
) -> None:
    try:
        if isinstance(cmd, Arg):
            _arg(linter, st, cmd, lexer, facts, global_args, loc)
            return
        if isinstance(cmd, Expose):
            ports = tuple(w for p in cmd.ports for w in lexer.expand_words(p, st.env))
            check_instruction(linter, st.checks, Expose(location=cmd.location,
                              original=cmd.original, ports=ports), keyword, loc)  # fmt: skip
            return
        if isinstance(cmd, _EXPANDED):
            ex = EnvExpander(lexer, st.env)
            expanded = cmd.expand(ex)
            if st.env_known:
                check_undefined_vars(linter, ex.unset, stage_args=st.args,
                                     env_keys=list(st.env), location=loc)  # fmt: skip
            cmd = expanded
        check_instruction(linter, st.checks, cmd, keyword, loc)
        if isinstance(cmd, Copy | Add) and facts.dockerignore is not None:
            _copy_sources(linter, cmd, facts, loc)
    except DockerfileError as err:
        raise err.with_location(loc) from None
    if isinstance(cmd, Env):
        for pair in cmd.pairs:
            _set(st.env, pair.key, pair.value)


def _remote(src: str) -> bool:
    """An ADD source that is a URL or a Git repository, not a context path."""
    return "://" in src or src.startswith("git@")


def _copy_sources(linter: Linter, cmd: Copy | Add, facts: BuildFacts, loc: Range) -> None:
    if isinstance(cmd, Copy) and cmd.from_:
        return  # another stage or image: not the build context
    add = isinstance(cmd, Add)
    for src in cmd.sources:
        if add and _remote(src):
            continue
        check_copy_source(linter, src, add=add, location=loc, matcher=facts.dockerignore)


def _trigger_keyword(node: NodeFields) -> str:
    return node.sub.name if node.sub is not None else ""


def walk(
    line_linter: LineLinter,
    checked: CheckedFile,
    graph: StageGraph,
    resolved: Sequence[FromResult],
    facts: BuildFacts,
    global_args: GlobalArgs,
) -> None:
    """Dispatch the stages statically, running the dispatch-time rules.
    ``line_linter`` gives the linter of an instruction from its comments. Raises
    :class:`DockerfileError` where expanding or an EXPOSE spec fails."""
    lexer = Lexer(checked.escape)
    order, with_triggers = dispatch_order(graph, checked.stages, facts)
    done: dict[int, _Stage] = {}
    for i in order:
        stage = checked.stages[i]
        st = _start(stage, graph, done, facts, resolved[i])
        base = graph.stages[i].base
        if isinstance(base, BaseStage) and i in with_triggers:
            triggers: list[CheckedLine] = [
                line for line in checked.stages[base.index].commands
                if isinstance(line.instruction, Onbuild)
            ]  # fmt: skip
            for line in triggers:
                ob = line.instruction
                assert isinstance(ob, Onbuild)
                if ob.inner is None:
                    continue  # refused by the compiler when it runs the trigger
                _dispatch(line_linter(()), st, ob.inner, _trigger_keyword(line.node), lexer,
                          facts, global_args, stage.line.node.location)  # fmt: skip
        for line in stage.commands:
            _dispatch(line_linter(line.comments), st, line.instruction, line.keyword, lexer,
                      facts, global_args, line.instruction.location)  # fmt: skip
        done[i] = st
