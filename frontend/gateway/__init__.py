"""The BuildKit gateway protocol (pipeline step: talking to the daemon).

* :mod:`frontend.gateway.stdio`      the stdio bridge and the gRPC channel over it
* :mod:`frontend.gateway.buildopts`  ``BuildOpts``: the raw ``BUILDKIT_FRONTEND_OPT_*`` options
* :mod:`frontend.gateway.client`     ``GatewayClient``: Ping, Solve, ReadFile, Return, ...
* :mod:`frontend.gateway.errors`     ``google.rpc.Status`` for user errors and failed RPCs
* :mod:`frontend.gateway.runtime`    ``serve(handler)``: connect, run the handler, Return, exit

Nothing here knows about Dockerfiles: the handler that does is
``frontend.dockerui.build.build`` (``frontend.dockerui`` uses this package, never the
other way round).

Names are re-exported lazily so ``import frontend.gateway`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend.gateway.buildopts import BuildOpts, parse_env
    from frontend.gateway.client import Caps, GatewayClient, Ref, ResolvedImageConfig, Result
    from frontend.gateway.errors import RpcFailure, UserError
    from frontend.gateway.runtime import Handler, serve

_EXPORTS = {
    "BuildOpts": "buildopts",
    "Caps": "client",
    "GatewayClient": "client",
    "Handler": "runtime",
    "ResolvedImageConfig": "client",
    "Ref": "client",
    "Result": "client",
    "RpcFailure": "errors",
    "UserError": "errors",
    "parse_env": "buildopts",
    "serve": "runtime",
}

__all__ = [
    "BuildOpts",
    "Caps",
    "GatewayClient",
    "Handler",
    "Ref",
    "ResolvedImageConfig",
    "Result",
    "RpcFailure",
    "UserError",
    "parse_env",
    "serve",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
