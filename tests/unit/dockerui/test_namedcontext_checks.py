"""``UndefinedVar`` under a named context (``--build-context``): as in the reference's
conversion (dockerfile2llb/convert.go ``resolveBaseImage``), a stage built on a named
context takes its environment from the context: an image context's config ``Env``, a
local directory's empty image (PATH only). Both where the context is the base image
(``FROM base``, ``context:base``) and where it replaces a stage of that name, in the
build's warnings and in the ``frontend.lint`` subrequest (which, checking every
stage, dispatches the replaced stage on the context)."""

from __future__ import annotations

import json

import pytest

from dockerui.builds import build_state
from dockerui.test_warnings import run

CONFIG = json.dumps(
    {
        "os": "linux",
        "architecture": "amd64",
        "config": {"Env": ["PATH=/bin", "FOO=1"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
    }
).encode()
IMAGE_CONTEXT = "docker-image://example/img:1"
LOCAL_CONTEXT = "local:extradir"
AS_BASE = b"FROM base\nENV X=$FOO-$BAR\n"
REPLACING = b"FROM busybox AS base\nFROM base\nENV X=$FOO-$BAR\n"


def undefined(message: str) -> str:
    return f"Usage of undefined variable '{message}'"


def build_warnings(dockerfile: bytes, context: str) -> list[str]:
    state = build_state(dockerfile)
    state.image_configs["docker.io/example/img:1"] = ("", CONFIG)
    ret = run(state, {"context:base": context})
    assert ret.HasField("result"), ret.error.message
    return sorted(w.short.decode() for w in state.warns)


def lint_warnings(dockerfile: bytes, context: str) -> list[str]:
    state = build_state(dockerfile)
    state.image_configs["docker.io/example/img:1"] = ("", CONFIG)
    ret = run(state, {"context:base": context, "requestid": "frontend.lint"})
    assert ret.HasField("result"), ret.error.message
    doc = json.loads(ret.result.metadata["result.json"])
    return sorted(w["detail"] for w in doc.get("warnings") or ())


@pytest.mark.parametrize("dockerfile", [AS_BASE, REPLACING])
def test_a_variable_of_the_context_images_env_is_defined(dockerfile: bytes) -> None:
    line = dockerfile.count(b"\n")
    assert build_warnings(dockerfile, IMAGE_CONTEXT) == [
        f"UndefinedVar: {undefined('$BAR')} (line {line})"
    ]
    assert lint_warnings(dockerfile, IMAGE_CONTEXT) == [undefined("$BAR")]


@pytest.mark.parametrize("dockerfile", [AS_BASE, REPLACING])
def test_a_local_context_has_the_empty_images_env(dockerfile: bytes) -> None:
    line = dockerfile.count(b"\n")
    assert build_warnings(dockerfile, LOCAL_CONTEXT) == [
        f"UndefinedVar: {undefined('$BAR')} (line {line})",
        f"UndefinedVar: {undefined('$FOO')} (line {line})",
    ]
    assert lint_warnings(dockerfile, LOCAL_CONTEXT) == [undefined("$BAR"), undefined("$FOO")]


def test_the_replaced_stages_commands_apply_to_the_context_when_linting_every_stage() -> None:
    dockerfile = b"FROM busybox AS base\nENV Y=$FOO$NOPE\nFROM base\nENV X=$FOO$Y\n"
    # the lint checks every stage: the replaced one is dispatched on the context
    assert lint_warnings(dockerfile, IMAGE_CONTEXT) == [undefined("$NOPE")]
    # the build dispatches only what the target needs: not the replaced stage
    assert build_warnings(dockerfile, IMAGE_CONTEXT) == [
        f"UndefinedVar: {undefined('$Y')} (line 4)"
    ]
