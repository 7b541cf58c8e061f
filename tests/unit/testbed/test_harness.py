"""The e2e harness's rawjson parser, on a stream shaped like buildx 0.13's output."""

from __future__ import annotations

import base64
import json

import pytest
from testbed.harness import BuildResult, Vertex, parse_rawjson


def _obj(**kw: object) -> str:
    # buildx prints each progress update as an indented JSON object
    return json.dumps(kw, indent=2) + "\n"


RUN = "sha256:" + "1" * 64
FROM = "sha256:" + "2" * 64
BAD = "sha256:" + "3" * 64

STREAM = (
    _obj(vertexes=[{"digest": RUN, "name": "[build 2/2] RUN echo {hi}"}])
    + _obj(vertexes=[{"digest": FROM, "name": "[build 1/2] FROM docker.io/library/busybox"}])
    + _obj(
        vertexes=[{"digest": RUN, "name": "[build 2/2] RUN echo {hi}", "started": "t1"}],
        statuses=[{"id": "x", "vertex": RUN, "current": 3}],
    )
    + _obj(logs=[{"vertex": RUN, "stream": 1, "data": base64.b64encode(b"hi\n").decode()}])
    + _obj(
        vertexes=[
            {"digest": RUN, "name": "[build 2/2] RUN echo {hi}", "cached": True, "completed": "t2"}
        ]
    )
    + _obj(vertexes=[{"digest": BAD, "name": "[internal] load build context", "error": "boom"}])
    + "Dockerfile:2\n--------------------\n   2 | >>> RUN echo {hi}\n--------------------\n"
    + "ERROR: failed to solve: boom\n"
)


def test_vertices_are_merged_in_order_of_first_appearance() -> None:
    steps, _, _ = parse_rawjson(STREAM)
    assert [v.digest for v in steps] == [RUN, FROM, BAD]
    run = steps[0]
    assert run == Vertex(RUN, "[build 2/2] RUN echo {hi}", True, "t1", "t2", None)
    assert steps[1].cached is False and steps[1].completed is None
    assert steps[2].error == "boom"


def test_client_text_and_logs_are_kept_apart_from_the_json() -> None:
    _, text, logs = parse_rawjson(STREAM)
    assert text == (
        "Dockerfile:2\n--------------------\n   2 | >>> RUN echo {hi}\n--------------------\n"
        "ERROR: failed to solve: boom\n"
    )
    assert logs == "hi\n"


def test_text_with_braces_that_is_not_json_is_text() -> None:
    stream = "WARNING: {not json\n" + _obj(vertexes=[{"digest": RUN, "name": "n"}])
    steps, text, _ = parse_rawjson(stream)
    assert text == "WARNING: {not json\n"
    assert [v.name for v in steps] == ["n"]


def test_instruction_steps_and_lookup() -> None:
    steps, text, _ = parse_rawjson(STREAM)
    result = BuildResult(1, "", STREAM, steps, text)
    assert not result.ok
    assert [v.digest for v in result.instruction_steps] == [RUN, FROM]
    assert result.step("RUN echo").digest == RUN
    with pytest.raises(LookupError):
        result.step("[build")  # two match
    assert "ERROR  [internal] load build context  (boom)" in result.describe()


def test_ran_frontend_names_the_image_with_or_without_its_tag() -> None:
    def resolved(ref: str) -> BuildResult:
        name = f"resolve image config for docker-image://docker.io/library/{ref}"
        return BuildResult(0, "", "", (Vertex("sha256:" + "4" * 64, name),))

    assert resolved("pyfrontend:latest").ran_frontend("pyfrontend")
    assert resolved("pyfrontend:wt-x").ran_frontend("pyfrontend:wt-x")
    assert not resolved("pyfrontend:latest").ran_frontend("pyfrontend:wt-x")
    assert not resolved("pyfrontend:wt-x").ran_frontend("pyfrontend")
    assert not resolved("my-pyfrontend:latest").ran_frontend("pyfrontend")


def test_repr_is_short() -> None:
    steps, text, _ = parse_rawjson(STREAM)
    assert repr(BuildResult(1, "", STREAM, steps, text)) == "BuildResult(exit 1, 3 vertices)"


def test_rawjson_warnings() -> None:
    from testbed.harness import rawjson_warnings

    def b64(s: str) -> str:
        return base64.b64encode(s.encode()).decode()

    warning = {
        "vertex": "sha256:abc",
        "level": 1,
        "short": b64("StageNameCasing: Stage name 'A' should be lowercase (line 2)"),
        "detail": [b64("Stage names should be lowercase")],
        "url": "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
        "range": [{"start": {"line": 2}, "end": {"line": 2}}],
    }
    stream = (
        json.dumps({"vertexes": [{"digest": "sha256:abc", "name": "x"}]}, indent=2)
        + "\n"
        + json.dumps({"warnings": [warning]}, indent=2)
        + "\n1 warning found\n"
    )
    (w,) = rawjson_warnings(stream)
    assert w.short == "StageNameCasing: Stage name 'A' should be lowercase (line 2)"
    assert w.detail == ("Stage names should be lowercase",)
    assert w.url.endswith("/stage-name-casing/")
    assert w.level == 1
    assert w.lines == ((2, 2),)


def test_a_failing_testbed_script_says_why() -> None:
    from testbed.harness import TestBedError, _script_output

    with pytest.raises(TestBedError) as caught:
        _script_output("engine.sh", "host", store="bogus")
    message = str(caught.value)
    assert message.startswith("engine.sh host (bogus) exited 2:\n")
    assert "unknown PYFRONTEND_ENGINE_STORE=bogus (classic|containerd|debian12)" in message
