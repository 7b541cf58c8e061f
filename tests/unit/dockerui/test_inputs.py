"""Frontend inputs, ``input:`` / ``oci-layout://`` named contexts, source policies on
image contexts and cache imports, through the build (``frontend.dockerui``) against
the fake daemon. The facts come from the reference's ``dockerui`` (``initContext``,
``namedcontext.go``), ``builder/build.go`` and Go's gateway client."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from gateway_fakes import DEFAULT_FRONTEND_CAPS, DaemonState, connected_client

from dockerui.builds import build_state, run_build
from frontend import llb
from frontend.gateway.client import OCIStore, ResolvedToNonImage
from frontend.gateway.errors import UserError
from frontend.pb import gateway_pb2, ops_pb2

AMD64 = llb.Platform("linux", "amd64")
DIGEST = "sha256:" + "ab" * 32
META_CAPS = (*DEFAULT_FRONTEND_CAPS, "source.metaresolver")


def _ops(definition: ops_pb2.Definition) -> list[tuple[str, ops_pb2.Op, str]]:
    """(digest, op, custom name) of every op but the terminal one."""
    out = []
    for raw in getattr(definition, "def"):
        op = ops_pb2.Op.FromString(raw)
        if op.WhichOneof("op") is None:
            continue
        dgst = "sha256:" + hashlib.sha256(raw).hexdigest()
        meta = definition.metadata.get(dgst)
        out.append((dgst, op, meta.description.get("llb.customname", "") if meta else ""))
    return out


def _build_solve(state: DaemonState) -> gateway_pb2.SolveRequest:
    """The build's own solve (the last one)."""
    return state.solves[-1]


def _producer(marker: str) -> ops_pb2.Definition:
    """Some definition a caller passes as a frontend input."""
    ran = llb.image("busybox", platform=AMD64).run(["sh", "-c", f"echo {marker} > /out"])
    return llb.marshal(ran.root, default_platform=AMD64).pb


def _metadata(config: dict[str, object]) -> str:
    """``input-metadata:NAME`` as Go's json.Marshal of map[string][]byte writes it."""
    data = json.dumps(config).encode()
    return json.dumps({"containerimage.config": base64.b64encode(data).decode()})


# -- the main context and the Dockerfile ----------------------------------------------


def test_the_context_input_replaces_the_local_context() -> None:
    state = build_state(b"FROM scratch\nCOPY foo foo2\n")
    state.inputs["context"] = _producer("ctx")
    run_build(b"", {}, state)
    solve = _build_solve(state)
    idents = [op.source.identifier for _, op, _ in _ops(solve.Definition) if op.source.identifier]
    assert "local://context" not in idents
    # the input's ops are in the build's definition, bytes unchanged
    for raw in getattr(state.inputs["context"], "def")[:-1]:
        assert raw in list(getattr(solve.Definition, "def"))
    # no .dockerignore is read for a context that is not the local directory
    assert not any(
        "load .dockerignore" in name for req in state.solves for *_, name in _ops(req.Definition)
    )


def test_a_context_input_that_is_a_mount_output() -> None:
    # TestFrontendInputs: llb.Image(...).Run(...).AddMount("/out", llb.Scratch())
    ran = llb.image("busybox", platform=AMD64).run(
        ["sh", "-c", "echo x > /out/foo"], mounts=[llb.BindMount("/out", llb.scratch())]
    )
    produced = llb.marshal(ran.mount("/out"), default_platform=AMD64).pb
    state = build_state(b"FROM scratch\nCOPY foo foo2\n")
    state.inputs["context"] = produced
    run_build(b"", {}, state)
    ops = _ops(_build_solve(state).Definition)
    (exec_dgst,) = [d for d, op, _ in ops if op.WhichOneof("op") == "exec"]
    (copy_op,) = [op for _, op, _ in ops if op.WhichOneof("op") == "file"]
    assert (copy_op.inputs[0].digest, copy_op.inputs[0].index) == (exec_dgst, 1)


