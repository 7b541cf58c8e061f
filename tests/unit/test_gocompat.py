"""The Go formatting the reference's history strings use (``%q``, ``%v``, durations)."""

from __future__ import annotations

import pytest

from frontend.gocompat import (
    go_clean,
    go_duration,
    go_json,
    go_list,
    go_parse_bool,
    go_parse_int,
    go_parse_uint,
    go_quote,
    go_quote_list,
)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("cat", '"cat"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
        ("l1\nl2\tx\r", '"l1\\nl2\\tx\\r"'),
        ("\x01\x7f", '"\\x01\\x7f"'),
        ("é ü 日本", '"é ü 日本"'),  # printable: kept
        ("\u2028\u00ad", '"\\u2028\\u00ad"'),  # not printable: \u
        ("\U000e0001", '"\\U000e0001"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_slices() -> None:
    assert go_quote_list(["cat", "poster"]) == '["cat" "poster"]'
    assert go_list(["/bin/sh", "-ec"]) == "[/bin/sh -ec]"
    assert go_list([]) == "[]"


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (5_000_000_000, "5s"),
        (90_000_000_000, "1m30s"),
        (3_600_000_000_000, "1h0m0s"),
        (1_500_000_000, "1.5s"),
        (1_500_000, "1.5ms"),
        (2_000, "2µs"),
        (7, "7ns"),
        (-5_000_000_000, "-5s"),
    ],
)
def test_go_duration(ns: int, text: str) -> None:
    assert go_duration(ns) == text


def test_go_clean() -> None:
    assert go_clean("") == "."
    assert go_clean("a/../b/./c//") == "b/c"
    assert go_clean("//x") == "/x"
    assert go_clean("../../a") == "../../a"
    assert go_clean("/..") == "/"


def test_go_json_escapes_as_encoding_json() -> None:
    assert (
        go_json({"a": "<&>\u2028", "b": [1, None]})
        == '{"a":"\\u003c\\u0026\\u003e\\u2028","b":[1,null]}'
    )


def test_go_parse_bool() -> None:
    for text in ("1", "t", "T", "TRUE", "true", "True"):
        assert go_parse_bool(text) is True
    for text in ("0", "f", "F", "FALSE", "false", "False"):
        assert go_parse_bool(text) is False
    for text in ("", "yes", "tRUE", " true", "2"):
        assert go_parse_bool(text) is None


@pytest.mark.parametrize(
    ("text", "base", "bits", "value"),
    [
        ("0", 10, 64, 0),
        ("0042", 10, 64, 42),
        ("18446744073709551615", 10, 64, (1 << 64) - 1),
        ("18446744073709551616", 10, 64, None),
        ("65535", 10, 16, 65535),
        ("65536", 10, 16, None),
        ("0" * 5000 + "7", 8, 32, 7),
        ("1" * 5000, 10, 64, None),  # bounded before int(): no int-string limit error
        ("8", 8, 32, None),
        ("", 10, 64, None),
        ("+1", 10, 64, None),
        ("²", 10, 64, None),  # a Unicode digit is not a Go digit
        ("\u0661", 10, 64, None),  # ARABIC-INDIC DIGIT ONE
    ],
)
def test_go_parse_uint(text: str, base: int, bits: int, value: int | None) -> None:
    assert go_parse_uint(text, base, bits) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-9223372036854775808", -(1 << 63)),
        ("9223372036854775807", (1 << 63) - 1),
        ("9223372036854775808", None),
        ("-9223372036854775809", None),
        ("+5", 5),
        ("-", None),
        ("-²", None),
        ("-" + "9" * 5000, None),
    ],
)
def test_go_parse_int(text: str, value: int | None) -> None:
    assert go_parse_int(text) == value


def test_go_join_keeps_elements_before_an_absolute_one() -> None:
    from frontend.gocompat import go_join

    assert go_join("./a", "/b/f.txt") == "a/b/f.txt"
    assert go_join("/", "x/../y") == "/y"
    assert go_join("", "") == ""
    assert go_join("a", "", "b/") == "a/b"
