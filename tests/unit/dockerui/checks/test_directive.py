"""The check configuration: ``ParseLintOptions``, the ``# check=`` directive, the
``BUILDKIT_DOCKERFILE_CHECK`` build arg, and ``# check=`` comments on instructions."""

from __future__ import annotations

import pytest

from frontend.dockerui.checks import BuildFacts, LintConfig, lint
from frontend.dockerui.checks.directive import (
    build_config,
    check_directive,
    comment_config,
    parse_check_options,
)
from frontend.language import DockerfileError


@pytest.mark.parametrize(
    ("text", "config"),
    [
        ("", LintConfig()),
        ("   ", LintConfig()),
        ("skip=all", LintConfig(skip_all=True)),
        ("skip=A,B", LintConfig(skip=frozenset({"A", "B"}))),
        (" skip = A , B ", LintConfig(skip=frozenset({"A", "B"}))),
        ("skip=all,A", LintConfig(skip=frozenset({"all", "A"}))),  # "all" only alone
        ("skip=", LintConfig(skip=frozenset({""}))),
        ("skip=A;skip=B", LintConfig(skip=frozenset({"B"}))),  # a later part replaces
        ("experimental=all", LintConfig(experimental_all=True)),
        ("experimental=X", LintConfig(experimental=frozenset({"X"}))),
        ("error=true", LintConfig(error=True)),
        ("error= 1 ", LintConfig(error=True)),
        ("error=T", LintConfig(error=True)),
        ("error=False", LintConfig()),
        (
            "skip=A;error=true;experimental=all",
            LintConfig(skip=frozenset({"A"}), error=True, experimental_all=True),
        ),
        # at most three parts: the third keeps the rest
        (
            "skip=A;error=true;experimental=B;skip=C",
            LintConfig(skip=frozenset({"A"}), error=True, experimental=frozenset({"B;skip=C"})),
        ),
    ],
)
def test_parse(text: str, config: LintConfig) -> None:
    assert parse_check_options(text) == config


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("skip", 'invalid check option "skip"'),
        ("skip=A;", 'invalid check option ""'),
        ("foo=bar", 'invalid check option "foo"'),
        ("Skip=A", 'invalid check option "Skip"'),  # keys are case-sensitive
        (" bogus =x", 'invalid check option "bogus"'),
        (
            "error=maybe",
            'failed to parse check option "error=maybe": strconv.ParseBool: parsing "maybe": '
            "invalid syntax",
        ),
        (
            "skip=A; error=yes ",
            # (the whole value is trimmed first, each part is not)
            'failed to parse check option " error=yes": strconv.ParseBool: parsing "yes": '
            "invalid syntax",
        ),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_check_options(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("# check=skip=all\nFROM a\n", "skip=all"),
        ("#check = skip=A // why\nFROM a\n", "skip=A"),  # cut at the first space
        ("# CHECK=error=true\nFROM a\n", "error=true"),  # directive names: any case
        ("# syntax=x\n# check=skip=A\nFROM a\n", "skip=A"),
        ("\ufeff# check=skip=A\nFROM a\n", "skip=A"),
        ("#!/usr/bin/env buildctl\n# check=skip=A\nFROM a\n", "skip=A"),
        ("# hello\n# check=skip=A\nFROM a\n", ""),  # after a comment: a comment
        ("\n# check=skip=A\nFROM a\n", ""),
        ("FROM a\n# check=skip=A\n", ""),
        ("# check=skip=A\n# check=skip=B\nFROM a\n", "skip=A"),
        ("FROM a\n", ""),
    ],
)
def test_directive(source: str, value: str) -> None:
    assert check_directive(source) == value


def test_option_wins_over_directive() -> None:
    src = "# check=skip=all\nFROM a\n"
    assert build_config(src) == LintConfig(skip_all=True)
    assert build_config(src, "error=true") == LintConfig(error=True)
    # given at all, even empty, it replaces the directive
    assert build_config(src, "") == LintConfig()
    # and a bad directive is then not read
    assert build_config("# check=bogus\nFROM a\n", "skip=A") == LintConfig(skip=frozenset({"A"}))


def test_config_errors() -> None:
    with pytest.raises(DockerfileError) as info:
        build_config("# check=bogus\nFROM a\n")
    assert info.value.message == 'failed to parse check options: invalid check option "bogus"'
    with pytest.raises(DockerfileError) as info:
        build_config("FROM a\n", "error=nope")
    assert info.value.message == (
        "failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: failed to parse check option "
        '"error=nope": strconv.ParseBool: parsing "nope": invalid syntax'
    )


def test_lint_reports_config_errors_first() -> None:
    result = lint("# check=skip\nFROM scratch AS Bad\n")
    assert result.warnings == ()
    assert result.error is not None
    assert result.error.message == 'failed to parse check options: invalid check option "skip"'


@pytest.mark.parametrize(
    ("comments", "config"),
    [
        ((), None),
        (("just a comment",), None),
        (("check=skip=A",), LintConfig(skip=frozenset({"A"}))),
        (("check=skip=A // allow it",), LintConfig(skip=frozenset({"A"}))),
        (("CHECK = skip=all",), LintConfig(skip_all=True)),
        (("syntax=foo", "check=skip=B"), LintConfig(skip=frozenset({"B"}))),
        (("check=skip=A", "check=skip=B"), LintConfig(skip=frozenset({"A"}))),  # the first
        (("check=bogus", "check=skip=B"), None),  # a bad one: nothing added
        (("check=error=true",), LintConfig(error=True)),
    ],
)
def test_comment_config(comments: tuple[str, ...], config: LintConfig | None) -> None:
    assert comment_config(comments) == config


def test_comment_config_is_local_and_never_sets_error() -> None:
    src = "FROM scratch\n# check=skip=MaintainerDeprecated;error=true\nMAINTAINER a\nMAINTAINER b\n"
    result = lint(src)
    assert [(w.rule_name, w.line) for w in result.warnings] == [("MaintainerDeprecated", 4)]
    assert result.error is None  # error=true of a comment is not merged


def test_skip_does_not_disable_experimental_rules() -> None:
    src = (
        "# check=skip=all;experimental=InvalidDefinitionDescription\n"
        "# not the name\n"
        "ARG foo\n"
        "FROM scratch AS Bad\n"
    )
    result = lint(src, BuildFacts())
    assert [w.rule_name for w in result.warnings] == ["InvalidDefinitionDescription"]
