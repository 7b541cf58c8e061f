"""The parser's fast paths give what its general paths give, for the same input.

Each fast path is a guard in front of a general rule (the lexer, a regular
expression, a character loop, the flag parser); these properties feed the same
text to both and compare.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from frontend.language import arguments as args
from frontend.language import heredocs as h
from frontend.language import parse_dockerfile
from frontend.language import parser as p
from frontend.language.errors import DockerfileError
from frontend.language.instructions import (
    _ADD_NO_FLAGS,
    _COPY_NO_FLAGS,
    _FROM_NO_FLAGS,
    _RUN_NO_FLAGS,
    _copy_flags,
    _from_flags,
    _run_flags,
)
from frontend.language.shell import SPACE_CHARS

# characters that matter to some rule: quotes, both escape tokens, variables, heredoc
# markers, ASCII and Unicode white space (Go's and Python's differ: \x1c-\x1f, \x85)
_ALPHABET = [
    "a", "b", "=", "-", "--", "<<", "<", "3", "EOF", "'", '"', "\\", "`", "$", "{", "}",
    "[", "]", ",", " ", "  ", "\t", "\v", "\f", "\r", "\xa0", "\u3000", "\u2028", "\x1c",
    "\x85", "\u00e9",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_ALPHABET), max_size=16).map("".join)
_ESCAPE = st.sampled_from(["\\", "`"])


@settings(max_examples=500, deadline=None)
@given(_TEXT, _ESCAPE)
@example('A="two words" B=x', "\\")
@example("a\\", "\\")
@example("'unclosed x", "`")
def test_split_words(text: str, escape: str) -> None:
    general = args._split_words_general(text, escape)
    fast = args._split_words_fast(text, escape)
    assert fast is None or fast == general
    assert args.split_words(text, escape) == general


def _lexed_line_words(line: str) -> list[str]:
    try:
        return h._LEXER_HEREDOC_LINE.expand_words(line, {})
    except DockerfileError:
        return []


@settings(max_examples=500, deadline=None)
@given(_TEXT)
@example("cat <<EOF 2<<-X")
def test_heredoc_line_words(line: str) -> None:
    assert h._heredoc_line_words(line) == _lexed_line_words(line)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.sampled_from(["", "3"]), st.booleans())
@example("EOF", "", False)
@example("E-O.F_1", "2", True)
def test_heredoc_word(rest: str, fd: str, chomp: bool) -> None:
    word = f"{fd}<<{'-' if chomp else ''}{rest}"
    match = h._HEREDOC_RE.fullmatch(word)
    try:
        general = (
            h._lex_heredoc(match[3], int(match[1] or "0"), match[2] == "-")
            if match is not None and match[3]
            else None
        )
    except DockerfileError:
        return
    assert h.parse_heredoc(word) == general


@settings(max_examples=500, deadline=None)
@given(_TEXT, _ESCAPE)
@example("RUN a \\", "\\")
@example("RUN a \\\\", "\\")
@example("\\ \t", "\\")
def test_line_end_guard(token: str, escape: str) -> None:
    # parse_nodes takes a line as ending when it does not end with the escape token
    # (after spaces and tabs); the continuation rule must agree
    if token.rstrip(" \t")[-1:] != escape:
        assert p._trim_continuation(escape, token) == (token, True)


@settings(max_examples=1000, deadline=None)
@given(_TEXT, _ESCAPE)
@example("RUN a \\", "\\")
@example("RUN a \\\\", "\\")
@example("\\ \t", "\\")
@example("\\", "\\")
@example("a\n\\", "\\")
@example("RUN a ` ", "`")
def test_continuation_is_the_references_regex(token: str, escape: str) -> None:
    # the reference's lineContinuationRegex, searched over the whole line: the tail
    # check must give the same line and the same verdict
    e = re.escape(escape)
    found = re.search(rf"([^{e}]){e}[ \t]*\Z|^{e}[ \t]*\Z", token, re.DOTALL)
    expected = (
        (token, True) if found is None else (token[: found.start()] + (found.group(1) or ""), False)
    )
    assert p._trim_continuation(escape, token) == expected


@settings(max_examples=500, deadline=None)
@given(_TEXT.map(lambda t: t.strip(SPACE_CHARS)))
@example("RUN echo hi")
@example("RUN  echo")
@example("R\u00e9N\techo")
def test_split_name(text: str) -> None:
    assert args._split_name(text) == args._WS_SPLIT.split(text, maxsplit=1)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
@example("--mount=x y")
@example("\xa0x")
def test_no_flags_guard(rest: str) -> None:
    if args._has_no_flags(rest):
        assert args.extract_flags(rest) == (rest, [])


@settings(max_examples=300, deadline=None)
@given(_TEXT.map(lambda t: t.strip(SPACE_CHARS)))
@example('["a"]')
@example("[")
def test_shell_form_guard(rest: str) -> None:
    # a stripped argument not starting with "[" is not JSON: no need to try
    if rest[:1] != "[":
        assert args.maybe_json(rest) == ([rest] if rest else [], False)
        assert args.maybe_json_to_list(rest) == (args.whitespace_delimited(rest), False)


def test_no_flag_values_are_the_parsers_own() -> None:
    assert _from_flags(()) == _FROM_NO_FLAGS
    assert _run_flags(()) == _RUN_NO_FLAGS
    assert _copy_flags((), add=False) == _COPY_NO_FLAGS
    assert _copy_flags((), add=True) == _ADD_NO_FLAGS


def test_default_flags_written_out_match_no_flags() -> None:
    plain = parse_dockerfile("FROM a\nRUN x\nCOPY a b\nADD a b\n").instructions
    spelled = parse_dockerfile(
        "FROM a\nRUN --network=default --security=sandbox x\n"
        "COPY --link=false --parents=false --chown= --chmod= a b\n"
        "ADD --link=false --keep-git-dir=false --checksum= a b\n"
    ).instructions
    run, run2 = plain[1], spelled[1]
    assert (run.mounts, run.network, run.security, run.devices) == (  # type: ignore[union-attr]
        run2.mounts, run2.network, run2.security, run2.devices,  # type: ignore[union-attr]
    )  # fmt: skip
    for a, b in zip(plain[2:], spelled[2:], strict=True):
        assert (a.chown, a.chmod, a.link, a.excludes, a.sources, a.dest) == (  # type: ignore[union-attr]
            b.chown, b.chmod, b.link, b.excludes, b.sources, b.dest,  # type: ignore[union-attr]
        )  # fmt: skip
