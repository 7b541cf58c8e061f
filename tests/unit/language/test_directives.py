"""Parser directives (``# syntax=``, ``# escape=``, ``# check=``): table-driven cases."""

from __future__ import annotations

import pytest

from frontend.language import parse_dockerfile
from frontend.language.directives import detect_syntax


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
    # (its value is read by the build checks: frontend.dockerui.checks.directive)
    assert df.directives.check is not None
    assert df.directives.check.value == "skip=A,B;error=true"


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


@pytest.mark.parametrize("blank", ["\u00a0", "\v", "\u3000", " \t"])
def test_any_go_space_after_the_comment_marker(blank: str) -> None:
    # the reference trims with unicode.IsSpace after "#", then matches its regexp
    df = parse_dockerfile(f"#{blank}escape=`\nFROM a\nRUN echo a `\n  b\n")
    assert df.escape == "`" and len(df.nodes) == 2
