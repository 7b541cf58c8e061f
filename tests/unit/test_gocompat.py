"""The Go formatting the reference's history strings use (``%q``, ``%v``, durations)."""

from __future__ import annotations

import pytest

from frontend.gocompat import (
    GoURLError,
    go_base,
    go_clean,
    go_duration,
    go_json,
    go_list,
    go_parse_bool,
    go_parse_int,
    go_parse_query,
    go_parse_uint,
    go_quote,
    go_quote_list,
    go_url_parse,
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


@pytest.mark.parametrize(
    ("path", "base"),
    [("", "."), ("/", "/"), ("///", "/"), ("/a/b", "b"), ("/a/b//", "b"), ("a", "a"), (".", ".")],
)
def test_go_base(path: str, base: str) -> None:
    assert go_base(path) == base


# (url, (scheme, user, host, path, raw query, fragment, String())): what Go's url.Parse
# gives (checked against Go 1.27 when written)
@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("http://host/.git#ref", ("http", "", "host", "/.git", "", "ref", "http://host/.git#ref")),
        (
            "https://user:p%40ss@host:8080/a%20b/r.git#main:sub",
            (
                "https",
                "user:p%40ss",
                "host:8080",
                "/a b/r.git",
                "",
                "main:sub",
                "https://user:p%40ss@host:8080/a%20b/r.git#main:sub",
            ),
        ),
        (
            "https://host/a b.git",
            ("https", "", "host", "/a b.git", "", "", "https://host/a%20b.git"),
        ),
        ("https://host/a%2Fb", ("https", "", "host", "/a/b", "", "", "https://host/a%2Fb")),
        ("HTTPS://Host/R.git", ("https", "", "Host", "/R.git", "", "", "https://Host/R.git")),
        ("https://host/r.git?", ("https", "", "host", "/r.git", "", "", "https://host/r.git?")),
        (
            "https://host/f?x=1&y#a b",
            ("https", "", "host", "/f", "x=1&y", "a b", "https://host/f?x=1&y#a%20b"),
        ),
        ("https://hü/r.git", ("https", "", "hü", "/r.git", "", "", "https://h%C3%BC/r.git")),
        ("https://host", ("https", "", "host", "", "", "", "https://host")),
        ("http:///p.git", ("http", "", "", "/p.git", "", "", "http:///p.git")),
        ("http:/p.git", ("http", "", "", "/p.git", "", "", "http:/p.git")),
        ("github.com/a/b", ("", "", "", "github.com/a/b", "", "", "github.com/a/b")),
        (
            "http://[fe80::1%25en0]:8080/x",
            ("http", "", "[fe80::1%en0]:8080", "/x", "", "", "http://[fe80::1%25en0]:8080/x"),
        ),
        ("git://h:1:2/r", ("git", "", "h:1:2", "/r", "", "", "git://h:1:2/r")),
    ],
)
def test_go_url_parse(raw: str, parts: tuple[str, ...]) -> None:
    u = go_url_parse(raw)
    user = str(u.user) if u.user is not None else ""
    assert (u.scheme, user, u.host, u.path, u.raw_query, u.fragment, str(u)) == parts


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("https://ho st/r", 'parse "https://ho st/r": invalid character " " in host name'),
        ("https://host:abc/r", 'parse "https://host:abc/r": invalid port ":abc" after host'),
        ("https://h:1:2/r", 'parse "https://h:1:2/r": invalid port ":1:2" after host'),
        ("https://host/%zz", 'parse "https://host/%zz": invalid URL escape "%zz"'),
        ("https://host/r#a%z", 'parse "https://host/r#a%z": invalid URL escape "%z"'),
        ("http://[1.2.3.4]/x", 'parse "http://[1.2.3.4]/x": invalid IP-literal'),
        ("http://[::1/x", "parse \"http://[::1/x\": missing ']' in host"),
        ("http://us er@h/x", 'parse "http://us er@h/x": net/url: invalid userinfo'),
        ("git@host:r", 'parse "git@host:r": first path segment in URL cannot contain colon'),
        ("://x", 'parse "://x": missing protocol scheme'),
        ("http://h/\x01", 'parse "http://h/\\x01": net/url: invalid control character in URL'),
    ],
)
def test_go_url_parse_errors(raw: str, message: str) -> None:
    with pytest.raises(GoURLError) as info:
        go_url_parse(raw)
    assert str(info.value) == message


def test_go_parse_query_keeps_order_drops_bad_pairs() -> None:
    assert go_parse_query("b=1&a&b=2&&c=x+y%21") == (
        {"b": ["1", "2"], "a": [""], "c": ["x y!"]},
        None,
    )
    assert go_parse_query("a;b=1&c=%zz&d=1") == (
        {"d": ["1"]},
        "invalid semicolon separator in query",
    )
