"""SOURCE_DATE_EPOCH: the one rule for reading it and for writing its time.

Owned step: part of the compiler. The build arg's value as unix seconds
(:func:`parse_source_date_epoch`, used by the compiler and by the Dockerfile layer's
option checks) and that moment as Go marshals a UTC ``time.Time`` (:func:`epoch_time`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from frontend.gocompat import go_parse_int

ARG_NAME = "SOURCE_DATE_EPOCH"
# the unix seconds epoch_time can write: years 1 to 9999 (Go's time.Time marshals years
# 0 to 9999 as JSON and fails outside them)
_FIRST = int(datetime.datetime(1, 1, 1, tzinfo=datetime.UTC).timestamp())
_LAST = int(datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC).timestamp())


class EpochError(ValueError):
    """A SOURCE_DATE_EPOCH value that is not a decimal int64 or not a time of the years
    1 to 9999."""


def parse_source_date_epoch(value: str) -> int | None:
    """``value`` as unix seconds; None when empty. Raises :class:`EpochError` with the
    reference's message for anything the reference's ``strconv.ParseInt(value, 10, 64)``
    refuses (not ASCII digits with an optional sign, or out of the int64 range), and a
    clear one for a time :func:`epoch_time` cannot write."""
    if not value:
        return None
    seconds = go_parse_int(value)
    if seconds is None:
        raise EpochError(f"invalid {ARG_NAME}: {value}")
    if not _FIRST <= seconds <= _LAST:
        raise EpochError(f"invalid {ARG_NAME}: {value}: year outside of range [1,9999]")
    return seconds


def source_date_epoch(build_args: Mapping[str, str]) -> int | None:
    """The ``SOURCE_DATE_EPOCH`` build arg of ``build_args`` (see
    :func:`parse_source_date_epoch`)."""
    return parse_source_date_epoch(build_args.get(ARG_NAME, ""))


def epoch_time(seconds: int) -> str:
    """Unix seconds as Go marshals a UTC ``time.Time``: ``2023-11-14T22:13:20Z``.
    ``seconds`` is a value :func:`parse_source_date_epoch` accepts (years 1 to 9999)."""
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%SZ")  # %Y: no zero padding


def unix_nano(seconds: int) -> int:
    """Go's ``time.Unix(seconds, 0).UnixNano()`` (int64 arithmetic: it wraps outside
    the years 1678-2262, as Go's does)."""
    return ((seconds * 1_000_000_000 + (1 << 63)) % (1 << 64)) - (1 << 63)
