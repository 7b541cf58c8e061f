"""EXPOSE port specs: ``[ip:][hostPort:]containerPort[-port][/proto]``.

Owned step: ``frontend.language`` (values). The reference 1.26's ``parsePort``: the
spec is split into IP, host port, container port and protocol; a missing port or an
unknown protocol is an error; then (where the build checks look at what was written)
the IP and the port ranges are validated. The result is the ``port/proto`` list of the
container ports, one entry a port. Used by the compiler (the image config) and by the
build checks (``ExposeProtoCasing``, ``ExposeInvalidFormat``), so both read a spec the
same way.
"""

from __future__ import annotations

from collections.abc import Callable

from frontend.gocompat import go_parse_int, go_quote
from frontend.language.errors import DockerfileError

__all__ = ["port_specs", "split_port"]


def split_port(raw: str) -> tuple[str, str, str]:
    """(IP, host port, container port[/proto]): the last two ``:``-separated parts
    are the ports, anything before them the IP."""
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def port_specs(raw: str, written: Callable[[str, str, str], None] | None = None) -> list[str]:
    """The container port (range) of one spec, each as ``port/proto``; the IP and host
    port are only checked. ``written(ip, host_port, proto)`` is told the spec's parts as
    written once the port and protocol are known good, before the rest is checked (the
    point where the reference's checks warn). Raises :class:`DockerfileError` with the
    reference's messages."""
    ip, host, container = split_port(raw)
    port, _, proto = container.partition("/")
    if not port:
        raise DockerfileError(f"invalid port: {go_quote(raw)}: no port specified")
    if proto.lower() not in ("", "tcp", "udp", "sctp"):
        raise DockerfileError(f"invalid port: {go_quote(raw)}: invalid proto: {proto}")
    if written is not None:
        written(ip, host, proto)
    proto = proto.lower() or "tcp"
    if ip.startswith("["):  # an IPv6 address: without its brackets
        ip = _bracketed_host(ip)
    if ip and not _is_ip(ip):
        raise DockerfileError("invalid IP address: " + ip)
    span = _port_range(port)
    if span is None:
        raise DockerfileError("invalid containerPort: " + port)
    start, end = span
    if host:
        host_span = _port_range(host)
        if host_span is None:
            raise DockerfileError("invalid hostPort: " + host)
        if end - start != host_span[1] - host_span[0] and end != start:
            raise DockerfileError(
                f"invalid ranges specified for container and host Ports: {port} and {host}"
            )
    return [f"{p}/{proto}" for p in range(start, end + 1)]


def _port_range(text: str) -> tuple[int, int] | None:
    """``80`` or ``8000-8010`` (each 0-65535, as ``strconv.ParseInt``), or None."""
    if not text:
        return None
    first, dash, last = text.partition("-")
    start = _port_number(first)
    if start is None:
        return None
    if not dash or first == last:
        return start, start
    end = _port_number(last)
    if end is None or end < start:
        return None
    return start, end


def _port_number(text: str) -> int | None:
    n = go_parse_int(text)
    return n if n is not None and 0 <= n <= 65535 else None


def _bracketed_host(ip: str) -> str:
    """Go's ``net.SplitHostPort(ip + ":")`` host of ``[addr]``; its error as the
    reference words it."""
    hostport = ip + ":"
    end = hostport.find("]")
    why = ""
    if end < 0:
        why = "missing ']' in address"
    elif end + 1 != len(hostport) - 1:
        colon = hostport[end + 1] == ":"
        why = "too many colons in address" if colon else "missing port in address"
    elif "[" in hostport[1:] or "]" in hostport[end + 1 :]:
        why = "unexpected '[' in address" if "[" in hostport[1:] else "unexpected ']' in address"
    if why:
        raise DockerfileError(f"invalid IP address {ip}: address {hostport}: {why}")
    return hostport[1:end]


def _is_ip(text: str) -> bool:
    """Go's ``net.ParseIP`` (no zone, no leading zeros)."""
    if "%" in text:
        return False
    import ipaddress  # only here: 1 ms of every build's start-up

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
