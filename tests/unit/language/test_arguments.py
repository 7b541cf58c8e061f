"""Argument forms: exec (JSON) and shell forms, flags, word lists, key=value pairs."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile
from frontend.language.arguments import (
    extract_flags,
    name_val,
    parse_json_array,
    split_command,
    split_words,
    whitespace_delimited,
)

FORMS = [
    ('RUN ["a", "b"]', True, ("a", "b")),
    ('RUN [ "a" ]', True, ("a",)),
    ('RUN ["a" ] trailing', False, ('["a" ] trailing',)),
    ("RUN [a, b]", False, ("[a, b]",)),
    ("RUN ['a']", False, ("['a']",)),
    ('RUN ["a",', False, ('["a",',)),
    ('RUN {"a": 1}', False, ('{"a": 1}',)),
    ("RUN a b", False, ("a b",)),
    ('COPY ["a b", "c"]', True, ("a b", "c")),
    ("COPY a  b", False, ("a", "b")),
    ('CMD ["a"]', True, ("a",)),
    ('ENTRYPOINT ["a", "\\u00e9"]', True, ("a", "\u00e9")),
]


@pytest.mark.parametrize(("line", "is_json", "args"), FORMS)
def test_exec_and_shell_forms(line: str, is_json: bool, args: tuple[str, ...]) -> None:
    node = parse_dockerfile("FROM a\n" + line + "\n").nodes[1]
    assert node.json is is_json
    assert node.args == args


def test_flags_are_extracted_with_quotes() -> None:
    node = parse_dockerfile('FROM a\nRUN --mount="type=bind,source=a b" -- ls --x\n').nodes[1]
    assert node.flags == ("--mount=type=bind,source=a b",)
    assert node.args == ("ls --x",)


def test_split_command() -> None:
    assert split_command("  RUN --mount=x --network=none  echo hi ") == (
        "RUN", ("--mount=x", "--network=none"), "echo hi",
    )  # fmt: skip
    assert split_command("RUN\techo") == ("RUN", (), "echo")
    assert split_command("RUN") == ("RUN", (), "")


def test_extract_flags() -> None:
    # quotes and backslashes are removed from the flags; the rest is left as it is
    assert extract_flags('--a="x y" --b=\\z rest of it') == ("rest of it", ["--a=x y", "--b=z"])
    assert extract_flags("--a -- --b") == (" --b", ["--a"])
    assert extract_flags("--a") == ("", ["--a"])


def test_extract_flags_with_the_files_escape_token() -> None:
    assert extract_flags("--a=x`,y\\z rest", "`") == ("rest", ["--a=x,y\\z"])
    assert extract_flags('--a="q`"" rest', "`") == ("rest", ['--a=q"'])


def test_extract_flags_reads_bytes_as_the_reference() -> None:
    # each UTF-8 byte of a flag is one character; 0xA0 (in "à", C3 A0) is white space
    assert extract_flags("--chown=\u00e9 a b") == ("a b", ["--chown=\u00c3\u00a9"])
    assert extract_flags("--m=/\u00e0 true") == ("true", ["--m=/\u00c3"])
    assert extract_flags("--a=1 \u00e9t\u00e9 x") == ("\u00e9t\u00e9 x", ["--a=1"])


def test_json_arrays() -> None:
    assert parse_json_array(' ["a", "b"] \t\r\n') == ["a", "b"]
    assert parse_json_array("[a]") is None
    assert parse_json_array('{"a": 1}') is None
    with pytest.raises(DockerfileError, match="arrays must be comprised of strings only"):
        parse_json_array('["a", null]')


NOT_JSON = [
    # json.Unmarshal: nothing but JSON blanks after the value (TestInvalidJSONCommands)
    '["echo","hello"]this is invalid',
    '["echo", "hello"] this is invalid',
    "[]random string",
    '["a", "./"] --from=dep',
    '["a"]]',
    '["a"]\u00a0x',
    '["a", 1] x',  # checked as a whole before its items: no "strings only" error
    '["a", 1e400]',  # a number out of float64's range is an error, not a non-string
    '["a",]',
]


@pytest.mark.parametrize("text", NOT_JSON)
def test_text_after_a_json_array_makes_it_no_json(text: str) -> None:
    assert parse_json_array(text) is None


def test_json_surrogate_halves_are_replacement_characters() -> None:
    text = '["\\ud800?", "\\ud83d\\ude00", "\\udc00\\u0041"]'
    assert parse_json_array(text) == ["\ufffd?", "\U0001f600", "\ufffdA"]


def test_words_and_pairs() -> None:
    assert split_words('A="x y" B=a\\ b', "\\") == ['A="x y"', "B=a\\ b"]
    assert split_words("A=`` B", "`") == ["A=``", "B"]
    assert whitespace_delimited("a \t b") == ["a", "b"]
    assert whitespace_delimited("") == []
    assert name_val("A=1 B=2", "ENV", "\\") == (["A", "1", "B", "2"], False)
    assert name_val("K some value", "ENV", "\\") == (["K", "some value"], True)
    assert name_val("", "ENV", "\\") == ([], False)
    with pytest.raises(DockerfileError, match="LABEL must have two arguments"):
        name_val("K", "LABEL", "\\")
