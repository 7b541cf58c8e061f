"""Instructions from parsed lines: each instruction's arguments and flags, validated.

Owned step: ``frontend.language`` (building the typed instructions). :func:`from_node`
turns a parser line (:class:`~frontend.language.parser.NodeFields`) into its
instruction of :mod:`frontend.language.commands` with the reference's validation
(argument counts, flags, mounts, heredoc sources, ONBUILD triggers): the builder for
each instruction name is looked up in one typed table, and an unknown name is a located
"unknown instruction" error (with a suggestion).

This is also the public home of the instruction types (``ins.Run``, ``ins.Copy``, ...):
they are re-exported here, as is :func:`~frontend.language.values.parse_chmod`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

from frontend.gocompat import go_parse_int, go_quote
from frontend.language.commands import (
    Add,
    Arg,
    ArgPair,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expander,
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
)
from frontend.language.errors import DockerfileError, Range
from frontend.language.flags import FlagSet, with_suggestion
from frontend.language.heredocs import chomp_heredoc, heredoc_word
from frontend.language.mounts import mount_source, parse_device
from frontend.language.parser import NodeFields
from frontend.language.shell import SPACE_CHARS
from frontend.language.values import parse_chmod, parse_duration

__all__ = [
    "INSTRUCTION_NAMES",
    "Add",
    "Arg",
    "ArgPair",
    "Cmd",
    "Copy",
    "Entrypoint",
    "Env",
    "Expander",
    "Expose",
    "From",
    "Healthcheck",
    "Instruction",
    "KeyValue",
    "Label",
    "Maintainer",
    "Onbuild",
    "Run",
    "Shell",
    "ShellOrExec",
    "SourceContent",
    "StopSignal",
    "User",
    "Volume",
    "Workdir",
    "from_node",
    "parse_chmod",
    "parse_duration",
]  # fmt: skip

INSTRUCTION_NAMES = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
    "WORKDIR",
)  # fmt: skip


# ---------------------------------------------------------------- construction


def _at_least_one(cmd: str) -> DockerfileError:
    return DockerfileError(f"{cmd} requires at least one argument")


def _exactly_one(cmd: str) -> DockerfileError:
    return DockerfileError(f"{cmd} requires exactly one argument")


def _no_dest(cmd: str) -> DockerfileError:
    return DockerfileError(
        f"{cmd} requires at least two arguments, but only one was provided. "
        "Destination could not be determined"
    )


def _kvps(args: tuple[str, ...], cmd: str) -> tuple[KeyValue, ...]:
    if not args:
        raise _at_least_one(cmd)
    if len(args) % 2:
        raise DockerfileError(f"Bad input to {cmd}, too many arguments")
    out = []
    for i in range(0, len(args), 2):
        if not args[i]:
            raise DockerfileError(f"{cmd} names can not be blank")
        out.append(KeyValue(args[i], args[i + 1]))
    return tuple(out)


_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*")


def _interval(flags: FlagSet, name: str) -> int:
    value = flags.string(name)
    if not value:
        return 0
    d = parse_duration(value)
    if d == 0:
        return 0
    if d < 1_000_000:
        raise DockerfileError(f'Interval "{name}" cannot be less than 1ms')
    return d


def _sources(node: NodeFields, cmd: str) -> tuple[tuple[str, ...], tuple[SourceContent, ...], str]:
    *srcs, dest = node.args
    if heredoc_word(dest) is not None:
        raise DockerfileError(f"{cmd} cannot accept a heredoc as a destination")
    by_name = {h.name: h for h in node.heredocs}
    paths: list[str] = []
    contents: list[SourceContent] = []
    for src in srcs:
        # (in the JSON form too, as the reference: its heredoc has no body)
        doc = heredoc_word(src)
        if doc is None:
            paths.append(src)
            continue
        found = by_name.get(doc.name)
        data = found.content if found is not None else ""
        if doc.chomp:
            data = chomp_heredoc(data)
        contents.append(SourceContent(doc.name, data, doc.expand))
    return tuple(paths), tuple(contents), dest


def _cmdline(node: NodeFields) -> ShellOrExec:
    args = node.args
    if not node.json and args:
        args = (" ".join(args),)
    return ShellOrExec(tuple(args), not node.json)


def _no_flags(node: NodeFields) -> None:
    """Check that ``node`` has no flags (the instruction takes none)."""
    if node.flags:
        FlagSet(node.flags).parse()


def _from_flags(args: tuple[str, ...]) -> str | None:
    flags = FlagSet(args)
    flags.add_string("platform")
    flags.parse()
    return flags.string("platform") or None


# (mount specs, network, security, device specs, flags used)
_RunFlags: TypeAlias = tuple[tuple[str, ...], str, str, tuple[str, ...], tuple[str, ...]]


def _run_flags(args: tuple[str, ...]) -> _RunFlags:
    flags = FlagSet(args)
    flags.add_strings("mount")
    flags.add_string("network", "default")
    flags.add_string("security", "sandbox")
    flags.add_strings("device")
    flags.parse()
    specs = flags.strings("mount")
    network = flags.string("network")
    security = flags.string("security")
    return specs, network, security, flags.strings("device"), flags.used()


# (chown, chmod, link, excludes, from, parents, keep-git-dir, checksum, unpack)
_CopyFlags: TypeAlias = tuple[
    str, str, bool, tuple[str, ...], str, bool, bool | None, str, bool | None
]


def _copy_flags(args: tuple[str, ...], add: bool) -> _CopyFlags:
    flags = FlagSet(args)
    flags.add_string("chown")
    flags.add_string("chmod")
    flags.add_bool("link")
    flags.add_strings("exclude")
    if add:
        flags.add_bool("keep-git-dir")
        flags.add_string("checksum")
        flags.add_bool("unpack")
    else:
        flags.add_string("from")
        flags.add_bool("parents")
    flags.parse()
    chown, chmod, link, excludes = (
        flags.string("chown"), flags.string("chmod"), flags.bool("link"), flags.strings("exclude"),
    )  # fmt: skip
    if add:
        unpack = flags.bool("unpack") if flags.is_used("unpack") else None
        keep_git_dir = flags.bool("keep-git-dir") if flags.is_used("keep-git-dir") else None
        return (chown, chmod, link, excludes, "", False, keep_git_dir,
                flags.string("checksum"), unpack)  # fmt: skip
    return (chown, chmod, link, excludes, flags.string("from"), flags.bool("parents"), None,
            "", None)  # fmt: skip


# the flag values of an instruction written without flags: the general parsers' own
# results for no arguments (a fast path that cannot disagree with them)
_FROM_NO_FLAGS = _from_flags(())
_RUN_NO_FLAGS = _run_flags(())
_COPY_NO_FLAGS = _copy_flags((), add=False)
_ADD_NO_FLAGS = _copy_flags((), add=True)


def _build_from(node: NodeFields, loc: Range, original: str) -> From:
    args = node.args
    if len(args) == 3 and args[1].casefold() == "as":  # (Go EqualFold: U+017F is an s)
        stage: str | None = args[2].lower()
        assert stage is not None
        if _STAGE_NAME.fullmatch(stage) is None:
            raise DockerfileError(
                f"invalid name for build stage: {go_quote(args[2])}, "
                "name can't start with a number or contain symbols"
            )
    elif len(args) != 1:
        raise DockerfileError("FROM requires either one or three arguments")
    else:
        stage = None
    platform = _from_flags(node.flags) if node.flags else _FROM_NO_FLAGS
    return From(location=loc, original=original, base=args[0], stage_name=stage,
                platform=platform)  # fmt: skip


def _build_run(node: NodeFields, loc: Range, original: str) -> Run:
    specs, network, security, device_specs, used = (
        _run_flags(node.flags) if node.flags else _RUN_NO_FLAGS
    )
    # checked in the order of the reference's hooks: devices, mounts, network, security
    devices = tuple(parse_device(s) for s in device_specs) if device_specs else ()
    mounts = tuple(mount_source(s) for s in specs) if specs else ()
    if network not in ("default", "none", "host"):
        raise DockerfileError(f"invalid network mode {go_quote(network)}")
    if security not in ("sandbox", "insecure"):
        raise DockerfileError(f"security {go_quote(security)} is not valid")
    return Run(location=loc, original=original, command=_cmdline(node),
               heredocs=node.heredocs, mounts=mounts, mount_specs=specs, network=network,
               security=security, devices=devices, flags_used=used)  # fmt: skip


def _build_cmd(node: NodeFields, loc: Range, original: str) -> Cmd:
    _no_flags(node)
    return Cmd(location=loc, original=original, command=_cmdline(node), heredocs=node.heredocs)


def _build_entrypoint(node: NodeFields, loc: Range, original: str) -> Entrypoint:
    _no_flags(node)
    return Entrypoint(location=loc, original=original, command=_cmdline(node),
                      heredocs=node.heredocs)  # fmt: skip


def _build_env(node: NodeFields, loc: Range, original: str) -> Env:
    _no_flags(node)
    return Env(location=loc, original=original, pairs=_kvps(node.args, "ENV"),
               legacy=node.legacy_kv)  # fmt: skip


def _build_label(node: NodeFields, loc: Range, original: str) -> Label:
    _no_flags(node)
    return Label(location=loc, original=original, pairs=_kvps(node.args, "LABEL"),
                 legacy=node.legacy_kv)  # fmt: skip


def _build_maintainer(node: NodeFields, loc: Range, original: str) -> Maintainer:
    if len(node.args) != 1:
        raise _exactly_one("MAINTAINER")
    _no_flags(node)
    return Maintainer(location=loc, original=original, maintainer=node.args[0])


def _build_add(node: NodeFields, loc: Range, original: str) -> Add:
    if len(node.args) < 2:
        raise _no_dest("ADD")
    chown, chmod, link, excludes, _, _, keep_git_dir, checksum, unpack = (
        _copy_flags(node.flags, add=True) if node.flags else _ADD_NO_FLAGS
    )
    sources, contents, dest = _sources(node, "ADD")
    return Add(location=loc, original=original, sources=sources, dest=dest, contents=contents,
               heredocs=node.heredocs, chown=chown, chmod=chmod, link=link,
               keep_git_dir=keep_git_dir, checksum=checksum, excludes=excludes, unpack=unpack,
               json=node.json)  # fmt: skip


def _build_copy(node: NodeFields, loc: Range, original: str) -> Copy:
    if len(node.args) < 2:
        raise _no_dest("COPY")
    chown, chmod, link, excludes, from_, parents, _, _, _ = (
        _copy_flags(node.flags, add=False) if node.flags else _COPY_NO_FLAGS
    )
    sources, contents, dest = _sources(node, "COPY")
    return Copy(location=loc, original=original, sources=sources, dest=dest, contents=contents,
                heredocs=node.heredocs, from_=from_, chown=chown, chmod=chmod, link=link,
                parents=parents, excludes=excludes, json=node.json)  # fmt: skip


_ONBUILD_PREFIX = re.compile(r"(?i)^\s*ONBUILD\s*")


def _build_onbuild(node: NodeFields, loc: Range, original: str) -> Onbuild:
    args = node.args
    if not args or node.sub is None:
        raise _at_least_one("ONBUILD")
    _no_flags(node)
    trigger = args[0].strip(SPACE_CHARS).upper()
    if trigger == "ONBUILD":
        raise DockerfileError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    if trigger in ("MAINTAINER", "FROM"):
        raise DockerfileError(f"{trigger} isn't allowed as an ONBUILD trigger")
    expression = _ONBUILD_PREFIX.sub("", node.original, count=1)
    for doc in node.heredocs:
        expression += "\n" + doc.content + doc.name
    # the reference does not build the trigger here: one that is no valid instruction
    # is an error only where it is run (in a stage built on this one)
    try:
        inner: Instruction | None = _build(node.sub)
    except DockerfileError:
        inner = None
    return Onbuild(location=loc, original=original, inner=inner, expression=expression)


def _build_workdir(node: NodeFields, loc: Range, original: str) -> Workdir:
    if len(node.args) != 1:
        raise _exactly_one("WORKDIR")
    _no_flags(node)
    return Workdir(location=loc, original=original, path=node.args[0])


def _build_expose(node: NodeFields, loc: Range, original: str) -> Expose:
    if not node.args:
        raise _at_least_one("EXPOSE")
    _no_flags(node)
    return Expose(location=loc, original=original, ports=tuple(sorted(node.args)))


def _build_user(node: NodeFields, loc: Range, original: str) -> User:
    if len(node.args) != 1:
        raise _exactly_one("USER")
    _no_flags(node)
    return User(location=loc, original=original, user=node.args[0])


def _build_volume(node: NodeFields, loc: Range, original: str) -> Volume:
    if not node.args:
        raise _at_least_one("VOLUME")
    _no_flags(node)
    vols = []
    for v in node.args:
        v = v.strip(SPACE_CHARS)  # Go's strings.TrimSpace
        if not v:
            raise DockerfileError("VOLUME specified can not be an empty string")
        vols.append(v)
    return Volume(location=loc, original=original, volumes=tuple(vols), json=node.json)


def _build_stopsignal(node: NodeFields, loc: Range, original: str) -> StopSignal:
    # the reference does not check STOPSIGNAL's flags
    if len(node.args) != 1:
        raise _exactly_one("STOPSIGNAL")
    return StopSignal(location=loc, original=original, signal=node.args[0])


def _build_arg(node: NodeFields, loc: Range, original: str) -> Arg:
    # the reference does not check ARG's flags
    if not node.args:
        raise _at_least_one("ARG")
    arg_pairs: list[ArgPair] = []
    for a in node.args:
        key, eq, value = a.partition("=")
        if eq and not key:
            raise DockerfileError("ARG names can not be blank")
        arg_pairs.append(ArgPair(key, value if eq else None))
    return Arg(location=loc, original=original, pairs=tuple(arg_pairs))


def _build_shell(node: NodeFields, loc: Range, original: str) -> Shell:
    _no_flags(node)
    if not node.args:
        raise _at_least_one("SHELL")
    if not node.json:
        raise DockerfileError("SHELL requires the arguments to be in JSON form")
    return Shell(location=loc, original=original, shell=tuple(node.args))


def _build_healthcheck(node: NodeFields, loc: Range, original: str) -> Healthcheck:
    flags = FlagSet(node.flags)
    args = node.args
    if not args:
        raise _at_least_one("HEALTHCHECK")
    typ = args[0].upper()
    rest = args[1:]
    if typ == "NONE":
        if rest:
            raise DockerfileError("HEALTHCHECK NONE takes no arguments")
        return Healthcheck(location=loc, original=original, test=("NONE",))
    for name in ("interval", "timeout", "start-period", "start-interval", "retries"):
        flags.add_string(name)
    flags.parse()
    if typ != "CMD":
        raise DockerfileError(f"Unknown type {go_quote(typ)} in HEALTHCHECK (try CMD)")
    cmd = rest if node.json else ((" ".join(rest),) if rest else ())
    if not cmd:
        raise DockerfileError("Missing command after HEALTHCHECK CMD")
    test = ("CMD", *cmd) if node.json else ("CMD-SHELL", *cmd)
    # in the reference's order: the durations, then the retries
    interval, timeout = _interval(flags, "interval"), _interval(flags, "timeout")
    start_period = _interval(flags, "start-period")
    start_interval = _interval(flags, "start-interval")
    retries = _retries(flags.string("retries"))
    return Healthcheck(
        location=loc, original=original, test=test, interval=interval, timeout=timeout,
        start_period=start_period, start_interval=start_interval, retries=retries,
    )  # fmt: skip


_INT_SYNTAX = re.compile(r"[+-]?[0-9]+")


def _retries(text: str) -> int:
    """``--retries``: Go's ``strconv.ParseInt(text, 10, 32)``, not negative."""
    if not text:
        return 0
    if _INT_SYNTAX.fullmatch(text) is None:
        raise DockerfileError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    retries = go_parse_int(text, 32)  # (no int() of thousands of digits: Python refuses)
    if retries is None:
        raise DockerfileError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    if retries < 0:
        raise DockerfileError(f"--retries cannot be negative ({retries})")
    return retries


