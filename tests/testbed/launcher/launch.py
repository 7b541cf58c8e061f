"""The test-bed launcher frontend: hands the whole request to pyfrontend as a first hop.

BuildKit's built-in ``dockerfile.v0`` (all that ``docker buildx build`` reaches) always
forwards with the ``cmdline`` option set, and pyfrontend forwards a ``# syntax=``
directive or ``BUILDKIT_SYNTAX`` only when ``cmdline`` is absent. This launcher, started
by ``--build-arg BUILDKIT_SYNTAX="<launcher image> [ONWARD]"``, forwards the request to
``gateway.v0`` with ``source`` = the pyfrontend image (``$PYFRONTEND_LAUNCH_SOURCE``,
set when the launcher image is built), the request's options without ``cmdline``, and
its frontend inputs; so pyfrontend sees the request as ``buildctl --frontend gateway.v0``
would give it and forwards by its own rules.

``build-arg:BUILDKIT_SYNTAX`` named the launcher itself; it is dropped, or set to
``ONWARD`` (the rest of the launcher's ``cmdline``, after its image) when given, so
that pyfrontend's build-arg form can be exercised too.

Runs with the pyfrontend image's own interpreter and package (the image is built
``FROM`` it): only the gateway runtime and client are used.
"""

from __future__ import annotations

import os
import sys
import time

STARTED = time.perf_counter()

from frontend.gateway.buildopts import BuildOpts  # noqa: E402
from frontend.gateway.client import CAP_FRONTEND_INPUTS, GatewayClient, Result  # noqa: E402
from frontend.gateway.runtime import serve  # noqa: E402

SYNTAX_ARG = "build-arg:BUILDKIT_SYNTAX"


def forward_opts(opts: dict[str, str], source: str) -> dict[str, str]:
    """The options pyfrontend gets: ours without ``cmdline``, ``source`` = pyfrontend,
    ``BUILDKIT_SYNTAX`` dropped or set to what followed the launcher's image."""
    out = dict(opts)
    cmdline = out.pop("cmdline", "")
    out["source"] = source
    onward = cmdline.strip().partition(" ")[2].strip()
    if onward:
        out[SYNTAX_ARG] = onward
    else:
        out.pop(SYNTAX_ARG, None)
    return out


def handle(client: GatewayClient, options: BuildOpts) -> Result:
    source = os.environ["PYFRONTEND_LAUNCH_SOURCE"]
    opts = forward_opts(dict(options.opts), source)
    inputs = client.inputs() if client.caps.frontend.has(CAP_FRONTEND_INPUTS) else None
    sys.stderr.write(f"launcher: forwarding to gateway.v0 source={source}\n")
    return client.forward("gateway.v0", opts, inputs)


if __name__ == "__main__":
    sys.exit(serve(handle, started=STARTED))
