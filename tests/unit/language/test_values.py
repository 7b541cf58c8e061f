"""Flag values: Go durations and ``--chmod`` modes, table-driven."""

from __future__ import annotations

import pytest

from frontend.language import instructions as ins
from frontend.language import parse_dockerfile
from frontend.language.errors import DockerfileError
from frontend.language.values import parse_chmod, parse_duration
from tests.unit.compiler.util import compile_text

NOT_OCTAL = "it should be octal string and between 0 and 07777"

CHMODS: list[tuple[str, int | str | None]] = [
    ("", None),
    ("0", 0),
    ("644", 0o644),
    ("0755", 0o755),
    ("7777", 0o7777),
    ("00000000007777", 0o7777),
    ("u+x", "u+x"),
    ("go-w,a=rX", "go-w,a=rX"),
    ("=", "="),
    ("+", "+"),
    ("u=g", "u=g"),
    # dchapes-mode's grammar: several operations in a clause, copies after bits
    ("u+x-w", "u+x-w"),
    ("u+rg", "u+rg"),
    ("+x", "+x"),
    ("a=", "a="),
    ("=,+", "=,+"),
    ("ugo+rwxXst", "ugo+rwxXst"),
    ("a+rwxug", "a+rwxug"),
    ("+x+r", "+x+r"),
]

# (checked against the reference's converter)
CHMOD_ERRORS = [
    # checked against the reference converter (TestAddInvalidChmod, TestCopyInvalidChmod)
    ("64a", f"invalid chmod parameter: '64a'. {NOT_OCTAL}"),
    ("10000", f"invalid chmod parameter: '10000'. {NOT_OCTAL}"),
    ("37777777777", f"invalid chmod parameter: '37777777777'. {NOT_OCTAL}"),
    ("40000000000", f"invalid chmod parameter: '40000000000'. {NOT_OCTAL}"),
    ("7777777777777", f"invalid chmod parameter: '7777777777777'. {NOT_OCTAL}"),
    ("8", f"invalid chmod parameter: '8'. {NOT_OCTAL}"),
    ("0789", f"invalid chmod parameter: '0789'. {NOT_OCTAL}"),
    ("64a", f"invalid chmod parameter: '64a'. {NOT_OCTAL}"),  # TestCopyInvalidChmod
    ("0o644", f"invalid chmod parameter: '0o644'. {NOT_OCTAL}"),
    ("1e3", f"invalid chmod parameter: '1e3'. {NOT_OCTAL}"),
    ("\u00b2", "invalid syntax"),  # not an ASCII digit: a symbolic mode
    ("u+q", "invalid syntax"),
    ("u+x,", "invalid syntax"),
    ("u+x,7", "invalid syntax"),
    ("u", "invalid syntax"),
    ("9z", f"invalid chmod parameter: '9z'. {NOT_OCTAL}"),
    ("abc", "invalid syntax"),
    ("u+a", "invalid syntax"),
    ("-0644", "invalid syntax"),
    (" 644", "invalid syntax"),
]


@pytest.mark.parametrize(("value", "expected"), CHMODS)
def test_parse_chmod(value: str, expected: int | str | None) -> None:
    assert parse_chmod(value) == expected


@pytest.mark.parametrize(("value", "message"), CHMOD_ERRORS)
def test_parse_chmod_errors(value: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_chmod(value)
    assert info.value.message == message


@pytest.mark.parametrize("value", ["u+q", "8", "40000000000", "$MODE"])
def test_chmod_is_not_checked_when_parsed(value: str) -> None:
    # the reference checks --chmod when the step runs, not when the file is parsed
    df = parse_dockerfile(f"FROM a\nCOPY --chmod={value} x /y\nADD --chmod={value} x /y\n")
    assert [i.chmod for i in df.instructions[1:]] == [value, value]  # type: ignore[attr-defined]


@pytest.mark.parametrize("line", ["COPY --chmod=64a foo /", "ADD --chmod=64a foo /"])
def test_bad_chmod_is_refused_when_the_step_is_built(line: str) -> None:
    # the reference checks --chmod in dispatchCopy only: a stage not built may have any
    text = f"FROM busybox AS unused\n{line}\nFROM busybox\nRUN true\n"
    parse_dockerfile(text).instructions  # noqa: B018
    compile_text(text)
    with pytest.raises(DockerfileError) as info:
        compile_text(f"FROM busybox\n{line}\n")
    assert info.value.message == f"invalid chmod parameter: '64a'. {NOT_OCTAL}"
    assert info.value.location is not None and info.value.location.start_line == 2


def test_chmod_is_one_function() -> None:
    assert ins.parse_chmod is parse_chmod


DURATIONS = [
    ("0", 0),
    ("-0", 0),
    ("1s", 1_000_000_000),
    ("1m30s", 90_000_000_000),
    ("1.5h", 5_400_000_000_000),
    ("500ms", 500_000_000),
    ("10us", 10_000),
    ("10\u00b5s", 10_000),
    ("-1h", -3_600_000_000_000),
    ("+2ns", 2),
    (".5s", 500_000_000),
]


@pytest.mark.parametrize(("text", "ns"), DURATIONS)
def test_parse_duration(text: str, ns: int) -> None:
    assert parse_duration(text) == ns


def test_parse_duration_at_the_int64_limits() -> None:
    assert parse_duration("9223372036854775807ns") == (1 << 63) - 1
    assert parse_duration("-9223372036854775808ns") == -(1 << 63)
    assert parse_duration("1.005s") == 1_005_000_000  # Go scales the fraction exactly
    assert parse_duration("0.000000000000000000001s") == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("-", 'time: invalid duration "-"'),
        ("abc", 'time: invalid duration "abc"'),
        ("1", 'time: missing unit in duration "1"'),
        ("1s5", 'time: missing unit in duration "1s5"'),
        (".s", 'time: invalid duration ".s"'),
        ("1d", 'time: unknown unit "d" in duration "1d"'),  # Go's message
        ("9" * 297 + "h", f'time: invalid duration "{"9" * 297}h"'),  # no float overflow
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
        ("2562048h", 'time: invalid duration "2562048h"'),
        ("2562047h48m", 'time: invalid duration "2562047h48m"'),
        # Go's time quoting: the UTF-8 bytes of what is not printable ASCII
        ("\u00b2s", 'time: invalid duration "\\xc2\\xb2s"'),
        ("1\u00e9", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
        ('1\\x"', 'time: unknown unit "\\\\x\\"" in duration "1\\\\x\\""'),
        ("1\x01", 'time: unknown unit "\\x01" in duration "1\\x01"'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_duration(text)
    assert info.value.message == message
