"""SOURCE_DATE_EPOCH: the one rule for reading it and for writing its time.

Owned step: part of the compiler. The value (the build arg, else the Dockerfile's
global ``ARG SOURCE_DATE_EPOCH=...``: :func:`epoch_value`) as unix seconds
(:func:`parse_source_date_epoch`), or, as in the reference (``dockerfile2llb``
``epoch.go``), the time of what it names (:func:`resolve_epoch`): ``context`` (the main
build context), a named context, or a source-only stage (``FROM scratch``, ``ARG``s and
one remote ``ADD``: :func:`stage_source`). The compiler finds the state; dating it
needs the engine, which the caller's :class:`~frontend.compiler.options.EpochResolver`
does (``frontend.dockerui.epoch``). The moment as Go marshals a UTC ``time.Time``
(:func:`epoch_time`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence

from frontend.compiler.envlist import EnvList
from frontend.compiler.options import EpochResolver, equal_fold
from frontend.gocompat import go_parse_int, go_quote
from frontend.language.errors import DockerfileError
from frontend.language.instructions import Add, Arg
from frontend.language.shell import Lexer
from frontend.llb import State
from frontend.records import record
from frontend.stages import SCRATCH, Stage

ARG_NAME = "SOURCE_DATE_EPOCH"
# the unix seconds epoch_time can write: years 1 to 9999 (Go's time.Time marshals years
# 0 to 9999 as JSON and fails outside them)
_FIRST = int(datetime.datetime(1, 1, 1, tzinfo=datetime.UTC).timestamp())
_LAST = int(datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC).timestamp())


class EpochError(ValueError):
    """A SOURCE_DATE_EPOCH value that is not a decimal int64 or not a time of the years
    1 to 9999."""


def parse_source_date_epoch(value: str) -> int | None:
    """``value`` as unix seconds; None when empty. Raises :class:`EpochError` with the
    reference's message for anything the reference's ``strconv.ParseInt(value, 10, 64)``
    refuses (not ASCII digits with an optional sign, or out of the int64 range), and a
    clear one for a time :func:`epoch_time` cannot write."""
    if not value:
        return None
    seconds = go_parse_int(value)
    if seconds is None:
        raise EpochError(f"invalid {ARG_NAME}: {value}")
    if not _FIRST <= seconds <= _LAST:
        raise EpochError(f"invalid {ARG_NAME}: {value}: year outside of range [1,9999]")
    return seconds


def source_date_epoch(build_args: Mapping[str, str]) -> int | None:
    """The ``SOURCE_DATE_EPOCH`` build arg of ``build_args`` (see
    :func:`parse_source_date_epoch`)."""
    return parse_source_date_epoch(build_args.get(ARG_NAME, ""))


def epoch_time(seconds: int) -> str:
    """Unix seconds as Go marshals a UTC ``time.Time``: ``2023-11-14T22:13:20Z``.
    ``seconds`` is a value :func:`parse_source_date_epoch` accepts (years 1 to 9999)."""
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")  # %Y: no zero padding


def unix_nano(seconds: int) -> int:
    """Go's ``time.Unix(seconds, 0).UnixNano()`` (int64 arithmetic: it wraps outside
    the years 1678-2262, as Go's does)."""
    return ((seconds * 1_000_000_000 + (1 << 63)) % (1 << 64)) - (1 << 63)


# -- SOURCE_DATE_EPOCH as a source: the build context, a named context, a stage -------

CONTEXT_VALUE = "context"
LOG_MAIN_CONTEXT = "[internal] resolve main build context metadata"
LOG_NAMED_CONTEXT = "[internal] resolve SOURCE_DATE_EPOCH named context "
LOG_STAGE = "[internal] resolve SOURCE_DATE_EPOCH source stage "


@record(frozen=True, slots=True)
class EpochSource:
    """What a SOURCE_DATE_EPOCH value that is no number names: the state whose single
    source op dates the build, and the progress name of resolving it."""

    state: State
    log_name: str


def epoch_value(build_args: Mapping[str, str], global_env: Mapping[str, str]) -> str | None:
    """The reference's ``getBuildArgValue``: the build arg (even empty), else the
    global ``ARG SOURCE_DATE_EPOCH=...`` value when it is not empty; None when neither."""
    if ARG_NAME in build_args:
        return build_args[ARG_NAME]
    value = global_env.get(ARG_NAME)
    return value if value else None


def with_epoch_value(
    build_args: Mapping[str, str], global_env: EnvList, value: str
) -> tuple[dict[str, str], EnvList]:
    """The reference's ``setBuildArgValue``: the resolved value replaces the build arg
    and the global ARG where they are set; an empty one (nothing resolved) removes
    them."""
    args = dict(build_args)
    if ARG_NAME in args:
        if value:
            args[ARG_NAME] = value
        else:
            del args[ARG_NAME]
    if ARG_NAME in global_env:
        global_env = global_env.set(ARG_NAME, value) if value else _without(global_env, ARG_NAME)
    return args, global_env


