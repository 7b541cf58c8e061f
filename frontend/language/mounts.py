"""``RUN --mount`` and ``RUN --device`` values (language step).

Owned step: ``frontend.language`` (mount and device specs). Parses the CSV
``key=value`` lists into :class:`RunMount` and :class:`Device` with the reference's
defaults and validation. As the reference, a mount is checked once its values are
expanded, when its step is built (:func:`parse_mount`, by ``Run.expand``); what the
parser reads of it for the stage graph is :func:`mount_source` (only ``from``, which
refuses variables, is checked there).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from frontend.gocompat import go_parse_bool, go_parse_uint, go_quote
from frontend.language.errors import DockerfileError
from frontend.language.flags import with_suggestion
from frontend.records import record

__all__ = ["Device", "RunMount", "mount_source", "parse_csv", "parse_device", "parse_mount"]

MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
SHARING_MODES = ("shared", "private", "locked")
# the keys a suggestion is picked from, in the reference's order
_ALL_KEYS = (
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size",
    "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env",
)  # fmt: skip
_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$")
_INT64_LIMIT = float(1 << 63)


@record(slots=True)
class RunMount:
    """One ``RUN --mount``; ``readonly`` already holds the per-type default.

    (The reference's ``instructions.Mount``; named apart from the LLB library's mounts.)
    """

    type: str = "bind"
    from_: str = ""
    source: str = ""
    target: str = ""
    readonly: bool = True
    cache_id: str = ""
    sharing: str = ""  # "" means the default (shared) for cache mounts
    required: bool = False
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    size_limit: int = 0
    env: str | None = None


@record(slots=True)
class Device:
    """One ``--device``: a CDI device name and whether it is required."""

    name: str
    required: bool = False


def parse_csv(value: str, what: str) -> list[str]:
    """Split one CSV record (``"`` quoting, ``""`` for a quote) into fields."""
    fields: list[str] = []
    i = 0
    n = len(value)
    if n == 0:
        raise DockerfileError(f"failed to parse csv {what}: EOF")
    while True:
        if i < n and value[i] == '"':
            i += 1
            buf: list[str] = []
            while True:
                if i >= n:
                    raise DockerfileError(
                        f'failed to parse csv {what}: extraneous or missing " in quoted-field'
                    )
                ch = value[i]
                if ch == '"':
                    if i + 1 < n and value[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(ch)
                i += 1
            if i < n and value[i] != ",":
                raise DockerfileError(
                    f'failed to parse csv {what}: extraneous or missing " in quoted-field'
                )
            fields.append("".join(buf))
        else:
            end = value.find(",", i)
            end = n if end < 0 else end
            field = value[i:end]
            if '"' in field:
                raise DockerfileError(f'failed to parse csv {what}: bare " in non-quoted-field')
            fields.append(field)
            i = end
        if i >= n:
            return fields
        i += 1  # the comma
        if i >= n:
            fields.append("")
            return fields


def _parse_bool(key: str, value: str) -> bool:
    parsed = go_parse_bool(value)
    if parsed is None:
        raise DockerfileError(f"invalid value for {key}: {value}")
    return parsed


def _parse_uint(key: str, value: str, base: int) -> int:
    num = go_parse_uint(value, base, 32)  # the reference's strconv.ParseUint(v, base, 32)
    if num is None:
        raise DockerfileError(f"invalid value {value} for {key}")
    return num


def _parse_size(value: str) -> int:
    m = _SIZE.match(value)
    if m is None:
        raise DockerfileError(f"invalid value for size: {value}")
    unit = (m.group(2) or "").lower()
    mult = 1024 ** ("kmgtp".index(unit) + 1) if unit else 1
    size = float(m.group(1)) * mult  # inf when the digits overflow a float64
    if not math.isfinite(size) or size >= _INT64_LIMIT:  # the size is an int64
        raise DockerfileError(f"invalid value for size: {value}")
    return int(size)


def parse_mount(spec: str, expander: Callable[[str], str]) -> RunMount:
    """Parse one ``--mount`` value, its values expanded by ``expander``: the
    reference's ``parseMount`` with an expander (when the step is built), its checks in
    its order and its messages."""
    fields = parse_csv(spec, "mounts")
    m = RunMount()
    ro_auto = True
    sharing_set = False
    for field in fields:
        key, eq, value = field.partition("=")
        key = key.lower()
        if not eq:
            if key in ("readonly", "ro"):
                m.readonly, ro_auto = True, False
            elif key in ("readwrite", "rw"):
                m.readonly, ro_auto = False, False
            elif key == "required":
                if m.type not in ("secret", "ssh"):
                    raise DockerfileError(f"unexpected key '{key}' for mount type '{m.type}'")
                m.required = True
            else:
                raise DockerfileError(f"invalid field '{field}' must be a key=value pair")
            continue
        value = expander(value)
        if key == "type":
            low = value.lower()
            if low not in MOUNT_TYPES:
                raise DockerfileError(
                    with_suggestion(
                        f"unsupported mount type {go_quote(value)}", value, sorted(MOUNT_TYPES)
                    )
                )
            m.type = low
        elif key == "from":
            m.from_ = value
        elif key in ("source", "src"):
            m.source = value
        elif key in ("target", "dst", "destination"):
            m.target = value
        elif key in ("readonly", "ro"):
            m.readonly, ro_auto = _parse_bool(key, value), False
        elif key in ("readwrite", "rw"):
            m.readonly, ro_auto = not _parse_bool(key, value), False
        elif key == "required":
            if m.type not in ("secret", "ssh"):
                raise DockerfileError(f"unexpected key '{key}' for mount type '{m.type}'")
            m.required = _parse_bool(key, value)
        elif key == "size":
            if m.type != "tmpfs":
                raise DockerfileError(f"unexpected key '{key}' for mount type '{m.type}'")
            m.size_limit = _parse_size(value)
        elif key == "id":
            m.cache_id = value
        elif key == "sharing":
            if value.lower() not in SHARING_MODES:
                raise DockerfileError(
                    with_suggestion(
                        f"unsupported sharing value {go_quote(value)}", value, sorted(SHARING_MODES)
                    )
                )
            m.sharing, sharing_set = value.lower(), True
        elif key == "mode":
            m.mode = _parse_uint(key, value, 8)
        elif key == "uid":
            m.uid = _parse_uint(key, value, 10)
        elif key == "gid":
            m.gid = _parse_uint(key, value, 10)
        elif key == "env":
            m.env = value
        else:
            raise DockerfileError(
                with_suggestion(f"unexpected key '{key}' in '{field}'", key, _ALL_KEYS)
            )
    if m.type not in ("secret", "ssh", "cache"):
        for name, val in (("mode", m.mode), ("uid", m.uid), ("gid", m.gid)):
            if val is not None:
                raise DockerfileError(f"{name} not allowed for {go_quote(m.type)} type mounts")
    if ro_auto:
        m.readonly = m.type not in ("cache", "tmpfs")
    if m.type == "secret":
        if m.from_:
            raise DockerfileError("secret mount should not have a from")
        if sharing_set:
            raise DockerfileError("secret mount should not define sharing")
        if not m.source and not m.target and not m.cache_id:
            raise DockerfileError("invalid secret mount. one of source, target required")
        if m.source and m.cache_id:
            raise DockerfileError("both source and id can't be set")
    if sharing_set and m.type != "cache":
        raise DockerfileError(f"invalid cache sharing set for {m.type} mount")
    return m


def mount_source(spec: str) -> RunMount:
    """What the stage graph reads of a ``--mount`` value as written: the reference's
    ``parseMount`` without an expander, whose only errors are a bad CSV record and a
    ``from`` with a variable in it; every other value is checked when the step is
    built (:func:`parse_mount`). Only ``from_`` is set: as in the reference, the type
    is not known there (it may be a variable), so a ``from=`` is an edge of the stage
    graph whatever the type (``type=secret,from=<this stage>`` is a cycle)."""
    m = RunMount()
    for field in parse_csv(spec, "mounts"):
        key, eq, value = field.partition("=")
        if eq and key.lower() == "from":
            dollar = value.find("$")
            if dollar != -1 and dollar != len(value) - 1:
                raise DockerfileError(
                    "'from' doesn't support variable expansion, define alias stage instead"
                )
            m.from_ = value
    return m


def parse_device(spec: str) -> Device:
    """Parse one ``--device`` value (``name[,required[=bool]]``)."""
    fields = parse_csv(spec, "devices")
    name = ""
    required = False
    for field in fields:
        key, eq, value = field.partition("=")
        key = key.lower()
        if not eq:
            if key == "required":
                required = True
                continue
            if not name:
                name = field
                continue
            raise DockerfileError(f"invalid field '{field}' must be a key=value pair")
        if key == "name":
            if name:
                raise DockerfileError(f"device name already set to {name}")
            name = value
        elif key == "required":
            required = _parse_bool(key, value)
        elif not name:
            name = field
        else:
            raise DockerfileError(
                with_suggestion(f"unexpected key '{key}' in '{field}'", key, ("name", "required"))
            )
    return Device(name, required)
