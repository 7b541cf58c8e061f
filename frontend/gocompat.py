"""Go-compatible formatting: the one home of every rule the reference gets from Go's
standard library and that pyfrontend must reproduce byte for byte.

Owned step: none of the pipeline; a leaf module (imports nothing of ``frontend``) that
the language, the compiler, the LLB library and the Dockerfile layer share:
``encoding/json`` output (``go_json``), ``strconv.Quote`` (``go_quote``), ``fmt``'s
``%q``/``%v`` of string slices, ``time.Duration.String`` (``go_duration``),
``path.Clean`` (``go_clean``), ``strconv.ParseBool`` (``go_parse_bool``),
``strconv.ParseUint``/``ParseInt``/``Atoi`` (``go_parse_uint``, ``go_parse_int``) and
``unicode.IsSpace`` (``GO_SPACE``, what ``strings.TrimSpace`` strips).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Final

_JSON_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_json(value: object) -> str:
    """Compact JSON as Go's ``json.Marshal`` writes it (``<``, ``>``, ``&``, U+2028 and
    U+2029 escaped; no spaces; map keys in the order given)."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in _JSON_ESCAPES:
        s = s.replace(ch, esc)
    return s


def go_json_strings(items: Sequence[str]) -> str:
    """A JSON array of strings encoded as Go's ``json.Marshal`` does."""
    return go_json(list(items))


_QUOTE_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


def _quote_char(ch: str) -> str:
    esc = _QUOTE_ESCAPES.get(ch)
    if esc is not None:
        return esc
    o = ord(ch)
    if o < 0x20 or o == 0x7F:
        return f"\\x{o:02x}"
    if ch.isprintable():
        return ch
    return f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"


def go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` (``%q`` of a string): printable characters kept, others
    escaped."""
    return '"' + "".join(_quote_char(ch) for ch in s) + '"'


def go_quote_list(items: Iterable[str]) -> str:
    """``fmt.Sprintf("%q", []string{...})``: ``["a" "b"]``."""
    return "[" + " ".join(go_quote(i) for i in items) + "]"


def go_list(items: Iterable[str]) -> str:
    """``fmt.Sprintf("%v", []string{...})``: ``[a b]``."""
    return "[" + " ".join(items) + "]"


def go_duration(ns: int) -> str:
    """Go's ``time.Duration.String`` of ``ns`` nanoseconds."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        if u < 1_000:
            s = f"{u}ns"
        elif u < 1_000_000:
            s = _frac(u, 1_000) + "µs"
        else:
            s = _frac(u, 1_000_000) + "ms"
    else:
        hours, rem = divmod(u, 3_600_000_000_000)
        minutes, rem = divmod(rem, 60_000_000_000)
        secs = _frac(rem, 1_000_000_000) + "s"
        if hours:
            s = f"{hours}h{minutes}m{secs}"
        elif minutes:
            s = f"{minutes}m{secs}"
        else:
            s = secs
    return "-" + s if neg else s


def _frac(value: int, unit: int) -> str:
    whole, rem = divmod(value, unit)
    if not rem:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + f"{rem:0{digits}d}".rstrip("0")


def go_join(*elems: str) -> str:
    """Go's ``path.Join``: the non-empty elements joined with ``/``, then cleaned (an
    absolute element does not discard the ones before it, unlike ``posixpath.join``)."""
    joined = "/".join(e for e in elems if e)
    return go_clean(joined) if joined else ""


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: the lexically shortest equivalent path (``""`` is ``.``)."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


_TRUE: Final = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE: Final = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def go_parse_bool(value: str) -> bool | None:
    """Go's ``strconv.ParseBool``: None when the text is not a boolean."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


_DIGITS: Final = "0123456789"


def go_parse_uint(text: str, base: int = 10, bits: int = 64) -> int | None:
    """Go's ``strconv.ParseUint(text, base, bits)`` for base 8 or 10: None on a syntax
    error (empty, a sign, any character but the base's ASCII digits) or a range error."""
    if not text or any(c not in _DIGITS[:base] for c in text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > bits:  # more digits than any value of that width has (base >= 2)
        return None
    value = int(digits, base)
    return value if value < 1 << bits else None


def go_parse_int(text: str, bits: int = 64) -> int | None:
    """Go's ``strconv.ParseInt(text, 10, bits)`` (and ``Atoi``, bits 64): an optional
    sign and ASCII digits; None on a syntax or range error."""
    neg = text[:1] == "-"
    magnitude = go_parse_uint(text[1:] if text[:1] in ("+", "-") else text, 10, bits)
    if magnitude is None:
        return None
    limit = 1 << (bits - 1)
    if magnitude > limit or (magnitude == limit and not neg):
        return None
    return -magnitude if neg else magnitude


# unicode.IsSpace, which Go's strings.TrimSpace uses (str.strip() with no argument differs)
GO_SPACE: Final = (
    " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
