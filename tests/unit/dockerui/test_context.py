"""Reading the Dockerfile and .dockerignore of the main context against a fake
LLBBridge, and the local source definitions those reads solve."""

from __future__ import annotations

import hashlib
import json

import pytest
from gateway_fakes import DaemonState, env_with_opts

from frontend.dockerui.config import BuildOptions
from frontend.dockerui.context import (
    local_source_definition,
    parse_dockerignore,
    read_dockerfile,
    read_dockerignore,
)
from frontend.gateway.buildopts import parse_env
from frontend.gateway.client import GatewayClient
from frontend.gateway.errors import RpcFailure
from frontend.llb import Platform
from frontend.pb import ops_pb2


def options(opts: dict[str, str]) -> BuildOptions:
    return BuildOptions.of(parse_env(env_with_opts(opts)))


def _dockerfile_definition() -> ops_pb2.Definition:
    return local_source_definition(
        "dockerfile",
        session_id="s",
        shared_key_hint="dockerfile",
        follow_paths=["Dockerfile", "Dockerfile.dockerignore", "dockerfile"],
        differ="none",
        custom_name="[internal] load build definition from Dockerfile",
        platform=Platform("linux", "amd64"),
    )


def test_local_source_definition_shape() -> None:
    d = _dockerfile_definition()
    ops = getattr(d, "def")
    assert len(ops) == 2
    src = ops_pb2.Op()
    src.ParseFromString(ops[0])
    assert src.source.identifier == "local://dockerfile"
    assert dict(src.source.attrs) == {
        "local.session": "s",
        "local.sharedkeyhint": "dockerfile",
        "local.followpaths": '["Dockerfile","Dockerfile.dockerignore","dockerfile"]',
        "local.differ": "none",
    }
    assert not src.HasField("platform")  # like the reference's: local sources carry none
    terminal = ops_pb2.Op()
    terminal.ParseFromString(ops[1])
    dgst = "sha256:" + hashlib.sha256(ops[0]).hexdigest()
    assert terminal.inputs[0].digest == dgst
    meta = d.metadata[dgst]
    assert meta.description["llb.customname"].startswith("[internal] load build definition")
    assert meta.caps["source.local.followpaths"]
    # same input, same bytes
    again = _dockerfile_definition()
    assert again.SerializeToString(deterministic=True) == d.SerializeToString(deterministic=True)


def test_read_dockerfile_and_its_dockerignore(client: GatewayClient, state: DaemonState) -> None:
    opts = options({})
    src = read_dockerfile(client, opts)
    assert src.data == b"FROM busybox\n"
    assert src.filename == "Dockerfile"
    assert src.dockerignore == b"# c\n*.log\n"
    # warnings attach to the source op
    assert src.digest == "sha256:" + hashlib.sha256(getattr(src.definition, "def")[0]).hexdigest()
    name, attrs = _source_of(state.solves[0].Definition)
    assert name == "local://dockerfile"
    assert attrs["local.session"] == "session-1"
    assert json.loads(attrs["local.followpaths"]) == [
        "Dockerfile",
        "Dockerfile.dockerignore",
        "dockerfile",
    ]
    assert state.solves[0].allowResultReturn and state.solves[0].allowResultArrayRef
    # <Dockerfile>.dockerignore wins over the context's .dockerignore: no extra solve
    assert read_dockerignore(client, opts, src) == ["*.log"]
    assert len(state.solves) == 1


def test_lowercase_dockerfile_fallback(client: GatewayClient, state: DaemonState) -> None:
    state.locals["dockerfile"] = {"dockerfile": b"FROM alpine\n"}
    src = read_dockerfile(client, options({}))
    assert src.data == b"FROM alpine\n"
    assert src.dockerignore is None
    # the context's .dockerignore is read from local "context"
    assert read_dockerignore(client, options({}), src) == ["build", "!keep"]
    name, attrs = _source_of(state.solves[-1].Definition)
    assert name == "local://context"
    assert attrs["local.sharedkeyhint"] == "context-.dockerignore"


def test_filename_and_dockerfilekey(client: GatewayClient, state: DaemonState) -> None:
    state.locals["df2"] = {"sub/Build.df": b"FROM scratch\n"}
    opts = options({"filename": "sub/Build.df", "dockerfilekey": "df2"})
    src = read_dockerfile(client, opts)
    assert src.data == b"FROM scratch\n"
    # dockerfilekey forces the local Dockerfile; the inputs are still asked (for the
    # context input), as the reference's initContext does
    assert "Inputs" in state.calls
    name, attrs = _source_of(state.solves[0].Definition)
    assert name == "local://df2"
    assert json.loads(attrs["local.followpaths"]) == ["sub/Build.df", "sub/Build.df.dockerignore"]


def test_missing_dockerfile_error_keeps_daemon_details(client: GatewayClient) -> None:
    opts = options({"filename": "nope/Dockerfile"})
    with pytest.raises(RpcFailure) as info:
        read_dockerfile(client, opts)
    # dockerui's wording whatever the file's name
    assert info.value.status.message == (
        "failed to read dockerfile: open nope/Dockerfile: no such file or directory"
    )


def test_dockerfile_from_frontend_input(client: GatewayClient, state: DaemonState) -> None:
    state.locals["fromctx"] = {"Dockerfile": b"FROM input\n"}
    state.inputs["dockerfile"] = local_source_definition("fromctx", follow_paths=["Dockerfile"])
    src = read_dockerfile(client, options({}))
    assert src.data == b"FROM input\n"


def test_dockerignore() -> None:
    data = b"\xef\xbb\xbftest1\r\n/test2\n/a/file/here\n\nlastfile\n# comment\n! /inv/abs\n!\n! "
    assert parse_dockerignore(data) == [
        "test1",
        "test2",
        "a/file/here",
        "lastfile",
        "!inv/abs",
        "!",
        "!",
    ]
    assert parse_dockerignore(b"  # not a comment\n/\n") == ["# not a comment", "/"]


def _source_of(definition: ops_pb2.Definition) -> tuple[str, dict[str, str]]:
    op = ops_pb2.Op()
    op.ParseFromString(getattr(definition, "def")[0])
    return op.source.identifier, dict(op.source.attrs)
