"""Running the Dockerfile build (``frontend.dockerui.build``) on the fake daemon."""

from __future__ import annotations

import json

from gateway_fakes import DaemonState, connected_client

from frontend.dockerui.build import build
from frontend.dockerui.config import BuildOptions
from frontend.gateway.client import Result

BUSYBOX = "docker.io/library/busybox:latest"
CONFIG = json.dumps(
    {
        "os": "linux",
        "architecture": "amd64",
        "config": {"Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
    }
).encode()


def build_state(dockerfile: bytes) -> DaemonState:
    """A Dockerfile, an empty context, a local ``extradir`` with its own
    .dockerignore, and the busybox and alpine:3.15 configs."""
    return DaemonState(
        locals={
            "dockerfile": {"Dockerfile": dockerfile},
            "context": {},
            "extradir": {".dockerignore": b"secret.txt\n", "a.txt": b"a"},
        },
        image_configs={BUSYBOX: ("", CONFIG), "docker.io/library/alpine:3.15": ("", CONFIG)},
        llb_caps=(),  # no LLB caps offered: the client checks none
    )


def run_build(
    dockerfile: bytes, opts: dict[str, str], state: DaemonState | None = None
) -> tuple[Result, DaemonState]:
    """Build ``dockerfile`` with the frontend options ``opts`` (on ``state``, else
    :func:`build_state`'s); the result and what the daemon saw."""
    if state is None:
        state = build_state(dockerfile)
    with connected_client(state) as client:
        return build(client, BuildOptions(opts=opts, session_id="sess")), state
