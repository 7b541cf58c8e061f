"""The gateway runtime: connect, build, ``Return``, exit.

Owned step: ``frontend.gateway`` (process life cycle). :func:`serve` is what runs
when BuildKit starts the frontend image: it takes over stdin/stdout
(:class:`~frontend.gateway.stdio.StdioBridge`), dials the daemon's ``LLBBridge``,
reads the raw options from the environment
(:class:`~frontend.gateway.buildopts.BuildOpts`), calls the build handler and always
sends exactly one ``Return`` (the result, or an error status), then closes the
connection and returns the exit code (0 once ``Return`` was delivered). What the
options mean is the handler's business (``frontend.dockerui`` checks them first).

Errors: a :class:`~frontend.gateway.errors.GatewayError` (user errors, located or
not, and failed RPCs, forwarded unchanged) becomes its own status; anything else
becomes a one-line "internal error" message, with the traceback on stderr only. On a
daemon whose client shows no source excerpt (Docker 20.10:
:attr:`~frontend.gateway.client.ServerCaps.shows_excerpts`) a located error says its
line in the message text.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from frontend.gateway.buildopts import BuildOpts, parse_env
from frontend.gateway.client import GatewayClient, Result
from frontend.gateway.errors import (
    GatewayError,
    RpcFailure,
    location_in_message,
    status_for_exception,
)

if TYPE_CHECKING:
    import grpc

__all__ = ["Handler", "run", "run_channel", "serve"]

Handler = Callable[[GatewayClient, BuildOpts], Result]


def _print_traceback() -> None:
    """The exception being handled, with its traceback, on stderr (``traceback`` is
    imported only then: a build that fails in no unexpected way never loads it)."""
    import traceback

    traceback.print_exc(file=sys.stderr)


def _log(message: str) -> None:
    sys.stderr.write(f"pyfrontend: {message}\n")
    sys.stderr.flush()


def run(
    client: GatewayClient,
    options: BuildOpts,
    handler: Handler,
    *,
    started: float | None = None,
    work: Iterable[Callable[[], object]] = (),
    timeline: bool = False,
    prefetch_inputs: bool = False,
) -> int:
    """Ping, run ``handler`` and ``Return`` its outcome; the process exit code.

    ``work``: steps for the waits from Ping on (:meth:`GatewayClient.while_waiting`;
    the handler's imports, so that they load while the daemon answers);
    ``prefetch_inputs``: the handler asks for the frontend inputs first, so ``Inputs``
    goes out with Ping (:meth:`GatewayClient.ping`).

    0 when ``Return`` was delivered (whether it carried a result or an error),
    1 when it could not be (the connection is gone; nothing more can be said).
    Ends with one timing line on stderr: the first RPC's answer (``time.perf_counter``
    seconds since ``started``, the process's start; default: this call's) with the
    RSS then and when it was sent, each RPC method and build phase, and the total
    (with the process's CPU time: what start-up work costs, less blurred by waits);
    with ``timeline``, then a line of every RPC and phase by its start
    (:meth:`~frontend.gateway.client.RpcTiming.timeline`).
    """
    start = time.perf_counter() if started is None else started
    client.while_waiting(work)
    try:
        client.ping(prefetch_inputs=prefetch_inputs)
    except RpcFailure as failure:
        _log(f"Ping failed: {failure}")
        # The connection may still carry a Return; try once, then give up.
        try:
            client.return_error(failure.status)
        except RpcFailure:
            return 1
        return 0

    try:
        result = handler(client, options)
        if not isinstance(result, Result):
            raise TypeError(f"build handler returned {type(result).__name__}, not Result")
        client.return_result(result)
    except BaseException as exc:
        if isinstance(exc, RpcFailure) and exc.method == "Return":
            _log(f"Return of the result failed: {exc}")
        elif not isinstance(exc, GatewayError):
            _print_traceback()
        status = status_for_exception(exc)
        if not client.caps.shows_excerpts:  # Docker 20.10: the line in the text itself
            status = location_in_message(status)
        try:
            client.return_error(status)
        except RpcFailure as failure:
            if "larger than max" not in str(failure) or not status.details:
                _log(f"Return of the error failed: {failure}")
                return 1
            # too large for the daemon (a source excerpt of a big Dockerfile): the
            # error once more without its details, so the user still reads it
            _log(f"Return of the error failed, sent again without details: {failure}")
            try:
                client.return_error(type(status)(code=status.code, message=status.message))
            except RpcFailure as again:
                _log(f"Return of the error failed: {again}")
                return 1
        finally:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                _log(f"interrupted: {type(exc).__name__}")
    finally:
        _log(_timing_line(client, start))
        if timeline:
            _log(f"timeline: {client.timing.timeline(start)}")
    return 0


def _timing_line(client: GatewayClient, start: float) -> str:
    timing = client.timing
    total = time.perf_counter() - start
    first = "no RPC answered"
    if timing.first_rpc_at is not None:
        first = f"first RPC {(timing.first_rpc_at - start) * 1000:.1f}ms"
        if timing.first_rpc_rss_mb is not None:
            first += f" (RSS {timing.first_rpc_rss_mb:.1f}MB)"
        if timing.first_rpc_sent_at is not None:
            first += f", sent at {(timing.first_rpc_sent_at - start) * 1000:.1f}ms"
    times = os.times()
    cpu = (times.user + times.system) * 1000  # the process's CPU time, all its threads
    return (
        f"timing: {first}; gateway RPCs: {timing.summary()}; total {total * 1000:.1f}ms"
        f" (CPU {cpu:.0f}ms)"
    )


def run_channel(
    channel: grpc.Channel,
    handler: Handler,
    env: Mapping[str, str] | None = None,
    *,
    started: float | None = None,
    work: Iterable[Callable[[], object]] = (),
    prefetch_inputs: bool = False,
) -> int:
    """:func:`run` over an open channel (what :func:`serve` does after the bridge);
    ``PYFRONTEND_TIMELINE`` set in ``env`` asks for the timeline line."""
    env = os.environ if env is None else env
    options = parse_env(env)
    client = GatewayClient(channel, product=options.exported_product)
    timeline = bool(env.get("PYFRONTEND_TIMELINE"))
    return run(
        client,
        options,
        handler,
        started=started,
        work=work,
        timeline=timeline,
        prefetch_inputs=prefetch_inputs,
    )


def serve(
    handler: Handler,
    *,
    env: Mapping[str, str] | None = None,
    started: float | None = None,
    work: Iterable[Callable[[], object]] = (),
    prefetch_inputs: bool = False,
) -> int:
    """Run ``handler`` as a BuildKit gateway frontend over this process's stdio;
    ``started``: the process's start (``time.perf_counter``) for the timing line;
    ``work``, ``prefetch_inputs``: as :func:`run`'s."""
    from frontend.gateway.stdio import StdioBridge, open_channel

    bridge = StdioBridge.from_process_stdio()
    status = 1
    try:
        target = bridge.start()
        channel = open_channel(target)
        try:
            status = run_channel(
                channel, handler, env, started=started, work=work, prefetch_inputs=prefetch_inputs
            )
            return status
        finally:
            channel.close()
    except Exception:
        _print_traceback()
        return 1
    finally:
        # Return answered (status 0): the daemon has all it needs and waits for this
        # process's exit to take the result, so the pump is not waited for
        bridge.close(wait=status != 0)
