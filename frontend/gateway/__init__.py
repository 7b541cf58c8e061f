"""The BuildKit gateway runtime (pipeline step: talking to the daemon).

* :mod:`frontend.gateway.stdio`    the stdio bridge and the gRPC channel over it
* :mod:`frontend.gateway.options`  ``BuildOptions`` from ``BUILDKIT_FRONTEND_OPT_*``
* :mod:`frontend.gateway.client`   ``GatewayClient``: Ping, Solve, ReadFile, Return, ...
* :mod:`frontend.gateway.errors`   ``google.rpc.Status`` for user errors and failed RPCs
* :mod:`frontend.gateway.runtime`  ``serve(handler)``: connect, build, Return, exit

Names are re-exported lazily so ``import frontend.gateway`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend.gateway.client import Caps, GatewayClient, Ref, ResolvedImageConfig, Result
    from frontend.gateway.errors import RpcFailure, UserError
    from frontend.gateway.options import BuildOptions, OptionError, Platform, parse_env
    from frontend.gateway.runtime import Handler, serve

_EXPORTS = {
    "BuildOptions": "options",
    "Caps": "client",
    "GatewayClient": "client",
    "Handler": "runtime",
    "ResolvedImageConfig": "client",
    "OptionError": "options",
    "Platform": "options",
    "Ref": "client",
    "Result": "client",
    "RpcFailure": "errors",
    "UserError": "errors",
    "parse_env": "options",
    "serve": "runtime",
}

__all__ = [
    "BuildOptions",
    "Caps",
    "GatewayClient",
    "Handler",
    "OptionError",
    "Platform",
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
