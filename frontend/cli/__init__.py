"""The ``pyfrontend`` command: one entry point, one module per sub-command.

``pyfrontend`` with no sub-command (as BuildKit starts the frontend image) or
``pyfrontend gateway`` runs the gateway frontend over stdin/stdout; with no
sub-command on a terminal (a person typing it, not BuildKit, which gives the
frontend pipes) it prints the usage and exits 2 rather than writing HTTP/2
frames to the screen.
``pyfrontend parse FILE`` prints the parsed instructions and
``pyfrontend llb`` writes the LLB definition of a Dockerfile, without a daemon.

Sub-command modules are imported lazily so that the gateway's start-up pays
only for what it uses.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import time
from collections.abc import Sequence
from typing import NoReturn

# the command's start (``time.perf_counter``): the gateway's timing line counts from
# here (the interpreter's own start-up, about 10 ms, comes before it)
STARTED = time.perf_counter()

# sub-command -> module whose ``main(argv) -> int`` implements it
_COMMANDS = {
    "gateway": "frontend.cli.gateway",
    "parse": "frontend.cli.parse",
    "llb": "frontend.cli.llb",
    "check": "frontend.cli.check",
    "outline": "frontend.cli.outline",
    "targets": "frontend.cli.targets",
    "graph": "frontend.cli.graph",
}

_USAGE = """\
usage: pyfrontend [gateway | parse FILE [--json] | llb [-f FILE] [options]
                  | check|outline|targets FILE [options] [--format json]
                  | graph FILE [options] [--format dot|mermaid]]

  gateway   run as a BuildKit gateway frontend over stdin/stdout (the default;
            BuildKit starts it so: use `# syntax=IMAGE` or buildctl
            --frontend gateway.v0 --opt source=IMAGE, see README.md)
  parse     parse a Dockerfile and print its instructions
  llb       compile a Dockerfile to an LLB definition on stdout (no daemon)
  check     the build checks, as `docker buildx build --call check` prints them
  outline   the target's build args, secrets and SSH, as `--call outline`
  targets   the stages, as `--call targets`
  graph     the stage graph: the waves BuildKit can run, the stages pruned

options (all but gateway and parse): --target T, --build-arg K=V (repeatable),
--platform P; FILE may be - for stdin. Bad input: FILE:LINE: message, exit 1.

  -h, --help      this text;  COMMAND --help for a command's options
  -V, --version   the version
"""


def pause_collection() -> None:
    """Turn Python's cyclic garbage collector off while a command's modules load: what
    they make (modules, classes, functions) lives as long as the process, and loading
    the gateway's or the compiler's took 40-50 collections (3-6 ms here).
    :func:`resume_collection` turns it back on before the command's own work."""
    gc.disable()


def resume_collection() -> None:
    """The collector back on, with everything made so far moved out of its way
    (``gc.freeze``): the command's work runs collected, as everywhere else (its memory
    bounds), and never scans the start-up's objects again."""
    gc.freeze()
    gc.enable()


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced stdin
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        if _stdin_is_terminal():
            # BuildKit gives the frontend pipes; a terminal means a person ran it
            sys.stderr.write(f"pyfrontend: stdin is a terminal, not a BuildKit gateway\n{_USAGE}")
            return 2
        args = ["gateway"]
    if args[0] in ("-h", "--help", "help"):
        sys.stderr.write(_USAGE)
        return 0
    if args[0] in ("-V", "--version"):
        from frontend import __version__

        sys.stderr.write(f"pyfrontend {__version__}\n")
        return 0
    module_name = _COMMANDS.get(args[0])
    if module_name is None:
        sys.stderr.write(f"pyfrontend: unknown command {args[0]!r}\n{_USAGE}")
        return 2
    module = importlib.import_module(module_name)
    if args[0] == "gateway":  # the frontend's start-up: nothing more to import
        status: int = module.main(args[1:])
        return status
    from frontend.cli.options import InputError

    try:
        result: int = module.main(args[1:])
    except InputError as e:  # a command's unreadable file or bad option value
        sys.stderr.write(e.message + "\n")
        return e.status
    return result


def run() -> NoReturn:
    """The ``pyfrontend`` command: :func:`main`, then the process ends at once
    (``os._exit``, stdio flushed), without the interpreter's teardown (grpc's
    shutdown, freeing every object: tens of ms, longer than a build's RPCs). For the
    gateway that is on every build's path: BuildKit's executor returns, and the build
    takes the frontend's result, only once the process has exited; by then
    ``Return`` was delivered and the channel and the bridge are closed."""
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
