"""Subrequests through the gateway handler on the fake daemon (``frontend.dockerui.
subrequests``): describe, targets, outline and lint as the reference answers them
(BuildKit's dockerfile_outline_test.go, dockerfile_targets_test.go and
dockerfile_client_test.go expectations), nothing solved but the Dockerfile's source (and
the context's .dockerignore for the lint), an unknown request refused."""

from __future__ import annotations

import base64
import json
from typing import Any

from gateway_fakes import DaemonState

from dockerui.check_wire import IMAGE, SUBREQUESTS
from dockerui.test_warnings import run
from frontend.pb import gateway_pb2, ops_pb2


def state_for(dockerfile: bytes, **context: bytes) -> DaemonState:
    return DaemonState(
        locals={"dockerfile": {"Dockerfile": dockerfile}, "context": dict(context)},
        default_image=("", IMAGE),
        llb_caps=(),
    )


def ask(
    dockerfile: bytes, request: str, opts: dict[str, str] | None = None, **context: bytes
) -> tuple[gateway_pb2.ReturnRequest, DaemonState]:
    state = state_for(dockerfile, **context)
    ret = run(state, {"frontend.caps": SUBREQUESTS, "requestid": request, **(opts or {})})
    for req in state.solves:  # nothing is built
        op = ops_pb2.Op.FromString(getattr(req.Definition, "def")[0])
        assert op.source.identifier.startswith("local://"), op
    assert state.warns == []
    return ret, state


def answer(
    dockerfile: bytes, request: str, opts: dict[str, str] | None = None, **context: bytes
) -> tuple[Any, dict[str, bytes]]:
    ret, _ = ask(dockerfile, request, opts, **context)
    assert ret.HasField("result"), ret.error.message
    meta = dict(ret.result.metadata)
    assert not ret.result.HasField("ref") or not ret.result.ref.id
    assert meta["version"] == b"1.0.0"
    return json.loads(meta["result.json"]), meta


def line(loc: dict[str, Any]) -> int:
    return int(loc["ranges"][0]["start"]["line"])


# -- describe -----------------------------------------------------------------------


def test_describe() -> None:
    doc, meta = answer(b"FROM scratch\n", "frontend.subrequests.describe")
    named = [{"name": "result.json", "description": ""}, {"name": "result.txt", "description": ""}]
    assert doc == [
        {
            "name": "frontend.outline",
            "version": "1.0.0",
            "type": "rpc",
            "description": "List all parameters current build target supports",
            "opts": [{"name": "target", "description": "Target build stage"}],
            "inputs": None,
            "metadata": named,
            "refs": None,
        },
        {
            "name": "frontend.targets",
            "version": "1.0.0",
            "type": "rpc",
            "description": "List all targets current build supports",
            "opts": [],
            "inputs": None,
            "metadata": named,
            "refs": None,
        },
        {
            "name": "frontend.subrequests.describe",
            "version": "1.0.0",
            "type": "rpc",
            "description": "List available subrequest types",
            "opts": None,
            "inputs": None,
            "metadata": named,
            "refs": None,
        },
    ]
    assert meta["result.txt"] == (
        b"NAME                 VERSION DESCRIPTION\n"
        b"outline              1.0.0   List all parameters current build target supports\n"
        b"targets              1.0.0   List all targets current build supports\n"
        b"subrequests.describe 1.0.0   List available subrequest types\n"
    )
    assert meta["result.json"].startswith(b'[\n  {\n    "name": "frontend.outline",\n')


def test_an_unknown_request_is_refused_as_the_reference_refuses_it() -> None:
    ret, _ = ask(b"FROM scratch\n", "frontend.subrequests.notexist")
    assert ret.error.message == "unsupported request frontend.subrequests.notexist"
    (detail,) = ret.error.details
    assert detail.type_url == "github.com/moby/buildkit/errdefs.Subrequest+json"
    assert json.loads(detail.value) == {"name": "frontend.subrequests.notexist"}


# -- targets ------------------------------------------------------------------------

TARGETS_DF = b"""
# build defines stage for compiling the binary
FROM alpine AS build
RUN true

FROM busybox as second
RUN false

FROM alpine
RUN false

# binary returns the compiled binary
FROM second AS binary
"""


