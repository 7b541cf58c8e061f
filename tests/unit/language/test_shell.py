"""Word expansion: table-driven cases for every rule."""

from __future__ import annotations

import re
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontend.gocompat import go_quote
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
    ("${X", "unsupported modifier (\ufffd) in substitution"),
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
    ("${X:", "syntax error: missing '}'"),
    ("${X:x", "syntax error: missing '}'"),
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
    ex.word("'$Q' \\$R")
    assert ex.used == {"X", "A"}  # quoted and escaped names are not looked up
    ex.word("$MISSING")
    assert ex.unset == {"MISSING"}


# heredoc content (the reference's TestCopyHeredocSpecialSymbols and
# TestHeredocVarSubstitution): quotes are text, ``\\`` escapes, whatever the file's
# escape token
RAW = [
    ("\\\n", "\n"),
    ("\\\\\n", "\\\n"),
    ("\\$\n", "$\n"),
    ("\\$X \\` `$X", "$X ` `x"),
    ('"quotes in file"\n', '"quotes in file"\n'),
    ("Hello ${X}!\n", "Hello x!\n"),
    ("Hello '${X}'!\n", "Hello 'x'!\n"),
    ('Hello "${X}"!\n', 'Hello "x"!\n'),
    ("'${UNSET:-a b}' $UNSET.", "'a b' ."),
    ("it's", "it's"),
]


@pytest.mark.parametrize(("text", "value"), RAW)
@pytest.mark.parametrize("escape", ["\\", "`"])
def test_env_expander_raw_is_heredoc_content(text: str, value: str, escape: str) -> None:
    ex = EnvExpander(Lexer(escape), ENV)
    assert ex.raw(text) == value


def test_env_expander_raw_notes_names_in_quotes() -> None:
    ex = EnvExpander(Lexer(), ENV)
    ex.raw("'$X' \"$NOPE\"")
    assert ex.used == {"X"} and ex.unset == {"NOPE"}


# the reference's shell patterns (``# ## % %% / //``): ``*`` and ``?`` wild, brackets
# and every other character literal; values checked against the reference converter
PATTERNS = {"A": "abcb", "P": "/usr/local/bin", "N": "a\nb"}
PATTERN_CASES = [
    ("${A#[a]}", "abcb"),
    ("${A#[z-a]}", "abcb"),
    ("${A%%[bc]*}", "abcb"),
    ("${A/[b]/X}", "abcb"),
    ("${A#a}", "bcb"),
    ("${A#?}", "bcb"),
    ("${A#*b}", "cb"),
    ("${A##*b}", ""),
    ("${A%b*}", "abc"),
    ("${A%%b*}", "a"),
    ("${A%?}", "abc"),
    ("${N#?}", "\nb"),  # ``?`` (Go's ``.``) is no newline
    ("${N##*}", "\nb"),
    ("${N%%*}", "a\n"),
    ('${A#"#a"}', "bcb"),  # the doubled modifier is read from the processed word
    ("${A#'#a'}", "bcb"),
    ("${A#\\\\b}", "abcb"),
    ("${A#*\\\\}", "abcb"),
    ("${P#\\/usr}", "/local/bin"),
    ('${P#"\\/usr"}', "/usr/local/bin"),  # a pattern keeps escapes, in quotes too
    ('${P%"\\*"}', "/usr/local/bin"),
    ("${P%\\}}", "/usr/local/bin"),
    ("${P/\\//x}", "xusr/local/bin"),
    ("${A/b/}", "acb"),
    ("${A//b/c}", "accc"),
    ("${A/*/Y}", "Y"),
    ("${A//*/Y}", "Y"),  # no second, empty, match at the end
    ("${A//x*/Y}", "abcb"),
    ("${A//b*?/Y}", "aY"),
    ("${A/#a/Y}", "abcb"),
    ("${A//b/\\$1}", "a\\c\\"),  # Go's ReplaceAllString template: $1 is no group
    ("${A//b/'$1'}", "ac"),
    ("${A//b/'$0'}", "abcb"),
    ("${A//b/'${0}'}", "abcb"),
    ("${A//b/'$$'}", "a$c$"),
    ("${A//b/'${0'}", "a${0c${0"),
    ("${A//b/$}", "a$c$"),
    ("${A/b/'$0'}", "a$0cb"),  # one replacement is literal
    ("${UNSET//x/y}", ""),
]


@pytest.mark.parametrize(("word", "value"), PATTERN_CASES)
def test_shell_patterns(word: str, value: str) -> None:
    assert Lexer().expand_word(word, PATTERNS).value == value


PATTERN_ERRORS = [
    ("${A#a\\x}", "invalid pattern (a\\x) in substitution: invalid escape '\\x'"),
    ("${A%a\\x}", "invalid pattern (\\xa) in substitution: invalid escape '\\x'"),
    ("${A%\\xa}", "invalid pattern (a\\x) in substitution: invalid escape '\\x'"),
    ("${A/\\x/y}", "invalid pattern (\\x) in substitution: invalid escape '\\x'"),
    ("${A#a\\}", "syntax error: missing '}'"),
]


