"""Every case the fuzzer ever found a crash or timeout with (``tests/fuzz/crashes``)
now gives a build or a located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz import engine

CASES = sorted(engine.CRASHES.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fuzz_case_no_longer_crashes(path: Path) -> None:
    # a generous budget: this guards against hangs, it does not measure speed
    out = engine.run_case(engine.load(path), budget=30.0)
    assert out.kind in ("ok", "error"), f"{out.signature}\n{out.detail}"