def test_targets() -> None:
    # testTargetsList
    doc, meta = answer(TARGETS_DF, "frontend.targets")
    assert [base64.b64decode(s) for s in doc["sources"]] == [TARGETS_DF]
    assert [{k: v for k, v in t.items() if k != "location"} for t in doc["targets"]] == [
        {"name": "build", "description": "defines stage for compiling the binary",
         "base": "alpine"},
        {"name": "second", "base": "busybox"},
        {"base": "alpine"},
        {"name": "binary", "default": True, "description": "returns the compiled binary",
         "base": "second"},
    ]  # fmt: skip
    assert [t["location"] for t in doc["targets"]] == [
        {"ranges": [{"start": {"line": n}, "end": {"line": n}}]} for n in (3, 6, 9, 13)
    ]
    assert meta["result.txt"] == (
        b"TARGET           DESCRIPTION\n"
        b"build            defines stage for compiling the binary\n"
        b"second           \n"
        b"                 \n"
        b"binary (default) returns the compiled binary\n"
    )


def test_targets_keep_the_base_and_platform_as_written() -> None:
    doc, _ = answer(b"ARG IMG=x\nFROM --platform=$BUILDPLATFORM ${IMG}\n", "frontend.targets")
    (target,) = doc["targets"]
    assert target["base"] == "${IMG}" and target["platform"] == "$BUILDPLATFORM"
    assert target["default"] is True and "name" not in target


def test_targets_of_a_bad_dockerfile_fail_unlocated() -> None:
    ret, _ = ask(b"FROM scratch\nBADCMD\n", "frontend.targets")
    assert ret.error.message == "dockerfile parse error on line 2: unknown instruction: BADCMD"
    assert len(ret.error.details) == 0
    ret, _ = ask(b"", "frontend.targets")
    assert ret.error.message == "file with no instructions"


# -- outline ------------------------------------------------------------------------

OUTLINE_ARGS_DF = b"""
ARG inherited=box
ARG inherited2=box2
ARG unused=abc${inherited2}
# sfx is a suffix
ARG sfx="usy${inherited}"

FROM b${sfx} AS first
# this is not assigned to anything
ARG FOO=123
# BAR is a number
ARG BAR=456
RUN true

FROM alpine${unused} AS second
ARG BAZ
RUN true

FROM scratch AS third
ARG ABC=a
# check=skip=all
ARG password
# alternate_password will show up in the outline
# check=skip=all
ARG alternate_password

# target defines build target
FROM third AS target
COPY --from=first /etc/passwd /

FROM second
"""


def test_outline_args() -> None:
    # testOutlineArgs
    doc, meta = answer(
        OUTLINE_ARGS_DF, "frontend.outline", {"build-arg:BAR": "678", "target": "target"}
    )
    assert doc["name"] == "target"
    assert doc["description"] == "defines build target"
    assert [base64.b64decode(s) for s in doc["sources"]] == [OUTLINE_ARGS_DF]
    assert [(a["name"], a.get("value", ""), a.get("description", ""), line(a["location"]))
            for a in doc["args"]] == [
        ("inherited", "box", "", 2),
        ("sfx", "usybox", "is a suffix", 6),
        ("FOO", "123", "", 10),
        ("BAR", "678", "is a number", 12),
        ("ABC", "a", "", 20),
        ("password", "", "", 22),
        ("alternate_password", "", "will show up in the outline", 25),
    ]  # fmt: skip
    assert "secrets" not in doc and "ssh" not in doc
    assert meta["result.txt"].decode() == (
        "TARGET:      target\n"
        "DESCRIPTION: defines build target\n"
        "\n"
        "BUILD ARG            VALUE    DESCRIPTION\n"
        "inherited            box      \n"
        "sfx                  usybox   is a suffix\n"
        "FOO                  123      \n"
        "BAR                  678      is a number\n"
        "ABC                  a        \n"
        "password                      \n"
        "alternate_password            will show up in the outline\n"
        "\n"
    )


