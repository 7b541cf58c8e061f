"""Word expansion: table-driven cases for every rule."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, Lexer
from frontend.language.shell import EnvExpander

ENV = {"A": "hello world", "E": "", "P": "/usr/local/bin", "F": "file.tar.gz", "X": "x"}

EXPAND = [
    ("$X", "x"),
    ("${X}", "x"),
    ("a${X}b", "axb"),
    ("$X$X", "xx"),
    ("$UNSET", ""),
    ("${UNSET}", ""),
    ("${E:-d}", "d"),
    ("${E-d}", ""),
    ("${UNSET-d}", "d"),
    ("${UNSET:-d}", "d"),
    ("${X:-d}", "x"),
    ("${E:+w}", ""),
    ("${E+w}", "w"),
    ("${X:+w}", "w"),
    ("${UNSET+w}", ""),
    ("${X:?msg}", "x"),
    ("${E?msg}", ""),
    ("${P#*/}", "usr/local/bin"),
    ("${P##*/}", "bin"),
    ("${P%/*}", "/usr/local"),
    ("${P%%/*}", ""),
    ("${F%.*}", "file.tar"),
    ("${F%%.*}", "file"),
    ("${F#*.}", "tar.gz"),
    ("${F##*.}", "gz"),
    ("${F#nomatch}", "file.tar.gz"),
    ("${F/./_}", "file_tar.gz"),
    ("${F//./_}", "file_tar_gz"),
    ("${F/nomatch/_}", "file.tar.gz"),
    ("${UNSET:-${X}}", "x"),
    ("'$X'", "$X"),
    ('"$X"', "x"),
    ('"a\\"b"', 'a"b'),
    ('"a\\nb"', "a\\nb"),
    ("a\\$X", "a$X"),
    ("\\", ""),
    ("$", "$"),
    ("$1", ""),
    ("a$", "a$"),
    ('"$A"', "hello world"),
    ("${X:-a b}", "x"),
]


@pytest.mark.parametrize(("word", "value"), EXPAND)
def test_expand_word(word: str, value: str) -> None:
    assert Lexer().expand_word(word, ENV).value == value


WORDS = [
    ("$A", ["hello", "world"]),
    ('"$A"', ["hello world"]),
    ("a b  c", ["a", "b", "c"]),
    ("'a b' c", ["a b", "c"]),
    ("a\\ b", ["a b"]),
    ('""', []),
    ("x$E y", ["x", "y"]),
]


@pytest.mark.parametrize(("word", "words"), WORDS)
def test_expand_words(word: str, words: list[str]) -> None:
    assert Lexer().expand_words(word, ENV) == words


ERRORS = [
    ("${X", "syntax error: missing '}'"),
    ("${", "syntax error: missing '}'"),
    ("${}", "bad substitution"),
    ("${:x}", "bad substitution"),
    ("${X:#a}", "unsupported modifier (:#) in substitution"),
    ("${X!}", "unsupported modifier (!) in substitution"),
    ("${UNSET:?custom}", "UNSET: custom"),
    ("${UNSET?}", "UNSET: is not allowed to be unset"),
    ("${E:?}", "E: is not allowed to be empty"),
    ("'abc", "matching single-quote"),
    ('"abc', "matching double-quote"),
    ("${X/a", "missing '/' in ${}"),
]


@pytest.mark.parametrize(("word", "message"), ERRORS)
def test_expand_errors(word: str, message: str) -> None:
    with pytest.raises(DockerfileError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("$", r"\$").replace("{", r"\{").replace("}", r"\}")):  # fmt: skip
        Lexer().expand_word(word, ENV)


def test_used_and_unset_names() -> None:
    res = Lexer().expand_word("$X ${NOPE:-d} ${E} '$Q'", ENV)
    assert res.used == {"X", "E"}
    assert res.unset == {"NOPE"}


def test_backtick_escape() -> None:
    assert Lexer("`").expand_word("a`$X\\b", ENV).value == "a$X\\b"
    assert Lexer("`").expand_word('"a`"b"', ENV).value == 'a"b'


def test_skip_unset_and_raw() -> None:
    lex = Lexer(skip_unset_env=True)
    assert lex.expand_word("$NO ${NO} ${NO:-x}", {}).value == "$NO ${NO} ${NO:-x}"
    raw = Lexer(raw_quotes=True, raw_escapes=True)
    assert raw.expand_word("'a' \"$X\" \\q", ENV).value == "'a' \"x\" \\q"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # heredoc content as the reference's ExpandRaw (SkipProcessQuotes): quotes are
        # plain characters, escapes are processed (TestCopyHeredocSpecialSymbols)
        ("'$X' \"$X\" \\$X", "'x' \"x\" $X"),
        ("\\", ""),
        ("\\\\", "\\"),
        ('"q\\"q"', '"q"q"'),
        ("it's", "it's"),
        ("${Y:-'d'} ${Y:-\"a b\"}", "'d' \"a b\""),
    ],
)
def test_env_expander_raw_keeps_quotes_processes_escapes(text: str, value: str) -> None:
    assert EnvExpander(Lexer(), ENV).raw(text) == value
    # the escape token is \ whatever the file's
    assert EnvExpander(Lexer("`"), ENV).raw(text) == value


def test_env_expander_collects_names() -> None:
    ex = EnvExpander(Lexer(), ENV)
    assert ex.word("$X") == "x"
    assert ex.words("$A") == ["hello", "world"]
    assert ex.used == {"X", "A"}
    ex.raw("\\$A")
    assert ex.used == {"X", "A"}  # escaped names are not looked up
    ex.word("$MISSING")
    assert ex.unset == {"MISSING"}


@pytest.mark.parametrize("word", ["${X#[z-a]}", "${X%%x[z-a]}", "${X/[z-a]/y}"])
def test_bad_bracket_range_is_a_dockerfile_error(word: str) -> None:
    with pytest.raises(DockerfileError) as info:
        Lexer().expand_word(word, ENV)
    assert "in substitution: error parsing regexp: invalid character class range: `z-a`" in (
        info.value.message
    )


@pytest.mark.parametrize("pattern", ["[!]", "[^]]x"])
def test_bracket_right_after_negation_is_a_member(pattern: str) -> None:
    Lexer().expand_word("${X#" + pattern + "}", ENV)  # no regex error


def test_bad_bracket_range_in_an_instruction_is_located() -> None:
    from tests.unit.compiler.util import compile_text, lines

    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM scratch", "ENV a=${a#[z-a]}"))
    assert info.value.location is not None and info.value.location.start_line == 2
