"""What the ``frontend.outline`` and ``frontend.targets`` subrequests report.

Owned step: ``frontend.dockerui`` (outline and targets), from the parsed Dockerfile
(and, for the outline, its conversion), without solving anything:

* :func:`list_targets` — the reference's ``ListTargets``: every stage in file order
  with its name, the description comment above its FROM (``# name description``), its
  base and ``--platform`` as written, whether it is the default (the last) and its
  location.
* :func:`outline` — the reference's ``Dockerfile2Outline``: the build arguments, secrets
  and SSH sockets the target needs, from the build's conversion
  (:class:`~frontend.compiler.CompileResult`: which stages it dispatched, each with the
  environment it started from and its commands, ONBUILD triggers included). As in the
  reference's ``outlineCapture``, an ARG counts when a FROM line of a stage the target
  needs uses it (global ARGs, with the global ARGs their defaults use) or a needed
  stage declares it (its value: the build arg, else its default expanded in the stage,
  else the global ARG's value); secrets and SSH sockets come from the ``RUN --mount``
  options of the needed stages, expanded in the stage. Each list is gathered from the
  target, then the stage it is built on, then the stages it copies or mounts from (the
  first entry of a name wins), and sorted by line.

A stage's environment starts from its base image's (or named context's) config Env
with the default PATH, or from its base stage's at the end, so the base images the
target needs are resolved (a failure fails the outline, as the build fails); an ONBUILD
trigger (of the base image's config, or of the base stage) runs first, located at the
stage's FROM, and may add args, secrets, SSH sockets and stages. Without a conversion
(no daemon) the Dockerfile is compiled here with every base image's config empty.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from frontend.dockerui.checks.facts import NON_ENV_ARGS, BuildFacts, automatic_args
from frontend.dockerui.checks.source import parser_lines
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Arg, Env, From, Instruction, Run
from frontend.language.shell import EnvExpander, Lexer
from frontend.records import field, record
from frontend.stages import BaseStage, from_refs, resolve_graph, split_stages

if TYPE_CHECKING:
    from frontend.compiler import CompileResult
    from frontend.language import Dockerfile

__all__ = [
    "OutlineArg",
    "OutlineResult",
    "OutlineSecret",
    "Target",
    "doc_comment",
    "instruction_comments",
    "list_targets",
    "outline",
]


def doc_comment(comments: Sequence[str], name: str) -> str:
    """The reference's ``getDocComment``: the first comment ``name <description>``."""
    if not name:
        return ""
    for line in comments:
        if line.startswith(name + " "):
            return line[len(name) + 1 :]
    return ""


def instruction_comments(df: Dockerfile) -> list[tuple[str, ...]]:
    """The comments right above each instruction, as the reference keeps them."""
    return [tuple(line.comments) for line in parser_lines(df)]


# -- targets ------------------------------------------------------------------------


@record(frozen=True, slots=True)
class Target:
    """One stage as ``--call targets`` lists it."""

    name: str
    description: str
    default: bool
    base: str
    platform: str
    location: Range


def list_targets(df: Dockerfile) -> list[Target]:
    """Every stage of ``df`` as ``frontend.targets`` lists it."""
    comments = instruction_comments(df)
    froms = [(ins, comments[i]) for i, ins in enumerate(df.instructions) if isinstance(ins, From)]
    return [
        Target(
            name=f.stage_name or "",
            description=doc_comment(c, f.stage_name or ""),
            default=i == len(froms) - 1,
            base=f.base,
            platform=f.platform or "",
            location=f.location,
        )
        for i, (f, c) in enumerate(froms)
    ]


# -- outline ------------------------------------------------------------------------


@record(frozen=True, slots=True)
class OutlineArg:
    """One build argument of the outline: its default value and where it is declared."""

    name: str
    description: str
    value: str
    location: Range | None


@record(frozen=True, slots=True)
class OutlineSecret:
    """A secret or an SSH socket a RUN mounts."""

    name: str
    required: bool
    location: Range


@record(frozen=True, slots=True)
class OutlineResult:
    """What ``--call outline`` prints: the target's args, secrets and SSH."""

    name: str
    description: str
    args: tuple[OutlineArg, ...]
    secrets: tuple[OutlineSecret, ...]
    ssh: tuple[OutlineSecret, ...]


@record(frozen=True, slots=True)
class _ArgInfo:
    """An outline argument and the arguments its value refers to."""

    arg: OutlineArg
    deps: frozenset[str] = frozenset()


