"""Typed instructions: one record per Dockerfile instruction, and its expansion.

Owned step: ``frontend.language`` (the instruction types). Each instruction holds its
words UNEXPANDED, with its location and original text; ``expand(expander)`` returns a
copy with exactly the fields the reference expands at dispatch time expanded. They are
built from parsed lines by :mod:`frontend.language.instructions` (which re-exports
them: use them as ``ins.Run``, ``ins.Copy``, ...).

Instructions are values: nothing assigns to them after construction (``expand`` and
``records.replace`` make new ones). They are slotted records
(:mod:`frontend.records`) but not ``frozen``: a frozen one sets every field through
``object.__setattr__``, which made building them a third of the parse time of a large
Dockerfile (``make bench``).
"""

from __future__ import annotations

from typing import Protocol, TypeAlias

from frontend.language.errors import Range
from frontend.language.heredocs import Heredoc
from frontend.language.mounts import Device, RunMount, parse_mount
from frontend.records import record, replace

__all__ = [
    "Add", "Arg", "ArgPair", "Cmd", "Copy", "Entrypoint", "Env", "Expander", "Expose",
    "From", "Healthcheck", "Instruction", "KeyValue", "Label", "Maintainer", "Onbuild",
    "Run", "Shell", "ShellOrExec", "SourceContent", "StopSignal", "User", "Volume",
    "Workdir",
]  # fmt: skip


class Expander(Protocol):
    """What ``expand`` needs: see :class:`frontend.language.shell.EnvExpander`."""

    def word(self, word: str, /) -> str: ...
    def words(self, word: str, /) -> list[str]: ...
    def raw(self, text: str, /) -> str: ...


# ---------------------------------------------------------------- shared parts


@record(slots=True)
class ShellOrExec:
    """A command line: exec form (``prepend_shell=False``, the JSON words) or shell
    form (``prepend_shell=True``, one string to hand to the shell)."""

    args: tuple[str, ...]
    prepend_shell: bool


@record(slots=True)
class KeyValue:
    """One ``key=value`` pair of ``LABEL`` or ``ENV``."""

    key: str
    value: str


@record(slots=True)
class ArgPair:
    """One ``ARG`` name with its default, if any."""

    key: str
    value: str | None = None  # None: no default


@record(slots=True)
class SourceContent:
    """A COPY/ADD source given inline as a heredoc (``path`` is the delimiter)."""

    path: str
    data: str
    expand: bool


@record(slots=True, kw_only=True)
class _Base:
    """What every instruction has: its location and original text."""

    location: Range
    original: str

    @property
    def name(self) -> str:
        return type(self).__name__.upper()


# ---------------------------------------------------------------- instructions


@record(slots=True, kw_only=True)
class From(_Base):
    """``FROM``: the base, the stage name and the platform."""

    base: str
    stage_name: str | None = None  # lower-cased, as the reference keeps it
    platform: str | None = None

    def expand(self, ex: Expander) -> From:
        platform = ex.word(self.platform) if self.platform else self.platform
        return replace(self, base=ex.word(self.base), platform=platform)


@record(slots=True, kw_only=True)
class Run(_Base):
    """``RUN``: the command, its heredocs, mounts and flags."""

    command: ShellOrExec
    heredocs: tuple[Heredoc, ...] = ()
    mounts: tuple[RunMount, ...] = ()
    mount_specs: tuple[str, ...] = ()  # the --mount values as written
    network: str = "default"
    security: str = "sandbox"
    devices: tuple[Device, ...] = ()
    flags_used: tuple[str, ...] = ()

    def expand(self, ex: Expander) -> Run:
        mounts = tuple(parse_mount(spec, ex.word) for spec in self.mount_specs)
        return replace(self, mounts=mounts)


@record(slots=True, kw_only=True)
class Cmd(_Base):
    """``CMD``: the default command."""

    command: ShellOrExec
    heredocs: tuple[Heredoc, ...] = ()

    def expand(self, ex: Expander) -> Cmd:
        return self


@record(slots=True, kw_only=True)
class Entrypoint(_Base):
    """``ENTRYPOINT``: the command the image runs."""

    command: ShellOrExec
    heredocs: tuple[Heredoc, ...] = ()

    def expand(self, ex: Expander) -> Entrypoint:
        return self


def _expand_pairs(pairs: tuple[KeyValue, ...], ex: Expander) -> tuple[KeyValue, ...]:
    return tuple(KeyValue(ex.word(p.key), ex.word(p.value)) for p in pairs)


@record(slots=True, kw_only=True)
class Label(_Base):
    """``LABEL``: labels of the image."""

    pairs: tuple[KeyValue, ...]
    legacy: bool = False  # written as ``LABEL key value``

    def expand(self, ex: Expander) -> Label:
        return replace(self, pairs=_expand_pairs(self.pairs, ex))


@record(slots=True, kw_only=True)
class Env(_Base):
    """``ENV``: environment variables of the stage."""

    pairs: tuple[KeyValue, ...]
    legacy: bool = False  # written as ``ENV key value``

    def expand(self, ex: Expander) -> Env:
        return replace(self, pairs=_expand_pairs(self.pairs, ex))


@record(slots=True, kw_only=True)
class Maintainer(_Base):
    """``MAINTAINER``: the deprecated author label."""

    maintainer: str

    def expand(self, ex: Expander) -> Maintainer:
        return self


