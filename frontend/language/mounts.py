"""``RUN --mount`` and ``RUN --device`` values (language step).

Owned step: ``frontend.language`` (mount and device specs). Parses the CSV
``key=value`` lists into :class:`RunMount` and :class:`Device` with the reference's
defaults and validation. Values are parsed as written; a value that contains ``$`` is
left for expansion (``Run.expand``), except ``from``, which refuses variables as the
reference does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from frontend.gocompat import go_parse_bool, go_parse_uint, go_quote
from frontend.language.errors import DockerfileError
from frontend.language.flags import with_suggestion

__all__ = ["Device", "RunMount", "parse_csv", "parse_device", "parse_mount"]

MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
SHARING_MODES = ("shared", "private", "locked")
# the keys a suggestion is picked from, in the reference's order
_ALL_KEYS = (
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size",
    "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env",
)  # fmt: skip
_FROM_VAR = re.compile(r"\$.")
_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$")
_INT64_LIMIT = float(1 << 63)


@dataclass(slots=True)
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


@dataclass(slots=True)
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
    text = value
    if base == 8 and text[:2] in ("0o", "0O"):
        text = text[2:]
    num = go_parse_uint(text, base, 32)  # the reference's strconv.ParseUint(v, base, 32)
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


def _text(values: dict[str, object], *keys: str) -> str:
    """The value of the last of ``keys`` given as text ("" when none is)."""
    out = ""
    for k in keys:
        v = values.get(k)
        if isinstance(v, str):
            out = v
    return out


def _num(values: dict[str, object], key: str) -> int | None:
    v = values.get(key)
    return v if isinstance(v, int) else None


def parse_mount(spec: str, expander: Callable[[str], str] | None = None) -> RunMount:
    """Parse one ``--mount`` value. Without ``expander``, values with ``$`` in them are
    kept unvalidated for a later expansion (and ``from`` with a variable is refused)."""
    fields = parse_csv(spec, "mounts")
    kind = "bind"
    values: dict[str, object] = {}
    ro_auto = True
    readonly = False
    required = False
    for field in fields:
        key, eq, value = field.partition("=")
        key = key.lower()
        if not eq:
            if key in ("readonly", "ro"):
                readonly, ro_auto = True, False
                continue
            if key in ("readwrite", "rw"):
                readonly, ro_auto = False, False
                continue
            if key == "required":
                if kind in ("secret", "ssh"):
                    required = True
                    continue
                raise DockerfileError(f"unexpected key '{key}' for mount type '{kind}'")
            raise DockerfileError(f"invalid field '{field}' must be a key=value pair")
        if expander is not None:
            value = expander(value)
        elif key == "from":
            if _FROM_VAR.search(value):
                raise DockerfileError(
                    f"'{key}' doesn't support variable expansion, define alias stage instead"
                )
        elif "$" in value:
            if key in ("source", "src", "target", "dst", "destination", "id", "env"):
                values[key] = value
            continue  # expanded and checked later
        if key == "type":
            low = value.lower()
            if low not in MOUNT_TYPES:
                raise DockerfileError(
                    with_suggestion(
                        f"unsupported mount type {go_quote(value)}", value, sorted(MOUNT_TYPES)
                    )
                )
            kind = low
        elif key in ("readonly", "ro"):
            readonly, ro_auto = _parse_bool(key, value), False
        elif key in ("readwrite", "rw"):
            readonly, ro_auto = not _parse_bool(key, value), False
        elif key == "required":
            if kind not in ("secret", "ssh"):
                raise DockerfileError(f"unexpected key '{key}' for mount type '{kind}'")
            required = _parse_bool(key, value)
        elif key == "sharing":
            if value.lower() not in SHARING_MODES:
                raise DockerfileError(
                    with_suggestion(
                        f"unsupported sharing value {go_quote(value)}", value, sorted(SHARING_MODES)
                    )
                )
            values["sharing"] = value.lower()
        elif key == "mode":
            values["mode"] = _parse_uint(key, value, 8)
        elif key in ("uid", "gid"):
            values[key] = _parse_uint(key, value, 10)
        elif key == "size":
            values["size"] = _parse_size(value)
        elif key in ("from", "source", "src", "target", "dst", "destination", "id", "env"):
            values[key] = value
        else:
            raise DockerfileError(
                with_suggestion(f"unexpected key '{key}' in '{field}'", key, _ALL_KEYS)
            )

    mode, uid, gid = _num(values, "mode"), _num(values, "uid"), _num(values, "gid")
    file_info = kind in ("secret", "ssh", "cache")
    for name, val in (("mode", mode), ("uid", uid), ("gid", gid)):
        if val is not None and not file_info:
            raise DockerfileError(f"{name} not allowed for {go_quote(kind)} type mounts")
    if ro_auto:
        readonly = kind not in ("cache", "tmpfs")
    sharing = _text(values, "sharing")
    if sharing and kind != "cache":
        raise DockerfileError(f"invalid cache sharing set for {kind} mount")
    size = _num(values, "size") or 0
    if size and kind != "tmpfs":
        raise DockerfileError("size cannot be specified for non-tmpfs mounts")
    env = values.get("env")
    if env is not None and kind != "secret":
        raise DockerfileError(f"unexpected key 'env' for mount type '{kind}'")
    source = _text(values, "source", "src")
    target = _text(values, "target", "dst", "destination")
    cache_id = _text(values, "id")
    from_ = _text(values, "from")
    if kind == "secret":
        if from_:
            raise DockerfileError("secret mount should not have a from")
        if not source and not target and not cache_id and env is None:
            raise DockerfileError("invalid secret mount. one of source, target required")
        if source and cache_id:
            raise DockerfileError("both source and id can't be set")
    return RunMount(
        type=kind, from_=from_, source=source, target=target, readonly=readonly,
        cache_id=cache_id, sharing=sharing, required=required, mode=mode, uid=uid, gid=gid,
        size_limit=size, env=env if isinstance(env, str) else None,
    )  # fmt: skip


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
