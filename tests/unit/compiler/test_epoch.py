"""SOURCE_DATE_EPOCH: one parse rule (compiler and Dockerfile layer) and its time."""

from __future__ import annotations

import pytest

from frontend.compiler.epoch import EpochError, epoch_time, parse_source_date_epoch


def test_parse() -> None:
    assert parse_source_date_epoch("") is None
    assert parse_source_date_epoch("1700000000") == 1700000000
    with pytest.raises(EpochError, match=r"^invalid SOURCE_DATE_EPOCH: soon$"):
        parse_source_date_epoch("soon")


def test_time_is_go_utc() -> None:
    assert epoch_time(1700000000) == "2023-11-14T22:13:20Z"
    assert epoch_time(0) == "1970-01-01T00:00:00Z"
