"""``pyfrontend llb`` per file, process included, against the reference converter.

Each lesson file (``tests/fixtures/lesson/Dockerfile.*``) is converted ``BENCH_ROUNDS``
times (default 9) by a fresh ``pyfrontend llb`` process (this venv's console script), and
by the reference's offline converter when ``PYFRONTEND_REFERENCE_D2L`` names one
(``../shared/conformance`` builds ``$W/bin/d2l-offline``; run with ``-sourcemap
-local-unique=``, the same conventions), interleaved.  Prints the median per file and the
median over all files (target: 120 ms per file), and the ratio to the reference.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "tests" / "fixtures" / "lesson"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))


def _ours() -> list[str]:
    script = Path(sys.executable).with_name("pyfrontend")
    if script.exists():
        return [str(script), "llb", "-f"]
    return [sys.executable, "-m", "frontend", "llb", "-f"]


def _timed(cmd: list[str], stdin: Path | None = None) -> float:
    t0 = time.perf_counter()
    with open(stdin or os.devnull, "rb") as inp:
        subprocess.run(
            cmd, stdin=inp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
    return time.perf_counter() - t0


def run() -> None:
    reference = os.environ.get("PYFRONTEND_REFERENCE_D2L") or ""
    if reference and not shutil.which(reference):
        print(f"PYFRONTEND_REFERENCE_D2L={reference}: not executable, ignored")
        reference = ""
    files = sorted(LESSON_DIR.glob("Dockerfile.*"))
    ours: list[float] = []
    theirs: list[float] = []
    for path in files:
        mine: list[float] = []
        ref: list[float] = []
        for _ in range(ROUNDS):
            mine.append(_timed([*_ours(), str(path)]))
            if reference:
                ref.append(_timed([reference, "-sourcemap", "-local-unique="], stdin=path))
        line = f"pyfrontend llb, {path.name:26}: median {statistics.median(mine) * 1000:.0f} ms"
        if ref:
            line += f", reference {statistics.median(ref) * 1000:.0f} ms"
        print(line)
        ours += mine
        theirs += ref
    summary = (
        f"pyfrontend llb, all lesson files: median {statistics.median(ours) * 1000:.0f} ms per file"
    )
    if theirs:
        ratio = statistics.median(ours) / statistics.median(theirs)
        summary += f", reference {statistics.median(theirs) * 1000:.0f} ms ({ratio:.1f}x)"
    print(summary + " (target: 120 ms)")