def test_outline_secrets() -> None:
    # testOutlineSecrets
    dockerfile = b"""
FROM busybox AS first
RUN --mount=type=secret,target=/etc/passwd,required=true --mount=type=ssh true

FROM alpine AS second
RUN --mount=type=secret,id=unused --mount=type=ssh,id=ssh2 true

FROM scratch AS third
ARG BAR
RUN --mount=type=secret,id=second${BAR} true

FROM third AS target
COPY --from=first /foo /
RUN --mount=type=ssh,id=ssh3,required true

FROM second
"""
    doc, meta = answer(dockerfile, "frontend.outline", {"build-arg:BAR": "678", "target": "target"})
    assert [(s["name"], s.get("required", False), line(s["location"])) for s in doc["secrets"]] == [
        ("passwd", True, 3),
        ("second678", False, 10),
    ]
    assert [(s["name"], s.get("required", False), line(s["location"])) for s in doc["ssh"]] == [
        ("default", False, 3),
        ("ssh3", True, 14),
    ]
    assert doc["secrets"][0] == {
        "name": "passwd",
        "required": True,
        "location": {"ranges": [{"start": {"line": 3}, "end": {"line": 3}}]},
    }
    text = meta["result.txt"].decode()
    assert "SECRET      REQUIRED\npasswd      true\nsecond678   \n\n" in text
    assert "SSH       REQUIRED\ndefault   \nssh3      true\n\n" in text


def test_outline_recursive_args() -> None:
    # testOutlineRecursiveArgs
    dockerfile = b"""
ARG FOO=123
ARG ABC=abc
ARG DEF=def
ARG FOO=${FOO}${ABC}
ARG BAR=${FOO}456
ARG FOO=${FOO}456${BAR}
FROM scratch
ARG FOO
ARG INFOO=123
ARG INBAR=${INFOO}456
ARG INFOO=${INFOO}456${INBAR}
"""
    doc, _ = answer(dockerfile, "frontend.outline")
    assert sorted((a["name"], a["value"]) for a in doc["args"]) == [
        ("ABC", "abc"),
        ("BAR", "123abc456"),
        ("FOO", "123abc456123abc456"),
        ("INBAR", "123456"),
        ("INFOO", "123456123456"),
    ]
    # the default target has no name: the outline has none either
    assert "name" not in doc


def test_outline_of_an_empty_dockerfile() -> None:
    ret, _ = ask(b"", "frontend.outline")
    assert ret.error.message == "the Dockerfile cannot be empty"


# -- lint ---------------------------------------------------------------------------

LINT_DF = b"FROM busybox AS Base\nENV A=$HOME\n\nFROM scratch\nCOPY --from=base a.log /\n"


def test_lint_result() -> None:
    doc, meta = answer(LINT_DF, "frontend.lint", **{".dockerignore": b"*.log\n"})
    assert [(w["ruleName"], w["detail"], line(w["location"])) for w in doc["warnings"]] == [
        ("StageNameCasing", "Stage name 'Base' should be lowercase", 1),
        ("UndefinedVar", "Usage of undefined variable '$HOME'", 2),
    ]
    assert list(doc["warnings"][0]) == ["ruleName", "description", "url", "detail", "location"]
    (source,) = doc["sources"]
    assert list(source) == ["filename", "data", "definition", "language"]
    assert source["filename"] == "Dockerfile" and source["language"] == "Dockerfile"
    assert base64.b64decode(source["data"]) == LINT_DF
    assert "buildError" not in doc
    assert meta["result.statuscode"] == b"1"
    assert meta["result.txt"].decode() == (
        "\nWARNING: StageNameCasing - "
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/\n"
        "Stage name 'Base' should be lowercase\n"
        "Dockerfile:1\n"
        "--------------------\n"
        "   1 | >>> FROM busybox AS Base\n"
        "   2 |     ENV A=$HOME\n"
        "   3 |     \n"
        "--------------------\n"
        "\nWARNING: UndefinedVar - https://docs.docker.com/go/dockerfile/rule/undefined-var/\n"
        "Usage of undefined variable '$HOME'\n"
        "Dockerfile:2\n"
        "--------------------\n"
        "   1 |     FROM busybox AS Base\n"
        "   2 | >>> ENV A=$HOME\n"
        "   3 |     \n"
        "   4 |     FROM scratch\n"
        "--------------------\n"
    )


