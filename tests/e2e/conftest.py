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


@pytest.fixture(scope="session")
def testbed() -> Iterator[TestBed]:
    skip_image = os.environ.get("PYFRONTEND_E2E_SKIP_IMAGE") == "1"
    try:
        bed = TestBed.start(build_image=not skip_image)
    except Exception as exc:  # the engine or the image: no e2e test can run
        pytest.fail(f"the end-to-end test bed did not come up: {exc}", pytrace=False)
    try:
        yield bed
    finally:
        bed.close()
