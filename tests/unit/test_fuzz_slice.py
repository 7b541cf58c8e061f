"""A bounded slice of the fuzz campaign in every test run: a fixed seed and count, so
the inputs are the same each time (``make fuzz SECONDS=N`` runs the long campaign)."""

from __future__ import annotations

import itertools

from tests.fuzz import engine

SEED = 20261202
INPUTS = 10000


def test_fuzz_slice_finds_no_crash_or_hang() -> None:
    found: dict[str, str] = {}
    kinds = {"ok": 0, "error": 0, "crash": 0, "timeout": 0}
    for case in itertools.islice(engine.cases(SEED), INPUTS):
        # a generous budget: a guard against hangs, not a speed measure
        out = engine.run_case(case, budget=30.0)
        kinds[out.kind] += 1
        if out.kind in ("crash", "timeout"):
            found.setdefault(out.signature, out.detail)
    assert not found, "\n\n".join(f"{sig}\n{detail}" for sig, detail in found.items())
    # the slice exercises both outcomes of the contract
    assert kinds["ok"] > 100 and kinds["error"] > 100, kinds
