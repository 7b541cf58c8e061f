"""The reference suite's lint harness (``checkLinterWarnings``), over :func:`lint`.

A case is a Dockerfile, the warnings expected from a build (the progress stream: the
stages the target needs, the first platform's warnings) and, when they differ, from the
lint subrequest (every stage); an optional error; the frontend attributes
(``build-arg:*``). Each mode is checked as the suite checks it: the same count, then
warnings and expectations sorted by line and message and compared field by field (the
progress stream compares the short form, which carries the line; the subrequest
compares rule, description, URL and detail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from frontend.dockerui.checks import BuildFacts, ImageFacts, LintWarning, lint
from frontend.dockerui.checks.linter import format_short
from frontend.language import DockerfileError, parse_dockerfile
from frontend.llb.exec import DEFAULT_PATH

# base images of the suite whose config matters to a rule (their environment)
IMAGES: Mapping[str, ImageFacts] = {
    name: ImageFacts(env=(("PATH", DEFAULT_PATH),)) for name in ("alpine", "busybox")
}


@dataclass(frozen=True)
class W:
    """An ``expectedLintWarning``."""

    rule: str
    description: str
    url: str
    detail: str
    line: int
    level: int = 1


@dataclass(frozen=True)
class Case:
    dockerfile: str
    warnings: Sequence[W] = ()
    unmarshal: Sequence[W] | None = None  # UnmarshalWarnings (None: the same)
    build_err: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)


def _facts(attrs: Mapping[str, str], all_stages: bool) -> BuildFacts:
    build_args = {k[len("build-arg:") :]: v for k, v in attrs.items() if k.startswith("build-arg:")}
    return BuildFacts(build_args=build_args, all_stages=all_stages, images=IMAGES)


def _sorted_expected(ws: Sequence[W]) -> list[W]:
    return sorted(ws, key=lambda w: (w.line, w.detail))


def check_progress(case: Case) -> None:
    result = lint(
        case.dockerfile,
        _facts(case.attrs, all_stages=False),
        check_option=case.attrs.get("build-arg:BUILDKIT_DOCKERFILE_CHECK"),
    )
    if case.build_err:
        assert result.error is not None and case.build_err in result.error.message
    else:
        assert result.error is None, result.error
    got = sorted(result.warnings, key=lambda w: (w.line, w.short))
    want = _sorted_expected(case.warnings)
    assert len(got) == len(want), [w.short for w in got]
    for g, e in zip(got, want, strict=True):
        assert g.short == format_short(e.rule, e.detail, e.line)
        assert g.description == e.description
        assert g.detail == (e.description.encode(),)
        assert g.url == e.url
        assert g.level == e.level


def check_unmarshal(case: Case) -> None:
    result = lint(
        case.dockerfile,
        _facts(case.attrs, all_stages=True),
        check_option=case.attrs.get("build-arg:BUILDKIT_DOCKERFILE_CHECK"),
    )
    if case.build_err:
        assert result.error is not None and result.error.message == case.build_err
    else:
        assert result.error is None, result.error
    expected = case.unmarshal if case.unmarshal is not None else case.warnings
    got: list[LintWarning] = sorted(result.warnings, key=lambda w: (w.line, w.message))
    want = _sorted_expected(expected)
    assert len(got) == len(want), [w.short for w in got]
    for g, e in zip(got, want, strict=True):
        assert (g.rule_name, g.description, g.url, g.message) == (
            e.rule,
            e.description,
            e.url,
            e.detail,
        )


def check_parsed_same(case: Case) -> None:
    """An already parsed Dockerfile gives the same as its text (when it parses)."""
    try:
        df = parse_dockerfile(case.dockerfile)
    except DockerfileError:
        return
    for all_stages in (False, True):
        facts = _facts(case.attrs, all_stages)
        option = case.attrs.get("build-arg:BUILDKIT_DOCKERFILE_CHECK")
        a = lint(case.dockerfile, facts, check_option=option)
        b = lint(df, facts, check_option=option)
        assert a.warnings == b.warnings
        assert (a.error and a.error.message) == (b.error and b.error.message)


def check(case: Case) -> None:
    """``checkLinterWarnings``: both modes."""
    check_progress(case)
    check_unmarshal(case)
    check_parsed_same(case)
