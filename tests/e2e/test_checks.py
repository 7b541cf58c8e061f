"""Build checks and subrequests on a real engine, pyfrontend against the built-in
frontend: the warnings of a build (the rawjson stream's ``warnings``), ``error=true``,
and what ``docker buildx build --call check|outline|targets`` prints.

BuildKit's own suite sends its ``frontend.lint`` / ``frontend.outline`` /
``frontend.targets`` requests to the built-in frontend, so these are the tests that run
pyfrontend's answers through buildx.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from testbed.harness import BuildResult, TestBed, rawjson_warnings

CHECKED = """\
# base is the base
FROM busybox AS Base
ENV A=$HOME
copy message.txt /
WORKDIR rel
MAINTAINER me

FROM base
ARG password
CMD echo hi
"""

OUTLINED = """\
ARG VERSION=1.0
# build compiles the thing
FROM busybox:${VERSION} AS build
# MODE is how
ARG MODE=fast
RUN --mount=type=secret,id=token --mount=type=ssh,required true

FROM build AS final
COPY --from=build /bin/sh /sh
"""


@pytest.fixture
def context(tmp_path: Path) -> Path:
    ctx = tmp_path / "context"
    ctx.mkdir()
    (ctx / "message.txt").write_text("hi\n")
    return ctx


def _both(
    testbed: TestBed, text: str, context: Path, **kw: object
) -> tuple[BuildResult, BuildResult]:
    ref = testbed.build(text, context, syntax=False, **kw)  # type: ignore[arg-type]
    ours = testbed.build(text, context, **kw)  # type: ignore[arg-type]
    return ref, ours


def _warnings(
    stream: str,
) -> list[tuple[str, tuple[str, ...], str, int, tuple[tuple[int, int], ...]]]:
    return sorted((w.short, w.detail, w.url, w.level, w.lines) for w in rawjson_warnings(stream))


def test_build_warnings_are_the_builtins(testbed: TestBed, context: Path) -> None:
    ref, ours = _both(testbed, CHECKED, context)
    assert ref.ok and ours.ok, (ref.describe(), ours.describe())
    expected = _warnings(ref.stderr)
    assert len(expected) >= 5, expected
    assert _warnings(ours.stderr) == expected


def test_build_warnings_for_two_platforms_are_sent_once(testbed: TestBed, context: Path) -> None:
    extra = ["--platform", "linux/amd64,linux/arm64"]
    ref, ours = _both(testbed, "FROM scratch AS Base\nCOPY message.txt /\n", context, extra=extra)
    assert _warnings(ours.stderr) == _warnings(ref.stderr)
    assert len(_warnings(ours.stderr)) == 1


def test_error_true_fails_as_the_builtin(testbed: TestBed, context: Path) -> None:
    text = "#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\n"
    ref, ours = _both(testbed, text, context)
    assert not ref.ok and not ours.ok
    assert "lint violation found for rules: FromAsCasing" in ours.text
    assert _warnings(ours.stderr) == _warnings(ref.stderr)


@pytest.mark.parametrize(
    ("call", "text"),
    [
        ("check", CHECKED),
        ("check,format=json", CHECKED),
        ("outline", OUTLINED),
        ("outline,format=json", OUTLINED),
        ("targets", OUTLINED),
        ("targets,format=json", OUTLINED),
    ],
)
def test_call_prints_what_the_builtin_prints(
    testbed: TestBed, context: Path, call: str, text: str
) -> None:
    extra = ["--call", call]
    ref, ours = _both(testbed, text, context, extra=extra, progress="quiet")
    assert ours.returncode == ref.returncode, (ref.stderr, ours.stderr)
    if call.endswith("format=json") and call.startswith("check"):
        # the sources carry each frontend's own definition of the Dockerfile: compare
        # the rest
        a, b = json.loads(ref.stdout), json.loads(ours.stdout)
        for doc in (a, b):
            for src in doc.get("sources") or ():
                src.pop("definition", None)
        assert b == a
    else:
        assert ours.stdout == ref.stdout


def test_call_check_with_a_build_error(testbed: TestBed, context: Path) -> None:
    text = "FROM scratch AS Bad\nBADCMD\n"
    ref, ours = _both(testbed, text, context, extra=["--call", "check"], progress="quiet")
    assert ours.returncode == ref.returncode != 0
    assert ours.stdout == ref.stdout
