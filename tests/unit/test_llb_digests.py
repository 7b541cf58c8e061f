"""``pyfrontend llb`` writes the committed bytes for every fixture (tests/golden)."""

from __future__ import annotations

from golden import llb_digests


def test_every_fixture_compiles_to_the_committed_digest() -> None:
    want = llb_digests.GOLDEN.read_text().splitlines()
    got = llb_digests.lines()
    assert len(got) == len(want)
    changed = [(w, g) for w, g in zip(want, got, strict=True) if w != g]
    assert not changed, "\n".join(f"- {w}\n+ {g}" for w, g in changed[:20])
