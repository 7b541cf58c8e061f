"""``frontend.outline`` from the build's conversion, as the reference's
``Dockerfile2Outline`` (``toDispatchState``) makes it: the base images and named
contexts the target needs resolved through the gateway (the outline fails with the
build's error when one is not), their config Env the start of each stage's
environment (ARG defaults, ENV values, ``RUN --mount`` secret and ssh ids), and the
ONBUILD triggers of a base image's config or of a base stage run, adding what they
declare or need. The reference's outline is ``json.MarshalIndent`` of
``outline.Outline``: asserted whole."""

from __future__ import annotations

import base64
import json
from typing import Any

from gateway_fakes import DaemonState

from dockerui.check_wire import SUBREQUESTS
from dockerui.test_warnings import run
from frontend.dockerui.outline import outline
from frontend.dockerui.warnings import build_facts
from frontend.language import parse_dockerfile
from frontend.llb.exec import DEFAULT_PATH
from frontend.pb import gateway_pb2, status_pb2

BASE = "docker.io/library/base:latest"


def config(env: list[str], onbuild: list[str] | None = None) -> bytes:
    cfg: dict[str, Any] = {"Env": env}
    if onbuild is not None:
        cfg["OnBuild"] = onbuild
    return json.dumps(
        {
            "os": "linux",
            "architecture": "amd64",
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
        }
    ).encode()


def state_for(dockerfile: bytes, images: dict[str, bytes]) -> DaemonState:
    return DaemonState(
        locals={"dockerfile": {"Dockerfile": dockerfile}, "context": {}},
        image_configs={ref: ("sha256:" + "cd" * 32, cfg) for ref, cfg in images.items()},
        llb_caps=(),
    )


def ask(
    dockerfile: bytes,
    images: dict[str, bytes],
    opts: dict[str, str] | None = None,
    warns: tuple[str, ...] = (),
) -> tuple[gateway_pb2.ReturnRequest, DaemonState]:
    """The outline request's answer; the build's check warnings are sent (``warns``:
    their short texts), as the reference's conversion sends them."""
    state = state_for(dockerfile, images)
    ret = run(
        state, {"frontend.caps": SUBREQUESTS, "requestid": "frontend.outline", **(opts or {})}
    )
    assert tuple(w.short.decode() for w in state.warns) == warns
    return ret, state


def answer(
    dockerfile: bytes,
    images: dict[str, bytes],
    opts: dict[str, str] | None = None,
    warns: tuple[str, ...] = (),
) -> dict[str, Any]:
    ret, _ = ask(dockerfile, images, opts, warns)
    assert ret.HasField("result"), ret.error.message
    doc: dict[str, Any] = json.loads(ret.result.metadata["result.json"])
    assert doc.pop("sources") == [base64.b64encode(dockerfile).decode()]
    return doc


def at(first: int, last: int | None = None) -> dict[str, Any]:
    return {"ranges": [{"start": {"line": first}, "end": {"line": last or first}}]}


def test_arg_defaults_and_env_values_expand_with_the_base_images_env() -> None:
    dockerfile = b"FROM base\nENV DIR=${HOME}/d\nARG FOO=${DIR}:${PATH}\nARG BAR=$LANG\n"
    doc = answer(dockerfile, {BASE: config(["PATH=/bin", "HOME=/root", "LANG=C"])})
    assert doc == {
        "args": [
            {"name": "FOO", "value": "/root/d:/bin", "location": at(3)},
            {"name": "BAR", "value": "C", "location": at(4)},
        ]
    }


def test_a_stage_on_a_stage_starts_from_its_base_images_env() -> None:
    dockerfile = b"FROM base AS one\nFROM one\nARG FOO=${HOME}\n"
    doc = answer(dockerfile, {BASE: config(["HOME=/root"])})
    assert doc == {"args": [{"name": "FOO", "value": "/root", "location": at(3)}]}


def test_secret_and_ssh_ids_from_the_base_images_env() -> None:
    dockerfile = (
        b"FROM base\n"
        b"RUN --mount=type=secret,id=${TOKEN_ID},required true\n"
        b"RUN --mount=type=ssh,id=$AGENT true\n"
    )
    doc = answer(dockerfile, {BASE: config(["TOKEN_ID=tok", "AGENT=gh"])})
    assert doc == {
        "secrets": [{"name": "tok", "required": True, "location": at(2)}],
        "ssh": [{"name": "gh", "location": at(3)}],
    }


def test_scratch_has_the_default_path_only() -> None:
    undefined = "UndefinedVar: Usage of undefined variable '$HOME' (line 3)"
    doc = answer(b"FROM scratch\nARG P=$PATH\nARG H=x${HOME}\n", {}, warns=(undefined,))
    assert doc == {
        "args": [
            {"name": "P", "value": DEFAULT_PATH, "location": at(2)},
            {"name": "H", "value": "x", "location": at(3)},
        ]
    }


def test_onbuild_triggers_of_the_base_image_config() -> None:
    # the triggers run first, located at the stage's FROM, in the image's env
    dockerfile = b"\n# final is the result\nFROM base AS final\nARG OWN=1\n"
    triggers = [
        "ARG FROMIMG=x${HOME}",
        "RUN --mount=type=secret,id=img-$HOME --mount=type=ssh,required true",
    ]
    doc = answer(dockerfile, {BASE: config(["HOME=/root"], triggers)}, {"target": "final"})
    assert doc == {
        "name": "final",
        "description": "is the result",
        "args": [
            {"name": "FROMIMG", "value": "x/root", "location": at(3)},
            {"name": "OWN", "value": "1", "location": at(4)},
        ],
        "secrets": [{"name": "img-/root", "location": at(3)}],
        "ssh": [{"name": "default", "required": True, "location": at(3)}],
    }


