"""Lines and nodes: continuations, comments, locations, parse errors; table-driven."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile


def nodes(text: str) -> list[tuple[str, tuple[str, ...], int, int]]:
    df = parse_dockerfile(text)
    return [(n.name, n.args, n.location.start_line, n.location.end_line) for n in df.nodes]


LINES = [
    ("FROM a\n", [("FROM", ("a",), 1, 1)]),
    ("\n\nFROM a\n\n", [("FROM", ("a",), 3, 3)]),
    ("# c\nFROM a\n", [("FROM", ("a",), 2, 2)]),
    ("FROM a\r\nRUN x\r\n", [("FROM", ("a",), 1, 1), ("RUN", ("x",), 2, 2)]),
    ("\ufeffFROM a", [("FROM", ("a",), 1, 1)]),
    ("FROM a\nRUN a \\\n b\n", [("FROM", ("a",), 1, 1), ("RUN", ("a  b",), 2, 3)]),
    ("FROM a\nRUN a \\\n# c\n b\n", [("FROM", ("a",), 1, 1), ("RUN", ("a  b",), 2, 4)]),
    ("FROM a\nRUN a \\\n\n b\n", [("FROM", ("a",), 1, 1), ("RUN", ("a  b",), 2, 4)]),
    ("FROM a\nRUN a \\  \n b\n", [("FROM", ("a",), 1, 1), ("RUN", ("a  b",), 2, 3)]),
    ("# escape=`\nFROM a\nRUN a `\n b\n", [("FROM", ("a",), 2, 2), ("RUN", ("a  b",), 3, 4)]),
    ("# escape=`\nFROM a\nRUN c:\\ \n", [("FROM", ("a",), 2, 2), ("RUN", ("c:\\",), 3, 3)]),
    ("from a\nrun x\n", [("from", ("a",), 1, 1), ("run", ("x",), 2, 2)]),
    ("  FROM   a  \n", [("FROM", ("a",), 1, 1)]),
    ("FROM a\nRUN a \\\n", [("FROM", ("a",), 1, 1), ("RUN", ("a",), 2, 2)]),
]


@pytest.mark.parametrize(("text", "expected"), LINES)
def test_lines(text: str, expected: list[tuple[str, tuple[str, ...], int, int]]) -> None:
    assert nodes(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("# escape=`\n# escape=\\\nFROM a\n", "only one escape parser directive can be used", 2),
        ("# syntax=a\n# SYNTAX=b\nFROM a\n", "only one syntax parser directive can be used", 2),
        ("# escape=x\nFROM a\n", "invalid escape token 'x' does not match ` or \\", 1),
        ("", "file with no instructions", 1),
        ("# only a comment\n\n", "file with no instructions", 2),
        ("FROM a\nRUN <<EOF\nhi\n", "unterminated heredoc", 2),
        ('FROM a\nRUN ["a", 1]\n', "arrays must be comprised of strings only", 2),
        ("FROM a\nENV A\n", "ENV must have two arguments", 2),
        ("FROM a\nENV A=b c\n", 'Syntax error - can\'t find = in "c"', 2),
        ("FROM a\nLABEL x\n", "LABEL must have two arguments", 2),
    ],
)
def test_parse_errors(text: str, message: str, line: int) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(text, "Dfile")
    assert message in info.value.message
    assert info.value.location is not None and info.value.location.start_line == line
    assert info.value.filename == "Dfile"
    assert info.value.format().startswith(f"Dfile:{line}: ")


def test_empty_continuation_warning() -> None:
    df = parse_dockerfile("FROM a\nRUN a \\\n\n b\n")
    assert df.warnings and df.warnings[0][1].start_line == 4  # the last line read


def test_original_text() -> None:
    df = parse_dockerfile("FROM a\nRUN echo a \\\n  b   \nRUN <<EOF\nx\nEOF\n")
    assert df.instructions[1].original == "RUN echo a   b"
    # the instruction line only: the bodies live in the heredocs (as the reference's
    # Node.Original, so step names read ``RUN <<EOF (x)``)
    assert df.instructions[2].original == "RUN <<EOF"
    df = parse_dockerfile("FROM a\nCOPY <<A <<B /d/\na\nA\nb\nB\nRUN \\\n  cat <<X\nx\nX\n")
    assert df.nodes[1].original == "COPY <<A <<B /d/"
    assert df.nodes[2].original == "RUN   cat <<X"
    assert (df.nodes[2].location.start_line, df.nodes[2].location.end_line) == (7, 10)


SHELL_FORM = [
    # a JSON array followed by text is the shell form (the reference's TestInvalidJSONCommands)
    ('RUN ["echo","hello"]this is invalid', ('["echo","hello"]this is invalid',)),
    ("ENTRYPOINT []random string", ("[]random string",)),
    ('CMD ["a"] b', ('["a"] b',)),
    ('COPY ["a", "./"] --from=dep', ('["a",', '"./"]', "--from=dep")),
    ('VOLUME ["/a"] /b', ('["/a"]', "/b")),
    ('HEALTHCHECK CMD ["a"] b', ("CMD", '["a"] b')),
]


@pytest.mark.parametrize(("line", "args"), SHELL_FORM)
def test_json_followed_by_text_is_shell_form(line: str, args: tuple[str, ...]) -> None:
    node = parse_dockerfile("FROM a\n" + line + "\n").nodes[1]
    assert node.args == args and not node.json


LONG = "dockerfile line greater than max allowed size of 65535"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the reference's bufio.Scanner: a line and its "\n" in 65536 bytes (UTF-8)
        ("FROM a\nRUN echo " + "a" * 65527 + "\n", LONG),
        ("FROM a\nRUN echo " + "a" * 65527, LONG),  # the last line leaves a byte free
        ("FROM a\nRUN echo " + "\u00e9" * 32764 + "\n", LONG),
        ("FROM a\nRUN echo \\\n" + "a" * 70000 + "\n", LONG),
        ("FROM a\nRUN <<EOF\n" + "a" * 70000 + "\nEOF\n", "unterminated heredoc"),
        ("RUN echo " + "a" * 70000 + "\nFROM a\n", "file with no instructions"),
    ],
)
def test_lines_longer_than_the_reference_reads(text: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN echo " + "a" * 65526 + "\n",
        "FROM a\nRUN echo " + "a" * 65526,
        "FROM a\nRUN echo " + "\u00e9" * 32763 + "\n",
    ],
)
def test_lines_at_the_limit_are_read(text: str) -> None:
    assert len(parse_dockerfile(text).nodes) == 2


def test_comments_kept_for_the_next_instruction_as_the_reference() -> None:
    text = "# syntax=x\n# a\n  # b\n#\n# c\n\n# d\nFROM x\n# e\nRUN a \\\n# f\n b\n"
    nodes = parse_dockerfile(text).nodes
    # directives are no comments, "#" drops those before it, "  # b" reads "# b", and a
    # comment inside a continued instruction is not kept
    assert [n.comments for n in nodes] == [("c", "d"), ("e",)]
    nodes = parse_dockerfile("# a\n  # b\nFROM x\n").nodes
    assert nodes[0].comments == ("a", "# b")


def test_empty_continuation_warning_is_at_the_last_line_read() -> None:
    df = parse_dockerfile("FROM a\nRUN a \\\n\n  b \\\n  c\n")
    assert [(m, (r.start_line, r.end_line)) for m, r in df.warnings] == [
        ("Empty continuation line found in: RUN a   b   c", (5, 5))
    ]


def test_the_file_as_given_is_kept_for_the_source_map() -> None:
    from tests.unit.compiler.util import compile_text

    raw = b"\xef\xbb\xbfFROM busybox\n# \xff\nRUN true\n"
    df = parse_dockerfile(raw)
    assert df.data == raw and df.source.startswith("FROM")
    c = compile_text(raw)  # type: ignore[arg-type]
    assert c.definition.pb.Source.infos[0].data == raw


def test_healthcheck_type_ends_at_a_blank_byte_as_the_reference() -> None:
    # U+00A0 is C2 A0: the reference's byte scan ends the type after C2
    from frontend.language.parser import parse_nodes

    node = parse_nodes("FROM a\nHEALTHCHECK CMD\u00a0ls\n").nodes[1]
    assert node.args == ("CMD\ufffd", "ls")
    with pytest.raises(DockerfileError) as info:
        _ = parse_dockerfile("FROM a\nHEALTHCHECK CMD\u00a0ls\n").instructions
    assert info.value.message == 'Unknown type "CMD\ufffd" in HEALTHCHECK (try CMD)'
    assert parse_dockerfile("FROM a\nHEALTHCHECK CMD \u00e9\n").nodes[1].args == ("CMD", "\u00e9")


def test_a_str_with_a_lone_surrogate_is_read_as_invalid_utf8() -> None:
    # the Python API takes str; a lone surrogate stands for no UTF-8 and becomes
    # what its bytes (surrogatepass: ED A0 80) decode to, one U+FFFD a byte as Go
    # decodes them (fuzz: UnicodeEncodeError far downstream)
    from frontend.language import parse_dockerfile

    df = parse_dockerfile("FROM a\nLABEL a=\ud800\n")
    assert df.source == "FROM a\nLABEL a=\ufffd\ufffd\ufffd\n"
    df.source.encode("utf-8")


def test_a_deep_onbuild_chain_is_refused_not_a_recursion_error() -> None:
    # the reference's parser nests a node a level; ours walks the chain in a loop
    import pytest

    from frontend.language import DockerfileError, parse_dockerfile

    with pytest.raises(DockerfileError) as info:
        parse_dockerfile("FROM a\n" + "ONBUILD " * 5000 + "RUN x\n")
    assert info.value.message == "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    assert info.value.location is not None and info.value.location.start_line == 2
