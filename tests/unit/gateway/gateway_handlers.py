"""Build handlers for the subprocess tests of ``pyfrontend gateway --handler``."""

from __future__ import annotations

from frontend import llb
from frontend.gateway.client import GatewayClient, Result
from frontend.gateway.errors import UserError
from frontend.gateway.options import BuildOptions


def solve_context(client: GatewayClient, options: BuildOptions) -> Result:
    ref = client.solve(llb.marshal(llb.local("context", session_id=options.session_id)).pb)
    return Result(ref=ref, metadata={"target": options.target.encode()})


def noisy(client: GatewayClient, options: BuildOptions) -> Result:
    print("hello from print")  # must land on stderr, not on the wire
    return solve_context(client, options)


def located_error(client: GatewayClient, options: BuildOptions) -> Result:
    raise UserError("bad line", filename="Dockerfile", data=b"FROM x\nBAD\n", ranges=[(2, 2)])
