"""The errors of the language step: which of them the reference words as
``dockerfile parse error on line N: ...`` (the instruction step's,
:class:`~frontend.language.errors.InstructionError`) and which not (the line parser's)."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, InstructionError, Range, parse_dockerfile


def _error(text: str) -> DockerfileError:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(text, "Dockerfile.x")
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("FROM scratch\nBADCMD\n", 2, "unknown instruction: BADCMD"),
        ("FROM scratch\nENV\n", 2, "ENV requires at least one argument"),
        ("FROM scratch\n\nCOPY --bogus=1 \\\n  a b\n", 3, "unknown flag: --bogus"),
    ],
)
def test_instruction_step_errors(text: str, line: int, message: str) -> None:
    err = _error(text)
    assert isinstance(err, InstructionError)
    assert err.message == message
    assert err.line == line
    assert err.location is not None and err.location.start_line == line
    assert err.filename == "Dockerfile.x"
    assert err.reference_message == f"dockerfile parse error on line {line}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FROM scratch\nENV foo\n", "ENV must have two arguments"),
        ("FROM scratch\nRUN <<EOF\n", "unterminated heredoc"),
        ("# only a comment\n", "file with no instructions"),
    ],
)
def test_line_parser_errors_keep_their_wording(text: str, message: str) -> None:
    err = _error(text)
    assert not isinstance(err, InstructionError)
    assert err.message == err.reference_message == message


def test_an_instruction_error_stays_one_when_located_again() -> None:
    err = InstructionError("m", None, None, line=4)
    moved = err.with_location(Range(4, 5), "Dockerfile")
    assert isinstance(moved, InstructionError)
    assert (moved.line, moved.location, moved.filename) == (4, Range(4, 5), "Dockerfile")
    assert moved.reference_message == "dockerfile parse error on line 4: m"
    assert err.with_location(None) is err
