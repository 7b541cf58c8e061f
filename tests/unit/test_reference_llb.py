"""``pyfrontend llb`` writes the reference converter's bytes for every corpus Dockerfile.

The golden definitions were written by the reference's converter (dockerfile 1.26,
``d2l-offline``); see ``tests/golden/reference_llb.py`` for how they are made, how they
are compared (its ``INTENDED`` names every difference that is on purpose) and how to
regenerate them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import reference_llb as ref

FILES = ref.dockerfiles()


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) >= 300
    ids = {ref.golden_id(p) for p in FILES}
    golden = {p.stem for p in ref.GOLDEN.glob("*.txt")}
    assert ids == golden, "regenerate: tests/golden/reference_llb.py --regenerate"


@pytest.mark.parametrize("path", FILES, ids=[ref.golden_id(p) for p in FILES])
def test_definition_is_the_references(path: Path) -> None:
    gid = ref.golden_id(path)
    if gid in ref.INTENDED:
        pytest.skip(ref.INTENDED[gid])
    gold = ref.read_golden(gid)
    for v in ref.variants(path):
        want_ok, want = gold[v.name]
        got_ok, got = ref.ours(path, v)
        assert got_ok == want_ok, f"[{v.name}] reference: {want!s:.300} / ours: {got!s:.300}"
        if want_ok:
            assert isinstance(want, bytes) and isinstance(got, bytes)
            assert ref.canonical(got) == ref.canonical(want), (
                f"[{v.name}] differs; see: tests/golden/reference_llb.py --diff {gid}"
            )
