"""Build handlers that report what the frontend process has imported (the start-up
guard tests of ``test_runtime``). This module imports nothing heavy itself: it is
loaded, as ``--handler`` modules are, before the first RPC."""

from __future__ import annotations

import atexit
import sys
import time

from frontend import records
from frontend.gateway.buildopts import BuildOpts
from frontend.gateway.client import GatewayClient, Result

MODULES_KEY = "test.modules"


class _FirstProtobufImport:
    """A meta path finder that only notes when protobuf is first looked for."""

    at: float | None = None

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> None:
        if cls.at is None and name.startswith("google.protobuf"):
            cls.at = time.perf_counter()


sys.meta_path.insert(0, _FirstProtobufImport)  # type: ignore[arg-type]


def _modules() -> bytes:
    """The modules imported (a stand-in of frontend.startup still in sys.modules, such
    as logging's, is not: the real module was never imported)."""
    from frontend.startup import Deferred

    return " ".join(
        sorted(
            name
            for name, module in sys.modules.items()
            if not (isinstance(module, Deferred) and "_deferred_real" not in module.__dict__)
        )
    ).encode()


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


def protobuf_after_ping(client: GatewayClient, options: BuildOpts) -> Result:
    """No build: when Ping went out and when protobuf was first imported."""
    sent = client.timing.first_rpc_sent_at
    at = _FirstProtobufImport.at
    return Result(metadata={"sent": repr(sent).encode(), "protobuf": repr(at).encode()})