@record(slots=True, kw_only=True)
class Expose(_Base):
    """``EXPOSE``: ports the image declares."""

    ports: tuple[str, ...]

    def expand(self, ex: Expander) -> Expose:
        return replace(self, ports=tuple(w for p in self.ports for w in ex.words(p)))


def _expand_sources(
    sources: tuple[str, ...], contents: tuple[SourceContent, ...], dest: str, ex: Expander
) -> tuple[tuple[str, ...], tuple[SourceContent, ...], str]:
    """Sources, then destination, then heredoc contents: the reference's order (its
    errors come in it)."""
    paths = tuple(ex.word(s) for s in sources)
    expanded_dest = ex.word(dest)
    data = tuple(replace(c, data=ex.raw(c.data)) if c.expand else c for c in contents)
    return paths, data, expanded_dest


@record(slots=True, kw_only=True)
class Add(_Base):
    """``ADD``: sources (local, URLs, git) copied to ``dest``."""

    sources: tuple[str, ...]
    dest: str
    contents: tuple[SourceContent, ...] = ()
    heredocs: tuple[Heredoc, ...] = ()
    chown: str = ""
    chmod: str = ""
    link: bool = False
    keep_git_dir: bool | None = None  # None: --keep-git-dir not given
    checksum: str = ""
    excludes: tuple[str, ...] = ()  # never expanded (as the reference)
    unpack: bool | None = None
    json: bool = False

    def expand(self, ex: Expander) -> Add:
        # the reference's order: chown, chmod, checksum, then the sources
        chown, chmod, checksum = ex.word(self.chown), ex.word(self.chmod), ex.word(self.checksum)
        sources, contents, dest = _expand_sources(self.sources, self.contents, self.dest, ex)
        return replace(
            self, sources=sources, contents=contents, dest=dest, chown=chown, chmod=chmod,
            checksum=checksum,
        )  # fmt: skip


@record(slots=True, kw_only=True)
class Copy(_Base):
    """``COPY``: sources copied to ``dest``."""

    sources: tuple[str, ...]
    dest: str
    contents: tuple[SourceContent, ...] = ()
    heredocs: tuple[Heredoc, ...] = ()
    from_: str = ""  # never expanded (the reference refuses variables there)
    chown: str = ""
    chmod: str = ""
    link: bool = False
    parents: bool = False
    excludes: tuple[str, ...] = ()  # never expanded (as the reference)
    json: bool = False

    def expand(self, ex: Expander) -> Copy:
        chown, chmod = ex.word(self.chown), ex.word(self.chmod)  # (the reference's order)
        sources, contents, dest = _expand_sources(self.sources, self.contents, self.dest, ex)
        return replace(
            self, sources=sources, contents=contents, dest=dest, chown=chown, chmod=chmod
        )


@record(slots=True, kw_only=True)
class Volume(_Base):
    """``VOLUME``: mount points of the image."""

    volumes: tuple[str, ...]
    json: bool = False

    def expand(self, ex: Expander) -> Volume:
        # (an empty volume is refused when the step is built, after every expansion)
        return replace(self, volumes=tuple(ex.word(v) for v in self.volumes))


@record(slots=True, kw_only=True)
class User(_Base):
    """``USER``: the user (and group) processes run as."""

    user: str

    def expand(self, ex: Expander) -> User:
        return replace(self, user=ex.word(self.user))


@record(slots=True, kw_only=True)
class Workdir(_Base):
    """``WORKDIR``: the working directory."""

    path: str

    def expand(self, ex: Expander) -> Workdir:
        return replace(self, path=ex.word(self.path))


@record(slots=True, kw_only=True)
class Arg(_Base):
    """``ARG``: build arguments declared, with their defaults."""

    pairs: tuple[ArgPair, ...]

    def expand(self, ex: Expander) -> Arg:
        return replace(
            self,
            pairs=tuple(
                ArgPair(ex.word(p.key), None if p.value is None else ex.word(p.value))
                for p in self.pairs
            ),
        )


@record(slots=True, kw_only=True)
class StopSignal(_Base):
    """``STOPSIGNAL``: the signal that stops the container."""

    signal: str

    def expand(self, ex: Expander) -> StopSignal:
        return replace(self, signal=ex.word(self.signal))


@record(slots=True, kw_only=True)
class Healthcheck(_Base):
    """``test`` is ``("NONE",)``, ``("CMD", *argv)`` or ``("CMD-SHELL", line)``;
    durations in nanoseconds (0: not set)."""

    test: tuple[str, ...]
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0

    def expand(self, ex: Expander) -> Healthcheck:
        return self


@record(slots=True, kw_only=True)
class Shell(_Base):
    """``SHELL``: the shell of the shell form."""

    shell: tuple[str, ...]

    def expand(self, ex: Expander) -> Shell:
        return self


@record(slots=True, kw_only=True)
class Onbuild(_Base):
    """``ONBUILD``: a trigger for images built on this one."""

    inner: Instruction | None  # the trigger; None when it is no valid instruction
    expression: str  # the trigger as stored in the image config (and run from there)

    def expand(self, ex: Expander) -> Onbuild:
        return self


Instruction: TypeAlias = (
    From | Run | Cmd | Label | Maintainer | Expose | Env | Add | Copy | Entrypoint | Volume
    | User | Workdir | Arg | Onbuild | StopSignal | Healthcheck | Shell
)  # fmt: skip