def test_contextsubdir_scopes_the_context_input() -> None:
    state = build_state(b"FROM scratch\nCOPY foo foo2\n")
    state.inputs["context"] = _producer("ctx")
    run_build(b"", {"contextsubdir": "sub"}, state)
    ops = _ops(_build_solve(state).Definition)
    copies = [op.file.actions[0].copy for _, op, _ in ops if op.WhichOneof("op") == "file"]
    # scopeToSubDir: scratch + copy of the subdir's contents, then the COPY from it
    assert copies[0].src == "/sub" and copies[0].dest == "/" and copies[0].dirCopyContents


def test_the_dockerfile_input_is_read_instead_of_the_local() -> None:
    state = build_state(b"FROM scratch\n")
    state.locals["fromin"] = {"Dockerfile": b"FROM busybox\n"}
    state.inputs["dockerfile"] = llb.marshal(llb.local("fromin")).pb
    result, _ = run_build(b"", {}, state)
    config = json.loads(result.metadata["containerimage.config"])
    assert config["config"]["Env"] == ["PATH=/bin"]  # busybox's: the input's Dockerfile


def test_nil_inputs_fail_with_the_reference_words() -> None:
    state = build_state(b"FROM scratch\n")
    state.inputs["context"] = ops_pb2.Definition()
    state.inputs["dockerfile"] = ops_pb2.Definition()
    with pytest.raises(
        UserError,
        match=r"^failed to get frontend inputs: invalid nil input definition to definition op$",
    ):
        run_build(b"", {}, state)


def test_without_the_inputs_cap_inputs_are_not_asked() -> None:
    state = build_state(b"FROM scratch\n")
    state.frontend_caps = tuple(c for c in DEFAULT_FRONTEND_CAPS if c != "frontend.inputs")
    run_build(b"", {}, state)
    assert "Inputs" not in state.calls


# -- input: named contexts ------------------------------------------------------------


def test_input_context_with_its_image_config() -> None:
    dockerfile = (
        b"FROM base AS build\nRUN echo $FOO > /foo\nFROM scratch\nCOPY --from=build /foo /\n"
    )
    state = build_state(dockerfile)
    state.inputs["base"] = _producer("first")
    opts = {
        "context:base": "input:base",
        "input-metadata:base": _metadata(
            {"os": "linux", "architecture": "amd64", "config": {"Env": ["FOO=bar"]}}
        ),
    }
    run_build(b"", opts, state)
    solve = _build_solve(state)
    execs = [op.exec for _, op, _ in _ops(solve.Definition) if op.WhichOneof("op") == "exec"]
    # the input's own exec, then ours, with the input's image config env
    assert "FOO=bar" in execs[-1].meta.env
    for raw in getattr(state.inputs["base"], "def")[:-1]:
        assert raw in list(getattr(solve.Definition, "def"))


def test_input_context_per_platform() -> None:
    dockerfile = b"FROM base\nRUN true\n"
    state = build_state(dockerfile)
    state.inputs["base::linux/amd64"] = _producer("amd64")
    state.inputs["base::linux/arm64"] = _producer("arm64")
    opts = {
        "platform": "linux/amd64,linux/arm64",
        "context:base::linux/amd64": "input:base::linux/amd64",
        "context:base::linux/arm64": "input:base::linux/arm64",
        "input-metadata:base::linux/amd64": _metadata({"config": {"Env": ["FOO=amd64"]}}),
        "input-metadata:base::linux/arm64": _metadata({"config": {"Env": ["FOO=arm64"]}}),
    }
    result, _ = run_build(b"", opts, state)
    assert result.refs is not None and set(result.refs) == {"linux/amd64", "linux/arm64"}
    for arch in ("amd64", "arm64"):
        config = json.loads(result.metadata[f"containerimage.config/linux/{arch}"])
        assert config["config"]["Env"][0] == f"FOO={arch}"  # each platform its own input