def epoch_source(
    value: str,
    *,
    stages: Sequence[Stage],
    build_args: Mapping[str, str],
    global_env: EnvList,
    lexer: Lexer,
    main_context: Callable[[], State | None],
    named_context: Callable[[str], State | None] | None,
) -> EpochSource | None:
    """The reference's ``resolveSourceDateEpochState`` for a value that is no number:
    ``context`` (the main build context; None without an engine), a named context
    (``named_context``, None without an engine: it returns None when the build has
    no such context), else the stage of that name (case-insensitive), which must be a
    source-only ``FROM scratch`` stage with one remote ``ADD``; anything else is
    ``invalid SOURCE_DATE_EPOCH: <value>``."""
    if value == CONTEXT_VALUE:
        state = main_context()
        return None if state is None else EpochSource(state, LOG_MAIN_CONTEXT)
    if named_context is not None:
        state = named_context(value)
        if state is not None:
            return EpochSource(state, LOG_NAMED_CONTEXT + value)
    for stage in stages:
        if stage.name is None or not equal_fold(stage.name, value):
            continue
        env = _without(global_env, ARG_NAME)
        try:
            state = stage_source(stage, build_args, env, lexer)
        except DockerfileError as e:
            raise e.with_location(stage.location) from None
        return EpochSource(state, LOG_STAGE + stage.name)
    raise DockerfileError(f"invalid {ARG_NAME}: {value}")


def stage_source(stage: Stage, build_args: Mapping[str, str], env: EnvList, lexer: Lexer) -> State:
    """The reference's ``sourceDateEpochStageSource``: the download or git repository
    of a stage that is ``FROM scratch``, ``ARG``s and exactly one remote ``ADD`` with a
    single source; the reference's error for anything else (unlocated: the caller puts
    it at the stage's ``FROM``)."""
    try:
        base = lexer.expand_word(stage.from_.base, env).value
    except DockerfileError as e:
        raise DockerfileError(
            f"failed to process source stage base name {go_quote(stage.from_.base)}: {e.message}"
        ) from None
    if base != SCRATCH:
        raise DockerfileError(f"{ARG_NAME} stage must use FROM scratch")
    source: State | None = None
    for cmd in stage.commands:
        if isinstance(cmd, Arg):
            env = _stage_args(cmd, env, build_args, lexer)
        elif isinstance(cmd, Add):
            if source is not None:
                raise DockerfileError(f"{ARG_NAME} stage must contain exactly one remote ADD")
            source = _add_source(cmd, env, lexer)
        else:
            raise DockerfileError(
                f"{ARG_NAME} stage does not meet source-only requirements: "
                f"unsupported {cmd.name.lower()} instruction"
            )
    if source is None:
        raise DockerfileError(f"{ARG_NAME} stage must contain exactly one remote ADD")
    return source


def _stage_args(cmd: Arg, env: EnvList, build_args: Mapping[str, str], lexer: Lexer) -> EnvList:
    """``applySourceDateEpochStageArgs``: a build arg wins, else the default expanded."""
    for pair in cmd.pairs:
        if pair.key in build_args:
            env = env.set(pair.key, build_args[pair.key])
        elif pair.value is not None:
            env = env.set(pair.key, lexer.expand_word(pair.value, env).value)
    return env


def _add_source(cmd: Add, env: EnvList, lexer: Lexer) -> State:
    """``sourceDateEpochAddSource``: the ``ADD``'s one URL as an http or git source."""
    from frontend import llb
    from frontend.compiler.copy import check_digest, is_http, url_filename

    if cmd.contents or len(cmd.sources) != 1:
        raise DockerfileError(f"{ARG_NAME} stage must contain exactly one remote ADD source")
    src = lexer.expand_word(cmd.sources[0], env).value
    if is_http(src):
        checksum = ""
        if cmd.checksum:
            checksum = lexer.expand_word(cmd.checksum, env).value
            check_digest(checksum)
        return llb.http(src, filename=url_filename(src), checksum=checksum)
    try:
        ref = llb.parse_git_ref(src)
    except llb.GitRefError as e:
        raise DockerfileError(str(e)) from None
    if ref is not None and not ref.indistinguishable_from_local:
        checksum = ref.checksum
        if cmd.checksum:
            checksum = lexer.expand_word(cmd.checksum, env).value
        return llb.git(
            ref.remote,
            ref.ref,
            subdir=ref.subdir,
            keep_git_dir=bool(cmd.keep_git_dir) or bool(ref.keep_git_dir),
            checksum=checksum,
            skip_submodules=ref.submodules is False,
        )
    raise DockerfileError(f"{ARG_NAME} stage source must be a single HTTP(S) or Git ADD")


def resolve_epoch(
    value: str | None,
    resolve: EpochResolver | None,
    *,
    stages: Sequence[Stage],
    build_args: Mapping[str, str],
    global_env: EnvList,
    lexer: Lexer,
    main_context: Callable[[], State | None],
    named_context: Callable[[str], State | None] | None,
) -> int | None:
    """The reference's ``resolveSourceDateEpochValue``: ``value`` as unix seconds when it
    is a number (:func:`parse_source_date_epoch`), else the time of what it names
    (:func:`epoch_source`, given ``sources``) as the engine dates it (``resolve``: the
    git commit, the download's Last-Modified or its archive's newest file); None when
    there is no value, no engine, or nothing to date."""
    if not value:
        return None
    if go_parse_int(value) is not None:
        return parse_source_date_epoch(value)
    src = epoch_source(
        value,
        stages=stages,
        build_args=build_args,
        global_env=global_env,
        lexer=lexer,
        main_context=main_context,
        named_context=named_context,
    )
    if src is None or resolve is None:
        return None
    seconds = resolve(src.state, src.log_name)
    if seconds is not None:
        return parse_source_date_epoch(str(seconds))
    return None


def _without(env: EnvList, key: str) -> EnvList:
    return EnvList({k: env[k] for k in env if k != key})
