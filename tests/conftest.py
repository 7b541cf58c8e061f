"""Shared pytest wiring.

* Every test under ``tests/e2e/`` is marked ``e2e`` (they need a real engine; the
  session fixture in ``tests/e2e/conftest.py`` brings the test bed up), so
  ``pytest -m 'not e2e'`` runs exactly the unit tests, which need no daemon.
* ``tests/`` is on ``sys.path`` (pytest's rootdir conftest insertion), so the test-bed
  harness imports as ``testbed.harness``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
E2E = TESTS / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def lesson_dir() -> Path:
    """The multi-stage-build lesson's example Dockerfiles and sources."""
    return TESTS / "fixtures" / "lesson"