def test_lint_source_carries_the_definition_that_read_the_dockerfile() -> None:
    ret, state = ask(LINT_DF, "frontend.lint")
    doc = json.loads(ret.result.metadata["result.json"])
    read = state.solves[0].Definition
    definition = doc["sources"][0]["definition"]
    assert [base64.b64decode(op) for op in definition["def"]] == list(getattr(read, "def"))
    assert sorted(definition["metadata"]) == sorted(read.metadata)


def test_lint_copy_ignored_file_reads_the_context_dockerignore() -> None:
    dockerfile = b"FROM scratch\nCOPY a.log /\n"
    doc, _ = answer(dockerfile, "frontend.lint", **{".dockerignore": b"*.log\n"})
    assert [w["ruleName"] for w in doc["warnings"]] == ["CopyIgnoredFile"]
    doc, meta = answer(dockerfile, "frontend.lint")
    assert doc["warnings"] is None
    assert meta["result.statuscode"] == b"0" and meta["result.txt"] == b""


def test_lint_with_a_target_checks_its_stages_only() -> None:
    dockerfile = b"FROM scratch AS a\nWORKDIR rel\nFROM scratch AS b\nCMD x\n"
    doc, _ = answer(dockerfile, "frontend.lint")
    assert [w["ruleName"] for w in doc["warnings"]] == [
        "WorkdirRelativePath",
        "JSONArgsRecommended",
    ]
    doc, _ = answer(dockerfile, "frontend.lint", {"target": "a"})
    assert [w["ruleName"] for w in doc["warnings"]] == ["WorkdirRelativePath"]


def test_lint_build_error() -> None:
    doc, meta = answer(b"\nFROM scratch AS Bad\nBADCMD\n", "frontend.lint")
    assert doc["buildError"] == {
        "message": "dockerfile parse error on line 3: unknown instruction: BADCMD",
        "location": {"ranges": [{"start": {"line": 3}, "end": {"line": 3}}]},
    }
    assert [w["ruleName"] for w in doc["warnings"]] == ["StageNameCasing"]
    assert meta["result.statuscode"] == b"1"
    doc, _ = answer(b"", "frontend.lint")
    assert doc["buildError"] == {"message": "the Dockerfile cannot be empty", "location": {}}
    assert doc["warnings"] is None


def test_lint_image_resolution_error_is_the_build_error() -> None:
    state = state_for(b"FROM nosuch AS Bad\nENV A=$HOME\n")
    state.default_image = None
    ret = run(state, {"requestid": "frontend.lint"})
    doc = json.loads(ret.result.metadata["result.json"])
    assert doc["buildError"]["message"].startswith(
        "nosuch: failed to resolve source metadata for docker.io/library/nosuch:latest"
    )
    assert [w["ruleName"] for w in doc["warnings"]] == ["StageNameCasing"]


def test_lint_error_true() -> None:
    doc, _ = answer(b"# check=error=true\nFROM scratch AS Bad\n", "frontend.lint")
    assert doc["buildError"] == {
        "message": "lint violation found for rules: StageNameCasing",
        "location": {},
    }


def test_outline_of_a_stage_built_on_a_stage() -> None:
    # a stage ARG without default takes the global one (and reports it where it is
    # declared); the child stage expands its mounts with what its base set
    dockerfile = b"""ARG GLOBAL=g
FROM scratch AS base
ARG GLOBAL
ENV SUF=x
FROM base
RUN --mount=type=secret,id=s${SUF} --mount=type=secret,id=s${SUF},required true
"""
    doc, _ = answer(dockerfile, "frontend.outline", {"build-arg:UNUSED": "1"})
    assert [(a["name"], a["value"], line(a["location"])) for a in doc["args"]] == [
        ("GLOBAL", "g", 1)
    ]
    # the first mount of an id wins
    assert [(s["name"], s.get("required", False)) for s in doc["secrets"]] == [("sx", False)]
    assert "name" not in doc


def test_outline_of_a_stage_a_named_context_replaces() -> None:
    dockerfile = b"FROM scratch AS base\nARG A=1\nFROM base AS final\nARG B=2\n"
    doc, _ = answer(dockerfile, "frontend.outline", {"context:base": "docker-image://alpine"})
    assert [a["name"] for a in doc["args"]] == ["B"]
    doc, _ = answer(dockerfile, "frontend.outline")
    assert [a["name"] for a in doc["args"]] == ["A", "B"]
