"""Output the way the reference's Go code writes it, for the subrequests' results.

Owned step: ``frontend.dockerui`` (subrequest output). :func:`go_json_indent` is
``json.MarshalIndent(v, "", "  ")`` of values already shaped as Go would encode them
(dicts in field order, maps sorted, ``None`` for a nil slice): HTML characters and the
line separators escaped, invalid text replaced (``frontend.gocompat.go_json`` is the
compact ``json.Marshal``). :func:`definition_json` is a
``pb.Definition`` as ``encoding/json`` encodes the generated struct (``def`` as base64
strings, ``metadata`` by digest, ``Source``; empty fields left out);
:func:`op_metadata_json` an ``llb.OpMetadata`` the same way. :func:`protojson` is a
message as Go's ``protojson.Marshal`` writes it, as a value for :func:`go_json_indent`
(the fields in declaration order, JSON names, zero values of fields without presence
left out, 64-bit integers as strings, bytes as base64, enums by name, map entries
sorted by key). :func:`tabwrite`
is Go's ``text/tabwriter`` (cells ended by tabs, aligned per column block, padded with
spaces) for the tables of ``result.txt``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from frontend.llb.marshal import is_map_field

if TYPE_CHECKING:
    from frontend.pb import ops_pb2

__all__ = [
    "b64",
    "definition_json",
    "go_json_indent",
    "op_metadata_json",
    "protojson",
    "tabwrite",
]

_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def go_json_indent(value: Any) -> bytes:
    """``json.MarshalIndent(value, "", "  ")``."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    for ch, esc in _ESCAPES:
        text = text.replace(ch, esc)
    return _SURROGATE.sub("\ufffd", text).encode()


def b64(data: bytes) -> str:
    """A ``[]byte`` as encoding/json writes it."""
    return base64.b64encode(data).decode()


def _sorted_map(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return dict(sorted(items))


def _position(p: ops_pb2.Position) -> dict[str, int]:
    out: dict[str, int] = {}
    if p.line:
        out["line"] = p.line
    if p.character:
        out["character"] = p.character
    return out


def range_json(r: ops_pb2.Range) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.HasField("start"):
        out["start"] = _position(r.start)
    if r.HasField("end"):
        out["end"] = _position(r.end)
    return out


def _location(loc: ops_pb2.Location) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if loc.sourceIndex:
        out["sourceIndex"] = loc.sourceIndex
    if loc.ranges:
        out["ranges"] = [range_json(r) for r in loc.ranges]
    return out


def _source_info(info: ops_pb2.SourceInfo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if info.filename:
        out["filename"] = info.filename
    if info.data:
        out["data"] = b64(info.data)
    if info.HasField("definition"):
        out["definition"] = definition_json(info.definition)
    if info.language:
        out["language"] = info.language
    return out


def op_metadata_json(md: ops_pb2.OpMetadata) -> dict[str, Any]:
    """An op's metadata as encoding/json writes ``llb.OpMetadata`` (or the generated
    ``pb.OpMetadata``: the same names)."""
    out: dict[str, Any] = {}
    if md.ignore_cache:
        out["ignore_cache"] = True
    if md.description:
        out["description"] = _sorted_map(md.description.items())
    if md.HasField("export_cache"):
        out["export_cache"] = {"Value": True} if md.export_cache.Value else {}
    if md.caps:
        out["caps"] = _sorted_map(md.caps.items())
    if md.HasField("progress_group"):
        pg = md.progress_group
        group: dict[str, Any] = {}
        if pg.id:
            group["id"] = pg.id
        if pg.name:
            group["name"] = pg.name
        if pg.weak:
            group["weak"] = True
        out["progress_group"] = group
    return out


def definition_json(definition: ops_pb2.Definition) -> dict[str, Any]:
    """A ``pb.Definition`` as Go's encoding/json writes the generated struct."""
    out: dict[str, Any] = {}
    ops = getattr(definition, "def")
    if ops:
        out["def"] = [b64(op) for op in ops]
    if definition.metadata:
        out["metadata"] = _sorted_map(
            (k, op_metadata_json(v)) for k, v in definition.metadata.items()
        )
    if definition.HasField("Source"):
        src: dict[str, Any] = {}
        if definition.Source.locations:
            src["locations"] = _sorted_map(
                (k, {"locations": [_location(loc) for loc in v.locations]} if v.locations else {})
                for k, v in definition.Source.locations.items()
            )
        if definition.Source.infos:
            src["infos"] = [_source_info(i) for i in definition.Source.infos]
        out["Source"] = src
    return out


_INT64_TYPES: Final = frozenset({3, 4, 6, 16, 18})  # int64 uint64 fixed64 sfixed64 sint64


def _proto_scalar(fd: Any, value: Any) -> Any:
    from google.protobuf.descriptor import FieldDescriptor

    if fd.type == FieldDescriptor.TYPE_BYTES:
        return b64(value)
    if fd.type == FieldDescriptor.TYPE_ENUM:
        known = fd.enum_type.values_by_number.get(value)
        return known.name if known is not None else value
    if fd.type in _INT64_TYPES:
        return str(value)
    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        return protojson(value)
    return value


def protojson(message: Any) -> dict[str, Any]:
    """``message`` as ``protojson.Marshal`` writes it (no well-known types, no
    floating point: the LLB messages have neither)."""

    out: dict[str, Any] = {}
    for fd in message.DESCRIPTOR.fields:  # declaration order (protojson's IndexOrder)
        value = getattr(message, fd.name)
        if is_map_field(fd):
            if not value:
                continue
            key_fd, value_fd = (
                fd.message_type.fields_by_name["key"],
                fd.message_type.fields_by_name["value"],
            )
            entries = sorted(value.items())  # GenericKeyOrder
            out[fd.json_name] = {
                _map_key(key_fd, k): _proto_scalar(value_fd, v) for k, v in entries
            }
        elif fd.is_repeated:
            if value:
                out[fd.json_name] = [_proto_scalar(fd, v) for v in value]
        elif fd.has_presence:
            if message.HasField(fd.name):
                out[fd.json_name] = _proto_scalar(fd, value)
        elif value != fd.default_value:
            out[fd.json_name] = _proto_scalar(fd, value)
    return out


def _map_key(fd: Any, key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def tabwrite(text: str, *, minwidth: int = 0, padding: int = 1) -> str:
    """``text`` through Go's ``tabwriter.NewWriter(w, minwidth, 0, padding, ' ', 0)``
    and ``Flush``: a cell is text ended by a tab; the cells of one column in adjacent
    lines form a block padded to its widest cell plus ``padding``; a line without
    tabs ends the blocks above it; the text after a line's last tab is not aligned."""
    out: list[str] = []
    block: list[list[str]] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        last = i == len(lines) - 1
        if last and line == "":
            break
        block.append(cells)
        if len(cells) == 1:  # the reference flushes here
            _format(out, block, minwidth, padding, not last)
            block = []
    if block:
        _format(out, block, minwidth, padding, len(lines) > 0 and lines[-1] == "")
    return "".join(out)


def _format(
    out: list[str], lines: Sequence[list[str]], minwidth: int, padding: int, newline_last: bool
) -> None:
    widths: list[int] = []
    text: list[str] = []

    def write_lines(line0: int, line1: int) -> None:
        for i in range(line0, line1):
            cells = lines[i]
            for j, cell in enumerate(cells):
                text.append(cell)
                if j < len(widths) and j < len(cells) - 1:
                    text.append(" " * (widths[j] - len(cell)))
            if i + 1 < len(lines) or newline_last:
                text.append("\n")

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    fmt(0, len(lines))
    out.extend(text)
