"""The gateway frontend's start-up, and warm rebuilds through it versus the built-in
frontend and the reference frontend image.

Cold start (no engine needed): ``pyfrontend`` as BuildKit starts it, a fresh
``python -m frontend`` process with pipes as stdin/stdout, against the unit tests'
fake daemon (``tests/unit/gateway_fakes``) building ``Dockerfile.poster.big``;
``COLD_ROUNDS`` runs after one that writes the bytecode (into a temporary
``PYTHONPYCACHEPREFIX``, as the image ships it compiled). Prints the medians of:
process start to the first RPC reaching the daemon, the process's RSS then (read
from ``/proc`` by the daemon as Ping arrives), the whole process, and what the
frontend's own timing line says; beside them the floors measured the same way:
the interpreter (``-c pass``) and ``import grpc``.

Warm rebuild: each case (a small two-stage Dockerfile, the lesson's five-stage
``Dockerfile.poster.big`` and a 20-stage chain) is built once by each frontend (warm-up,
tagged), then rebuilt ``BENCH_ROUNDS`` times (default 9) per frontend, interleaved (the
order rotates every round); every rebuild must be fully cached.  Prints the median wall
time of ``docker buildx build`` for each frontend and the ratios pyfrontend/built-in and
pyfrontend/reference, plus the frontend image's size and compressed size
(``docker save | gzip -c | wc -c``).  The reference is the image named by
``PYFRONTEND_REFERENCE_IMAGE`` (default ``reference/dockerfile:1.26``, which
``../shared/conformance/setup.sh`` builds), used when the engine has it; likewise an
earlier pyfrontend image named by ``PYFRONTEND_BASELINE_IMAGE`` (before/after a change).
Needs the test bed up (``make image``); without an engine it says so and returns.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.testbed.harness import BuildResult, TestBed

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", "9"))
REFERENCE = os.environ.get("PYFRONTEND_REFERENCE_IMAGE", "reference/dockerfile:1.26")
# an earlier pyfrontend image to compare with (e.g. main's before a change), if any
BASELINE = os.environ.get("PYFRONTEND_BASELINE_IMAGE", "")
ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "tests" / "fixtures" / "lesson"
COLD_DOCKERFILE = LESSON / "Dockerfile.poster.big"

SMALL = """\
FROM busybox AS build
WORKDIR /work
COPY message.txt .
RUN cat message.txt > out
FROM busybox
COPY --from=build /work/out /out
CMD ["cat", "/out"]
"""


def _chain(stages: int) -> str:
    """A chain of ``stages`` stages, each copying the previous one's file and adding a line."""
    lines = ["FROM busybox AS s0", "COPY message.txt /out"]
    for i in range(1, stages):
        lines += [f"FROM busybox AS s{i}", f"COPY --from=s{i - 1} /out /out"]
        lines.append(f"RUN echo {i} >> /out")
    lines.append('CMD ["cat", "/out"]')
    return "\n".join(lines) + "\n"


def run() -> None:
    _cold_start()
    from tests.testbed.harness import TestBed

    bed = TestBed.connect()
    if bed is None:
        print("skipped: no engine answers at $DOCKER_HOST or the private engine (make image)")
        return
    try:
        _measure(bed)
    finally:
        bed.close()


def _measure(bed: TestBed) -> None:
    if not _image_exists(bed, bed.image):
        print(f"skipped: no {bed.image} image (make image)")
        return
    _print_image_size(bed, bed.image)
    kinds: dict[str, bool | str] = {"builtin": False, "pyfrontend": True}
    if _image_exists(bed, REFERENCE):
        _print_image_size(bed, REFERENCE)
        kinds["reference"] = REFERENCE
    else:
        print(f"no reference image {REFERENCE} in the engine: ratios against the built-in only")
    if BASELINE and _image_exists(bed, BASELINE):
        kinds["baseline"] = BASELINE
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as tmp:
        ctx = Path(tmp)
        (ctx / "message.txt").write_text("hello\n")
        cases: dict[str, tuple[str | Path, Path]] = {
            "two stages": (SMALL, ctx),
            "poster.big": (LESSON / "Dockerfile.poster.big", LESSON),
            "20 stages": (_chain(20), ctx),
        }
        for case, (dockerfile, context) in cases.items():
            _rebuilds(bed, case, dockerfile, context, kinds)


