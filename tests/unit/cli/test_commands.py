"""``pyfrontend check|outline|targets|graph``, run in-process (``frontend.cli.main``).

The expected texts follow the reference's printers: buildx's ``printResult`` for
``lint`` (``Check complete, ...``), ``lint.PrintLintViolations`` and
``errdefs.Source.Print`` (the excerpt: 4 lines of padding around one line, ``%3d |``
and ``>>>``), ``outline.PrintOutline`` and ``targets.PrintTargets`` (Go's tabwriter:
padding 1 for TARGET, 3 for the outline's tables), and buildx's ``printValue`` for
``--format json`` (``result.json`` and a newline).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from frontend.cli import main

LESSON = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "lesson"
BIG = str(LESSON / "Dockerfile.poster.big")

# run(*args, stdin=None) -> (exit status, stdout, stderr)
Run = Callable[..., tuple[int, str, str]]


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def go(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        return _run(capsys, monkeypatch, *args, stdin=stdin)

    return go


# -- check --------------------------------------------------------------------------


def test_check_prints_the_warnings_as_call_check(run: Run) -> None:
    code, out, err = run("check", "-", stdin="FROM busybox as build\nRUN echo hi\n")
    assert (code, err) == (1, "")
    assert out == (
        "Check complete, 1 warning has been found!\n"
        "\n"
        "WARNING: FromAsCasing - https://docs.docker.com/go/dockerfile/rule/from-as-casing/\n"
        "'as' and 'FROM' keywords' casing do not match\n"
        "Dockerfile:1\n"
        "--------------------\n"
        "   1 | >>> FROM busybox as build\n"
        "   2 |     RUN echo hi\n"
        "   3 |     \n"
        "--------------------\n"
    )


def test_check_sorts_by_line_and_counts(run: Run, tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM busybox as build\nMAINTAINER me\nRUN a\nRUN b\nfrom alpine\n")
    code, out, _ = run("check", str(df))
    assert code == 1
    assert out.startswith("Check complete, 3 warnings have been found!\n\nWARNING: FromAsCasing")
    rules = re.findall(r"^WARNING: (\w+)", out, re.M)
    assert rules == ["FromAsCasing", "MaintainerDeprecated", "ConsistentInstructionCasing"]
    # the excerpt names the file as given (buildx maps it back to the local path)
    assert f"\n{df}:2\n" in out
    # a line in the middle: 2 lines of padding either side
    block = out.split("MaintainerDeprecated")[1]
    assert "   1 |     FROM busybox as build\n   2 | >>> MAINTAINER me\n" in block
    assert "   4 |     RUN b\n--------------------\n" in block


def test_check_clean_seed_files(run: Run) -> None:
    for name in ("Dockerfile.poster.big", "Dockerfile.cpp.multi", "Dockerfile.alpine-release"):
        assert run("check", str(LESSON / name)) == (0, "Check complete, no warnings found.\n", "")
    code, out, _ = run("check", str(LESSON / "Dockerfile.go.multi"))
    assert code == 1
    assert "WARNING: FromAsCasing" in out and "   1 | >>> FROM golang as build\n" in out


def test_check_json_is_result_json(run: Run) -> None:
    text = "FROM busybox\nMAINTAINER me\n"
    code, out, _ = run("check", "-", "--format", "json", stdin=text)
    assert code == 1  # result.statuscode: there are warnings
    assert out.endswith("}\n")
    doc = json.loads(out)
    assert list(doc) == ["warnings", "sources"]
    (w,) = doc["warnings"]
    assert w == {
        "ruleName": "MaintainerDeprecated",
        "description": "The MAINTAINER instruction is deprecated, use a label instead to "
        "define an image author",
        "url": "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
        "detail": "Maintainer instruction is deprecated in favor of using label",
        "location": {"ranges": [{"start": {"line": 2}, "end": {"line": 2}}]},
    }
    (src,) = doc["sources"]
    assert src["filename"] == "Dockerfile" and src["language"] == "Dockerfile"
    assert base64.b64decode(src["data"]).decode() == text
    clean = run("check", str(LESSON / "Dockerfile.poster.big"), "--format", "json")
    assert clean[0] == 0 and json.loads(clean[1])["warnings"] is None


def test_check_options(run: Run, tmp_path: Path) -> None:
    text = "FROM busybox as build\n"
    skip = ("--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=all")
    assert run("check", "-", *skip, stdin=text)[:2] == (0, "Check complete, no warnings found.\n")
    # the .dockerignore of --context (CopyIgnoredFile)
    (tmp_path / ".dockerignore").write_text("foo\n")
    df = tmp_path / "Dockerfile"
    df.write_text("FROM busybox\nCOPY foo /foo\n")
    assert run("check", str(df))[0] == 0
    code, out, _ = run("check", str(df), "--context", str(tmp_path))
    assert code == 1
    assert "WARNING: CopyIgnoredFile" in out
    assert 'Attempting to Copy file "foo" that is excluded by .dockerignore\n' in out
    # a target: only the stages it needs are checked
    two = "FROM busybox AS a\nFROM busybox AS b\nWORKDIR rel\n"
    assert run("check", "-", stdin=two)[0] == 1
    assert run("check", "-", "--target", "a", stdin=two)[0] == 0


def test_check_error_after_the_warnings(run: Run) -> None:
    code, out, err = run("check", "-", stdin="FROM busybox as b\nFORM x\n")
    assert code == 1
    assert out.startswith("Check complete, 1 warning has been found!\n")
    assert out.endswith("--------------------\n\n")  # the warnings, then a blank line
    assert err == (
        "Dockerfile:2: unknown instruction: FORM (did you mean FROM?)\n"
        "Dockerfile:2\n"
        "--------------------\n"
        "   1 |     FROM busybox as b\n"
        "   2 | >>> FORM x\n"
        "   3 |     \n"
        "--------------------\n"
    )
    assert run("check", "-", stdin="") == (1, "", "Dockerfile: the Dockerfile cannot be empty\n")


# -- outline and targets ------------------------------------------------------------

OUTLINE_DF = """\
# build the thing
FROM busybox AS build
# MSG the message
ARG MSG=hi
ARG OTHER
RUN --mount=type=secret,id=tok,required=true --mount=type=ssh echo $MSG
"""


def test_outline_text(run: Run) -> None:
    code, out, err = run("outline", "-", stdin=OUTLINE_DF)
    assert (code, err) == (0, "")
    assert out == (
        "TARGET:      build\n"
        "DESCRIPTION: the thing\n"
        "\n"
        "BUILD ARG   VALUE   DESCRIPTION\n"
        "MSG         hi      the message\n"
        "OTHER               \n"
        "\n"
        "SECRET   REQUIRED\n"
        "tok      true\n"
        "\n"
        "SSH       REQUIRED\n"
        "default   \n"
        "\n"
    )
    # the build args are the build's
    out = run("outline", "-", "--build-arg", "MSG=a-longer-value", stdin=OUTLINE_DF)[1]
    assert "MSG         a-longer-value   the message\n" in out
    # the seed file's target needs no args: nothing to print (no name, no description)
    assert run("outline", BIG) == (0, "", "")


def test_outline_json(run: Run) -> None:
    code, out, _ = run("outline", "-", "--format", "json", stdin=OUTLINE_DF)
    assert code == 0 and out.endswith("}\n")
    doc = json.loads(out)
    assert list(doc) == ["name", "description", "args", "secrets", "ssh", "sources"]
    assert doc["name"] == "build" and doc["description"] == "the thing"
    assert doc["args"][0] == {
        "name": "MSG",
        "description": "the message",
        "value": "hi",
        "location": {"ranges": [{"start": {"line": 4}, "end": {"line": 4}}]},
    }
    assert doc["args"][1]["name"] == "OTHER" and "value" not in doc["args"][1]
    assert doc["secrets"][0]["name"] == "tok" and doc["secrets"][0]["required"] is True
    assert base64.b64decode(doc["sources"][0]).decode() == OUTLINE_DF


def test_targets_text_and_json(run: Run) -> None:
    code, out, _ = run("targets", BIG)
    assert code == 0
    assert out == (
        "TARGET    DESCRIPTION\nbuild     \nposter1   \nposter2   \nunion     \n(default) \n"
    )
    text = "# base the base image\nFROM busybox AS base\nFROM base AS last\n"
    out = run("targets", "-", stdin=text)[1]
    assert out == "TARGET         DESCRIPTION\nbase           the base image\nlast (default) \n"
    doc = json.loads(run("targets", "-", "--format", "json", stdin=text)[1])
    assert [t["name"] for t in doc["targets"]] == ["base", "last"]
    assert doc["targets"][1]["default"] is True and "default" not in doc["targets"][0]
    assert doc["targets"][0]["base"] == "busybox"


# -- graph --------------------------------------------------------------------------


def _waves(text: str) -> list[list[str]]:
    waves: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("wave "):
            waves.append([])
        elif line.startswith("pruned"):
            break
        elif line.startswith("  ") and waves:
            kind, name = line.split()[:2]
            waves[-1].append(f"{kind} {name.rstrip(':')}")
    return waves


def test_graph_waves_of_poster_big(run: Run) -> None:
    code, out, err = run("graph", BIG)
    assert (code, err) == (0, "")
    assert _waves(out) == [
        ["image alpine"],
        ["stage build"],
        ["stage poster1", "stage poster2", "image busybox"],
        ["stage union"],
        ["stage stage-4"],
    ]
    assert out == (
        f"{BIG}: target stage-4\n"
        "wave 1\n"
        "  image alpine\n"
        "wave 2\n"
        "  stage build: FROM alpine\n"
        "wave 3 (3 in parallel)\n"
        "  stage poster1: FROM build\n"
        "  stage poster2: FROM build\n"
        "  image busybox\n"
        "wave 4\n"
        "  stage union: FROM busybox, COPY --from=poster1, COPY --from=poster2\n"
        "wave 5\n"
        "  stage stage-4: FROM busybox, COPY --from=union  (target)\n"
    )


def test_graph_target_prunes_the_last_stage(run: Run) -> None:
    code, out, _ = run("graph", BIG, "--target", "union")
    assert code == 0
    assert _waves(out) == [
        ["image alpine"],
        ["stage build"],
        ["stage poster1", "stage poster2", "image busybox"],
        ["stage union"],
    ]
    assert (
        "  stage union: FROM busybox, COPY --from=poster1, COPY --from=poster2  (target)\n" in out
    )
    assert out.endswith(
        "pruned (not needed for --target union)\n  stage stage-4: FROM busybox, COPY --from=union\n"
    )


def test_graph_unneeded_stages_and_images_are_pruned(run: Run) -> None:
    text = "FROM golang AS unused\nFROM alpine AS a\nFROM scratch\nCOPY --from=a / /\n"
    out = run("graph", "-", stdin=text)[1]
    assert _waves(out) == [["image alpine"], ["stage a"], ["stage stage-2"]]
    assert "  stage stage-2: FROM scratch, COPY --from=a  (target)\n" in out
    assert out.endswith(
        "pruned (not needed for the last stage)\n  stage unused: FROM golang\n  image golang\n"
    )


def test_graph_image_sources_and_options(run: Run) -> None:
    out = run("graph", str(LESSON / "Dockerfile.alpine-release"))[1]
    assert _waves(out) == [["image busybox", "image alpine:3.15"], ["stage stage-0"]]
    assert "stage stage-0: FROM busybox, COPY --from=alpine:3.15  (target)" in out
    text = (
        "ARG BASE=busybox\nFROM --platform=$BUILDPLATFORM golang AS tools\n"
        "FROM ${BASE}\nRUN --mount=from=tools,target=/t true\n"
    )
    out = run("graph", "-", "--build-arg", "BASE=alpine", "--platform", "linux/arm64", stdin=text)[
        1
    ]
    assert _waves(out) == [["image golang"], ["stage tools", "image alpine"], ["stage stage-1"]]
    assert "  image golang (--platform=linux/arm64)\n" in out
    assert "stage stage-1: FROM alpine, RUN --mount=tools  (target)" in out


def test_graph_dot(run: Run) -> None:
    code, out, _ = run("graph", BIG, "--format", "dot", "--target", "union")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f'digraph "{BIG}" {{' and lines[-1] == "}"
    assert out.count("{") == out.count("}")
    body = lines[1:-1]
    nodes = [
        ln for ln in body if re.fullmatch(r"  [si]\d+ \[label=\"[^\"]*\"(, [a-z]+=\w+)*\];", ln)
    ]
    edges = [ln for ln in body if re.fullmatch(r"  [si]\d+ -> [si]\d+ \[label=\"[^\"]+\".*\];", ln)]
    ranks = [ln for ln in body if ln.startswith("  { rank=same;")]
    assert len(nodes) == 7 and len(edges) == 8 and len(ranks) == 4
    assert len(body) == 3 + 7 + 4 + 8 - 1  # rankdir, node defaults: 2 lines before the nodes
    assert '  s4 [label="stage-4", style=dashed, color=gray, fontcolor=gray];' in lines
    assert '  s3 [label="union", peripheries=2];' in lines
    assert '  i1 [label="busybox", shape=cylinder];' in lines
    assert "  { rank=same; s1; s2; i1; }  // wave 3" in lines
    assert '  s1 -> s3 [label="COPY --from"];' in lines
    assert '  s3 -> s4 [label="COPY --from", style=dashed, color=gray, fontcolor=gray];' in lines


def test_graph_mermaid(run: Run) -> None:
    code, out, _ = run("graph", BIG, "--format", "mermaid", "--target", "union")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(ln.strip().startswith("subgraph ") for ln in lines) == 4
    assert sum(ln.strip() == "end" for ln in lines) == 4
    assert '  subgraph wave3 ["wave 3"]' in lines
    assert '    s1["poster1"]' in lines and '    i1[("busybox")]' in lines
    assert '    s3[["union"]]' in lines  # the target
    edges = [ln for ln in lines if "-->" in ln or "-.->" in ln]
    assert len(edges) == 8
    assert all(re.fullmatch(r'  [si]\d+ (-->|-\.->)\|"[^"]+"\| [si]\d+', e) for e in edges)
    assert '  s3 -.->|"COPY --from"| s4' in lines
    assert lines[-1] == "  class s4 pruned"
    full = run("graph", BIG, "--format", "mermaid")[1]
    assert "pruned" not in full and "subgraph wave5" in full


def test_graph_is_deterministic(run: Run) -> None:
    for fmt in ("text", "dot", "mermaid"):
        assert run("graph", BIG, "--format", fmt) == run("graph", BIG, "--format", fmt)


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "outline", "targets", "graph"])
def test_bad_input_is_file_line_message(run: Run, tmp_path: Path, command: str) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM busybox\nFORM x\n")
    code, _, err = run(command, str(bad))
    assert code == 1
    assert err.startswith(f"{bad}:2: unknown instruction: FORM (did you mean FROM?)\n")
    assert "Traceback" not in err
    code, _, err = run(command, str(tmp_path / "missing"))
    assert code == 1 and err.startswith(f"pyfrontend {command}: {tmp_path / 'missing'}: ")
    code, _, err = run(command, BIG, "--platform", "not/a/valid/platform")
    assert code == 2 and "cannot parse platform" in err


@pytest.mark.parametrize("command", ["check", "outline", "graph"])
def test_unknown_target(run: Run, command: str) -> None:
    code, _, err = run(command, BIG, "--target", "unoin")
    assert code == 1
    assert err == f'{BIG}: target stage "unoin" could not be found (did you mean union?)\n'


def test_graph_located_errors(run: Run) -> None:
    code, _, err = run("graph", "-", stdin="FROM busybox\nCOPY --from=nowhere$X /a /b\n")
    assert code == 1
    assert err.startswith("Dockerfile:2: variable expansion is not supported for --from")
    assert run("graph", "-", stdin="ARG A\n")[2] == (
        "Dockerfile:1: dockerfile contains no stages to build\n"
    )


def test_usage_lists_the_commands(run: Run) -> None:
    code, _, err = run("--help")
    assert code == 0
    for command in ("check", "outline", "targets", "graph"):
        assert re.search(rf"^  {command} ", err, re.M), command


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graph_dot_is_read_by_graphviz(run: Run) -> None:
    for name in sorted(p.name for p in LESSON.glob("Dockerfile.*")):
        out = run("graph", str(LESSON / name), "--format", "dot")[1]
        done = subprocess.run(
            ["dot", "-Tsvg"], input=out.encode(), capture_output=True, timeout=60, check=False
        )
        assert done.returncode == 0, (name, done.stderr)
        assert b"<svg" in done.stdout
