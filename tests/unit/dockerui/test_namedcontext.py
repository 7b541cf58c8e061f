"""Named contexts through the build (``frontend.dockerui``) against the fake daemon:
``context:NAME`` options become named contexts (a local directory's own .dockerignore
is read first; ``NAME::os/arch`` wins for its platform; unknown kinds are refused)."""

from __future__ import annotations

import hashlib
import json

import pytest
from gateway_fakes import DaemonState

from dockerui.builds import BUSYBOX, run_build
from frontend.gateway.errors import UserError
from frontend.pb import ops_pb2


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


def test_local_context_reads_its_dockerignore_and_follows_used_paths() -> None:
    result, state = run_build(
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


def test_image_context_and_platform_specific_option() -> None:
    result, state = run_build(
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


def test_unsupported_context_source() -> None:
    with pytest.raises(UserError, match="unsupported context source ftp for extra"):
        run_build(b"FROM busybox\nCOPY --from=extra a /a\n", {"context:extra": "ftp://x/y"})