def test_input_context_without_metadata_has_no_config() -> None:
    state = build_state(b"FROM base\nRUN true\n")
    state.inputs["baseinput"] = _producer("x")
    # the metadata is looked up by the input's name, not the context's (as the reference)
    opts = {"context:base": "input:baseinput", "input-metadata:base": _metadata({"os": "x"})}
    result, _ = run_build(b"", opts, state)
    config = json.loads(result.metadata["containerimage.config"])
    assert config["os"] == "linux"


def test_unknown_input() -> None:
    with pytest.raises(UserError, match="invalid input nope for base"):
        run_build(b"FROM base\n", {"context:base": "input:nope"})


def test_malformed_input_metadata() -> None:
    state = build_state(b"FROM base\n")
    state.inputs["base"] = _producer("x")
    opts = {"context:base": "input:base", "input-metadata:base": "{not json"}
    with pytest.raises(UserError, match=r"failed to parse input metadata \{not json: "):
        run_build(b"", opts, state)


# -- oci-layout:// named contexts -----------------------------------------------------


def _oci_state(dockerfile: bytes, caps: tuple[str, ...] = META_CAPS) -> DaemonState:
    state = build_state(dockerfile)
    state.frontend_caps = caps
    config = json.dumps(
        {
            "os": "linux",
            "architecture": "amd64",
            "config": {"Env": ["foo=bar"], "WorkingDir": "/test"},
            "rootfs": {"type": "layers", "diff_ids": []},
        }
    ).encode()
    ident = "oci-layout://docker.io/library/foo@" + DIGEST
    state.source_meta[ident] = gateway_pb2.ResolveSourceMetaResponse(
        Source=ops_pb2.SourceOp(identifier=ident),
        Image=gateway_pb2.ResolveSourceImageResponse(Digest=DIGEST, Config=config),
    )
    state.image_configs["docker.io/library/foo@" + DIGEST] = (DIGEST, config)
    return state


def test_oci_layout_context_resolves_from_the_store() -> None:
    state = _oci_state(b"FROM foo AS imported\nRUN echo -n $foo > outfoo\n")
    opts = {"context:foo": "oci-layout:ocione@" + DIGEST}
    result, _ = run_build(b"", opts, state)
    (req,) = [r for r in state.resolves if r.Source.identifier.startswith("oci-layout://")]
    # the image is named after the context; the store is the build's session's
    assert req.Source.identifier == "oci-layout://docker.io/library/foo@" + DIGEST
    assert dict(req.Source.attrs) == {"oci.session": "sess", "oci.store": "ocione"}
    assert req.LogName == f"[context foo] load metadata for docker.io/library/foo@{DIGEST}"
    assert req.Platform.Architecture == "amd64"
    ops = _ops(_build_solve(state).Definition)
    (src,) = [(op, name) for _, op, name in ops if op.source.identifier.startswith("oci-layout")]
    assert src[0].source.identifier == "oci-layout://docker.io/library/foo@" + DIGEST
    assert dict(src[0].source.attrs) == {"oci.session": "sess", "oci.store": "ocione"}
    assert src[1] == "[context foo] OCI load from client"
    execs = [op.exec for _, op, _ in ops if op.WhichOneof("op") == "exec"]
    assert "foo=bar" in execs[0].meta.env and execs[0].meta.cwd == "/test"
    config = json.loads(result.metadata["containerimage.config"])
    assert config["config"]["WorkingDir"] == "/test"


