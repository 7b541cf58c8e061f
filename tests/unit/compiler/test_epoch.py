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


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("18446744073709551616", "invalid SOURCE_DATE_EPOCH: 18446744073709551616"),
        ("9223372036854775808", "invalid SOURCE_DATE_EPOCH: 9223372036854775808"),
        ("1" * 5000, "invalid SOURCE_DATE_EPOCH: " + "1" * 5000),
        ("²", "invalid SOURCE_DATE_EPOCH: ²"),
        (" 5", "invalid SOURCE_DATE_EPOCH:  5"),
        ("1_0", "invalid SOURCE_DATE_EPOCH: 1_0"),
        (
            "-99999999999999",
            "invalid SOURCE_DATE_EPOCH: -99999999999999: year outside of range [1,9999]",
        ),
        (
            "253402300800",
            "invalid SOURCE_DATE_EPOCH: 253402300800: year outside of range [1,9999]",
        ),
    ],
)
def test_parse_refuses_what_is_no_int64_or_no_writable_time(value: str, message: str) -> None:
    with pytest.raises(EpochError) as info:
        parse_source_date_epoch(value)
    assert str(info.value) == message


def test_every_accepted_value_has_a_time() -> None:
    first = parse_source_date_epoch("-62135596800")
    last = parse_source_date_epoch("253402300799")
    assert first is not None and last is not None
    assert epoch_time(first) == "0001-01-01T00:00:00Z"
    assert epoch_time(last) == "9999-12-31T23:59:59Z"
    assert parse_source_date_epoch("-1") == -1 and epoch_time(-1) == "1969-12-31T23:59:59Z"


def test_out_of_range_epoch_is_a_dockerfile_error() -> None:
    from frontend.language import DockerfileError
    from tests.unit.compiler.util import compile_text, lines

    with pytest.raises(DockerfileError) as info:
        compile_text(
            lines("FROM alpine", "RUN true"),
            build_args={"SOURCE_DATE_EPOCH": "18446744073709551616"},
        )
    assert info.value.message == "invalid SOURCE_DATE_EPOCH: 18446744073709551616"


def test_unix_nano_wraps_as_go_int64() -> None:
    from frontend.compiler.epoch import unix_nano

    assert unix_nano(1) == 1_000_000_000
    wrapped = unix_nano(253402300799)  # year 9999: beyond int64 nanoseconds
    assert -(2**63) <= wrapped < 2**63 and (wrapped - 253402300799 * 10**9) % 2**64 == 0