@record(slots=True)
class _Capture:
    """One stage's ``outlineCapture``."""

    all_args: dict[str, _ArgInfo] = field(default_factory=dict)
    used: dict[str, None] = field(default_factory=dict)  # ordered set
    secrets: dict[str, OutlineSecret] = field(default_factory=dict)
    ssh: dict[str, OutlineSecret] = field(default_factory=dict)

    def clone(self) -> _Capture:
        return _Capture(dict(self.all_args), dict(self.used), dict(self.secrets), dict(self.ssh))

    def mark_all_used(self, names: Sequence[str], visited: set[str]) -> None:
        for name in names:
            if name in visited:
                continue
            visited.add(name)
            info = self.all_args.get(name)
            if info is not None:
                self.mark_all_used(sorted(info.deps), visited)
            self.used[name] = None


def _meta_args(
    args: Sequence[tuple[Arg, tuple[str, ...]]],
    lexer: Lexer,
    env: dict[str, str],
    build_args: Mapping[str, str],
) -> dict[str, _ArgInfo]:
    """The reference's ``buildMetaArgs``: ``env`` updated with the global ARGs, and
    what the outline keeps of each (its value and the names its default used)."""
    out: dict[str, _ArgInfo] = {}
    for cmd, comments in args:
        for pair in cmd.pairs:
            deps: frozenset[str] = frozenset()
            value: str | None
            if pair.key in build_args:
                value = build_args[pair.key]
            elif pair.value is not None:
                try:
                    res = lexer.expand_word(pair.value, env)
                except DockerfileError as err:
                    raise err.with_location(cmd.location) from None
                value = res.value
                deps = res.used
                if pair.key in res.used:
                    old = out.get(pair.key)
                    deps = (deps - {pair.key}) | (old.deps if old is not None else frozenset())
            else:
                value = None
            if value is not None:
                env.pop(pair.key, None)
                env[pair.key] = value
            desc = doc_comment(comments, pair.key)
            out[pair.key] = _ArgInfo(OutlineArg(pair.key, desc, value or "", cmd.location), deps)
    return out


@record(slots=True)
class _Stage:
    """One stage as the outline walks it: its capture, environment and base stage."""

    capture: _Capture
    env: dict[str, str] = field(default_factory=dict)
    base: int | None = None  # the stage it is built on (None: an image or a context)


def _mount_secrets(st: _Stage, cmd: Run) -> None:
    for m in cmd.mounts:
        if m.type == "secret":
            sid = m.source or m.cache_id
            if not sid:
                if not m.target:
                    raise DockerfileError("one of source, target required", cmd.location)
                sid = posixpath.basename(m.target)
            st.capture.secrets.setdefault(sid, OutlineSecret(sid, m.required, cmd.location))
        elif m.type == "ssh":
            if m.source:
                raise DockerfileError("ssh does not support source", cmd.location)
            sid = m.cache_id or "default"
            st.capture.ssh.setdefault(sid, OutlineSecret(sid, m.required, cmd.location))


def _dispatch_arg(
    st: _Stage,
    cmd: Arg,
    comments: Sequence[str],
    lexer: Lexer,
    build_args: Mapping[str, str],
    global_env: Mapping[str, str],
) -> None:
    for pair in cmd.pairs:
        value = pair.value
        skip_info = False
        if value is None and pair.key not in build_args and pair.key in global_env:
            value = global_env[pair.key]
            skip_info = True
        if pair.key in build_args:
            value = build_args[pair.key]
        elif pair.value is not None:
            try:
                value = lexer.expand_word(pair.value, st.env).value
            except DockerfileError as err:
                raise err.with_location(cmd.location) from None
        if value is not None and pair.key not in NON_ENV_ARGS:
            st.env.pop(pair.key, None)
            st.env[pair.key] = value
        if not skip_info:
            desc = doc_comment(comments, pair.key)
            info = _ArgInfo(OutlineArg(pair.key, desc, value or "", cmd.location))
            st.capture.all_args[pair.key] = info
        st.capture.used[pair.key] = None


def _dispatch(
    st: _Stage,
    cmd: Instruction,
    comments: Sequence[str],
    lexer: Lexer,
    build_args: Mapping[str, str],
    global_env: Mapping[str, str],
) -> None:
    if isinstance(cmd, Arg):
        _dispatch_arg(st, cmd, comments, lexer, build_args, global_env)
    elif isinstance(cmd, Env | Run):
        try:
            expanded = cmd.expand(EnvExpander(lexer, st.env))
        except DockerfileError as err:
            raise err.with_location(cmd.location) from None
        if isinstance(expanded, Env):
            for pair in expanded.pairs:
                st.env.pop(pair.key, None)
                st.env[pair.key] = pair.value
        elif isinstance(expanded, Run):
            _mount_secrets(st, expanded)


