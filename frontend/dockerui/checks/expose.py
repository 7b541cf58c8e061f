"""EXPOSE port specs: ``[ip:][hostPort:]containerPort[/proto]``, with their two rules.

Owned step: ``frontend.dockerui.checks`` (EXPOSE). :func:`parse_ports` reads each spec
with :func:`frontend.language.ports.port_specs` (the reference 1.26's ``parsePort``,
the compiler's too): a missing port or an unknown protocol is an error; then
``ExposeProtoCasing`` (protocol not lower case) and ``ExposeInvalidFormat`` (an IP or a
host port) warn for that spec, before its IP and port ranges are validated. The first
bad spec stops the list, so specs after it are not checked. The result is the
``port/proto`` list the image config exposes.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.linter import Linter
from frontend.language.errors import Range
from frontend.language.ports import port_specs, split_port

__all__ = ["parse_port", "parse_ports", "split_port"]


def parse_port(raw: str, linter: Linter | None = None, location: Range | None = None) -> list[str]:
    """The ``port/proto`` entries of one spec; ``linter`` gets the spec's warnings.
    Raises :class:`DockerfileError` with the reference's messages."""

    def written(ip: str, host_port: str, proto: str) -> None:
        if linter is None:
            return
        if proto != proto.lower():
            linter.run(R.expose_proto_casing(raw), location)
        if ip or host_port:
            linter.run(R.expose_invalid_format(raw), location)

    return port_specs(raw, written)


def parse_ports(
    specs: Sequence[str], linter: Linter | None = None, location: Range | None = None
) -> list[str]:
    """:func:`parse_port` of each spec (already expanded), in order."""
    out: list[str] = []
    for spec in specs:
        out.extend(parse_port(spec, linter, location))
    return out
