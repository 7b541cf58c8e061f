"""Warm rebuild through pyfrontend versus the engine's built-in frontend.

A small two-stage Dockerfile is built once by each frontend (warm-up, tagged), then
rebuilt ``ROUNDS`` times per frontend, interleaved (the order alternates every round);
every rebuild must be fully cached.  Prints the median wall time of
``docker buildx build`` for each and their ratio, plus the frontend image's size and
compressed size (``docker save | gzip -c | wc -c``).  Needs the test bed up
(``make image``); without an engine it says so and returns.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.testbed.harness import BuildResult, TestBed

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))

DOCKERFILE = """\
FROM busybox AS build
WORKDIR /work
COPY message.txt .
RUN cat message.txt > out
FROM busybox
COPY --from=build /work/out /out
CMD ["cat", "/out"]
"""


def run() -> None:
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
    if not _image_exists(bed):
        print(f"skipped: no {bed.image} image (make image)")
        return
    _print_image_size(bed)
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as tmp:
        ctx = Path(tmp)
        (ctx / "message.txt").write_text("hello\n")
        kinds = {"builtin": False, "pyfrontend": True}
        times: dict[str, list[float]] = {k: [] for k in kinds}

        def build(kind: str) -> tuple[float, BuildResult]:
            t0 = time.perf_counter()
            result = bed.build(DOCKERFILE, ctx, syntax=kinds[kind], tag=f"bench-gateway/{kind}")
            return time.perf_counter() - t0, result

        for kind in kinds:  # warm-up: fills the cache
            _, result = build(kind)
            if not result.ok:
                print(f"{kind}: the build failed, nothing to measure\n{result.describe()}")
                return
        for i in range(ROUNDS):
            order = list(kinds) if i % 2 == 0 else list(reversed(kinds))
            for kind in order:
                seconds, result = build(kind)
                uncached = [
                    v.name
                    for v in result.instruction_steps
                    if "] FROM " not in v.name and not v.cached
                ]
                if not result.ok or uncached:
                    print(f"{kind}: rebuild not fully cached or failed\n{result.describe()}")
                    return
                times[kind].append(seconds)
        for tag in ("bench-gateway/builtin", "bench-gateway/pyfrontend"):
            bed.remove_image(tag)
    med = {k: statistics.median(v) for k, v in times.items()}
    for kind, values in times.items():
        spread = ", ".join(f"{t:.3f}" for t in values)
        print(
            f"warm rebuild, {kind:10}: median {med[kind]:.3f} s over {len(values)} runs ({spread})"
        )
    print(
        f"warm rebuild ratio pyfrontend/builtin: {med['pyfrontend'] / med['builtin']:.2f} "
        f"(+{med['pyfrontend'] - med['builtin']:.3f} s)"
    )


def _image_exists(bed: TestBed) -> bool:
    done = subprocess.run(
        ["docker", "image", "inspect", bed.image], env=bed.env, capture_output=True, check=False
    )
    return done.returncode == 0


def _print_image_size(bed: TestBed) -> None:
    size = subprocess.run(
        ["docker", "image", "inspect", "-f", "{{.Size}}", bed.image],
        env=bed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    compressed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", 'docker save "$1" | gzip -c | wc -c', "-", bed.image],
        env=bed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(
        f"frontend image {bed.image}: {int(size) / 1e6:.1f} MB, "
        f"compressed (docker save | gzip -c) {int(compressed) / 1e6:.1f} MB"
    )
