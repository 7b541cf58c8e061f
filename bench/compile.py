"""Compiler benchmark: parse + compile + marshal, in-process.

* each lesson file (``tests/fixtures/lesson/Dockerfile.*``): best-of-N wall time
  (target: under 10 ms each);
* generated chains of 100, 400 and 1,600 stages, each ``FROM`` the previous one and
  ``COPY --from`` an earlier one: wall time and peak memory, each size measured in a
  fresh subprocess (peak RSS growth over the interpreter's baseline, and tracemalloc
  peak); growth checked for linearity (target: 1,600 stages under 1 s and 200 MB).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "tests" / "fixtures" / "lesson"
CHAIN_SIZES = (100, 400, 1600)
LESSON_TARGET_MS = 10.0
CHAIN_TARGET_S = 1.0
CHAIN_TARGET_MB = 200.0


def chain(stages: int) -> str:
    """``stages`` stages: each FROM the previous one, COPY --from one further back."""
    lines = ["FROM alpine AS s0", "RUN echo 0 > /f0"]
    for i in range(1, stages):
        lines.append(f"FROM s{i - 1} AS s{i}")
        lines.append(f"COPY --from=s{max(0, i - 2)} /f{max(0, i - 2)} /f{i}")
    return "\n".join(lines) + "\n"


def compile_once(text: str, name: str = "Dockerfile") -> bytes:
    from frontend.compiler import CompileOptions, compile_dockerfile
    from frontend.language import parse_dockerfile

    result = compile_dockerfile(parse_dockerfile(text, name), CompileOptions(session_id="bench"))
    return result.definition().to_bytes()


def _best(text: str, name: str, rounds: int) -> float:
    compile_once(text, name)  # warm-up (imports, caches)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        compile_once(text, name)
        best = min(best, time.perf_counter() - start)
    return best


def _child(stages: int) -> None:
    """Run in a subprocess: measure one chain size, print JSON."""
    import resource
    import tracemalloc

    # imports are not part of the figure
    import frontend.compiler
    import frontend.language  # noqa: F401

    text = chain(stages)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    size = len(compile_once(text))
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    compile_once(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(elapsed, _best(text, "Dockerfile", 2))
    out = {
        "stages": stages,
        "seconds": best,
        "rss_growth_mb": (rss - base_rss) / 1024,
        "peak_rss_mb": rss / 1024,
        "traced_peak_mb": peak / 1e6,
        "definition_bytes": size,
    }
    print(json.dumps(out))


def measure_chain(stages: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", f"from bench.compile import _child; _child({stages})"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def run() -> None:
    ok = True
    for path in sorted(LESSON_DIR.glob("Dockerfile.*")):
        ms = _best(path.read_text(), path.name, 20) * 1000
        flag = "ok" if ms < LESSON_TARGET_MS else "SLOW"
        ok &= ms < LESSON_TARGET_MS
        print(f"compile: {path.name:28} {ms:7.2f} ms  (target < {LESSON_TARGET_MS:.0f} ms) {flag}")
    results = [measure_chain(n) for n in CHAIN_SIZES]
    for r in results:
        print(
            f"compile: chain of {int(r['stages']):5} stages  {r['seconds'] * 1000:8.1f} ms  "
            f"peak RSS {r['peak_rss_mb']:6.1f} MB (+{r['rss_growth_mb']:.1f} MB over start)  "
            f"traced peak {r['traced_peak_mb']:6.1f} MB  {int(r['definition_bytes']):,} bytes"
        )
    # linear growth: time per stage should not grow with the size
    per_stage = [r["seconds"] / r["stages"] for r in results]
    ratio = per_stage[-1] / per_stage[0]
    linear = ratio < 2.0
    print(
        "compile: time per stage "
        + ", ".join(f"{p * 1e6:.0f} us" for p in per_stage)
        + f"  (largest/smallest {ratio:.2f}: {'linear' if linear else 'NOT linear'})"
    )
    big = results[-1]
    fast = big["seconds"] < CHAIN_TARGET_S
    small = big["peak_rss_mb"] < CHAIN_TARGET_MB
    print(
        f"compile: 1,600-stage chain {big['seconds']:.3f} s (target < {CHAIN_TARGET_S:.0f} s) "
        f"{'ok' if fast else 'SLOW'}, peak RSS {big['peak_rss_mb']:.1f} MB "
        f"(target < {CHAIN_TARGET_MB:.0f} MB) {'ok' if small else 'TOO BIG'}"
    )
    ok &= fast and small and linear
    print(f"compile: {'all targets met' if ok else 'some targets missed'}")


if __name__ == "__main__":
    run()
