"""SOURCE_DATE_EPOCH: the one rule for reading it and for writing its time.

Owned step: part of the compiler. The build arg's value as unix seconds
(:func:`parse_source_date_epoch`, used by the compiler and by the Dockerfile layer's
option checks) and that moment as Go marshals a UTC ``time.Time`` (:func:`epoch_time`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

ARG_NAME = "SOURCE_DATE_EPOCH"


class EpochError(ValueError):
    """A SOURCE_DATE_EPOCH value that is not a decimal integer."""


def parse_source_date_epoch(value: str) -> int | None:
    """``value`` as unix seconds; None when empty. Raises :class:`EpochError` with the
    reference's message for anything else."""
    if not value:
        return None
    try:
        return int(value, 10)
    except ValueError:
        raise EpochError(f"invalid {ARG_NAME}: {value}") from None


def source_date_epoch(build_args: Mapping[str, str]) -> int | None:
    """The ``SOURCE_DATE_EPOCH`` build arg of ``build_args`` (see
    :func:`parse_source_date_epoch`)."""
    return parse_source_date_epoch(build_args.get(ARG_NAME, ""))


def epoch_time(seconds: int) -> str:
    """Unix seconds as Go marshals a UTC ``time.Time``: ``2023-11-14T22:13:20Z``."""
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
