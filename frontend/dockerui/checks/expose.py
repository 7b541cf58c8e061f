"""EXPOSE port specs: ``[ip:][hostPort:]containerPort[/proto]``, with their two rules.

Owned step: ``frontend.dockerui.checks`` (EXPOSE). :func:`parse_ports` is the
reference's 1.26 ``parsePorts``: each spec is split into IP, host port, container port
and protocol; a missing port or an unknown protocol is an error; then
``ExposeProtoCasing`` (protocol not lower case) and ``ExposeInvalidFormat`` (an IP or a
host port) warn for that spec, before its IP and port ranges are validated. The first
bad spec stops the list, so specs after it are not checked. The result is the
``port/proto`` list the image config exposes.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.linter import Linter
from frontend.gocompat import go_parse_int, go_quote
from frontend.language.errors import DockerfileError, Range

__all__ = ["parse_port", "parse_ports", "split_port"]


def split_port(raw: str) -> tuple[str, str, str]:
    """(IP, host port, container port[/proto]): the last two ``:``-separated parts
    are the ports, anything before them the IP."""
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def _split_proto(spec: str) -> tuple[str, str]:
    port, _, proto = spec.partition("/")
    if not port:
        raise DockerfileError("no port specified")
    low = proto.lower()
    if low == "":
        return "tcp", port
    if low in ("tcp", "udp", "sctp"):
        return proto, port
    raise DockerfileError("invalid proto: " + proto)


def _port_number(text: str) -> int | None:
    value = go_parse_int(text) if text else None
    if value is None or not 0 <= value <= 65535:
        return None
    return value


def _port_range(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    start, sep, end = text.partition("-")
    lo = _port_number(start)
    if lo is None:
        return None
    if not sep or start == end:
        return lo, lo
    hi = _port_number(end)
    if hi is None or hi < lo:
        return None
    return lo, hi


def _valid_ip(ip: str) -> bool:
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return False
    return "%" not in ip  # Go's net.ParseIP takes no zone


def parse_port(raw: str, linter: Linter | None = None, location: Range | None = None) -> list[str]:
    """The ``port/proto`` entries of one spec; ``linter`` gets the spec's warnings.
    Raises :class:`DockerfileError` with the reference's messages."""
    ip, host_port, container = split_port(raw)
    try:
        proto, container = _split_proto(container)
    except DockerfileError as err:
        raise DockerfileError(f"invalid port: {go_quote(raw)}: {err.message}") from None
    if linter is not None:
        if proto != proto.lower():
            linter.run(R.expose_proto_casing(raw), location)
        if ip or host_port:
            linter.run(R.expose_invalid_format(raw), location)
    if ip.startswith("["):
        if not ip.endswith("]"):
            raise DockerfileError(f"invalid IP address {ip}: address {ip}:: missing ']' in address")
        ip = ip[1:-1]
    if ip and not _valid_ip(ip):
        raise DockerfileError("invalid IP address: " + ip)
    ports = _port_range(container)
    if ports is None:
        raise DockerfileError("invalid containerPort: " + container)
    lo, hi = ports
    if host_port:
        host = _port_range(host_port)
        if host is None:
            raise DockerfileError("invalid hostPort: " + host_port)
        if hi - lo != host[1] - host[0] and hi != lo:
            raise DockerfileError(
                "invalid ranges specified for container and host Ports: "
                f"{container} and {host_port}"
            )
    return [f"{p}/{proto.lower()}" for p in range(lo, hi + 1)]


def parse_ports(
    specs: Sequence[str], linter: Linter | None = None, location: Range | None = None
) -> list[str]:
    """:func:`parse_port` of each spec (already expanded), in order."""
    out: list[str] = []
    for spec in specs:
        out.extend(parse_port(spec, linter, location))
    return out
