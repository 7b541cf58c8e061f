"""What every instruction rule shares (part of pipeline step 3).

Owned step: the interface between the stage bookkeeping and the per-instruction rules
— :class:`RuleContext`, the little a rule asks of the compilation (options, lexer,
global ARGs, the build context, source locations, ``--from`` sources) — and the
helpers every rule uses: the step label, the op description, the default shell, path
rules and the history entry. Rules import this module, never the compiler itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Protocol

from frontend import llb
from frontend.compiler.envlist import EnvList
from frontend.compiler.options import CompileOptions
from frontend.compiler.state import StageState
from frontend.gocompat import go_clean, go_quote
from frontend.language.errors import DockerfileError, Range
from frontend.language.instructions import Instruction
from frontend.language.shell import Lexer

DEFAULT_SHELL = ("/bin/sh", "-c")
WINDOWS_SHELL = ("cmd", "/S", "/C")
CMD_DESCRIPTION = "com.docker.dockerfile.v1.command"


class RuleContext(Protocol):
    """What a rule may ask of the compilation it runs in (the compiler implements it)."""

    @property
    def opts(self) -> CompileOptions: ...

    @property
    def lexer(self) -> Lexer: ...

    @property
    def global_env(self) -> EnvList:
        """The global ARGs (and automatic platform ARGs), for ``ARG`` without value."""
        ...

    @property
    def build_context(self) -> llb.State:
        """The main build context (its follow paths are written at the end)."""
        ...

    def location(self, r: Range) -> llb.Location:
        """The source-map location of a Dockerfile range."""
        ...

    def source_for(
        self, value: str, location: Range, current: StageState, *, mount: str | None = None
    ) -> tuple[llb.State, set[str]]:
        """The state a ``--from`` names and the set the caller adds the paths it reads
        to (see :meth:`frontend.compiler.convert.Compiler.source_for`)."""
        ...


def step_label(st: StageState, text: str, lexer: Lexer, env: EnvList | None = None) -> str:
    """A step's text as progress shows it: expanded with the stage env (or ``env``)
    when that works, first word upper-cased. :meth:`StageState.step_name` adds the
    prefix."""
    with contextlib.suppress(DockerfileError):
        text = lexer.expand_word(text, st.env if env is None else env).value
    end = text.find(" ")
    first = text if end < 0 else text[:end]
    upper = first.upper()
    if upper == first:
        return text  # (as it is: a long step is not copied)
    return upper if end < 0 else upper + text[end:]


def command_text(cmd: Instruction) -> str:
    """The instruction's text as the reference prints it (step name, description): the
    source line(s) without the bodies of its heredocs."""
    if getattr(cmd, "heredocs", None) or getattr(cmd, "contents", None):
        return cmd.original.split("\n", 1)[0]
    return cmd.original


def raw_lexer(c: RuleContext) -> Lexer:
    """The lexer step names of RUN are expanded with (quotes kept, unset vars kept)."""
    return Lexer(c.lexer.escape, raw_quotes=True, skip_unset_env=True)


def default_shell(os_name: str) -> tuple[str, ...]:
    """The shell of a stage without SHELL: by the image config's OS."""
    return WINDOWS_SHELL if os_name == "windows" else DEFAULT_SHELL


def with_shell(st: StageState, args: Sequence[str]) -> list[str]:
    """A shell-form command under the stage's SHELL (default: ``/bin/sh -c``, on a
    Windows image ``cmd /S /C``)."""
    shell = st.img.shell or list(default_shell(st.img.os))
    return [*shell, " ".join(args)]


def commit(st: StageState, message: str, *, layer: bool) -> None:
    """The history entry of a step."""
    st.img.add_history(message, empty_layer=not layer, created=st.epoch)


def commit_step(st: StageState, words: Sequence[str]) -> None:
    """The history entry of a step BuildKit runs (RUN, COPY, ADD), a layer: its words
    and ``# buildkit``, joined once (a step's text may be megabytes)."""
    commit(st, " ".join([*words, "# buildkit"]), layer=True)


def path_relative_to_workdir(cwd: str, p: str) -> str:
    """Destination paths: absolute cleaned, else joined to the working directory; a
    trailing ``/`` (or ``/.``) is kept."""
    if p in (".", ""):
        p = "./"
    return llb.normalize_path(cwd, p, True)


def rooted(path: str) -> str:
    """Go's ``path.Join("/", path)``: absolute and clean (one leading slash)."""
    return go_clean("/" + path)


def normalize_workdir(current: str, path: str, os_name: str) -> str:
    """The reference's ``NormalizeWorkdir``: ``path`` joined to the image's current
    working directory when relative (cleaned), an absolute one as written on Linux
    (``/src/`` keeps its slash) and cleaned on Windows (a ``C:`` drive dropped; other
    drives, ``C:`` alone and UNC paths refused); on Windows with ``\\`` separators,
    as the image config holds it (:func:`to_slash` gives the state's directory)."""
    try:
        wd = normalize_path(current, path, os_name, keep_slash=False)
    except DockerfileError as e:
        raise DockerfileError(
            "normalizing workdir: normalizing working directory: " + e.message
        ) from None
    return wd.replace("/", "\\") if os_name == "windows" else wd


def normalize_path(parent: str, path: str, os_name: str, *, keep_slash: bool) -> str:
    """The reference's ``system.NormalizePath``: ``path`` made absolute under
    ``parent`` (Windows drive letters handled); with ``keep_slash`` a trailing ``/``
    (or ``/.``) of ``path`` is kept."""
    path = to_slash(path, os_name)
    parent = to_slash(parent, os_name) or "/"
    orig = path
    parent = _without_drive(parent, os_name, keep_slash)
    if not is_abs(parent, os_name):
        parent = go_clean("/" + parent)
    if path == "":
        path = parent
    path = _without_drive(path, os_name, keep_slash)
    if not is_abs(path, os_name):
        path = go_clean(parent + "/" + path)
    if keep_slash:
        if orig.endswith("/") and not path.endswith("/"):
            path += "/"
        elif orig.endswith("/."):
            if path != "/":
                path += "/"
            path += "."
    return to_slash(path, os_name)


def to_slash(path: str, os_name: str) -> str:
    """Windows paths with ``/`` separators (others as they are)."""
    return path.replace("\\", "/") if os_name == "windows" else path


def is_abs(path: str, os_name: str) -> bool:
    """The reference's ``system.IsAbs``: absolute once a Windows drive is dropped."""
    try:
        return to_slash(_without_drive(path, os_name, False), os_name).startswith("/")
    except DockerfileError:
        return False


def _without_drive(path: str, os_name: str, keep_slash: bool) -> str:
    """The reference's ``CheckSystemDriveAndRemoveDriveLetter``: Windows paths
    cleaned, without their ``C:``; as written elsewhere."""
    if os_name != "windows":
        return path
    raw = path.encode()
    prefix = "removing drive letter: "
    if len(raw) == 2 and raw[1:2] == b":":
        raise DockerfileError(f"{prefix}No relative path specified in {go_quote(path)}")
    if raw[:2] in (b"//", b"\\\\", b"/\\", b"\\/"):
        raise DockerfileError(prefix + "UNC paths are not supported")
    drive, colon, rest = path.partition(":")
    if colon:
        if drive not in ("c", "C"):
            raise DockerfileError(prefix + "The specified path is not on the system drive (C:)")
        path = rest
    path = to_slash(path, os_name)
    cleaned = go_clean(path)
    if keep_slash and len(cleaned) > 1 and path.endswith("/"):
        cleaned += "/"
    return cleaned
