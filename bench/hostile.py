"""Hostile inputs (the robustness issue's time and memory cases): each one compiled by
``pyfrontend llb`` in a process of its own, its wall time, peak RSS and outcome (a
definition, or the located error it refused the file with). Target: every case within
2 s and 200 MB, or refused with a located error.

``python -m bench hostile`` (part of ``make bench``).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _lines(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _doubling_arg(n: int) -> bytes:
    return _lines("FROM scratch", "ARG a=x", *(["ARG a=$a$a"] * n), "LABEL l=$a")


def _continued(prefix: str, size: int) -> bytes:
    # a logical line of ``size`` bytes made of physical lines under the 64 KiB limit
    chunk = "x" * 60_000
    n = max(1, size // len(chunk))
    return ("FROM scratch\n" + prefix + " \\\n".join([chunk] * n) + "\n").encode()


CASES: dict[str, Callable[[], bytes]] = {
    "EXPOSE 1-6553553/udp": lambda: _lines("FROM scratch", "EXPOSE 1-6553553/udp"),
    "EXPOSE 0-99999999": lambda: _lines("FROM scratch", "EXPOSE 0-99999999"),
    "1 MiB ARG (20 doublings)": lambda: _doubling_arg(20),
    "16 MiB ARG (24 doublings)": lambda: _doubling_arg(24),
    "10 MB RUN line (continued)": lambda: _continued("RUN ", 10_000_000),
    "10 MB LABEL line (continued)": lambda: _continued("LABEL a=", 10_000_000),
    "10 MB COPY line (continued)": lambda: _continued("COPY ", 10_000_000),
    "10 MB EXPOSE line (continued)": lambda: _continued("EXPOSE ", 10_000_000),
    "10 MB physical line": lambda: b"FROM scratch\nRUN " + b"x" * 10_000_000 + b"\n",
    "${a##*a*a*a*a*a*a*a*a*b} on 40 chars": lambda: _lines(
        "FROM scratch", "ARG a=" + "a" * 40, "LABEL l=${a##*a*a*a*a*a*a*a*a*b}"
    ),
    "${a//a/b} on 20,000 chars": lambda: _lines(
        "FROM scratch", "ARG a=" + "a" * 20_000, "LABEL l=${a//a/b}"
    ),
    "ENV 20,000 keys": lambda: _lines("FROM scratch", *(f"ENV k{i}=v" for i in range(20_000))),
    "ENV 50,000 keys": lambda: _lines("FROM scratch", *(f"ENV k{i}=v" for i in range(50_000))),
    "unknown instruction of 60 KB": lambda: _lines("FROM scratch", "X" * 60_000 + " a"),
    "unknown flag of 60 KB": lambda: _lines("FROM scratch", "COPY --" + "f" * 60_000 + " a b"),
    "FROM with a 60k-char bad reference": lambda: _lines("FROM " + "A" * 60_000),
    "directive with 60k spaces": lambda: ("#" + " " * 60_000 + "syntax=x\nFROM scratch\n").encode(),
    "200,000 instructions": lambda: _lines(
        "FROM scratch", *(f"RUN echo {i}" for i in range(200_000))
    ),
    "only ARGs": lambda: _lines("ARG a=1", "ARG b=2"),
    "UTF-16": lambda: "FROM scratch\nRUN x\n".encode("utf-16"),
}


def measure(data: bytes) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and the first line of the outcome."""
    with tempfile.NamedTemporaryFile(suffix=".Dockerfile", delete=False) as f:
        f.write(data)
        path = Path(f.name)
    try:
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "frontend", "llb", "-f", str(path)],
            capture_output=True,
            timeout=600,
            check=False,
        )
        secs = time.monotonic() - start
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        path.unlink()
    if done.returncode == 0:
        outcome = f"built ({len(done.stdout) / 1e6:.1f} MB definition)"
    else:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        outcome = "refused: " + (err[-1] if err else f"exit {done.returncode}")[:90]
    return secs, rss, outcome


def run(names: list[str] | None = None) -> None:
    print(f"{'case':40} {'seconds':>8} {'peak MB':>8}  outcome")
    for name in CASES:
        if names and name not in names:
            continue
        # each case in its own child: RUSAGE_CHILDREN's max is of the largest child so
        # far, so run each measurement from a fresh interpreter
        out = subprocess.run(
            [sys.executable, "-c", f"from bench.hostile import _one; _one({name!r})"],
            capture_output=True,
            text=True,
            check=False,
        )
        print(out.stdout.rstrip() or f"{name:40} failed: {out.stderr.strip()[-200:]}", flush=True)


def _one(name: str) -> None:
    secs, rss, outcome = measure(CASES[name]())
    print(f"{name:40} {secs:8.2f} {rss:8.0f}  {outcome}")


if __name__ == "__main__":
    run(sys.argv[1:] or None)