# an instruction's builder: its node, its range and its original text (stripped)
Builder: TypeAlias = Callable[[NodeFields, Range, str], Instruction]

# the reference's dispatch table: lower-cased instruction name -> builder
_BUILDERS: dict[str, Builder] = {
    "from": _build_from, "run": _build_run, "cmd": _build_cmd, "entrypoint": _build_entrypoint,
    "env": _build_env, "label": _build_label, "maintainer": _build_maintainer,
    "add": _build_add, "copy": _build_copy, "onbuild": _build_onbuild,
    "workdir": _build_workdir, "healthcheck": _build_healthcheck, "expose": _build_expose,
    "user": _build_user, "volume": _build_volume, "stopsignal": _build_stopsignal,
    "arg": _build_arg, "shell": _build_shell,
}  # fmt: skip


def _build(node: NodeFields) -> Instruction:
    builder = _BUILDERS.get(node.name.lower())
    if builder is None:
        raise DockerfileError(
            with_suggestion(f"unknown instruction: {node.name}", node.name, INSTRUCTION_NAMES,
                            case_sensitive=False)
        )  # fmt: skip
    return builder(node, node.location, node.original.strip(SPACE_CHARS))


def from_node(node: NodeFields) -> Instruction:
    """The typed instruction of ``node``. Raises :class:`DockerfileError` with its range."""
    try:
        return _build(node)
    except DockerfileError as err:
        raise err.with_location(node.location) from None