@pytest.mark.parametrize(("word", "message"), PATTERN_ERRORS)
def test_shell_pattern_errors(word: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        Lexer().expand_word(word, PATTERNS)
    assert info.value.message == f"failed to process {go_quote(word)}: {message}"


def test_skip_unset_keeps_modifiers_as_the_reference_prints_them() -> None:
    lex = Lexer(skip_unset_env=True)
    assert lex.expand_word("${NO//a/b} ${NO##x} ${NO:-y}", {}).value == (
        "${NO/a/b} ${NO##x} ${NO:-y}"
    )


def test_errors_name_the_word() -> None:
    # the reference's "failed to process %q" prefix (TestErrorsSourceMap and friends)
    with pytest.raises(DockerfileError) as info:
        Lexer().expand_word('"a${b:?required}"', {})
    assert info.value.message == 'failed to process "\\"a${b:?required}\\"": b: required'


def test_names_are_go_letters_and_digits() -> None:
    assert Lexer().expand_word("$X\u00b2 ${X}\u2163", ENV).value == "x\u00b2 x\u2163"
    assert Lexer().expand_word("$\u0661\u0662", {"\u0661\u0662": "v"}).value == "v"


SPLIT = [
    # a ``<<`` keeps the blanks after it: one word with what follows (heredoc markers)
    ("cat << EOF", ["cat", "<< EOF"]),
    ("cat <<\t EOF x", ["cat", "<<\t EOF", "x"]),
    ("a < b", ["a", "<", "b"]),
    ('"<< " x', ["<< ", "x"]),
    # a nested word drops the part of the word before it (the reference's shared buffer)
    ("ab${UNSET:-c}d", ["cd"]),
    ("ab${X:+c}d e", ["cd", "e"]),
    ('ab"${UNSET:-c}"d', ["cd"]),
    ("ab${X}d", ["abxd"]),
    ("x ${UNSET:-a b} y", ["x", "a", "b", "y"]),
]


@pytest.mark.parametrize(("word", "words"), SPLIT)
def test_word_splitting_as_the_reference(word: str, words: list[str]) -> None:
    assert Lexer().expand_words(word, ENV) == words


def test_a_leading_byte_order_mark_is_skipped() -> None:
    # Go's text/scanner, under the reference's lexer, drops a BOM that starts a word
    assert Lexer().expand_word("\ufeff$X", ENV).value == "x"
    assert Lexer().expand_word("\ufeff\ufeffb", ENV).value == "\ufeffb"
    assert Lexer().expand_word("a\ufeffb", ENV).value == "a\ufeffb"


def _oracle(glob: tuple[str, ...], greedy: bool, anchored: bool) -> re.Pattern[str]:
    """The pattern as a Go-like (leftmost-first) regular expression."""
    from frontend.language import shell as sh

    parts = [
        (".*" if greedy else ".*?") if t is sh._STAR else "." if t is sh._ANY else re.escape(t)
        for t in glob
    ]
    return re.compile(("^" if anchored else "") + "".join(parts))


@settings(max_examples=2000, deadline=None)
@given(
    st.text(alphabet="ab*?", max_size=6),
    st.text(alphabet="ab\n", max_size=8),
    st.integers(min_value=0, max_value=8),
)
def test_shell_pattern_matching_is_regexp_leftmost_first(
    pattern: str, value: str, pos: int
) -> None:
    # the automaton gives what Go's regexp gives (the regular expression is the oracle)
    from frontend.language import shell as sh

    glob = sh._glob(pattern, pattern)
    ends = sh._prefix_ends(glob, value)
    for greedy in (True, False):
        m = _oracle(glob, greedy, True).search(value)
        got = (ends[-1] if greedy else ends[0]) if ends else None
        assert got == (m.end() if m else None)
    pos = min(pos, len(value))
    m = _oracle(glob, True, False).search(value, pos)
    assert sh._find(glob, value, pos) == (m.span() if m else None)


def test_shell_patterns_take_linear_time() -> None:
    # a backtracking regular expression takes exponential time on these
    value = {"A": "a" * 3000}
    assert Lexer().expand_word("${A#" + "*a" * 12 + "b}", value).value == "a" * 3000
    assert Lexer().expand_word("${A//" + "*a" * 12 + "b/x}", value).value == "a" * 3000


def test_a_word_expanded_whole_keeps_no_split_words() -> None:
    # a step name's label expands a whole RUN line as one word: its words are not wanted,
    # and a megabytes line must not be copied into them (issue #14's 10 MB line)
    word = "word and word, " * 70_000  # about 1 MB
    lexer = Lexer("\\")
    assert lexer.expand_words(word, {}) == word.split()  # (split, it has words)
    tracemalloc.start()
    try:
        result = lexer.expand_word(word, {})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.value == word
    assert peak < len(word) // 4, peak
