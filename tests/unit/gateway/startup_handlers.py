"""Build handlers that report what the frontend process has imported (the start-up
guard tests of ``test_runtime``). This module imports nothing heavy itself: it is
loaded, as ``--handler`` modules are, before the first RPC."""

from __future__ import annotations

import atexit
import sys

from frontend import records
from frontend.gateway.buildopts import BuildOpts
from frontend.gateway.client import GatewayClient, Result

MODULES_KEY = "test.modules"


def _modules() -> bytes:
    return " ".join(sorted(sys.modules)).encode()


def modules_at_first_rpc(client: GatewayClient, options: BuildOpts) -> Result:
    """No build: the modules imported once Ping was answered, in the metadata."""
    return Result(metadata={MODULES_KEY: _modules()})


def build_then_modules(client: GatewayClient, options: BuildOpts) -> Result:
    """The Dockerfile build, then the modules it imported added to its metadata."""
    from frontend.cli.gateway import build_handler

    result = build_handler(client, options)
    return records.replace(result, metadata={**result.metadata, MODULES_KEY: _modules()})


def marks_teardown(client: GatewayClient, options: BuildOpts) -> Result:
    """No build; an exit handler that says so if the interpreter's teardown runs."""
    atexit.register(lambda: sys.stderr.write("interpreter teardown ran\n"))
    return Result(metadata={"done": b"1"})
