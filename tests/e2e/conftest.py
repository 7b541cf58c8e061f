"""End-to-end fixtures: one test bed per session.

``testbed`` starts what is missing (the engine at $DOCKER_HOST if it answers, else the
private engine from ``tests/testbed/engine.sh``; the stand-in base images; the
pyfrontend image built from the current tree) and stops the engine again at the end
if it had to start it.  ``PYFRONTEND_E2E_SKIP_IMAGE=1`` reuses the image already
tagged ``pyfrontend`` instead of rebuilding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from testbed.harness import TestBed


def _bed(store: str) -> Iterator[TestBed]:
    skip_image = os.environ.get("PYFRONTEND_E2E_SKIP_IMAGE") == "1"
    try:
        bed = TestBed.start(build_image=not skip_image, store=store)
    except Exception as exc:  # the engine or the image: no e2e test can run
        pytest.fail(f"the end-to-end test bed ({store}) did not come up: {exc}", pytrace=False)
    try:
        yield bed
    finally:
        bed.close()


@pytest.fixture(scope="session")
def testbed() -> Iterator[TestBed]:
    """The engine with the classic image store (no MergeOp: COPY --link is a copy)."""
    yield from _bed("classic")


@pytest.fixture(scope="session")
def testbed_containerd() -> Iterator[TestBed]:
    """A second private engine with the containerd image store (MergeOp enabled)."""
    yield from _bed("containerd")
