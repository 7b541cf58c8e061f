"""``pyfrontend gateway``: run as a BuildKit gateway frontend over stdin/stdout.

Owned step: ``frontend.cli`` (entry point of the gateway runtime). The build
handler is ``frontend.dockerui.build.build(client, options) -> Result``; ``--handler
MODULE:FUNC`` runs another one (for development and tests). The process then ends at
once (:func:`frontend.cli.run`): BuildKit takes the result only when the frontend has
exited.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from frontend.gateway.buildopts import BuildOpts
    from frontend.gateway.client import GatewayClient, Result
    from frontend.gateway.runtime import Handler

_USAGE = "usage: pyfrontend gateway [--handler MODULE:FUNC]\n"

# The modules the Dockerfile build imports after Ping, in the order it needs them (a
# package's ``__init__`` loads the submodules it imports): first what reading the
# Dockerfile takes, then the rest; imported one by one while the daemon answers the
# RPCs (``serve(work=...)``), not later on the build's path.
# ``tests/unit/gateway/test_runtime.py`` checks that a build imports each and no other
# module of ``frontend`` (and prints the list anew when not).
BUILD_MODULES = (
    "frontend.dockerui.build",
    "frontend.dockerui.caps",
    "frontend.llb",
    "frontend.dockerui.config",
    "frontend.dockerui.context",
    "frontend.pb.gateway_pb2_grpc",
    "frontend.dockerui.forward",
    "frontend.dockerui.namedcontext",
    "frontend.dockerui.checks.rules",
    "frontend.language",
    "frontend.dockerui.checks.linter",
    "frontend.dockerui.checks",
    "frontend.dockerui.warnings",
    "frontend.dockerui.ignore",
    "frontend.dockerui.sbom",
    "frontend.compiler",
    "frontend.dockerui.epoch",
    "frontend.dockerui.daemoncaps",
)


def _load_handler(spec: str) -> Handler:
    module_name, sep, func_name = spec.partition(":")
    if not sep or not module_name or not func_name:
        raise ValueError(f"invalid handler {spec!r}: want MODULE:FUNC")
    return cast("Handler", getattr(importlib.import_module(module_name), func_name))


def build_handler(client: GatewayClient, options: BuildOpts) -> Result:
    """The Dockerfile build: ``frontend.dockerui.build.build`` (imported when needed;
    the frontend inputs it asks for first are on their way meanwhile: sent with Ping
    by :func:`main`, else now)."""
    client.prefetch_inputs()
    from frontend.dockerui.build import build

    return build(client, options)


def _build_after_start_up(client: GatewayClient, options: BuildOpts) -> Result:
    """:func:`build_handler` with the garbage collector back on: :func:`main` pauses it
    for the start-up (:func:`frontend.cli.pause_collection`; some 50 collections, 3 ms
    of a ~50 ms start on the 2-core test machine)."""
    from frontend.cli import resume_collection

    resume_collection()
    return build_handler(client, options)


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    handler: Handler = build_handler
    while args:
        arg = args.pop(0)
        if arg in ("-h", "--help"):
            sys.stderr.write(_USAGE)
            return 0
        if arg == "--handler" and args:
            spec = args.pop(0)
        elif arg.startswith("--handler="):
            spec = arg.partition("=")[2]
        else:
            sys.stderr.write(f"pyfrontend gateway: unexpected argument {arg!r}\n{_USAGE}")
            return 2
        try:
            handler = _load_handler(spec)
        except (ImportError, AttributeError, ValueError) as exc:
            sys.stderr.write(f"pyfrontend gateway: {exc}\n")
            return 2

    from frontend.cli import STARTED, pause_collection
    from frontend.gateway.runtime import serve

    if handler is not build_handler:
        return serve(handler, started=STARTED)
    work = [partial(importlib.import_module, name) for name in BUILD_MODULES]
    pause_collection()  # until the build starts (_build_after_start_up)
    # the build asks for the frontend inputs first: Inputs goes out with Ping
    return serve(_build_after_start_up, started=STARTED, work=work, prefetch_inputs=True)
