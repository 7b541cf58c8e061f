"""Lines, directives, heredocs and forms: table-driven cases."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile
from frontend.language.directives import detect_syntax, parse_check_directive
from frontend.language.parser import parse_heredoc


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


def test_directives() -> None:
    df = parse_dockerfile(
        "# Syntax = docker/dockerfile:1.7\n#ESCAPE=`\n# check=skip=A,B;error=true\nFROM a\n"
    )
    assert df.escape == "`"
    assert (
        df.directives.syntax is not None and df.directives.syntax.value == "docker/dockerfile:1.7"
    )
    assert df.directives.syntax.location.start_line == 1
    assert df.directives.escape is not None and df.directives.escape.location.start_line == 2
    check = df.directives.check_config()
    assert check.skip == ("A", "B") and check.error and not check.skip_all


@pytest.mark.parametrize(
    "text",
    [
        "\n# escape=`\nFROM a\nRUN a `\n",  # after a blank line: a comment
        "# other\n# escape=`\nFROM a\nRUN a `\n",  # after another comment
        "FROM a\n# escape=`\nRUN a `\n",  # after an instruction
    ],
)
def test_directive_only_at_top(text: str) -> None:
    assert parse_dockerfile(text).escape == "\\"


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


def test_detect_syntax_forms() -> None:
    found0 = detect_syntax("# syntax=img:1 --opt\nFROM a\n")
    assert found0 is not None and found0[:2] == ("img:1", "img:1 --opt")
    found = detect_syntax("#!/usr/bin/env buildctl\n# syntax = img:2\nFROM a\n")
    assert found is not None and found[0] == "img:2" and found[2].start_line == 2
    found = detect_syntax("// syntax=img:3\nFROM a\n")
    assert found is not None and found[0] == "img:3"
    found = detect_syntax('{"syntax": "img:4"}')
    assert found is not None and found[0] == "img:4"
    assert detect_syntax("FROM a\n# syntax=late\n") is None


def test_check_directive_errors() -> None:
    assert parse_check_directive("skip=all").skip_all
    with pytest.raises(DockerfileError):
        parse_check_directive("error=maybe")
    with pytest.raises(DockerfileError):
        parse_check_directive("bogus=1")


HEREDOC_WORDS = [
    ("<<EOF", ("EOF", 0, True, False)),
    ("<<-EOF", ("EOF", 0, True, True)),
    ("<<'EOF'", ("EOF", 0, False, False)),
    ('<<"EOF"', ("EOF", 0, False, False)),
    ('<<E"O"F', ("EOF", 0, False, False)),
    ("3<<EOF", ("EOF", 3, True, False)),
    ("<<", None),
    ("<EOF", None),
    ("a<<EOF", None),
    ("<<EOF<<", None),
]


@pytest.mark.parametrize(("word", "expected"), HEREDOC_WORDS)
def test_heredoc_words(word: str, expected: tuple[str, int, bool, bool] | None) -> None:
    doc = parse_heredoc(word)
    got = None if doc is None else (doc.name, doc.file_descriptor, doc.expand, doc.chomp)
    assert got == expected


def test_heredocs_in_run_copy_add_onbuild() -> None:
    text = (
        "FROM a\n"
        "RUN <<A cat && 2<<-B cat\nline a\nA\n\tline b\n\tB\n"
        "COPY <<X /x\nx $V\nX\n"
        "ADD <<'Y' /y\ny $V\nY\n"
        "ONBUILD RUN <<Z\nz\nZ\n"
        'RUN ["cat", "<<EOF"]\n'
        "RUN echo '<<Q'\n"
    )
    df = parse_dockerfile(text)
    run, copy, add, onbuild, run_json, run_quoted = df.nodes[1:]
    assert [(h.name, h.file_descriptor, h.chomp, h.content) for h in run.heredocs] == [
        ("A", 0, False, "line a\n"),
        ("B", 2, True, "\tline b\n"),
    ]
    assert run.location.start_line == 2 and run.location.end_line == 6
    assert copy.heredocs[0].content == "x $V\n" and copy.heredocs[0].expand
    assert not add.heredocs[0].expand
    assert onbuild.heredocs[0].content == "z\n"
    assert run_json.heredocs == () and run_quoted.heredocs == ()
    ob = df.instructions[4]
    assert ob.name == "ONBUILD"
    assert ob.expression == "RUN <<Z\nz\nZ"  # type: ignore[union-attr]


FORMS = [
    ('RUN ["a", "b"]', True, ("a", "b")),
    ('RUN [ "a" ]', True, ("a",)),
    ('RUN ["a" ] trailing', True, ("a",)),
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


def test_empty_continuation_warning() -> None:
    df = parse_dockerfile("FROM a\nRUN a \\\n\n b\n")
    assert df.warnings and df.warnings[0][1].start_line == 2


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
