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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from frontend.dockerui.checks import BuildFacts, ImageFacts, LintWarning, lint
from frontend.dockerui.checks.linter import format_short
from frontend.gocompat import go_clean
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
    dockerignore: str | None = None


class FakeIgnore:
    """A small stand-in for moby's ``patternmatcher`` (enough for the suite's
    ``.dockerignore`` files): ``*`` and ``?`` within a path element, ``**`` across."""

    def __init__(self, text: str) -> None:
        self._rules: list[tuple[bool, re.Pattern[str], str]] = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            pattern = go_clean(line.removeprefix("!").strip()).lstrip("/") or "."
            self._rules.append((exclusion, re.compile(self._regex(pattern)), pattern))

    @staticmethod
    def _regex(pattern: str) -> str:
        out, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**", i):
                out += ".*"
                i += 2
            elif pattern[i] == "*":
                out += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                out += "[^/]"
                i += 1
            else:
                out += re.escape(pattern[i])
                i += 1
        return out

    def exclusions(self) -> bool:
        return any(exclusion for exclusion, _, _ in self._rules)

    def patterns(self) -> list[str]:
        return [p for exclusion, _, p in self._rules if not exclusion]

    def matches_or_parent_matches(self, path: str) -> bool:
        parts = path.split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        matched = False
        for exclusion, rx, _ in self._rules:
            if any(rx.fullmatch(c) for c in candidates):
                matched = not exclusion
        return matched


def _facts(case: Case, all_stages: bool) -> BuildFacts:
    attrs = case.attrs
    build_args = {k[len("build-arg:") :]: v for k, v in attrs.items() if k.startswith("build-arg:")}
    ignore = FakeIgnore(case.dockerignore) if case.dockerignore is not None else None
    return BuildFacts(
        build_args=build_args, all_stages=all_stages, images=IMAGES, dockerignore=ignore
    )


def _sorted_expected(ws: Sequence[W]) -> list[W]:
    return sorted(ws, key=lambda w: (w.line, w.detail))


def check_progress(case: Case) -> None:
    result = lint(
        case.dockerfile,
        _facts(case, all_stages=False),
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
        _facts(case, all_stages=True),
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
        facts = _facts(case, all_stages)
        a = lint(case.dockerfile, facts)
        b = lint(df, facts)
        assert a.warnings == b.warnings
        assert (a.error and a.error.message) == (b.error and b.error.message)


def check(case: Case) -> None:
    """``checkLinterWarnings``: both modes."""
    check_progress(case)
    check_unmarshal(case)
    check_parsed_same(case)
