"""The Dockerfile frontend's side of a gateway request (the reference's ``dockerui``).

* :mod:`frontend.dockerui.config`        ``BuildOptions``: the typed view of the options
* :mod:`frontend.dockerui.context`       the Dockerfile and ``.dockerignore`` of the main context
* :mod:`frontend.dockerui.namedcontext`  ``context:NAME`` options: named build contexts
* :mod:`frontend.dockerui.requests`      subrequests (``requestid``)
* :mod:`frontend.dockerui.build`         ``build(client, options)``: compile per platform,
  solve, assemble the result

It talks to BuildKit through :mod:`frontend.gateway` (never the other way round).
Names are re-exported lazily so ``import frontend.dockerui`` stays cheap; the build
entry is ``frontend.dockerui.build.build``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions, OptionError, parse_platform
    from frontend.dockerui.context import (
        DockerfileSource,
        local_source_definition,
        parse_dockerignore,
        read_dockerfile,
        read_dockerignore,
    )
    from frontend.dockerui.namedcontext import named_context_lookup
    from frontend.dockerui.requests import SUPPORTED_REQUESTS, check_request

_EXPORTS = {
    "BuildOptions": "config",
    "OptionError": "config",
    "parse_platform": "config",
    "DockerfileSource": "context",
    "SUPPORTED_REQUESTS": "requests",
    "check_request": "requests",
    "local_source_definition": "context",
    "named_context_lookup": "namedcontext",
    "parse_dockerignore": "context",
    "read_dockerfile": "context",
    "read_dockerignore": "context",
}

__all__ = [
    "SUPPORTED_REQUESTS",
    "BuildOptions",
    "DockerfileSource",
    "OptionError",
    "check_request",
    "local_source_definition",
    "named_context_lookup",
    "parse_dockerignore",
    "parse_platform",
    "read_dockerfile",
    "read_dockerignore",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
