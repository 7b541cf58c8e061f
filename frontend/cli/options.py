"""What the daemon-less sub-commands share: the build options and the input file.

The cli step's common part: ``--target``, ``--build-arg K=V`` (repeatable) and
``--platform P`` as ``pyfrontend llb`` takes them; the Dockerfile read from a path or
from stdin (``-``); and a bad Dockerfile reported as ``FILE:LINE: message``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from frontend.records import field, record

if TYPE_CHECKING:
    from frontend.dockerui.checks import BuildFacts
    from frontend.language import Dockerfile, DockerfileError
    from frontend.llb import Platform

__all__ = [
    "BuildInput",
    "InputError",
    "add_build_options",
    "add_file_argument",
    "build_input",
    "report",
]

STDIN_NAME = "Dockerfile"  # what a Dockerfile read from stdin is called


class InputError(Exception):
    """A file that cannot be read or an option that cannot be parsed (exit 1 / 2)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def add_build_options(p: argparse.ArgumentParser) -> None:
    """``--target``, ``--build-arg`` and ``--platform``."""
    p.add_argument("--target", default="", help="the stage to build (default: the last)")
    p.add_argument("--build-arg", action="append", default=[], metavar="K=V")
    p.add_argument("--platform", default="", help="target platform, e.g. linux/arm64")


def add_file_argument(p: argparse.ArgumentParser) -> None:
    """The Dockerfile, as ``FILE`` or ``-f FILE`` (``-``: stdin)."""
    p.add_argument(
        "file", nargs="?", default=None, metavar="FILE", help="the Dockerfile (- for stdin)"
    )
    p.add_argument(
        "-f", "--file", dest="file_opt", default=None, metavar="FILE", help="the same as FILE"
    )


@record(frozen=True, slots=True)
class BuildInput:
    """The Dockerfile and the build options of one command."""

    path: str  # as given ("-": stdin)
    data: bytes
    target: str = ""
    build_args: dict[str, str] = field(default_factory=dict)
    platform: Platform | None = None  # None: not asked for (linux/amd64)

    @property
    def name(self) -> str:
        """The name errors and excerpts use: the path, or ``Dockerfile`` for stdin."""
        return STDIN_NAME if self.path == "-" else self.path

    @property
    def basename(self) -> str:
        """The file name the frontend sees (the reference's source filename)."""
        return self.name.rsplit("/", 1)[-1]

    @property
    def target_platform(self) -> Platform:
        from frontend import llb

        return self.platform if self.platform is not None else llb.Platform("linux", "amd64")

    def parse(self) -> Dockerfile:
        """The parsed Dockerfile (raises :class:`DockerfileError`)."""
        from frontend.language import parse_dockerfile

        return parse_dockerfile(self.data, self.basename)

    def facts(self, *, all_stages: bool = False) -> BuildFacts:
        """The build facts the dockerui layer reads (with no worker to ask, the build
        platform is the target's, as ``pyfrontend llb`` has it)."""
        from frontend.dockerui.checks import BuildFacts

        platform = self.target_platform
        return BuildFacts(
            build_args=self.build_args,
            target_platform=platform,
            build_platform=platform,
            target=self.target,
            platform_explicit=self.platform is not None,
            all_stages=all_stages,
        )


def build_input(args: argparse.Namespace, prog: str) -> BuildInput:
    """The command's input from its parsed ``args`` (raises :class:`InputError`)."""
    from frontend import llb

    path = args.file_opt if getattr(args, "file_opt", None) is not None else args.file
    if path is None:
        path = "Dockerfile"
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        raise InputError(f"{prog}: {path}: {e.strerror or e}", 1) from None
    build_args: dict[str, str] = {}
    for item in args.build_arg:
        key, sep, value = item.partition("=")
        build_args[key] = value if sep else ""
    platform = None
    if args.platform:
        try:
            platform = llb.Platform.parse(args.platform)
        except ValueError as e:
            raise InputError(f"{prog}: {e}", 2) from None
    return BuildInput(path, data, args.target, build_args, platform)


def report(err: DockerfileError, name: str) -> int:
    """``FILE:LINE: message`` on stderr; the exit status 1."""
    loc = f":{err.location.start_line}" if err.location is not None else ""
    sys.stderr.write(f"{name}{loc}: {err.message}\n")
    return 1
