"""Heredocs: the words that start them and the bodies read for them."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile
from frontend.language import instructions as ins
from frontend.language.heredocs import heredoc_word, parse_heredoc, read_heredocs
from tests.unit.compiler.util import compile_text, lines

HEREDOC_WORDS = [
    ("<<EOF", ("EOF", 0, True, False)),
    ("<<-EOF", ("EOF", 0, True, True)),
    ("<<'EOF'", ("EOF", 0, False, False)),
    ('<<"EOF"', ("EOF", 0, False, False)),
    ('<<E"O"F', ("EOF", 0, False, False)),
    ("3<<EOF", ("EOF", 3, True, False)),
    ("0<<EOF", ("EOF", 0, True, False)),
    ("<< EOF", ("EOF", 0, True, False)),
    ("<<-\tEOF", ("EOF", 0, True, True)),
    ("<<EOF cat", None),
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


def test_heredoc_word_is_none_where_parse_heredoc_raises() -> None:
    # the reference's MustParseHeredoc: a delimiter that does not lex is no heredoc
    with pytest.raises(DockerfileError):
        parse_heredoc('<<"EOF')
    assert heredoc_word('<<"EOF') is None
    assert heredoc_word("<<EOF") == parse_heredoc("<<EOF")


def test_blanks_after_the_marker_start_a_heredoc() -> None:
    # ``RUN cat << EOF``: the reference's lexer keeps "<< EOF" one word
    df = parse_dockerfile("FROM a\nRUN cat << EOF > /x\nhello\nEOF\nRUN true\n")
    run = df.nodes[1]
    assert [(h.name, h.content) for h in run.heredocs] == [("EOF", "hello\n")]
    assert len(df.nodes) == 3


def test_a_heredoc_source_in_json_form_has_no_body() -> None:
    copy = parse_dockerfile('FROM a\nCOPY ["<<EOF", "/dest"]\n').instructions[1]
    assert isinstance(copy, ins.Copy)
    assert copy.sources == () and copy.contents == (ins.SourceContent("EOF", "", True),)


def test_a_source_that_does_not_lex_is_a_path() -> None:
    # ``COPY <<"EOF EOF2" /x``: the line starts heredoc "EOF EOF2", but its first
    # argument, ``<<"EOF``, is a path (whose expansion fails, as in the reference)
    text = lines("FROM a", 'COPY <<"EOF EOF2" /x', "hi", "EOF EOF2")
    copy = parse_dockerfile(text).instructions[1]
    assert isinstance(copy, ins.Copy)
    assert copy.sources == ('<<"EOF', 'EOF2"')
    with pytest.raises(DockerfileError) as info:
        compile_text(text)
    assert info.value.message == (
        'failed to process "<<\\"EOF": '
        "unexpected end of statement while looking for matching double-quote"
    )


@pytest.mark.parametrize("marker", ["<<EOF", "0<<EOF", "<< EOF", "3<<EOF", '<<"EOF"'])
def test_run_of_one_heredoc_runs_its_body(marker: str) -> None:
    # the reference's dispatchRun: MustParseHeredoc of the whole command
    c = compile_text(lines("FROM busybox", f"RUN {marker}", "echo hi", "EOF"))
    assert list(c.execs()[0].meta.args) == ["/bin/sh", "-c", "echo hi\n"]
    assert c.names[-2].endswith(f"RUN {marker} (echo hi)")


def test_run_of_one_heredoc_on_fd_0_with_a_shebang_is_a_script() -> None:
    c = compile_text(lines("FROM busybox", "RUN 0<<EOF", "#!/bin/sh", "echo hi", "EOF"))
    assert list(c.execs()[0].meta.args) == ["/bin/sh", "-c", "/dev/pipes/EOF"]


def test_run_with_a_command_and_a_heredoc_is_given_to_the_shell() -> None:
    c = compile_text(lines("FROM busybox", "RUN 0<<EOF cat", "hi", "EOF"))
    assert list(c.execs()[0].meta.args) == ["/bin/sh", "-c", "0<<EOF cat\nhi\nEOF"]


SPECIAL_SYMBOLS = [
    # the reference's TestCopyHeredocSpecialSymbols: (delimiter, body, file content)
    ("EOF", '"quotes in file"', '"quotes in file"\n'),
    ("EOF", "\\", "\n"),
    ("EOF", "\\\\", "\\\n"),
    ("EOF", "\\$", "$\n"),
    ('"EOF"', "\\", "\\\n"),
    ('"EOF"', "\\\\", "\\\\\n"),
    ('"EOF"', "\\$", "\\$\n"),
]


@pytest.mark.parametrize(("delimiter", "body", "content"), SPECIAL_SYMBOLS)
def test_copy_heredoc_special_symbols(delimiter: str, body: str, content: str) -> None:
    c = compile_text(lines("FROM scratch", f"COPY <<{delimiter} file", body, "EOF"))
    (mkfile,) = [a.mkfile for f in c.files() for a in f.actions if a.HasField("mkfile")]
    assert mkfile.data.decode() == content


VAR_SUBSTITUTION = [
    # the reference's TestHeredocVarSubstitution (ARG name=world)
    ("EOF", "Hello ${name}!", "Hello world!\n"),
    ("'EOF'", "Hello ${name}!", "Hello ${name}!\n"),
    ('"EOF"', "Hello ${name}!", "Hello ${name}!\n"),
    ("EOF", "Hello '${name}'!", "Hello 'world'!\n"),
    ("EOF", 'Hello "${name}"!', 'Hello "world"!\n'),
    ("'EOF'", "Hello '${name}'!", "Hello '${name}'!\n"),
    ("'EOF'", 'Hello "${name}"!', 'Hello "${name}"!\n'),
    ('"EOF"', "Hello '${name}'!", "Hello '${name}'!\n"),
    ('"EOF"', 'Hello "${name}"!', 'Hello "${name}"!\n'),
]


@pytest.mark.parametrize(("delimiter", "body", "content"), VAR_SUBSTITUTION)
def test_copy_heredoc_var_substitution(delimiter: str, body: str, content: str) -> None:
    text = lines("FROM busybox", "ARG name=world", f"COPY <<{delimiter} /dest", body, "EOF")
    c = compile_text(text)
    (mkfile,) = [a.mkfile for f in c.files() for a in f.actions if a.HasField("mkfile")]
    assert mkfile.data.decode() == content


def test_copy_heredoc_content_escapes_with_backslash_under_backtick_escape() -> None:
    text = lines("# escape=`", "FROM scratch", "ARG v=1", "COPY <<EOF /x", "a\\\\b `$v \\$v", "EOF")
    c = compile_text(text)
    (mkfile,) = [a.mkfile for f in c.files() for a in f.actions if a.HasField("mkfile")]
    assert mkfile.data.decode() == "a\\b `1 $v\n"
