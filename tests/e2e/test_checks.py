"""Build checks and subrequests on a real engine: the warnings of a build (the rawjson
stream's ``warnings``), ``error=true``, and what ``docker buildx build --call
check|outline|targets`` prints, against what the reference frontend 1.26 gives.

The engine's built-in frontend (dockerfile 1.7) has no build checks, so the reference's
side is recorded: ``tests/e2e/data/checks-reference.json`` holds, per case, what the
reference frontend image gave on this test bed (exit status, warnings, stdout).
Regenerate it where the conformance rig built ``reference/dockerfile:1.26`` into the
engine: ``PYFRONTEND_RECORD_REFERENCE=reference/dockerfile:1.26 .venv/bin/python -m
pytest -m e2e tests/e2e/test_checks.py`` (each test then records the reference's run
before comparing).

BuildKit's own suite sends its ``frontend.lint`` / ``frontend.outline`` /
``frontend.targets`` requests to the built-in frontend, so these are the tests that run
pyfrontend's answers through buildx.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
ARG VERSION=latest
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


RECORDED = Path(__file__).with_name("data") / "checks-reference.json"
RECORD_WITH = os.environ.get("PYFRONTEND_RECORD_REFERENCE", "")


@dataclass(frozen=True)
class Reference:
    """What the reference frontend gave for one case (recorded)."""

    returncode: int
    warnings: list[Any]
    stdout: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _warnings(stream: str) -> list[Any]:
    found = sorted((w.short, w.detail, w.url, w.level, w.lines) for w in rawjson_warnings(stream))
    return json.loads(json.dumps(found))  # as recorded: tuples become lists


def _both(
    testbed: TestBed, case: str, text: str, context: Path, **kw: object
) -> tuple[Reference, BuildResult]:
    records = json.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    if RECORD_WITH:
        ref = testbed.build(text, context, syntax=RECORD_WITH, **kw)  # type: ignore[arg-type]
        records[case] = {
            "returncode": ref.returncode,
            "warnings": _warnings(ref.stderr),
            "stdout": ref.stdout,
        }
        RECORDED.parent.mkdir(exist_ok=True)
        RECORDED.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")
    assert case in records, f"no recorded reference run for {case}; see the module docstring"
    ours = testbed.build(text, context, **kw)  # type: ignore[arg-type]
    return Reference(**records[case]), ours


def test_build_warnings_are_the_references(testbed: TestBed, context: Path) -> None:
    ref, ours = _both(testbed, "build-warnings", CHECKED, context)
    assert ref.ok and ours.ok, ours.describe()
    expected = ref.warnings
    assert len(expected) >= 5, expected
    assert _warnings(ours.stderr) == expected


def test_build_warnings_for_two_platforms_are_sent_once(
    testbed_containerd: TestBed, context: Path
) -> None:
    # (a multi-platform build needs the containerd image store)
    testbed = testbed_containerd
    extra = ["--platform", "linux/amd64,linux/arm64"]
    text = "FROM scratch AS Base\nCOPY message.txt /\n"
    ref, ours = _both(testbed, "two-platforms", text, context, extra=extra)
    assert _warnings(ours.stderr) == ref.warnings
    assert len(_warnings(ours.stderr)) == 1


def test_error_true_fails_as_the_reference(testbed: TestBed, context: Path) -> None:
    text = "#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\n"
    ref, ours = _both(testbed, "error-true", text, context)
    assert not ref.ok and not ours.ok
    assert "lint violation found for rules: FromAsCasing" in ours.text
    assert _warnings(ours.stderr) == ref.warnings


@pytest.mark.parametrize(
    ("call", "text"),
    [
        ("lint", CHECKED),
        ("lint,format=json", CHECKED),
        ("outline", OUTLINED),
        ("outline,format=json", OUTLINED),
        ("targets", OUTLINED),
        ("targets,format=json", OUTLINED),
    ],
)
def test_call_prints_what_the_reference_prints(
    testbed: TestBed, context: Path, call: str, text: str
) -> None:
    # buildx 0.13: ``--print`` (experimental) is what later versions call ``--call``
    extra = ["--print", call]
    ref, ours = _both(
        testbed, f"print-{call}", text, context, extra=extra, progress="quiet", experimental=True
    )
    assert ours.returncode == ref.returncode == 0, ours.stderr
    assert ours.stdout.strip()
    if call == "lint,format=json" and ref.stdout.split("\n", 1)[1].lstrip().startswith("{"):
        # the sources carry each frontend's own definition of the Dockerfile: compare
        # the rest (buildx 0.13 prints lint as text whatever the format)
        a, b = (json.loads(out.split("\n", 1)[1]) for out in (ref.stdout, ours.stdout))
        for doc in (a, b):
            for src in doc.get("sources") or ():
                src.pop("definition", None)
        assert b == a
    else:
        assert ours.stdout == ref.stdout


def test_print_lint_with_a_build_error(testbed: TestBed, context: Path) -> None:
    text = "FROM scratch AS Bad\nBADCMD\n"
    ref, ours = _both(
        testbed,
        "print-lint-build-error",
        text,
        context,
        extra=["--print", "lint"],
        progress="quiet",
        experimental=True,
    )
    assert ours.returncode == ref.returncode
    assert ours.stdout == ref.stdout
    assert "BADCMD" in ours.stdout + ours.stderr