def outline(
    df: Dockerfile, facts: BuildFacts, conversion: CompileResult | None = None
) -> OutlineResult:
    """The outline of the build of ``facts.target`` (the last stage when ""), from
    ``conversion``, the build's compilation of ``df`` for ``facts`` (None: compiled
    here without a daemon, every base image with an empty config). Raises
    :class:`DockerfileError` where the reference's conversion would fail."""
    if conversion is None:
        conversion = _convert(df, facts)
    lexer = df.lexer()
    comments = instruction_comments(df)
    by_instruction = {id(ins): comments[i] for i, ins in enumerate(df.instructions)}
    split = split_stages(df.instructions)
    stages = split.stages
    target_name = facts.target or (stages[-1].name or "")
    env = automatic_args(facts, target_name)
    meta = [(a, by_instruction[id(a)]) for a in split.meta_args]
    global_args = _meta_args(meta, lexer, env, facts.build_args)
    global_capture = _Capture(all_args=dict(global_args))
    replaced = conversion.context_stages

    # buildDispatchStates: each stage's capture starts from its base stage's
    by_name: dict[str, int] = {}
    states: list[_Stage] = []
    for stage in stages:
        f = stage.from_
        used: set[str] = set()
        try:
            res = lexer.expand_word(f.base, env)
            used |= res.used
            if f.platform:
                used |= lexer.expand_word(f.platform, env).used
        except DockerfileError as err:
            raise err.with_location(f.location) from None
        base = by_name.get(res.value)
        capture = states[base].capture.clone() if base is not None else global_capture.clone()
        st = _Stage(capture, base=base)
        states.append(st)
        if stage.name:
            by_name[stage.name] = stage.index
        if stage.index in replaced:
            st.base = None
            continue
        for name in sorted(used):
            st.capture.used[name] = None

    graph = resolve_graph(split, env, lexer, facts.target)
    # the stages each needs: those its commands (with the ONBUILD triggers it
    # inherited) copy or mount from
    deps = {rs.stage.index: list(rs.deps) for rs in graph.stages}
    for dispatched in conversion.stages:
        st = states[dispatched.index]
        st.env = dict(dispatched.env)
        found = deps[dispatched.index] = []
        for cmd in dispatched.commands:
            for ref in from_refs(cmd):
                if ref.onbuild:
                    continue
                src = graph.source(ref.value, ref.location, by_index=ref.by_index)
                if isinstance(src, BaseStage) and src.index not in found:
                    found.append(src.index)
            _dispatch(st, cmd, by_instruction.get(id(cmd), ()), lexer, facts.build_args, env)

    def gather_args(i: int, visited: set[str]) -> list[OutlineArg]:
        capture = states[i].capture
        capture.mark_all_used(list(capture.used), set())
        out = []
        for name in capture.used:
            info = capture.all_args.get(name)
            if info is not None and name not in visited:
                out.append(info.arg)
                visited.add(name)
        for j in _next(i):
            out += gather_args(j, visited)
        return out

    def gather(i: int, visited: set[str], ssh: bool) -> list[OutlineSecret]:
        capture = states[i].capture
        out = []
        for name, item in (capture.ssh if ssh else capture.secrets).items():
            if name not in visited:
                out.append(item)
                visited.add(name)
        for j in _next(i):
            out += gather(j, visited, ssh)
        return out

    def _next(i: int) -> list[int]:
        base = states[i].base
        return ([base] if base is not None else []) + deps[i]

    target = stages[graph.target]
    args = sorted(gather_args(graph.target, set()), key=_line)
    secrets = sorted(gather(graph.target, set(), False), key=_line)
    ssh = sorted(gather(graph.target, set(), True), key=_line)
    name = target.name or ""
    return OutlineResult(
        name=name,
        description=doc_comment(by_instruction[id(target.from_)], name),
        args=tuple(args),
        secrets=tuple(secrets),
        ssh=tuple(ssh),
    )


def _convert(df: Dockerfile, facts: BuildFacts) -> CompileResult:
    """The conversion without a daemon: no image resolved (each an empty config),
    no named context."""
    from frontend.compiler import CompileOptions, compile_dockerfile, no_resolver

    opts = CompileOptions(
        target=facts.target,
        build_args=facts.build_args,
        target_platform=facts.target_platform,
        build_platform=facts.build_platform,
        platform_explicit=facts.platform_explicit,
    )
    return compile_dockerfile(df, opts, no_resolver)


def _line(item: OutlineArg | OutlineSecret) -> int:
    return item.location.start_line if item.location is not None else 0
