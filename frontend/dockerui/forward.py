"""Handing the build to the frontend the Dockerfile asks for (``# syntax=``).

Owned step: ``frontend.dockerui`` (syntax forwarding). Like the reference frontend,
unless the request already came through a ``syntax`` hop (option ``cmdline`` set), the
build is forwarded when ``build-arg:BUILDKIT_SYNTAX`` names a frontend image or, failing
that, when the Dockerfile's first lines carry a ``syntax`` directive: one ``Solve`` with
the ``gateway.v0`` frontend, the same options plus ``source`` (the image) and ``cmdline``
(the whole value), and our own frontend inputs. Its result is this build's result.

When the forwarded build fails with an error that points into no source file, the error
gets context as the reference gives it: the build-arg's name and value before the
message, or the directive's line of the Dockerfile as its source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from frontend.gateway.errors import RpcFailure, has_source
from frontend.records import record

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import DockerfileSource
    from frontend.gateway.client import GatewayClient, Result
    from frontend.language import Range

__all__ = ["KEY_SYNTAX_ARG", "SyntaxTarget", "forward_syntax", "syntax_target"]

KEY_SYNTAX_ARG: Final = "build-arg:BUILDKIT_SYNTAX"
GATEWAY_FRONTEND: Final = "gateway.v0"


@record(frozen=True, slots=True)
class SyntaxTarget:
    """Where to forward: the frontend image, the whole ``cmdline`` value, and the
    directive's lines (None when it came from the build-arg)."""

    image: str
    cmdline: str
    location: Range | None = None


def syntax_target(options: BuildOptions, data: bytes) -> SyntaxTarget | None:
    """Where the build must be forwarded, or None to build it here."""
    from frontend.language import detect_syntax

    if options.cmdline is not None:
        return None  # already reached through a syntax hop: never forward again
    arg = options.opts.get(KEY_SYNTAX_ARG)
    if arg is not None:
        return SyntaxTarget(arg.strip().split(" ", 1)[0], arg)
    found = detect_syntax(data)
    if found is None:
        return None
    image, cmdline, location = found
    return SyntaxTarget(image, cmdline, location)


def forward_syntax(
    client: GatewayClient, options: BuildOptions, source: DockerfileSource
) -> Result | None:
    """The result of the frontend the build names, or None when it names none."""
    target = syntax_target(options, source.data)
    if target is None:
        return None
    opts = dict(options.opts)
    opts["cmdline"] = target.cmdline
    opts["source"] = target.image
    inputs = None
    if client.caps.frontend.has("frontend.inputs"):
        try:
            inputs = client.inputs()
        except RpcFailure as failure:
            raise failure.wrapped("failed to get frontend inputs") from None
    try:
        return client.forward(GATEWAY_FRONTEND, opts, inputs)
    except RpcFailure as failure:
        if has_source(failure.status):
            raise
        if target.location is None:
            raise failure.wrapped(f"failed with {KEY_SYNTAX_ARG} = {target.cmdline}") from None
        lines = range(target.location.start_line, target.location.end_line + 1)
        raise failure.with_source(
            source.filename,
            source.data,
            [(n, n) for n in lines],
            definition=source.definition,
        ) from None
