"""Flag values: the grammars of the values some instruction flags take.

Owned step: ``frontend.language`` (flag values). A flag's text becomes its value here,
with the reference's errors: a Go duration (``HEALTHCHECK --interval`` and friends,
:func:`parse_duration`) and a ``COPY``/``ADD --chmod`` file mode (:func:`parse_chmod`,
the one home of the chmod rule: the compiler turns the expanded value into the mode it
emits; as in the reference nothing checks it earlier).
"""

from __future__ import annotations

from frontend.gocompat import go_parse_uint
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


_MAX_MODE = 0o7777
_UINT32 = 1 << 32


def parse_chmod(value: str) -> int | str | None:
    """The mode a ``--chmod`` value (already expanded) asks for, as the reference's
    ``dispatchCopy`` reads it (when the step runs: a stage that is not built is not
    checked).

    ``""``: None (no mode). What ``strconv.ParseUint(value, 8, 32)`` reads: the mode
    as an int, at most ``0o7777``. Otherwise a symbolic mode (``u+x,go-w``, the
    grammar of ``dchapes-mode``'s ``Parse``), returned as written. Raises
    :class:`DockerfileError` with the reference's messages: "invalid chmod parameter:
    '<value>'. it should be octal string and between 0 and 07777" for an octal value
    out of range or any other value starting with an ASCII digit, "invalid syntax"
    for a symbolic mode that is none.
    """
    if not value:
        return None
    mode = go_parse_uint(value, 8, 32)
    if mode is not None:
        if mode > _MAX_MODE:
            raise _not_octal(value)
        return mode
    if value[0] in _DIGIT_CHARS:  # the mode parser's strconv.ParseInt error
        raise _not_octal(value)
    if not _symbolic_mode(value):
        raise DockerfileError("invalid syntax")
    return value


def _symbolic_mode(value: str) -> bool:
    """Whether ``value`` is a symbolic mode: comma-separated clauses, each ``[augo]*``
    then one or more ``[-+=][rwxXstugo]*`` (``u+x-w``, ``a=``, ``+x``)."""
    i, n = 0, len(value)
    while True:
        while i < n and value[i] in "augo":
            i += 1
        if i == n:
            return False
        while True:
            if value[i] not in "+-=":
                return False
            i += 1
            while i < n and value[i] in "rwxXstugo":
                i += 1
            if i == n:
                return True
            if value[i] == ",":
                i += 1
                break


def _not_octal(value: str) -> DockerfileError:
    return DockerfileError(
        f"invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777"
    )
