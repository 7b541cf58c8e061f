"""The rules the reference decides while dispatching an instruction.

Owned step: ``frontend.dockerui.checks`` (dispatch-time rules). The compiler, or the
static walk of :mod:`~frontend.dockerui.checks.walk`, keeps one :class:`StageChecks`
per stage and calls :func:`check_instruction` with each instruction as dispatched
(words expanded with the stage environment), in order, with the linter of that
instruction (its ``# check=`` comment applied):

* ENV — ``LegacyKeyValueFormat`` (``ENV key value``), ``SecretsUsedInArgOrEnv`` per key;
* LABEL — ``LegacyKeyValueFormat``;
* ARG — ``SecretsUsedInArgOrEnv`` per key (ARGs before the first FROM are not
  dispatched, so not checked);
* WORKDIR — ``WorkdirRelativePath`` for a relative path when no WORKDIR of this
  Dockerfile (this stage or a stage it is built on) came before;
* CMD, ENTRYPOINT — ``MultipleInstructionsDisallowed`` (located at the earlier one,
  which is the one ignored), then ``JSONArgsRecommended`` for the shell form when the
  image has no SHELL; HEALTHCHECK — ``MultipleInstructionsDisallowed``;
* EXPOSE — ``ExposeProtoCasing`` and ``ExposeInvalidFormat``
  (:func:`~frontend.dockerui.checks.expose.parse_ports`, which also raises the
  reference's errors for bad specs);
* SHELL — marks the image as having one.

Messages name the instruction as written (``cmd``, ``Env``), as the reference does.
"""

from __future__ import annotations

from typing import Final

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.expose import parse_ports
from frontend.dockerui.checks.linter import Linter
from frontend.language.errors import Range
from frontend.language.instructions import (
    Arg,
    Cmd,
    Entrypoint,
    Env,
    Expose,
    Healthcheck,
    Instruction,
    Label,
    Shell,
    Workdir,
)
from frontend.records import record, replace

__all__ = [
    "SECRET_TOKENS",
    "StageChecks",
    "check_instruction",
    "is_absolute",
    "is_secret_key",
]

SECRET_TOKENS: Final = (
    "apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd",
    "secret", "token",
)  # fmt: skip
_ALLOW_TOKENS: Final = ("public", "file", "version")


def is_secret_key(key: str) -> bool:
    """Whether an ARG/ENV name looks like it holds a secret: one of its ``_``-separated
    words is a secret token (case-insensitive) and none is ``public``, ``file`` or
    ``version`` (the reference's two regular expressions)."""
    words = set(key.lower().split("_"))
    return not words.isdisjoint(SECRET_TOKENS) and words.isdisjoint(_ALLOW_TOKENS)


def is_absolute(path: str, os: str) -> bool:
    """The reference's ``system.IsAbs`` (Windows: ``C:`` stripped, backslashes read as
    slashes; another drive, ``X:`` alone or a UNC path is not absolute)."""
    if os != "windows":
        return path.startswith("/")
    if len(path) == 2 and path[1] == ":":
        return False
    if path[:2].replace("\\", "/") == "//":
        return False
    drive, sep, rest = path.partition(":")
    if sep:
        if drive.lower() != "c":
            return False
        path = rest
    return path.replace("\\", "/").startswith("/")


@record(slots=True)
class StageChecks:
    """What the dispatch rules remember of one stage."""

    os: str = "linux"  # the stage platform's OS
    shell: bool = False  # the image config has a SHELL
    workdir_set: bool = False  # a WORKDIR of this Dockerfile came before
    cmd: Range | None = None  # the last CMD, ENTRYPOINT, HEALTHCHECK
    entrypoint: Range | None = None
    healthcheck: Range | None = None

    def for_child(self) -> StageChecks:
        """The state a stage built on this one starts with (the instruction trackers
        start afresh)."""
        return replace(self, cmd=None, entrypoint=None, healthcheck=None)


def _used_once(linter: Linter, previous: Range | None, keyword: str) -> None:
    if previous is not None:
        linter.run(R.multiple_instructions_disallowed(keyword), previous)


def check_instruction(
    linter: Linter, st: StageChecks, cmd: Instruction, keyword: str, location: Range | None = None
) -> None:
    """The dispatch-time rules of ``cmd`` (expanded), updating ``st``. ``keyword`` is
    the instruction name as written; ``location`` defaults to the instruction's own
    (an ONBUILD trigger is located at the FROM that runs it)."""
    loc = cmd.location if location is None else location
    if isinstance(cmd, Env):
        for pair in cmd.pairs:
            if cmd.legacy:
                linter.run(R.legacy_key_value_format(keyword), loc)
            if is_secret_key(pair.key):
                linter.run(R.secrets_used_in_arg_or_env("ENV", pair.key), loc)
    elif isinstance(cmd, Label):
        for _ in cmd.pairs if cmd.legacy else ():
            linter.run(R.legacy_key_value_format(keyword), loc)
    elif isinstance(cmd, Arg):
        for arg in cmd.pairs:
            if is_secret_key(arg.key):
                linter.run(R.secrets_used_in_arg_or_env("ARG", arg.key), loc)
    elif isinstance(cmd, Workdir):
        if not st.workdir_set and not is_absolute(cmd.path, st.os):
            linter.run(R.workdir_relative_path(cmd.path), loc)
        st.workdir_set = True
    elif isinstance(cmd, Cmd | Entrypoint):
        if isinstance(cmd, Cmd):
            _used_once(linter, st.cmd, keyword)
            st.cmd = loc
        else:
            _used_once(linter, st.entrypoint, keyword)
            st.entrypoint = loc
        if cmd.command.prepend_shell and not st.shell:
            linter.run(R.json_args_recommended(keyword), loc)
    elif isinstance(cmd, Healthcheck):
        _used_once(linter, st.healthcheck, keyword)
        st.healthcheck = loc
    elif isinstance(cmd, Expose):
        parse_ports(cmd.ports, linter, loc)
    elif isinstance(cmd, Shell):
        st.shell = bool(cmd.shell)
