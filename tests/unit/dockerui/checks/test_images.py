"""The base images of the checks (``run_checks(images=...)``): which the caller is asked
to resolve, how their configs feed the dispatch-time rules, ``InvalidBaseImagePlatform``
and a failed resolution ending the checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from frontend.dockerui.checks import BuildFacts, ImageFacts, lint
from frontend.dockerui.checks.facts import ImageRequest
from frontend.language.errors import DockerfileError
from frontend.llb import Platform

AMD64 = Platform("linux", "amd64")
ARM64 = Platform("linux", "arm64")


class Images:
    """An image lookup that answers from a table and remembers what it was asked."""

    def __init__(self, table: Mapping[str, ImageFacts], fail: str = "") -> None:
        self.table = table
        self.fail = fail
        self.asked: list[Sequence[ImageRequest]] = []

    def __call__(self, requests: Sequence[ImageRequest]) -> Mapping[str, ImageFacts]:
        self.asked.append(list(requests))
        for req in requests:
            if req.name == self.fail:
                raise DockerfileError(f"{req.name}: not found", req.location)
        return {r.name: self.table[r.name] for r in requests if r.name in self.table}


SRC = """# check=skip=FromPlatformFlagConstDisallowed
ARG IMG=alpine
FROM busybox AS unused
FROM ${IMG} AS base
ENV A=$HOME
FROM --platform=linux/arm64 base AS child
FROM --platform=linux/arm64 alpine
COPY --from=child / /
"""


def test_the_images_of_the_stages_to_dispatch_are_asked_for_once() -> None:
    images = Images({"alpine": ImageFacts(env=(("HOME", "/root"),))})
    result = lint(SRC, BuildFacts(), images=images)
    assert result.error is None
    [asked] = images.asked
    # busybox's stage is not needed; alpine twice, for two platforms
    assert [(r.name, r.platform, r.location.start_line) for r in asked] == [
        ("alpine", None, 4),
        ("alpine", ARM64, 7),
    ]
    assert [w.rule_name for w in result.warnings] == []


def test_an_image_environment_decides_undefined_var() -> None:
    # unknown: silent; known without HOME: the reference's warning
    assert [w.rule_name for w in lint(SRC).warnings] == []
    images = Images({"alpine": ImageFacts(env=(("PATH", "/bin"),))})
    result = lint(SRC, BuildFacts(), images=images)
    assert [(w.rule_name, w.line) for w in result.warnings] == [("UndefinedVar", 5)]


def test_every_stage_when_linting_all() -> None:
    images = Images({})
    lint(SRC, BuildFacts(all_stages=True), images=images)
    assert [r.name for r in images.asked[0]] == ["busybox", "alpine", "alpine"]


def test_a_named_context_is_asked_for_by_its_name_not_its_stages_image() -> None:
    # "base" is replaced: its own FROM (alpine) is not resolved, the stage built on
    # it asks for the context by name (its config is the child's base)
    images = Images({"base": ImageFacts(env=(("PATH", "/bin"),))})
    lint(SRC, BuildFacts(named_contexts=frozenset({"base"})), images=images)
    assert [(r.name, r.location.start_line) for r in images.asked[0]] == [
        ("base", 4),
        ("alpine", 7),
    ]
    assert images.asked[0][1].platform == ARM64


def test_a_named_contexts_environment_decides_undefined_var() -> None:
    src = "FROM alpine AS base\nFROM base\nENV A=$HOME$OTHER\n"
    facts = BuildFacts(named_contexts=frozenset({"base"}))
    images = Images({"base": ImageFacts(env=(("HOME", "/root"),))})
    result = lint(src, facts, images=images)
    assert [(w.rule_name, w.message) for w in result.warnings] == [
        ("UndefinedVar", "Usage of undefined variable '$OTHER'")
    ]
    # unknown (not answered): silent
    assert lint(src, facts, images=Images({})).warnings == ()


def test_a_failed_resolution_ends_the_checks_before_the_dispatch_rules() -> None:
    src = "FROM nosuch AS Bad\nENV A=$undefined\nWORKDIR rel\n"
    images = Images({}, fail="nosuch")
    result = lint(src, BuildFacts(), images=images)
    assert [w.rule_name for w in result.warnings] == ["StageNameCasing"]
    assert result.error is not None and result.error.message == "nosuch: not found"
    # without the lookup, the static walk goes on
    assert [w.rule_name for w in lint(src).warnings] == [
        "StageNameCasing",
        "WorkdirRelativePath",
    ]


@pytest.mark.parametrize(
    ("facts", "src", "warned"),
    [
        # explicit platform: the image must be of it
        (BuildFacts(target_platform=AMD64, platform_explicit=True), "FROM img\n", True),
        (BuildFacts(target_platform=ARM64, platform_explicit=True), "FROM img\n", False),
        # implicit: an image of the build platform is taken (autoDetectPlatform)
        (BuildFacts(build_platform=ARM64, target_platform=ARM64), "FROM img\n", False),
        (BuildFacts(), "FROM img\n", True),
        # the stage's --platform decides
        (BuildFacts(), "FROM --platform=linux/arm64 img\n", False),
        (BuildFacts(target_platform=ARM64), "FROM --platform=linux/amd64 img\n", True),
    ],
)
def test_invalid_base_image_platform(facts: BuildFacts, src: str, warned: bool) -> None:
    images = Images({"img": ImageFacts(platform=ARM64)})
    result = lint(src, facts, images=images)
    found = [w for w in result.warnings if w.rule_name == "InvalidBaseImagePlatform"]
    assert bool(found) == warned
    if found:
        expected = "linux/amd64"
        assert found[0].message == (
            f'Base image img was pulled with platform "linux/arm64", expected "{expected}" '
            "for current build"
        )
        assert found[0].line == 1


def test_an_image_without_platform_is_not_checked() -> None:
    result = lint("FROM img\n", BuildFacts(), images=Images({"img": ImageFacts()}))
    assert result.warnings == ()
