"""Every ``dockerfile_check_test.go`` case of the checks package (``CASES``) end to end
through the gateway handler on the fake daemon: the warnings of a build as ``Warn``
calls, and the ``frontend.lint`` subrequest's ``result.json`` (``check_wire``)."""

from __future__ import annotations

import pytest

from dockerui.check_wire import check_progress, check_unmarshal
from dockerui.checks.test_check_suite import CASES


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_warnings(name: str) -> None:
    check_progress(CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_lint_subrequest(name: str) -> None:
    check_unmarshal(CASES[name])