def test_onbuild_triggers_apply_to_the_stage_on_the_image_only() -> None:
    # a stage built on that stage does not run them again (init clears OnBuild)
    dockerfile = b"FROM base AS one\nFROM one\nARG OWN=1\n"
    doc = answer(dockerfile, {BASE: config([], ["ARG FROMIMG=1"])})
    assert doc == {
        "args": [
            {"name": "FROMIMG", "value": "1", "location": at(1)},
            {"name": "OWN", "value": "1", "location": at(3)},
        ]
    }


def test_onbuild_triggers_of_a_base_stage() -> None:
    dockerfile = b"""FROM scratch AS base
ENV SUF=s
ONBUILD ARG TRIG=t$SUF
ONBUILD RUN --mount=type=secret,id=trig-$SUF true
ARG BASEARG=b
FROM base
ARG C=1
"""
    doc = answer(dockerfile, {})
    assert doc == {
        "args": [
            {"name": "BASEARG", "value": "b", "location": at(5)},
            {"name": "TRIG", "value": "ts", "location": at(6)},
            {"name": "C", "value": "1", "location": at(7)},
        ],
        "secrets": [{"name": "trig-s", "location": at(6)}],
    }


def test_onbuild_triggers_add_the_stages_they_copy_from() -> None:
    # a stage the target needs only through a trigger is dispatched, and its args,
    # secrets and ssh are the target's
    dockerfile = b"""FROM scratch AS dep
ARG DEPARG=d
RUN --mount=type=ssh,id=depssh true
FROM scratch AS other
ARG OTHERARG=o
FROM scratch AS base
ONBUILD COPY --from=dep / /
FROM base AS viastage
FROM base AS unused
FROM image AS viaimage
"""
    images = {"docker.io/library/image:latest": config([], ["COPY --from=other / /"])}
    doc = answer(dockerfile, images, {"target": "viastage"})
    assert doc == {
        "name": "viastage",
        "args": [{"name": "DEPARG", "value": "d", "location": at(2)}],
        "ssh": [{"name": "depssh", "location": at(3)}],
    }
    doc = answer(dockerfile, images, {"target": "viaimage"})
    assert doc == {
        "name": "viaimage",
        "args": [{"name": "OTHERARG", "value": "o", "location": at(5)}],
    }


def test_an_unresolvable_base_image_fails_the_outline() -> None:
    dockerfile = b"FROM busybox\nFROM nosuch:1.0\nRUN true\n"
    state = state_for(dockerfile, {})
    state.fail["ResolveImageConfig"] = status_pb2.Status(code=2, message="failed to do request")
    ret = run(state, {"frontend.caps": SUBREQUESTS, "requestid": "frontend.outline"})
    assert ret.HasField("error")
    assert ret.error.message == (
        "nosuch:1.0: failed to resolve source metadata for docker.io/library/nosuch:1.0: "
        "failed to do request"
    )
    assert not ret.error.details  # a subrequest's error has no errdefs.Source


def test_only_the_stages_the_target_needs_are_resolved() -> None:
    dockerfile = b"FROM nosuch AS unused\nFROM base AS used\nARG A=$HOME\nFROM used\n"
    # nosuch is not resolvable: the target does not need it
    doc = answer(dockerfile, {BASE: config(["HOME=/h"])})
    assert doc == {"args": [{"name": "A", "value": "/h", "location": at(3)}]}
    # the unused stage's base is parsed all the same, as the reference parses each
    invalid = (
        "InvalidDefaultArgInFrom: Default value for ARG Bad:Ref results in empty or "
        "invalid base image name (line 1)"
    )
    ret, state = ask(b"FROM Bad:Ref AS unused\nFROM scratch\n", {}, warns=(invalid,))
    assert ret.error.message.startswith('failed to parse stage name "Bad:Ref"')
    assert "ResolveImageConfig" not in state.calls


def test_a_named_context_image_gives_its_env() -> None:
    images = {"docker.io/library/alpine:latest": config(["HOME=/ctx"])}
    doc = answer(b"FROM ctx\nARG A=$HOME\n", images, {"context:ctx": "docker-image://alpine"})
    assert doc == {"args": [{"name": "A", "value": "/ctx", "location": at(2)}]}
    # a stage a named context replaces takes the context's env for the stages on it
    dockerfile = b"FROM scratch AS base\nARG X=1\nFROM base\nARG B=$HOME\n"
    doc = answer(dockerfile, images, {"context:base": "docker-image://alpine"})
    assert doc == {"args": [{"name": "B", "value": "/ctx", "location": at(4)}]}


def test_without_a_daemon_every_base_has_an_empty_config() -> None:
    # the outline made without a conversion (no gateway): images are not resolved,
    # every stage starts from the default PATH; a base stage's triggers still run
    df = parse_dockerfile(
        b"FROM base AS b\nONBUILD ARG T=1\nFROM b\nARG A=x$HOME\nARG P=$PATH\n", "Dockerfile"
    )
    from frontend.dockerui.config import BuildOptions

    found = outline(df, build_facts(BuildOptions(opts={}, session_id="s")))
    assert [(a.name, a.value, a.location and a.location.start_line) for a in found.args] == [
        ("T", "1", 3),
        ("A", "x", 4),
        ("P", DEFAULT_PATH, 5),
    ]
