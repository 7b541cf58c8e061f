"""Warm rebuild through pyfrontend versus the engine's built-in frontend and the reference
frontend image.

Each case (a small two-stage Dockerfile, the lesson's five-stage ``Dockerfile.poster.big``
and a 20-stage chain) is built once by each frontend (warm-up, tagged), then rebuilt
``BENCH_ROUNDS`` times (default 9) per frontend, interleaved (the order rotates every
round); every rebuild must be fully cached.  Prints the median wall time of
``docker buildx build`` for each frontend and the ratios pyfrontend/built-in and
pyfrontend/reference, plus the frontend image's size and compressed size
(``docker save | gzip -c | wc -c``).  The reference is the image named by
``PYFRONTEND_REFERENCE_IMAGE`` (default ``reference/dockerfile:1.26``, which
``../shared/conformance/setup.sh`` builds), used when the engine has it.  Needs the test
bed up (``make image``); without an engine it says so and returns.
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

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
REFERENCE = os.environ.get("PYFRONTEND_REFERENCE_IMAGE", "reference/dockerfile:1.26")
LESSON = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lesson"

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
    for other in ("builtin", "reference"):
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
