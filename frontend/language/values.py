"""Flag values: the grammars of the values some instruction flags take.

Owned step: ``frontend.language`` (flag values). A flag's text becomes its value here,
with the reference's errors: a Go duration (``HEALTHCHECK --interval`` and friends,
:func:`parse_duration`) and a ``COPY``/``ADD --chmod`` file mode (:func:`parse_chmod`,
the one home of the chmod rule: the language checks the value as written, the compiler
turns the expanded value into the mode it emits).
"""

from __future__ import annotations

import re

from frontend.language.errors import DockerfileError

__all__ = ["parse_chmod", "parse_duration"]

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}  # fmt: skip
_DIGIT_CHARS = "0123456789"
_MAX = 1 << 63  # the magnitude of the smallest int64


def _time_quote(text: str) -> str:
    """Go's ``time`` package quoting of a duration in an error: ``"`` and ``\\``
    escaped, every byte of a non-ASCII or control character as ``\\xNN``."""
    out = ['"']
    for ch in text:
        if ch < " " or ch >= "\x80":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def parse_duration(text: str) -> int:
    """A Go duration (``1m30s``, ``500ms``, ``-1h``) in nanoseconds.

    Go's ``time.ParseDuration``: integer arithmetic on int64 nanoseconds (a value out
    of range is "invalid duration", never a float overflow), a fraction scaled as Go
    scales it.
    """
    invalid = DockerfileError(f"time: invalid duration {_time_quote(text)}")
    s = text
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise invalid
    total = 0
    pos = 0
    n = len(s)
    while pos < n:
        if s[pos] != "." and s[pos] not in _DIGIT_CHARS:
            raise invalid
        start = pos
        value = 0
        while pos < n and s[pos] in _DIGIT_CHARS:
            if value > _MAX // 10:
                raise invalid
            value = value * 10 + int(s[pos])
            if value > _MAX:
                raise invalid
            pos += 1
        pre = pos != start
        post = False
        frac, scale = 0, 1.0
        if pos < n and s[pos] == ".":
            pos += 1
            start = pos
            overflow = False
            while pos < n and s[pos] in _DIGIT_CHARS:
                digit = int(s[pos])
                pos += 1
                if overflow:
                    continue
                if frac > (_MAX - 1) // 10 or frac * 10 + digit > _MAX:
                    overflow = True
                    continue
                frac = frac * 10 + digit
                scale *= 10
            post = pos != start
        if not pre and not post:
            raise invalid
        start = pos
        while pos < n and s[pos] != "." and s[pos] not in _DIGIT_CHARS:
            pos += 1
        if pos == start:
            raise DockerfileError(f"time: missing unit in duration {_time_quote(text)}")
        unit_text = s[start:pos]
        unit = _UNITS.get(unit_text)
        if unit is None:
            raise DockerfileError(
                f"time: unknown unit {_time_quote(unit_text)} in duration {_time_quote(text)}"
            )
        if value > _MAX // unit:
            raise invalid
        value *= unit
        if frac > 0:
            value += int(float(frac) * (float(unit) / scale))
            if value > _MAX:
                raise invalid
        total += value
        if total > _MAX:
            raise invalid
    if neg:
        return -total
    if total > _MAX - 1:
        raise invalid
    return total


_OCTAL = re.compile(r"[0-7]+")
# the symbolic modes the reference's mode.Parse accepts: comma-separated clauses, each
# who letters then one or more operators, each with any run of permission letters
_CHMOD_SYMBOLIC = re.compile(r"[augo]*(?:[-+=][rstwXxugo]*)+(?:,[augo]*(?:[-+=][rstwXxugo]*)+)*")
_MAX_MODE = 0o7777
_UINT32 = 1 << 32


def parse_chmod(value: str) -> int | str | None:
    """The mode a ``--chmod`` value (already expanded) asks for.

    The reference's rule: ``""`` is no mode (None). An octal number (Go's
    ``ParseUint(value, 8, 32)``) is the mode, as an int, when at most ``0o7777``.
    Otherwise a value starting with a digit is "invalid chmod parameter: '<value>'. it
    should be octal string and between 0 and 07777" (as is an octal number above
    ``0o7777``), and any other value is a symbolic mode (``u+x,go-w``), returned as
    written, or "invalid syntax" (the symbolic parser's own error).
    """
    if not value:
        return None
    if _OCTAL.fullmatch(value) and int(value, 8) < _UINT32:
        mode = int(value, 8)
        if mode > _MAX_MODE:
            raise _not_octal(value)
        return mode
    if value[0] in _DIGIT_CHARS:
        raise _not_octal(value)
    if _CHMOD_SYMBOLIC.fullmatch(value) is None:
        raise DockerfileError("invalid syntax")
    return value


def _not_octal(value: str) -> DockerfileError:
    return DockerfileError(
        f"invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777"
    )
