"""The generated protocol modules: reproducible from protos/, and wire facts BuildKit relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import any_pb2

from frontend.pb import errdefs_pb2, gateway_pb2, gateway_pb2_grpc, ops_pb2, status_pb2

ROOT = Path(__file__).resolve().parents[2]
PB_DIR = ROOT / "frontend" / "pb"


def _generated(d: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(d.iterdir())
        if p.name.endswith(("_pb2.py", "_pb2.pyi", "_pb2_grpc.py"))
    }


def test_generation_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "pb"
    subprocess.run(
        [sys.executable, str(ROOT / "protos" / "generate.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    fresh = _generated(out)
    committed = _generated(PB_DIR)
    assert sorted(fresh) == sorted(committed)
    for name, data in fresh.items():
        assert data == committed[name], f"{name} differs from a fresh `make protos`"
    # generated code imports our package, never a flat module name
    for name, data in fresh.items():
        for line in data.decode().splitlines():
            if line.startswith("import ") and "_pb2" in line:
                pytest.fail(f"{name}: flat import left: {line}")


def test_llbbridge_method_paths() -> None:
    svc = gateway_pb2.DESCRIPTOR.services_by_name["LLBBridge"]
    assert svc.full_name == "moby.buildkit.v1.frontend.LLBBridge"
    names = {m.name for m in svc.methods}
    assert {
        "ResolveImageConfig",
        "ResolveSourceMeta",
        "Solve",
        "ReadFile",
        "ReadDir",
        "StatFile",
        "Evaluate",
        "Ping",
        "Return",
        "Inputs",
        "NewContainer",
        "ReleaseContainer",
        "ExecProcess",
        "ReadFileContainer",
        "ReadDirContainer",
        "StatFileContainer",
        "Warn",
    } == names
    exec_process = svc.methods_by_name["ExecProcess"]
    assert exec_process.client_streaming and exec_process.server_streaming

    # the stub must call exactly these paths on the wire
    seen: dict[str, str] = {}

    class RecordingChannel:
        def _record(self, kind: str, path: str, *args: object, **kwargs: object) -> object:
            seen[path] = kind
            return None

        def unary_unary(self, path: str, *a: object, **k: object) -> object:
            return self._record("uu", path)

        def stream_stream(self, path: str, *a: object, **k: object) -> object:
            return self._record("ss", path)

        def unary_stream(self, path: str, *a: object, **k: object) -> object:
            return self._record("us", path)

        def stream_unary(self, path: str, *a: object, **k: object) -> object:
            return self._record("su", path)

    gateway_pb2_grpc.LLBBridgeStub(RecordingChannel())  # type: ignore[no-untyped-call]
    assert seen["/moby.buildkit.v1.frontend.LLBBridge/Solve"] == "uu"
    assert seen["/moby.buildkit.v1.frontend.LLBBridge/Return"] == "uu"
    assert seen["/moby.buildkit.v1.frontend.LLBBridge/Ping"] == "uu"
    assert seen["/moby.buildkit.v1.frontend.LLBBridge/ExecProcess"] == "ss"
    assert len(seen) == len(names)


def _numbers(msg: type) -> dict[str, int]:
    return {f.name: f.number for f in msg.DESCRIPTOR.fields}  # type: ignore[attr-defined]


def test_op_field_numbers() -> None:
    assert ops_pb2.DESCRIPTOR.package == "pb"
    assert _numbers(ops_pb2.Op) == {
        "inputs": 1,
        "exec": 2,
        "source": 3,
        "file": 4,
        "build": 5,
        "merge": 6,
        "diff": 7,
        "platform": 10,
        "constraints": 11,
    }
    assert _numbers(ops_pb2.Meta) == {
        "args": 1,
        "env": 2,
        "cwd": 3,
        "user": 4,
        "proxy_env": 5,
        "extraHosts": 6,
        "hostname": 7,
        "ulimit": 9,
        "cgroupParent": 10,
        "removeMountStubsRecursive": 11,
        "validExitCodes": 12,
    }
    mount = _numbers(ops_pb2.Mount)
    assert (mount["TmpfsOpt"], mount["cacheOpt"], mount["secretOpt"], mount["SSHOpt"]) == (
        19,
        20,
        21,
        22,
    )
    copy = _numbers(ops_pb2.FileActionCopy)
    assert copy["alwaysReplaceExistingDestPaths"] == 14
    assert copy["modeStr"] == 15
    assert copy["required_paths"] == 16
    assert _numbers(ops_pb2.FileAction)["symlink"] == 8
    assert _numbers(ops_pb2.OpMetadata) == {
        "ignore_cache": 1,
        "description": 2,
        "export_cache": 4,
        "caps": 5,
        "progress_group": 6,
    }
    assert _numbers(ops_pb2.Definition) == {"def": 1, "metadata": 2, "Source": 3}


def test_known_encodings() -> None:
    # hand-encoded: field 1 (len) "ab", field 2 (varint) 1
    assert ops_pb2.Input(digest="ab", index=1).SerializeToString() == b"\x0a\x02ab\x10\x01"
    # Mount output -1 is a 10-byte varint (int64), as Go encodes it
    m = ops_pb2.Mount(input=-1, dest="/x", output=-1)
    assert m.SerializeToString() == (
        b"\x08" + b"\xff" * 9 + b"\x01" + b"\x1a\x02/x" + b"\x20" + b"\xff" * 9 + b"\x01"
    )
    d = ops_pb2.Definition()
    getattr(d, "def").append(b"x")
    assert d.SerializeToString() == b"\x0a\x01x"


def test_errdefs_source_packs_with_bare_type_url() -> None:
    src = errdefs_pb2.Source(
        info=ops_pb2.SourceInfo(filename="Dockerfile", data=b"FROM x\n", language="Dockerfile"),
        ranges=[ops_pb2.Range(start=ops_pb2.Position(line=1), end=ops_pb2.Position(line=1))],
    )
    assert errdefs_pb2.Source.DESCRIPTOR.full_name == "errdefs.Source"
    detail = any_pb2.Any(type_url="errdefs.Source", value=src.SerializeToString())
    status = status_pb2.Status(code=2, message="boom", details=[detail])
    req = gateway_pb2.ReturnRequest(error=status)
    back = gateway_pb2.ReturnRequest.FromString(req.SerializeToString())
    assert back.error.details[0].type_url == "errdefs.Source"
    # Any.Unpack wants a "prefix/" type_url; BuildKit's is bare, so parse the value
    assert errdefs_pb2.Source.FromString(back.error.details[0].value) == src
    assert status_pb2.Status.DESCRIPTOR.full_name == "google.rpc.Status"
