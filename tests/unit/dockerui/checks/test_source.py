"""Comments as the reference keeps them (``PrevComment``), and the parse-time phase."""

from __future__ import annotations

import pytest

from frontend.dockerui.checks import BuildFacts, LintConfig, lint
from frontend.dockerui.checks.linter import Linter
from frontend.dockerui.checks.parse_rules import check_source
from frontend.language import DockerfileError


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("FROM a\n", ()),
        ("# a\n# b\nFROM a\n", ("a", "b")),
        ("# a\n#\n# b\nFROM a\n", ("b",)),  # "#" alone starts afresh
        ("# a\n#\nFROM a\n", ()),
        ("# check=skip=all\n# a\nFROM a\n", ("a",)),  # the directive is not a comment
    ],
)
def test_node_comments_are_the_references(text: str, kept: tuple[str, ...]) -> None:
    from frontend.language import parse_dockerfile

    assert parse_dockerfile(text).lines[0].comments == kept


def test_directives_are_not_the_first_instructions_comments() -> None:
    # the directive skips nothing of the option's config: the FROM has no comment
    src = "#check=skip=all\nFROM scratch as base\n"
    result = lint(src, BuildFacts(build_args={"BUILDKIT_DOCKERFILE_CHECK": ""}))
    assert [w.rule_name for w in result.warnings] == ["FromAsCasing"]


def test_empty_comment_ends_a_description() -> None:
    src = (
        "# check=experimental=InvalidDefinitionDescription\n"
        "# wrong\n#\nARG foo\n"
        "# wrong\nARG bar\n"
        "FROM scratch\n"
    )
    result = lint(src)
    assert [(w.rule_name, w.line) for w in result.warnings] == [("InvalidDefinitionDescription", 6)]


def test_parse_phase_stops_at_the_first_error() -> None:
    linter = Linter(LintConfig())
    with pytest.raises(DockerfileError) as info:
        check_source(linter, "FROM a AS B\nMAINTAINER --boo x\nMAINTAINER z\n")
    # MAINTAINER warns before it is built (and fails: no flags)
    # (the reference says "unknown flag: --boo"; the flag message is the language layer's)
    assert info.value.message.startswith("dockerfile parse error on line 2: unknown flag: ")
    assert info.value.location is not None and info.value.location.start_line == 2
    assert [(w.rule_name, w.line) for w in linter.warnings] == [
        ("StageNameCasing", 1),
        ("MaintainerDeprecated", 2),
    ]


def test_from_rules_before_the_stage_name_error() -> None:
    result = lint("from a AS Bad-$\n")
    assert [w.rule_name for w in result.warnings] == ["StageNameCasing", "FromAsCasing"]
    assert result.error is not None
    assert result.error.message.startswith(
        "dockerfile parse error on line 1: invalid name for build stage"
    )


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("MAINTAINER x\nFROM a\n", "no build stage in current context"),
        ("ARG a\n", "dockerfile contains no stages to build"),
    ],
)
def test_stage_errors(src: str, message: str) -> None:
    result = lint(src)
    assert result.error is not None and result.error.message == message
    assert result.error.filename == "Dockerfile"


def test_parser_errors_have_no_warnings() -> None:
    result = lint("FROM a\nRUN <<EOF\nunterminated\n")
    assert result.warnings == ()
    assert result.error is not None


def test_casing_counts_only_stage_instructions() -> None:
    # the global ARGs do not vote
    src = "arg a\narg b\narg c\nFROM scratch\nCOPY a b\n"
    result = lint(src, BuildFacts())
    assert [w.rule_name for w in result.warnings] == []


def test_casing_tie_is_uppercase() -> None:
    result = lint("FROM scratch\ncopy a b\n")
    assert [w.message for w in result.warnings] == [
        "Command 'copy' should match the case of the command majority (uppercase)"
    ]


def test_onbuild_keyword_counts() -> None:
    result = lint("from scratch\nONBUILD RUN x\nrun y\n")
    assert [w.message for w in result.warnings] == [
        "Command 'ONBUILD' should match the case of the command majority (lowercase)"
    ]
