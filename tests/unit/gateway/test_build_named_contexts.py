"""The build driver (``frontend.build``) against the fake daemon: ``context:NAME``
options become named contexts (a local directory's own .dockerignore is read first),
and SOURCE_DATE_EPOCH reaches the result metadata."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from gateway_fakes import DaemonState, FakeDaemon

from frontend.build import build
from frontend.gateway.client import GatewayClient
from frontend.gateway.errors import UserError
from frontend.gateway.options import BuildOptions
from frontend.gateway.stdio import open_channel
from frontend.pb import gateway_pb2_grpc, ops_pb2

BUSYBOX = "docker.io/library/busybox:latest"
CONFIG = json.dumps(
    {
        "os": "linux",
        "architecture": "amd64",
        "config": {"Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
    }
).encode()


def _state(dockerfile: bytes) -> DaemonState:
    return DaemonState(
        locals={
            "dockerfile": {"Dockerfile": dockerfile},
            "context": {},
            "extradir": {".dockerignore": b"secret.txt\n", "a.txt": b"a"},
        },
        image_configs={BUSYBOX: ("", CONFIG), "docker.io/library/alpine:3.15": ("", CONFIG)},
        llb_caps=(),  # no LLB caps offered: the client checks none
    )


@pytest.fixture
def run() -> Iterator[object]:
    daemons: list[FakeDaemon] = []

    def go(dockerfile: bytes, opts: dict[str, str]) -> tuple[object, DaemonState]:
        state = _state(dockerfile)
        daemon = FakeDaemon(state).__enter__()
        daemons.append(daemon)
        channel = open_channel(daemon.target)
        client = GatewayClient(gateway_pb2_grpc.LLBBridgeStub(channel), product="test")
        client.ping()
        try:
            return build(client, BuildOptions(opts=opts, session_id="sess")), state
        finally:
            channel.close()

    yield go
    for d in daemons:
        d.__exit__(None, None, None)


def _sources(state: DaemonState) -> list[tuple[str, dict[str, str], str]]:
    """(identifier, attrs, custom name) of every source op of every Solve."""
    out = []
    for req in state.solves:
        for raw in getattr(req.Definition, "def"):
            op = ops_pb2.Op.FromString(raw)
            if op.WhichOneof("op") == "source":
                dgst = "sha256:" + hashlib.sha256(raw).hexdigest()
                meta = req.Definition.metadata.get(dgst)
                name = meta.description.get("llb.customname", "") if meta else ""
                out.append((op.source.identifier, dict(op.source.attrs), name))
    return out


def test_local_context_reads_its_dockerignore_and_follows_used_paths(run) -> None:  # type: ignore[no-untyped-def]
    result, state = run(
        b"FROM busybox\nCOPY --from=extra a.txt /a\n", {"context:extra": "local:extradir"}
    )
    sources = _sources(state)
    ignore = [s for s in sources if s[2] == "[context extra] load .dockerignore"]
    assert ignore and ignore[0][0] == "local://extradir"
    assert ignore[0][1]["local.sharedkeyhint"] == "context:extra-.dockerignore"
    assert ignore[0][1]["local.followpaths"] == '[".dockerignore"]'
    used = [s for s in sources if s[2] == "[context extra] load from client"]
    assert used and used[0][0] == "local://extradir"
    assert used[0][1]["local.excludepatterns"] == '["secret.txt"]'
    assert used[0][1]["local.followpaths"] == '["a.txt"]'
    assert used[0][1]["local.sharedkeyhint"] == "context:extra"
    assert used[0][1]["local.session"] == "sess"
    assert "source.date.epoch" not in result.metadata


def test_image_context_and_platform_specific_option(run) -> None:  # type: ignore[no-untyped-def]
    result, state = run(
        b"FROM alpine:3.15\nRUN true\n",
        {
            "context:alpine:3.15": "docker-image://nothere",
            "context:alpine:3.15::linux/amd64": "docker-image://busybox",
            "platform": "linux/amd64",
        },
    )
    sources = _sources(state)
    images = [s for s in sources if s[0].startswith("docker-image://")]
    assert [(s[0], s[2]) for s in images] == [
        ("docker-image://" + BUSYBOX, "[context alpine:3.15::linux/amd64] busybox")
    ]
    config = json.loads(result.metadata["containerimage.config"])
    assert config["config"]["Env"] == ["PATH=/bin"]


def test_unsupported_context_source(run) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="context source git for extra is not supported"):
        run(b"FROM busybox\nCOPY --from=extra a /a\n", {"context:extra": "git@github.com:x/y"})


def test_source_date_epoch_metadata(run) -> None:  # type: ignore[no-untyped-def]
    result, _ = run(b"FROM busybox\n", {"build-arg:SOURCE_DATE_EPOCH": "1700000000"})
    assert result.metadata["source.date.epoch"] == b"1700000000"
    assert not any(k.startswith("source.date.epoch/") for k in result.metadata)


def test_source_date_epoch_metadata_per_platform(run) -> None:  # type: ignore[no-untyped-def]
    result, _ = run(
        b"FROM busybox\n",
        {"build-arg:SOURCE_DATE_EPOCH": "5", "platform": "linux/amd64,linux/arm64"},
    )
    assert result.metadata["source.date.epoch"] == b"5"
    assert result.metadata["source.date.epoch/linux/amd64"] == b"5"
    assert result.metadata["source.date.epoch/linux/arm64"] == b"5"
