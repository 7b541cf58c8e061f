"""The ``frontend.convertllb`` subrequest (``frontend.dockerui.subrequests``): the
reference's ``convertllb.Result`` (subrequests/convertllb/convertllb.go: ``def`` the ops
by digest through ``protojson``, ``metadata`` the ``llb.OpMetadata`` by digest,
``source`` through ``protojson``; ``result.json`` and ``version`` 0.1.0, no
``result.txt``) of the build's own conversion (dockerfile2llb/convertllb.go), the
definition not solved; not listed by describe (dockerui/requests.go lists outline,
targets and describe only)."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from dockerui.builds import build_state, run_build
from dockerui.test_subrequests import answer
from dockerui.test_warnings import run
from frontend.dockerui.goformat import protojson
from frontend.dockerui.subrequests import CONVERTLLB, convertllb_result
from frontend.pb import gateway_pb2, ops_pb2

DOCKERFILE = b"""FROM busybox AS base
ENV A=1
RUN --network=host echo $A > /x
FROM scratch
COPY --from=base /x /y
"""


def convert(dockerfile: bytes, opts: dict[str, str] | None = None) -> tuple[Any, dict[str, bytes]]:
    state = build_state(dockerfile)
    ret = run(state, {"requestid": CONVERTLLB, **(opts or {})})
    assert ret.HasField("result"), ret.error.message
    meta = dict(ret.result.metadata)
    assert not ret.result.HasField("ref") or not ret.result.ref.id
    # only the Dockerfile (and .dockerignore) are read: the definition is not solved
    for req in state.solves:
        op = ops_pb2.Op.FromString(getattr(req.Definition, "def")[0])
        assert op.source.identifier.startswith("local://"), op
    return json.loads(meta["result.json"]), meta


def built_definition(dockerfile: bytes) -> ops_pb2.Definition:
    _, state = run_build(dockerfile, {})
    return state.solves[-1].Definition


def test_the_result_is_the_builds_definition_by_digest() -> None:
    doc, meta = convert(DOCKERFILE)
    assert set(meta) == {"result.json", "version"}
    assert meta["version"] == b"0.1.0"
    assert list(doc) == ["def", "metadata", "source"]
    built = built_definition(DOCKERFILE)
    ops = getattr(built, "def")
    digests = ["sha256:" + hashlib.sha256(op).hexdigest() for op in ops]
    assert list(doc["def"]) == sorted(digests)
    assert list(doc["metadata"]) == sorted(built.metadata)
    by_digest = dict(zip(digests, ops, strict=True))
    for digest, op in doc["def"].items():  # each the op of that digest
        assert op == protojson(ops_pb2.Op.FromString(by_digest[digest]))
    copy = next(v for v in doc["def"].values() if "file" in v)
    # protojson: 64-bit integers as strings, enums by name, zero values left out
    (action,) = copy["file"]["actions"]
    assert action["input"] == "-1"  # int64
    assert "secondaryInput" not in action and "output" not in action  # 0
    assert action["copy"]["mode"] == -1  # int32: a number
    assert action["copy"]["timestamp"] == "-1"
    assert action["copy"]["followSymlink"] is True
    run_op = next(v for v in doc["def"].values() if "exec" in v)
    assert run_op["exec"]["network"] == "HOST"
    assert run_op["exec"]["meta"]["args"] == ["/bin/sh", "-c", "echo $A > /x"]
    assert run_op["platform"] == {"Architecture": "amd64", "OS": "linux"}
    assert run_op["constraints"] == {}  # a set message, even empty


def test_metadata_is_llb_op_metadata_and_source_is_protojson() -> None:
    doc, meta = convert(DOCKERFILE)
    run_md = next(
        v for v in doc["metadata"].values()
        if v.get("description", {}).get("com.docker.dockerfile.v1.command", "").startswith("RUN")
    )  # fmt: skip
    assert run_md["description"]["llb.customname"] == "[base 2/2] RUN --network=host echo 1 > /x"
    assert list(run_md) == ["description", "caps"]  # encoding/json's snake_case names
    (info,) = doc["source"]["infos"]
    assert info["filename"] == "Dockerfile" and info["language"] == "Dockerfile"
    assert base64.b64decode(info["data"]) == DOCKERFILE
    # protojson of the source's definition: "def" base64, "Source" by its JSON name
    assert set(info["definition"]) <= {"def", "metadata", "Source"}
    for locs in doc["source"]["locations"].values():
        for loc in locs["locations"]:
            assert set(loc) == {"ranges"}  # sourceIndex 0 left out
    # Go's encoder escapes HTML characters; the text is MarshalIndent's
    assert b"\\u003e /x" in meta["result.json"]
    assert meta["result.json"].startswith(b'{\n  "def": {\n    "sha256:')


def test_convertllb_result_of_a_definition() -> None:
    op = ops_pb2.Op(source=ops_pb2.SourceOp(identifier="docker-image://x"))
    data = op.SerializeToString(deterministic=True)
    definition = ops_pb2.Definition()
    getattr(definition, "def").append(data)
    definition.metadata["sha256:b"].ignore_cache = True
    definition.metadata["sha256:a"].caps["source.image"] = True
    res = convertllb_result(definition)
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert json.loads(res.metadata["result.json"]) == {
        "def": {digest: {"source": {"identifier": "docker-image://x"}}},
        "metadata": {
            "sha256:a": {"caps": {"source.image": True}},
            "sha256:b": {"ignore_cache": True},
        },
        "source": {},
    }
    assert res.metadata["version"] == b"0.1.0"


def test_a_target_and_build_args_convert_as_they_build() -> None:
    doc, _ = convert(DOCKERFILE, {"target": "base", "build-arg:A": "2"})
    run_op = next(v for v in doc["def"].values() if "exec" in v)
    assert run_op["exec"]["meta"]["env"][-1] == "A=1"  # ENV wins over the build arg
    assert not any("file" in v for v in doc["def"].values())  # the target's ops only


def test_errors_are_the_builds_without_a_source() -> None:
    state = build_state(b"")
    ret = run(state, {"requestid": CONVERTLLB})
    assert ret.error.message == "the Dockerfile cannot be empty"
    state = build_state(b"FROM busybox\nCOPY --from=nosuch /a /b\n")
    ret = run(state, {"requestid": CONVERTLLB})
    assert ret.HasField("error")
    assert not ret.error.details  # no errdefs.Source
    state = build_state(b"FROM busybox\nFOO bar\n")
    ret = run(state, {"requestid": CONVERTLLB})
    assert ret.error.message.startswith("dockerfile parse error on line 2: ")
    assert not ret.error.details


def test_check_warnings_are_sent_as_a_build_sends_them() -> None:
    state = build_state(b"FROM busybox AS Base\n")
    ret = run(state, {"requestid": CONVERTLLB})
    assert ret.HasField("result")
    assert [w.short for w in state.warns] == [
        b"StageNameCasing: Stage name 'Base' should be lowercase (line 1)"
    ]


def test_describe_does_not_list_it() -> None:
    doc, _ = answer(b"FROM scratch\n", "frontend.subrequests.describe")
    assert [r["name"] for r in doc] == [
        "frontend.outline",
        "frontend.targets",
        "frontend.subrequests.describe",
    ]


def test_the_build_path_does_not_import_the_subrequest_modules() -> None:
    unit = Path(__file__).resolve().parents[1]
    code = (
        "import sys\n"
        "from dockerui.builds import run_build\n"
        "res, _ = run_build(b'FROM busybox\\nRUN true\\n', {})\n"
        "assert res.ref is not None\n"
        "bad = [m for m in ('frontend.dockerui.subrequests', 'frontend.dockerui.outline',"
        " 'frontend.dockerui.goformat') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env_path = f"{unit}:{unit.parents[1]}"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=unit,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    _ = gateway_pb2  # the wire types the fake daemon speaks
