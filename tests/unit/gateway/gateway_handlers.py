"""Build handlers for the subprocess tests of ``pyfrontend gateway --handler``."""

from __future__ import annotations

from frontend import llb
from frontend.gateway.buildopts import BuildOpts
from frontend.gateway.client import GatewayClient, Result
from frontend.gateway.errors import UserError


def solve_context(client: GatewayClient, options: BuildOpts) -> Result:
    ref = client.solve(llb.marshal(llb.local("context", session_id=options.session_id)).pb)
    return Result(ref=ref, metadata={"target": (options.get("target") or "").encode()})


def noisy(client: GatewayClient, options: BuildOpts) -> Result:
    print("hello from print")  # must land on stderr, not on the wire
    return solve_context(client, options)


def located_error(client: GatewayClient, options: BuildOpts) -> Result:
    raise UserError("bad line", filename="Dockerfile", data=b"FROM x\nBAD\n", ranges=[(2, 2)])
