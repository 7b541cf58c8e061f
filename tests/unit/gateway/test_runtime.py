"""GatewayClient and the runtime against a fake LLBBridge; serve() end to end in a
subprocess whose stdin/stdout are pipes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import cast

import pytest
from gateway_fakes import (
    DaemonState,
    FakeDaemon,
    PipeHarness,
    env_with_opts,
    local_definition,
)

from frontend.gateway.buildopts import BuildOpts
from frontend.gateway.client import CapError, Caps, GatewayClient, Ref, Result
from frontend.gateway.errors import UserError
from frontend.gateway.stdio import open_channel
from frontend.llb import Platform
from frontend.pb import caps_pb2, errdefs_pb2

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def test_caps() -> None:
    caps = Caps.from_pb(
        [
            caps_pb2.APICap(ID="a", Enabled=True),
            caps_pb2.APICap(ID="mergeop", Enabled=False, DisabledReasonMsg="classic store"),
        ]
    )
    assert caps.has("a") and "a" in caps
    assert not caps.has("mergeop") and not caps.has("missing")
    caps.check("a")
    with pytest.raises(CapError, match="has been disabled on the build server: classic store"):
        caps.check("mergeop")
    with pytest.raises(CapError, match="not supported by build server"):
        caps.check("missing")


def test_ping_reports_both_cap_sets(client: GatewayClient) -> None:
    assert client.caps.frontend.has("return")
    assert client.caps.llb.has("source.local")
    assert not client.caps.llb.has("mergeop")


def test_solve_checks_llb_caps(client: GatewayClient, state: DaemonState) -> None:
    definition = local_definition("context")
    definition.metadata[next(iter(definition.metadata))].caps["mergeop"] = True
    with pytest.raises(CapError):
        client.solve(definition)
    assert state.solves == []


def test_read_file_range_and_resolve(client: GatewayClient, state: DaemonState) -> None:
    ref = client.solve(local_definition("dockerfile", follow_paths=["Dockerfile"]))
    assert client.read_file(ref, "Dockerfile", offset=5, length=4) == b"busy"
    img = client.resolve_image_config("busybox", platform=Platform("linux", "amd64"))
    assert (img.digest, img.config) == ("sha256:abc", b'{"os":"linux"}')
    assert img.ref == "busybox"
    assert state.calls[-1] == "ResolveImageConfig"


def test_resolve_via_source_meta_when_offered(state: DaemonState) -> None:
    state.frontend_caps = (*state.frontend_caps, "source.metaresolver")
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            c = GatewayClient(channel)
            c.ping()
            img = c.resolve_image_config("busybox")
        finally:
            channel.close()
    assert state.calls[-1] == "ResolveSourceMeta"
    assert img.ref == "docker.io/library/busybox"
    assert img.digest == "sha256:abc"


def test_warn(client: GatewayClient, state: DaemonState) -> None:
    assert client.warn(
        "sha256:d", "bad thing", filename="Dockerfile", data=b"FROM x\n", ranges=[(1, 1)]
    )
    w = state.warns[0]
    assert (w.short, w.level, w.info.filename, w.ranges[0].start.line) == (
        b"bad thing",
        1,
        "Dockerfile",
        1,
    )


# -- run(): always one Return ------------------------------------------------------------


def _run(state: DaemonState, handler, opts: dict[str, str] | None = None) -> int:  # type: ignore[no-untyped-def]
    from frontend.gateway.runtime import run_channel

    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            return run_channel(channel, handler, env_with_opts(opts or {}))
        finally:
            channel.close()


def test_run_returns_result(state: DaemonState) -> None:
    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        ref = client.solve(local_definition("context"))
        return Result(ref=ref, metadata={"containerimage.config": b"{}"})

    assert _run(state, handler) == 0
    (ret,) = state.returns
    assert ret.result.ref.id.startswith("ref-1-")
    assert ret.result.metadata["containerimage.config"] == b"{}"
    assert not ret.HasField("error")


def test_run_returns_per_platform_refs(state: DaemonState) -> None:
    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        ref = client.solve(local_definition("context"))
        return Result(refs={"linux/amd64": ref, "linux/arm64": ref}, metadata={"x": b"1"})

    assert _run(state, handler) == 0
    refs = state.returns[0].result.refs.refs
    assert sorted(refs) == ["linux/amd64", "linux/arm64"]


def test_run_returns_located_user_error(state: DaemonState) -> None:
    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        raise UserError(
            "unknown instruction: BOGUS", filename="Dockerfile", data=b"BOGUS\n", ranges=[(1, 1)]
        )

    assert _run(state, handler) == 0
    (ret,) = state.returns
    assert ret.error.message == "unknown instruction: BOGUS"
    assert ret.error.details[0].type_url == "errdefs.Source"
    src = errdefs_pb2.Source()
    src.ParseFromString(ret.error.details[0].value)
    assert src.ranges[0].start.line == 1


def test_run_reports_unexpected_exception_in_one_line(
    state: DaemonState, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        return {}["missing"]  # type: ignore[no-any-return]

    assert _run(state, handler) == 0
    (ret,) = state.returns
    assert ret.error.message == "pyfrontend internal error: KeyError: 'missing'"
    assert "Traceback" in capsys.readouterr().err


def test_run_hands_the_raw_options_to_the_handler(state: DaemonState) -> None:
    seen: list[BuildOpts] = []

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        seen.append(options)
        return Result()

    # the protocol does not interpret options: a bad value reaches the handler as is
    assert _run(state, handler, {"image-resolve-mode": "bogus"}) == 0
    (options,) = seen
    assert type(options) is BuildOpts
    assert dict(options.opts) == {"image-resolve-mode": "bogus"}
    assert options.session_id == "session-1"
    assert not state.returns[0].HasField("error")


def test_run_exit_1_when_return_cannot_be_delivered(state: DaemonState) -> None:
    from frontend.pb import status_pb2

    state.fail["Return"] = status_pb2.Status(code=14, message="gone")

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        return Result(ref=Ref("x"))

    assert _run(state, handler) == 1


# -- serve(): a real process with pipes as stdin/stdout ---------------------------------


def _serve_subprocess(
    state: DaemonState,
    handler: str,
    opts: dict[str, str],
    pid: list[int] | None = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[int, str]:
    with FakeDaemon(state) as daemon:
        harness = PipeHarness(daemon)
        env = dict(os.environ)
        env.pop("PYFRONTEND_TIMELINE", None)
        env.update(env_with_opts(opts))
        env.update(extra_env or {})
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
        proc = subprocess.Popen(
            [sys.executable, "-m", "frontend", "gateway", "--handler", handler],
            stdin=harness.child_stdin,
            stdout=harness.child_stdout,
            stderr=subprocess.PIPE,
            env=env,
            cwd=str(ROOT),
        )
        if pid is not None:
            pid.append(proc.pid)
        harness.close_child_ends()
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert harness.done.wait(5)  # the frontend closed its end of the wire
        harness.close()
    return proc.returncode, err.decode()


def test_serve_in_subprocess_success(state: DaemonState) -> None:
    code, err = _serve_subprocess(state, "gateway_handlers:solve_context", {"target": "t"})
    assert code == 0, err
    (ret,) = state.returns
    assert ret.result.metadata["target"] == b"t"
    assert ret.result.ref.id
    # the one timing line: first RPC (with the RSS then and when it went out), each
    # RPC, the total and the CPU time
    (line,) = [x for x in err.splitlines() if x.startswith("pyfrontend: timing:")]
    got = re.search(r"first RPC ([0-9.]+)ms \(RSS [0-9.]+MB\), sent at ([0-9.]+)ms", line)
    assert got, line
    assert float(got.group(2)) <= float(got.group(1))
    assert re.search(r"gateway RPCs: Ping x1 [0-9.]+ms, Return x1 [0-9.]+ms, Solve x1 ", line)
    assert re.search(r"; total [0-9.]+ms \(CPU [0-9]+ms\)$", line), line
    assert "pyfrontend: timeline:" not in err  # only when asked for


def test_serve_in_subprocess_timeline_when_asked(state: DaemonState) -> None:
    extra = {"PYFRONTEND_TIMELINE": "1"}
    code, err = _serve_subprocess(state, "gateway_handlers:solve_context", {}, extra_env=extra)
    assert code == 0, err
    (line,) = [x for x in err.splitlines() if x.startswith("pyfrontend: timeline:")]
    # every RPC by its start: ms since the start, + how long it took
    events = re.findall(r"(\w+) ([0-9.]+)\+([0-9.]+)ms", line)
    assert [name for name, _, _ in events] == ["Ping", "Solve", "Return"], line
    starts = [float(start) for _, start, _ in events]
    assert starts == sorted(starts)
    ping_start, ping_took = starts[0], float(events[0][2])
    assert ping_start + ping_took <= starts[1] + 0.1  # Solve waits for Ping's answer (to rounding)


def test_serve_in_subprocess_stray_print_cannot_corrupt_the_wire(state: DaemonState) -> None:
    code, err = _serve_subprocess(state, "gateway_handlers:noisy", {})
    assert code == 0, err
    assert len(state.returns) == 1
    assert "hello from print" in err  # went to stderr


def test_serve_in_subprocess_error(state: DaemonState) -> None:
    code, err = _serve_subprocess(state, "gateway_handlers:located_error", {})
    assert code == 0, err
    (ret,) = state.returns
    assert ret.error.details[0].type_url == "errdefs.Source"


def test_a_forwarded_result_is_returned_as_it_is(state: DaemonState) -> None:
    from frontend.pb import gateway_pb2

    theirs = gateway_pb2.Result(
        refs=gateway_pb2.RefMap(refs={"linux/amd64": gateway_pb2.Ref(id="r")})
    )
    theirs.metadata["k"] = b"v"
    state.frontends["img"] = theirs

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        return client.forward("gateway.v0", {"source": "img"}, None)

    assert _run(state, handler) == 0
    assert state.returns[0].result == theirs
    (solve,) = state.solves
    assert (solve.Frontend, dict(solve.FrontendOpt)) == ("gateway.v0", {"source": "img"})


# -- start-up: what the process imports before its first RPC and for a build ----------

# Made lazy for the start-up budget: none of these may be imported by the time Ping is
# answered (the Dockerfile's pipeline comes after it, the CLI's options never).
NOT_BEFORE_FIRST_RPC = (
    "argparse",
    "frontend.cli.options",
    "frontend.dockerui",
    "frontend.compiler",
    "frontend.language",
    "frontend.llb",
    "frontend.stages",
    "secrets",
    "hashlib",
)
# ... and these not for a plain build (subrequests, the CLI, SBOM scans only)
NOT_FOR_A_BUILD = (
    "argparse",
    "frontend.cli.options",
    "frontend.cli.llb",
    "frontend.dockerui.subrequests",
    "frontend.dockerui.outline",
    "frontend.dockerui.goformat",
    "frontend.dockerui.checks.results",
    "platform",
    "secrets",
    # what grpc and protobuf import for APIs a build does not use (frontend.startup)
    "asyncio",
    "grpc.aio",
    "inspect",
    "google.protobuf.internal.python_message",
    "google.protobuf.text_format",
    "calendar",  # the well-known types' Timestamp methods
    "csv",  # for options a plain build does not carry
    "google.protobuf.descriptor_pb2",  # a descriptor's options (frontend.llb.marshal)
    # grpcio's loggers and cygrpc's error reports, made only when used
    "logging",
    "traceback",
    "pkgutil",  # cygrpc's, for TLS roots
    # what dataclasses would bring (frontend.records)
    "dataclasses",
)


def _imported(state: DaemonState, handler: str) -> set[str]:
    code, err = _serve_subprocess(state, f"startup_handlers:{handler}", {})
    assert code == 0, err
    (ret,) = state.returns
    assert not ret.HasField("error"), ret.error
    return set(ret.result.metadata["test.modules"].decode().split())


def _heavy(imported: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imported if any(m == n or m.startswith(n + ".") for n in names))


def test_nothing_heavy_is_imported_before_the_first_rpc(state: DaemonState) -> None:
    imported = _imported(state, "modules_at_first_rpc")
    assert "frontend.gateway.runtime" in imported and "grpc" in imported
    assert _heavy(imported, NOT_BEFORE_FIRST_RPC) == []


def test_the_first_rpc_goes_out_before_protobuf_is_loaded(state: DaemonState) -> None:
    # Ping goes out on its wire format alone; protobuf loads while it is on its way
    code, err = _serve_subprocess(state, "startup_handlers:protobuf_after_ping", {})
    assert code == 0, err
    meta = state.returns[0].result.metadata
    sent, protobuf = float(meta["sent"]), float(meta["protobuf"])
    assert sent < protobuf


def test_a_build_imports_no_subrequest_or_cli_modules() -> None:
    state = DaemonState(
        llb_caps=(),  # no cap checks: RUN and COPY need more than the defaults
        locals={
            "dockerfile": {
                "Dockerfile": b"FROM busybox AS base\nARG V=1\nRUN echo $V > /v\n"
                b"FROM base\nCOPY --from=base /v /w\n"
            },
            "context": {},
        },
        default_image=("sha256:" + "a" * 64, b'{"os":"linux","architecture":"amd64"}'),
    )
    imported = _imported(state, "build_then_modules")
    assert "frontend.compiler" in imported and "frontend.dockerui.warnings" in imported
    assert _heavy(imported, NOT_FOR_A_BUILD) == []


def test_the_process_ends_without_the_interpreters_teardown(state: DaemonState) -> None:
    # BuildKit takes the result once the frontend exited: nothing runs after serve()
    code, err = _serve_subprocess(state, "startup_handlers:marks_teardown", {})
    assert code == 0, err
    (ret,) = state.returns
    assert ret.result.metadata["done"] == b"1"
    assert "pyfrontend: timing:" in err  # stderr was flushed
    assert "interpreter teardown ran" not in err


def test_the_build_modules_list_is_what_a_build_imports(state: DaemonState) -> None:
    # frontend.cli.gateway.BUILD_MODULES load while the daemon answers the first RPCs:
    # each must be one a build imports, and together they must load every module of
    # frontend that a build imports after Ping (else that one loads on the build's path)
    from frontend.cli.gateway import BUILD_MODULES

    state.llb_caps = ()
    state.locals["dockerfile"] = {
        "Dockerfile": (ROOT / "tests/fixtures/lesson/Dockerfile.poster.big").read_bytes()
    }
    state.locals.setdefault("context", {})
    state.default_image = ("sha256:" + "a" * 64, b'{"os":"linux","architecture":"amd64"}')
    built = _imported(state, "build_then_modules")
    stale = [m for m in BUILD_MODULES if m not in built]
    assert stale == [], f"BUILD_MODULES names modules a build does not import: {stale}"
    code = (
        "import importlib, sys\n"
        "from frontend.cli.gateway import BUILD_MODULES\n"
        "import frontend.gateway.runtime, frontend.gateway.stdio, frontend.pb.gateway_pb2\n"
        "for m in BUILD_MODULES: importlib.import_module(m)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    preloaded = set(out.stdout.split())
    missing = sorted(m for m in built if m.startswith("frontend.") and m not in preloaded)
    assert missing == [], f"a build imports these after the preload; add them: {missing}"


# -- waiting is work time: while_waiting and read_files ------------------------------


def test_queued_steps_run_while_an_answer_is_on_its_way(state: DaemonState) -> None:
    import threading
    import time

    answered = threading.Event()
    ran: list[tuple[str, bool]] = []

    def slow(name: str) -> None:
        if name == "Solve":
            time.sleep(0.2)  # the daemon takes its time
            answered.set()

    def step(label: str) -> None:
        ran.append((label, answered.is_set()))

    def failing() -> None:
        raise RuntimeError("a step that fails is dropped")

    state.on_call = slow

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        client.while_waiting([partial(step, "a"), failing, partial(step, "b")])
        ref = client.solve(local_definition("context"))
        return Result(ref=ref, metadata={"ran": repr(ran).encode()})

    assert _run(state, handler) == 0
    (ret,) = state.returns
    assert ret.result.metadata["ran"] == repr([("a", False), ("b", False)]).encode()
    assert len(state.solves) == 1


def test_queued_steps_never_run_on_another_thread(state: DaemonState) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ran: list[str] = []

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        client.while_waiting([lambda: ran.append("step")])
        with ThreadPoolExecutor(1) as pool:
            ref = pool.submit(client.solve, local_definition("context")).result()
        return Result(ref=ref, metadata={"ran": str(len(ran)).encode()})

    assert _run(state, handler) == 0
    assert state.returns[0].result.metadata["ran"] == b"0"


def test_read_files_asks_for_all_at_once_and_reports_each(state: DaemonState) -> None:
    state.locals["context"] = {"a": b"A", "b": b"BB"}

    def handler(client: GatewayClient, options: BuildOpts) -> Result:
        ref = client.solve(local_definition("context"))
        got = client.read_files(ref, ["a", "missing", "b"])
        shown = [g if isinstance(g, bytes) else type(g).__name__.encode() for g in got]
        return Result(ref=ref, metadata={"got": b",".join(shown)})

    assert _run(state, handler) == 0
    assert state.returns[0].result.metadata["got"] == b"A,RpcFailure,BB"
    assert sorted(r.FilePath for r in state.reads) == ["a", "b", "missing"]


def test_the_build_runs_collected_with_the_start_up_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    # frontend.cli.gateway.main turns the cyclic collector off for the start-up; the
    # build itself runs with it on, the start-up's objects moved out of its way
    import gc

    from frontend.cli import gateway

    seen: list[tuple[bool, int]] = []

    def build(client: object, options: object) -> Result:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return Result(ref=Ref("x"))

    monkeypatch.setattr(gateway, "build_handler", build)
    gc.disable()
    try:
        result = gateway._build_after_start_up(cast("GatewayClient", None), cast("BuildOpts", None))
    finally:
        gc.unfreeze()
        gc.enable()
    assert result == Result(ref=Ref("x"))
    ((enabled, frozen),) = seen
    assert enabled and frozen > 0
