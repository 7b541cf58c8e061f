"""FROM lines with the global ARGs: the four FROM rules and the errors around them."""

from __future__ import annotations

import pytest

from frontend.dockerui.checks import BuildFacts, lint
from frontend.dockerui.checks.facts import automatic_args, format_all
from frontend.dockerui.checks.from_rules import parse_platform
from frontend.language import DockerfileError
from frontend.llb import Platform


def rules(src: str, facts: BuildFacts | None = None) -> list[tuple[str, str, int]]:
    result = lint(src, facts)
    assert result.error is None, result.error
    return [(w.rule_name, w.message, w.line) for w in result.warnings]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("linux/*", '"linux/*": wildcards not yet supported: invalid argument'),
        (
            "linux/",
            '"" is an invalid component of "linux/": platform specifier component must match '
            '"^[A-Za-z0-9_.-]+$": invalid argument',
        ),
        (
            "lin ux/amd64",
            '"lin ux" is an invalid OS component of "lin ux/amd64": OSAndVersion specifier '
            'component must match "^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)((?:\\\\+'
            '[A-Za-z0-9_.%-]+)*)\\\\))?$": invalid argument',
        ),
        ("a/b/c/d", '"a/b/c/d": cannot parse platform specifier: invalid argument'),
        ("bogus", '"bogus": unknown operating system or architecture: invalid argument'),
    ],
)
def test_parse_platform_errors(spec: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        parse_platform(spec)
    assert info.value.message == message


def test_parse_platform() -> None:
    assert parse_platform("linux/x86_64") == Platform("linux", "amd64")
    assert parse_platform("windows(10.0.20348)/amd64").os_version == "10.0.20348"
    assert parse_platform("arm64").architecture == "arm64"


def test_automatic_args() -> None:
    facts = BuildFacts(
        target_platform=Platform("windows", "amd64", os_version="10.0.1"),
        build_args={"BUILDARCH": "riscv64"},
    )
    args = automatic_args(facts, "")
    assert args["TARGETPLATFORM"] == "windows(10.0.1)/amd64"
    assert args["TARGETOSVERSION"] == "10.0.1"
    assert args["BUILDPLATFORM"] == "linux/amd64"
    assert args["BUILDARCH"] == "riscv64"  # a build arg overrides
    assert args["TARGETSTAGE"] == "default"
    assert automatic_args(facts, "final")["TARGETSTAGE"] == "final"
    assert format_all(Platform("linux", "arm", "v7")) == "linux/arm/v7"
    assert format_all(Platform("", "amd64")) == "unknown"


def test_undefined_arg_in_from_uses_declared_and_set_names() -> None:
    src = "ARG VERSION\nFROM alpine:${VERSON}${TARGETARCH}\n"
    assert rules(src) == [
        ("UndefinedArgInFrom", "FROM argument 'VERSON' is not declared (did you mean VERSION?)", 2)
    ]
    # a build arg that no ARG declares is not a declaration
    assert rules("FROM alpine:${V:-1}\n", BuildFacts(build_args={"V": "1"})) == [
        ("UndefinedArgInFrom", "FROM argument 'V' is not declared", 1)
    ]


def test_comment_above_from_applies_to_its_rules() -> None:
    src = (
        "FROM alpine AS a\n# check=skip=UndefinedArgInFrom\nFROM alpine:${X:-1}\n"
        "FROM alpine:${Y:-1}\n"
    )
    assert [(r[0], r[2]) for r in rules(src)] == [("UndefinedArgInFrom", 4)]


def test_invalid_default_uses_the_file_config_only() -> None:
    src = "ARG IMG\n# check=skip=InvalidDefaultArgInFrom\nFROM $IMG\n"
    # the comment above the FROM does not apply to it (the reference checks all FROMs at once)
    assert [r[0] for r in rules(src, BuildFacts(build_args={"IMG": "alpine"}))] == [
        "InvalidDefaultArgInFrom"
    ]


def test_invalid_default_platform_args_still_take_build_args() -> None:
    src = "FROM alpine:$TARGETOS\n"
    assert rules(src) == []
    assert rules(src, BuildFacts(build_args={"TARGETOS": "-x"})) == [
        (
            "InvalidDefaultArgInFrom",
            "Default value for ARG alpine:$TARGETOS results in empty or invalid base image name",
            1,
        )
    ]


def test_redundant_target_platform_only_alone() -> None:
    assert rules("ARG X\nFROM --platform=${TARGETPLATFORM}${X} alpine\n") == []
    assert rules("FROM --platform=$TARGETOS/$TARGETARCH alpine\n") == []
    got = rules(
        "FROM --platform=$TARGETPLATFORM alpine\n",
        BuildFacts(target_platform=Platform("linux", "arm64")),
    )
    assert [r[0] for r in got] == ["RedundantTargetPlatform"]
    # overridden by a build arg: compared with the ARG's value, so still redundant
    facts = BuildFacts(build_args={"TARGETPLATFORM": "linux/arm64"})
    got = rules("FROM --platform=$TARGETPLATFORM alpine\n", facts)
    assert [(r[0], r[2]) for r in got] == [("RedundantTargetPlatform", 1)]


def test_const_platform() -> None:
    assert [r[0] for r in rules("FROM --platform=arm64 alpine AS x\n")] == [
        "FromPlatformFlagConstDisallowed"
    ]
    assert rules("FROM --platform=linux/arm64 alpine AS build-arm64\n") == []
    assert rules("FROM --platform=linux/x86_64 alpine AS amd64\n") == []  # normalised


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("ARG B\nFROM $B\n", "base name ($B) should not be blank"),
        ("FROM alpine:${X\n", None),
        ("FROM --platform=${X alpine\n", "failed to process arguments for platform ${X: "),
        ("FROM --platform=$X alpine\n", "empty platform value from expression $X"),
        (
            "FROM --platform=linux/$BUILDARC alpine\n",
            'failed to parse platform linux/$BUILDARC: "" is an invalid component of "linux/": '
            'platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument '
            "(did you mean BUILDARCH?)",
        ),
    ],
)
def test_errors(src: str, message: str | None) -> None:
    result = lint(src)
    assert result.error is not None
    assert result.error.location is not None
    if message is not None:
        assert result.error.message.startswith(message)


def test_stage_graph_errors() -> None:
    result = lint("FROM alpine AS a\n", BuildFacts(target="b"))
    assert result.error is not None
    # the reference's suggest.Search: distance 1 < 3
    assert result.error.message == 'target stage "b" could not be found (did you mean a?)'