def test_oci_layout_context_without_the_meta_resolver() -> None:
    state = _oci_state(b"FROM foo\n", caps=DEFAULT_FRONTEND_CAPS)
    run_build(b"", {"context:foo": "oci-layout://ocione@" + DIGEST}, state)
    (req,) = state.resolves
    assert req.Ref == "docker.io/library/foo@" + DIGEST
    # sourceresolver.ResolverTypeOCILayout, the store and the build's session
    assert (req.ResolverType, req.StoreID, req.SessionID) == (1, "ocione", "sess")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("oci-layout:ocione", 'oci-layout reference "ocione" has no digest'),
        ("oci-layout:ocione:v1", 'oci-layout reference "ocione:v1" has no digest'),
        (
            "oci-layout:Bad@x",
            'could not parse oci-layout reference "Bad@x": invalid reference format',
        ),
    ],
)
def test_oci_layout_reference_errors(value: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        run_build(b"FROM foo\n", {"context:foo": value})


# -- source policies on image contexts ------------------------------------------------


def test_a_policy_that_makes_an_image_context_local() -> None:
    dockerfile = b"FROM scratch AS replace\nFROM scratch\nCOPY --from=replace /foo /\n"
    state = build_state(dockerfile)
    state.frontend_caps = META_CAPS
    state.locals["test"] = {"foo": b"foo"}
    state.source_meta["docker-image://docker.io/library/alpine:latest"] = (
        gateway_pb2.ResolveSourceMetaResponse(Source=ops_pb2.SourceOp(identifier="local://test"))
    )
    run_build(b"", {"context:replace": "docker-image:docker.io/library/alpine:latest"}, state)
    names = [
        (op.source.identifier, name) for r in state.solves for _, op, name in _ops(r.Definition)
    ]
    assert ("local://test", "[context replace] load .dockerignore") in names
    assert ("local://test", "[context replace] load from client") in names


def test_a_policy_cycle_hits_the_recursion_limit() -> None:
    state = build_state(b"FROM base\n")
    state.frontend_caps = META_CAPS
    ident = "docker-image://docker.io/library/alpine:latest"
    state.source_meta[ident] = gateway_pb2.ResolveSourceMetaResponse(
        Source=ops_pb2.SourceOp(identifier=ident)
    )
    with pytest.raises(UserError) as info:
        run_build(b"", {"context:base": "docker-image://alpine"}, state)
    assert str(info.value).startswith(
        "context recursion limit exceeded; this may indicate a cycle in the provided source "
        "policies: docker-image:docker.io/library/alpine:latest"
    )
    # the first load and ten reloads, then the limit
    assert len(state.resolves) == 11


def test_resolved_to_non_image_error_wording() -> None:
    state = DaemonState(frontend_caps=META_CAPS)
    state.source_meta["docker-image://docker.io/library/alpine:latest"] = (
        gateway_pb2.ResolveSourceMetaResponse(Source=ops_pb2.SourceOp(identifier="local://test"))
    )
    with connected_client(state) as client, pytest.raises(ResolvedToNonImage) as info:
        client.resolve_image_config("docker.io/library/alpine:latest")
    assert str(info.value) == (
        "ref mutated by policy to non-image: docker-image://docker.io/library/alpine:latest"
        " -> local://test"
    )
    assert info.value.updated == "local://test"


def test_oci_store_request_without_resolve_mode() -> None:
    state = DaemonState(frontend_caps=META_CAPS, default_image=(DIGEST, b"{}"))
    with connected_client(state) as client:
        client.resolve_image_config(
            "docker.io/library/x@" + DIGEST, resolve_mode="pull", oci_store=OCIStore("s", "st")
        )
    (req,) = state.resolves
    assert req.ResolveMode == ""  # Go's gateway client sends none for OCI layouts


# -- cache imports --------------------------------------------------------------------


def test_cache_imports_go_on_the_build_solve_only() -> None:
    opts = {
        "cache-imports": json.dumps(
            [
                {"Type": "local", "Attrs": {"src": "/cache"}},
                {"Type": "registry", "Attrs": {"ref": "r1"}},
            ]
        ),
        "cache-from": "r2,r3",
    }
    _, state = run_build(b"FROM busybox\nRUN true\n", opts)
    build_solve = _build_solve(state)
    assert [(c.Type, dict(c.Attrs)) for c in build_solve.CacheImports] == [
        ("local", {"src": "/cache"}),
        ("registry", {"ref": "r1"}),
        ("registry", {"ref": "r2"}),
        ("registry", {"ref": "r3"}),
    ]
    # reading the Dockerfile and the .dockerignore imports nothing (as the reference)
    assert all(not s.CacheImports for s in state.solves[:-1])


def test_every_platform_solve_has_the_cache_imports() -> None:
    opts = {"cache-from": "r1", "platform": "linux/amd64,linux/arm64"}
    _, state = run_build(b"FROM busybox\nRUN true\n", opts)
    builds = [s for s in state.solves if s.CacheImports]
    assert len(builds) == 2


def test_prefetched_inputs_are_asked_once_and_their_failure_is_the_askers() -> None:
    # the gateway's build handler sends Inputs before the build's code loads
    # (GatewayClient.prefetch_inputs); the build then takes that answer
    import time

    from frontend.gateway.errors import RpcFailure
    from frontend.pb import status_pb2

    state = DaemonState(inputs={"dockerfile": _producer("df")})
    with connected_client(state) as client:
        client.prefetch_inputs()
        client.prefetch_inputs()
        # sent by the prefetch itself, before anybody asks
        deadline = time.monotonic() + 5
        while "Inputs" not in state.calls and time.monotonic() < deadline:
            time.sleep(0.01)
        assert state.calls.count("Inputs") == 1
        assert sorted(client.inputs()) == ["dockerfile"]
        assert sorted(client.inputs()) == ["dockerfile"]
    assert state.calls.count("Inputs") == 1
    # a daemon without the cap is sent nothing
    old = DaemonState(
        frontend_caps=tuple(c for c in DEFAULT_FRONTEND_CAPS if c != "frontend.inputs")
    )
    with connected_client(old) as client:
        client.prefetch_inputs()
    assert "Inputs" not in old.calls
    failing = DaemonState()
    failing.fail["Inputs"] = status_pb2.Status(code=14, message="gone")
    with connected_client(failing) as client:
        client.prefetch_inputs()  # sent; the failure waits for the one who asks
        with pytest.raises(RpcFailure, match="gone"):
            client.inputs()


def test_inputs_sent_with_ping_are_in_before_pings_answer() -> None:
    # GatewayClient.ping(prefetch_inputs=True): Inputs goes out with Ping (its request
    # is empty), not a round trip after Ping's answer
    import threading
    import time

    from gateway_fakes import FakeDaemon

    from frontend.gateway.client import GatewayClient
    from frontend.gateway.stdio import open_channel

    arrived: set[str] = set()
    inputs_before_pings_answer = threading.Event()

    def on_call(name: str) -> None:
        arrived.add(name)
        if name == "Ping":  # Ping is answered once Inputs arrived (or after 5 s)
            deadline = time.monotonic() + 5
            while "Inputs" not in arrived and time.monotonic() < deadline:
                time.sleep(0.005)
            if "Inputs" in arrived:
                inputs_before_pings_answer.set()

    state = DaemonState(inputs={"dockerfile": _producer("df")}, on_call=on_call)
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            client = GatewayClient(channel)
            client.ping(prefetch_inputs=True)
            assert inputs_before_pings_answer.is_set()
            client.prefetch_inputs()  # the build's own ask: already on its way
            assert sorted(client.inputs()) == ["dockerfile"]
        finally:
            channel.close()
    assert state.calls.count("Inputs") == 1


def test_inputs_sent_with_ping_to_a_daemon_without_the_cap_are_not_taken() -> None:
    from gateway_fakes import FakeDaemon

    from frontend.gateway.client import CapError, GatewayClient
    from frontend.gateway.stdio import open_channel

    old = DaemonState(
        frontend_caps=tuple(c for c in DEFAULT_FRONTEND_CAPS if c != "frontend.inputs")
    )
    with FakeDaemon(old) as daemon:
        channel = open_channel(daemon.target)
        try:
            client = GatewayClient(channel)
            client.ping(prefetch_inputs=True)  # sent before the caps were known
            with pytest.raises(CapError):
                client.inputs()  # as without the prefetch: the cap decides
        finally:
            channel.close()
