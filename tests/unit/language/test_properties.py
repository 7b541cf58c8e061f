"""Property-based tests: arbitrary text raises only DockerfileError; parsing is deterministic."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from frontend.language import DockerfileError, Lexer, parse_dockerfile

_PIECES = st.sampled_from(
    [
        "FROM a",
        "RUN ",
        "COPY ",
        "ONBUILD ",
        "ENV ",
        "ARG ",
        "HEALTHCHECK ",
        "<<EOF",
        "<<-'E'",
        "EOF",
        "\\",
        "`",
        "\n",
        "\r\n",
        "\t",
        " ",
        '"',
        "'",
        "[",
        "]",
        "$",
        "${",
        "}",
        ":-",
        "#",
        "# escape=`",
        "--mount=",
        "type=cache",
        ",",
        "=",
        "--",
        "a",
        "1",
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_only_dockerfile_errors(text: str) -> None:
    try:
        first = parse_dockerfile(text)
    except DockerfileError:
        return
    assert parse_dockerfile(text) == first


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["\\", "`"]))
def test_lexer_only_dockerfile_errors(text: str, escape: str) -> None:
    lexer = Lexer(escape)
    env = {"a": "x y", "EOF": ""}
    try:
        first = lexer.expand_word(text, env)
        words = lexer.expand_words(text, env)
    except DockerfileError:
        return
    assert lexer.expand_word(text, env) == first
    assert lexer.expand_words(text, env) == words


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_bytes_input(data: bytes) -> None:
    with contextlib.suppress(DockerfileError):
        parse_dockerfile(data)
