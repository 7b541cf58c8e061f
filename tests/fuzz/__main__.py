"""``python -m tests.fuzz [--seconds N] [--seed S] [--inputs K]``: run the fuzzer.

Prints inputs run, rate, and every new crash or timeout signature (the first case of
each is saved to ``tests/fuzz/crashes`` unless ``--no-save``). Exits 1 if any was found.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from tests.fuzz import engine


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fuzz")
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--inputs", type=int, default=0, help="stop after this many (0: no limit)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--budget", type=float, default=2.0, help="seconds per input")
    p.add_argument("--memory-mb", type=int, default=2048, help="address-space limit")
    p.add_argument("--no-save", action="store_true")
    p.add_argument("--save-dir", default=str(engine.CRASHES), help="where new crashes go")
    args = p.parse_args(argv)
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    start = time.monotonic()
    found: dict[str, int] = {}
    n = 0
    kinds = {"ok": 0, "error": 0, "crash": 0, "timeout": 0}
    for case in engine.cases(args.seed):
        if args.inputs and n >= args.inputs:
            break
        if time.monotonic() - start > args.seconds:
            break
        n += 1
        out = engine.run_case(case, args.budget)
        kinds[out.kind] += 1
        if out.kind in ("crash", "timeout"):
            if out.signature not in found:
                where = "" if args.no_save else f" -> {engine.save(case, out, Path(args.save_dir))}"
                print(f"NEW {out.kind}: {out.signature}{where}", flush=True)
                if out.kind == "crash":
                    print(out.detail[-600:], flush=True)
            found[out.signature] = found.get(out.signature, 0) + 1
    secs = time.monotonic() - start
    print(
        f"{n} inputs in {secs:.1f} s ({n / secs:.0f}/s), seed {args.seed}: "
        f"{kinds['ok']} built, {kinds['error']} located errors, {kinds['crash']} crashes, "
        f"{kinds['timeout']} timeouts; {len(found)} distinct signatures"
    )
    for sig, count in sorted(found.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {sig}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
