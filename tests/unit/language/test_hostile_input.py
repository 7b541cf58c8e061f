"""Text that is not UTF-8: located errors where the reference fails without a line
(issue #14: a UTF-16 file read as ``unknown instruction: \\xff\\xfeF\\x00R...``, invalid
UTF-8 failing at LLB marshal with ``string field contains invalid UTF-8``)."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_such_on_line_1(codec: str) -> None:
    data = "FROM busybox\nRUN echo hi\n".encode(codec)
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(data, "Dockerfile")
    err = info.value
    assert "UTF-16" in err.message and "UTF-8" in err.message
    assert err.location is not None and err.location.start_line == 1
    assert err.filename == "Dockerfile"


def test_invalid_utf8_in_an_instruction_names_its_line() -> None:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(b"FROM busybox\n\nRUN echo \xff\xfe\n")
    err = info.value
    assert err.message == "invalid UTF-8 in the RUN instruction: BuildKit needs UTF-8 text"
    assert err.location is not None and (err.location.start_line, err.location.end_line) == (3, 3)


def test_invalid_utf8_on_a_continuation_line_names_that_line() -> None:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile(b"FROM busybox\nLABEL a=1 \\\n  b=caf\xe9\n")
    assert info.value.location is not None and info.value.location.start_line == 3
    assert "LABEL" in info.value.message


def test_invalid_utf8_in_a_comment_is_fine() -> None:
    parsed = parse_dockerfile(b"# caf\xe9\nFROM busybox\n# \xff\nRUN true\n")
    assert [type(i).__name__ for i in parsed.instructions] == ["From", "Run"]


def test_a_nul_byte_is_kept_as_the_reference_keeps_it() -> None:
    # the reference passes it through into the exec's args (\u0000)
    parsed = parse_dockerfile(b"FROM busybox\nRUN echo hi\x00\n")
    assert "\x00" in parsed.instructions[1].original


def test_more_steps_than_a_definition_can_hold_are_refused_at_the_first_one_too_many() -> None:
    from frontend.language.parser import MAX_STEPS

    lines = ["FROM scratch", "ENV a=1", *(["RUN true", "LABEL x=y"] * MAX_STEPS), "COPY a b"]
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile("\n".join(lines) + "\n")
    err = info.value
    assert err.location is not None and err.location.start_line == len(lines)
    assert "more than 50,000 RUN, COPY and ADD steps" in err.message
    assert "16 MiB" in err.message


def test_as_many_steps_as_allowed_parse() -> None:
    from frontend.language.parser import MAX_STEPS

    parsed = parse_dockerfile("FROM scratch\n" + "RUN true\n" * MAX_STEPS)
    assert len(parsed.instructions) == MAX_STEPS + 1


@pytest.mark.parametrize(
    "text",
    [
        "FROM " + "${+" * 340 + "\n",  # issue #14 reproducer 15
        "FROM " + "${a:-" * 5000 + "x" + "}" * 5000 + "\n",
        "FROM a\nARG b=" + "${a:-" * 5000 + "x" + "}" * 5000 + "\n",
        "FROM a\nRUN --mount=type=secret,id=" + "${a:+" * 5000 + " true\n",
    ],
    ids=["unclosed-from", "from", "arg", "mount"],
)
def test_deeply_nested_substitutions_are_a_located_error(text: str) -> None:
    import sys

    from frontend.compiler import CompileOptions, compile_dockerfile

    assert sys.getrecursionlimit() <= 1000, "the interpreter's default, as in production"
    with pytest.raises(DockerfileError) as info:
        compile_dockerfile(parse_dockerfile(text), CompileOptions()).definition()
    assert info.value.location is not None, info.value


def test_a_deep_heredoc_name_is_no_recursion_error() -> None:
    # issue #14 reproducer 16 (at parse time): not a heredoc name, so a plain word
    from frontend.compiler import CompileOptions, compile_dockerfile

    text = "FROM a\nRUN <<" + "${+" * 340 + "\n"
    compile_dockerfile(parse_dockerfile(text), CompileOptions()).definition()


def test_substitutions_nested_within_the_bound_expand() -> None:
    from frontend.compiler import CompileOptions, compile_dockerfile
    from frontend.language.shell import MAX_NESTING

    depth = MAX_NESTING - 1
    text = "FROM a\nARG b=" + "${a:-" * depth + "x" + "}" * depth + "\nLABEL l=$b\n"
    result = compile_dockerfile(parse_dockerfile(text), CompileOptions())
    import json

    assert json.loads(result.image.to_json())["config"]["Labels"] == {"l": "x"}
