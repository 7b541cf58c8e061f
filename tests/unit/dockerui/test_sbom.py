"""SBOM attestations (``frontend.dockerui.sbom``): ``attest:`` parsed as the
reference's ``attestations.Parse``, the scanner run as ``sbom.CreateSBOMScanner``
makes it, the extra targets of BUILDKIT_SBOM_SCAN_CONTEXT/STAGE as
``dockerfile2llb`` names them, and the per-platform Bundle attestation of the result
(dockerfile_sbom_test.go, TestSBOMScannerArgs)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from compiler.util import compile_text, lines
from gateway_fakes import connected_client

from dockerui.builds import CONFIG, build_state
from frontend import llb
from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions, OptionError
from frontend.dockerui.sbom import (
    AttestError,
    SbomRequest,
    Scanner,
    parse_attests,
    sbom_request,
)
from frontend.pb import gateway_pb2, ops_pb2

SCANNER = "docker.io/example/scanner:latest"
SCANNER_CONFIG = json.dumps(
    {
        "os": "linux",
        "architecture": "amd64",
        "config": {
            "Env": ["PATH=/bin", "A=1"],
            "Entrypoint": ["sh"],
            "Cmd": ["/scan.sh"],
            "WorkingDir": "/work",
        },
    }
).encode()


# -- attest: options ---------------------------------------------------------------------


def test_parse_defaults_fields_and_build_args() -> None:
    got = parse_attests(
        {
            "attest:sbom": "generator=x/y,scan-mode=full",
            "build-arg:BUILDKIT_ATTEST_PROVENANCE": "mode=max",
            "build-arg:FOO": "1",
        }
    )
    assert got == {
        "sbom": {"generator": "x/y", "scan-mode": "full"},
        "provenance": {"version": "v1", "mode": "max"},
    }
    assert parse_attests({"attest:SBOM": ""}) == {
        "sbom": {"generator": "docker/buildkit-syft-scanner:stable-1"}
    }
    assert parse_attests({"attest:sbom": '"generator=a,b",flag'})["sbom"] == {
        "generator": "a,b",
        "flag": "",
    }


def test_unknown_attestation_type_is_refused() -> None:
    with pytest.raises(AttestError, match=r'^unknown attestation type "foo"$'):
        parse_attests({"attest:foo": ""})
    with pytest.raises(OptionError, match='unknown attestation type "foo"'):
        BuildOptions(opts={"attest:foo": ""}, session_id="s").validate()


def test_sbom_request_normalises_the_generator_and_keeps_parameters() -> None:
    assert sbom_request({}) is None
    assert sbom_request({"attest:sbom": ""}) == SbomRequest(
        "docker.io/docker/buildkit-syft-scanner:stable-1"
    )
    got = sbom_request({"attest:sbom": "generator=127.0.0.1:5000/b/s,z=1,a=2"})
    assert got == SbomRequest("127.0.0.1:5000/b/s:latest", (("a", "2"), ("z", "1")))


def test_sbom_generator_must_be_a_reference() -> None:
    with pytest.raises(AttestError, match=r"^failed to parse sbom scanner Bad/Ref: "):
        sbom_request({"attest:sbom": "generator=Bad/Ref"})


# -- scan targets (the compiler) ---------------------------------------------------------


def _extras(text: str, **build_args: str) -> list[str]:
    return [name for name, _ in compile_text(text, build_args=build_args).result.sbom_extras]


TWO_STAGES = lines("FROM scratch as base", "COPY <<EOF /foo", "data", "EOF", "FROM base")
SCANNED = lines(
    "ARG BUILDKIT_SBOM_SCAN_CONTEXT=true",
    "FROM scratch as file",
    "ARG BUILDKIT_SBOM_SCAN_STAGE=true",
    "COPY <<EOF /file",
    "data",
    "EOF",
    "FROM scratch as base",
    "ARG BUILDKIT_SBOM_SCAN_STAGE=true",
    "COPY --from=file /file /foo",
    "FROM scratch as base2",
    "ARG BUILDKIT_SBOM_SCAN_STAGE=true",
    "COPY --from=file /file /bar",
    "RUN non-existent-command-would-fail",
    "FROM base",
    "ARG BUILDKIT_SBOM_SCAN_STAGE=true",
)


def test_build_args_alone_scan_nothing_undeclared() -> None:
    args = {"BUILDKIT_SBOM_SCAN_CONTEXT": "true", "BUILDKIT_SBOM_SCAN_STAGE": "true"}
    assert _extras(TWO_STAGES, **args) == []


def test_declared_switches_scan_the_context_and_the_needed_stages() -> None:
    c = compile_text(SCANNED)
    assert [n for n, _ in c.result.sbom_extras] == ["base", "context", "file"]
    extras = dict(c.result.sbom_extras)
    assert extras["context"] is c.result.sbom_extras[1][1]
    assert not c.result.sbom_ignore_cache


def test_build_args_switch_the_declared_scans_off() -> None:
    args = {"BUILDKIT_SBOM_SCAN_CONTEXT": "false", "BUILDKIT_SBOM_SCAN_STAGE": "false"}
    assert _extras(SCANNED, **args) == []


def test_a_stage_list_scans_the_named_stages_only() -> None:
    text = lines(
        "ARG BUILDKIT_SBOM_SCAN_STAGE=file",
        "FROM scratch AS file",
        "COPY <<EOF /f",
        "x",
        "EOF",
        "FROM scratch AS other",
        "COPY --from=file /f /g",
        "FROM other",
    )
    assert _extras(text) == ["file"]


def test_no_cache_of_a_scanned_stage_makes_the_scan_ignore_the_cache() -> None:
    c = compile_text(SCANNED, no_cache=("file",))
    assert c.result.sbom_ignore_cache


# -- the scanner run ---------------------------------------------------------------------


def _ops(state: llb.State) -> tuple[list[ops_pb2.Op], Any]:
    d = llb.marshal(state, default_platform=llb.Platform("linux", "amd64"))
    return [ops_pb2.Op.FromString(b) for b in d.ops], d


def test_scan_runs_the_scanner_with_the_targets_mounted() -> None:
    scanner = Scanner(
        SCANNER,
        llb.Platform("linux", "amd64"),
        ("sh", "/scan.sh"),
        ("PATH=/bin", "BUILDKIT_SCAN_SOURCE=old"),
        "/work",
        (("MODE", "x"),),
    )
    core = llb.image("busybox")
    ctx = llb.local("context")
    out = scanner.scan("linux/amd64", core, [("context", ctx)], ignore_cache=True)
    ops, d = _ops(out)
    [run] = [o for o in ops if o.WhichOneof("op") == "exec"]
    assert list(run.exec.meta.args) == ["sh", "/scan.sh"]
    assert run.exec.meta.cwd == "/work"
    assert list(run.exec.meta.env) == [
        "PATH=/bin",
        "BUILDKIT_SCAN_SOURCE=/run/src/core/sbom",
        "BUILDKIT_SCAN_DESTINATION=/run/out/",
        "BUILDKIT_SCAN_SOURCE_EXTRAS=/run/src/extras",
        "BUILDKIT_SCAN_MODE=x",
    ]
    mounts = [(m.dest, m.readonly, m.mountType, m.output) for m in run.exec.mounts]
    assert mounts == [
        ("/", False, ops_pb2.BIND, 0),
        ("/run/out/", False, ops_pb2.BIND, 1),
        ("/run/src/core/sbom", True, ops_pb2.BIND, -1),
        ("/run/src/extras/sbom-context", True, ops_pb2.BIND, -1),
        ("/tmp", False, ops_pb2.TMPFS, -1),
    ]
    digest = llb.digest_of(next(b for b in d.ops if ops_pb2.Op.FromString(b) == run))
    meta = d.pb.metadata[digest]
    assert meta.description["llb.customname"] == (f"[linux/amd64] generating sbom using {SCANNER}")
    assert meta.ignore_cache
    # the scan's result is the output directory
    last = ops[-1]
    assert last.inputs[0].index == 1


def test_scan_without_extras_names_no_extras_dir() -> None:
    scanner = Scanner(SCANNER, llb.Platform("linux", "amd64"), ("scan",), (), "", ())
    ops, _ = _ops(scanner.scan("linux/amd64", llb.scratch(), []))
    [run] = [o for o in ops if o.WhichOneof("op") == "exec"]
    assert not any(e.startswith("BUILDKIT_SCAN_SOURCE_EXTRAS=") for e in run.exec.meta.env)
    assert run.exec.meta.cwd == "/"


# -- a build ---------------------------------------------------------------------------


def test_build_attaches_the_scan_as_the_platforms_bundle() -> None:
    state = build_state(SCANNED.encode())
    state.image_configs[SCANNER] = ("", SCANNER_CONFIG)
    with connected_client(state) as client:
        result = build(
            client, BuildOptions(opts={"attest:sbom": f"generator={SCANNER}"}, session_id="s")
        )
    [(pid, atts)] = result.attestations.items()
    assert pid == "linux/amd64"
    [att] = atts
    pb = result.to_pb().attestations[pid].attestation[0]
    assert pb.kind == gateway_pb2.Bundle
    assert pb.inTotoPredicateType == "https://spdx.dev/Document"
    assert dict(pb.metadata) == {"reason": b"sbom", "sbom-core": b"sbom"}
    assert pb.ref.id == att.ref.id and pb.path == ""
    # the scan is solved after the build: its definition runs the scanner image
    scan = state.solves[-1].Definition
    ops = [ops_pb2.Op.FromString(b) for b in getattr(scan, "def")]
    [run] = [o for o in ops if o.WhichOneof("op") == "exec"]
    assert list(run.exec.meta.args) == ["sh", "/scan.sh"]
    dests = [m.dest for m in run.exec.mounts]
    assert dests == [
        "/",
        "/run/out/",
        "/run/src/core/sbom",
        "/run/src/extras/sbom-base",
        "/run/src/extras/sbom-context",
        "/run/src/extras/sbom-file",
        "/tmp",
    ]


def test_a_scanner_without_a_command_is_refused() -> None:
    state = build_state(b"FROM scratch\n")
    state.image_configs[SCANNER] = ("", CONFIG)  # busybox's config: no Entrypoint/Cmd
    from frontend.gateway.errors import UserError

    with connected_client(state) as client, pytest.raises(UserError) as info:
        build(client, BuildOptions(opts={"attest:sbom": f"generator={SCANNER}"}, session_id="s"))
    assert info.value.message == f"scanner {SCANNER} does not have cmd"


def test_no_sbom_no_attestations() -> None:
    state = build_state(b"FROM scratch\n")
    with connected_client(state) as client:
        result = build(client, BuildOptions(opts={}, session_id="s"))
    assert not result.attestations and not result.to_pb().attestations
