"""Heredocs: the words that start them and the bodies read for them."""

from __future__ import annotations

import pytest

from frontend.language import parse_dockerfile
from frontend.language.heredocs import parse_heredoc, read_heredocs

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


def test_read_heredocs_returns_bodies_and_next_line() -> None:
    parts = ["RUN <<A <<-B", "a", "A", "\tb", "\tB", "next"]
    docs, i = read_heredocs(parts[0], parts, 1, len(parts), 1)
    assert [(d.name, d.chomp, d.content) for d in docs] == [
        ("A", False, "a\n"),
        ("B", True, "\tb\n"),
    ]
    assert i == 5
    assert read_heredocs("RUN echo <<", parts, 1, len(parts), 1) == ((), 1)