def _rebuilds(
    bed: TestBed,
    case: str,
    dockerfile: str | Path,
    context: Path,
    kinds: dict[str, bool | str],
) -> None:
    times: dict[str, list[float]] = {k: [] for k in kinds}

    def build(kind: str) -> tuple[float, BuildResult]:
        t0 = time.perf_counter()
        result = bed.build(dockerfile, context, syntax=kinds[kind], tag=f"bench-gateway/{kind}")
        return time.perf_counter() - t0, result

    try:
        for kind in kinds:  # warm-up: fills the cache
            _, result = build(kind)
            if not result.ok:
                print(f"{case}, {kind}: the build failed, nothing to measure\n{result.describe()}")
                return
        order = list(kinds)
        for i in range(ROUNDS):
            for kind in order[i % len(order) :] + order[: i % len(order)]:
                seconds, result = build(kind)
                uncached = [
                    v.name
                    for v in result.instruction_steps
                    if "] FROM " not in v.name and not v.cached
                ]
                if not result.ok or uncached:
                    print(f"{case}, {kind}: rebuild not cached or failed\n{result.describe()}")
                    return
                times[kind].append(seconds)
    finally:
        for kind in kinds:
            bed.remove_image(f"bench-gateway/{kind}")
    med = {k: statistics.median(v) for k, v in times.items()}
    for kind, values in times.items():
        spread = ", ".join(f"{t:.3f}" for t in values)
        print(f"warm rebuild, {case}, {kind:10}: median {med[kind]:.3f} s ({spread})")
    for other in ("builtin", "reference", "baseline"):
        if other in med:
            print(
                f"warm rebuild, {case}, ratio pyfrontend/{other}: "
                f"{med['pyfrontend'] / med[other]:.2f} (+{med['pyfrontend'] - med[other]:.3f} s)"
            )


def _image_exists(bed: TestBed, image: str) -> bool:
    done = subprocess.run(
        ["docker", "image", "inspect", image], env=bed.env, capture_output=True, check=False
    )
    return done.returncode == 0


def _print_image_size(bed: TestBed, image: str) -> None:
    if ":" not in image.rsplit("/", 1)[-1]:
        image += ":latest"  # `docker save NAME` would save every tag of NAME
    size = subprocess.run(
        ["docker", "image", "inspect", "-f", "{{.Size}}", image],
        env=bed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    compressed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", 'docker save "$1" | gzip -c | wc -c', "-", image],
        env=bed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"frontend image {image}: {int(size) / 1e6:.1f} MB, "
        f"compressed (docker save | gzip -c) {int(compressed) / 1e6:.1f} MB"
    )


# -- cold start against the fake daemon ---------------------------------------------


def _child_env(pycache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    env["PYTHONPATH"] = str(ROOT)
    return env


def _floor(args: list[str], env: dict[str, str]) -> float:
    """Median wall ms of ``python ARGS`` (after one warm-up run)."""
    times = []
    for _ in range(COLD_ROUNDS + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True, cwd=ROOT)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times[1:])


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cold_once(env: dict[str, str]) -> tuple[float, float, float, str]:
    """One frontend process: (ms to the first RPC, MB RSS then, ms in all, its
    timing line)."""
    from tests.unit.gateway_fakes import DaemonState, FakeDaemon, PipeHarness, env_with_opts

    seen: dict[str, float] = {}
    pid: list[int] = []

    def on_call(name: str) -> None:
        if "first" not in seen:
            seen["first"] = time.perf_counter()
            seen["rss"] = _rss_mb(pid[0])

    state = DaemonState(
        llb_caps=(),  # every op accepted: the point is the time, not the caps
        locals={"dockerfile": {"Dockerfile": COLD_DOCKERFILE.read_bytes()}, "context": {}},
        default_image=("sha256:" + "a" * 64, b'{"os":"linux","architecture":"amd64"}'),
        on_call=on_call,
    )
    with FakeDaemon(state) as daemon:
        harness = PipeHarness(daemon)
        child_env = dict(env)
        child_env.update(env_with_opts({}))
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "frontend"],
            stdin=harness.child_stdin,
            stdout=harness.child_stdout,
            stderr=subprocess.PIPE,
            env=child_env,
            cwd=ROOT,  # python -m looks in the working directory first
        )
        pid.append(proc.pid)
        harness.close_child_ends()
        _, err = proc.communicate(timeout=60)
        total = (time.perf_counter() - t0) * 1000
        harness.done.wait(5)
        harness.close()
    text = err.decode()
    if proc.returncode != 0 or len(state.returns) != 1 or state.returns[0].HasField("error"):
        raise RuntimeError(f"the frontend failed: {text[-2000:]}")
    line = next((x for x in text.splitlines() if x.startswith("pyfrontend: timing:")), "")
    return (seen["first"] - t0) * 1000, seen["rss"], total, line


def _cold_start() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        env = _child_env(pycache)
        _cold_once(env)  # writes the bytecode
        runs = [_cold_once(env) for _ in range(COLD_ROUNDS)]
        interpreter = _floor(["-c", "pass"], env)
        grpc_floor = _floor(["-c", "import grpc"], env)
    first = [r[0] for r in runs]
    print(
        f"cold start to first RPC ({COLD_DOCKERFILE.name}, fake daemon, stdio pipes): "
        f"median {statistics.median(first):.1f} ms over {len(runs)} runs "
        f"({', '.join(f'{t:.0f}' for t in first)})"
    )
    print(f"RSS at first RPC: median {statistics.median(r[1] for r in runs):.1f} MB")
    print(f"whole frontend process: median {statistics.median(r[2] for r in runs):.1f} ms")
    print(f"floors: interpreter {interpreter:.1f} ms, python -c 'import grpc' {grpc_floor:.1f} ms")
    print(f"its timing line (last run): {runs[-1][3].removeprefix('pyfrontend: ')}")
