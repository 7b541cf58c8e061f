"""The test-bed launcher's options for pyfrontend (``tests/testbed/launcher/launch.py``):
no ``cmdline``, ``source`` = pyfrontend, ``BUILDKIT_SYNTAX`` dropped or passed on."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

LAUNCH = Path(__file__).resolve().parents[2] / "testbed" / "launcher" / "launch.py"


def _launch() -> ModuleType:
    spec = importlib.util.spec_from_file_location("testbed_launch", LAUNCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cmdline_and_own_syntax_arg_are_dropped() -> None:
    opts = {
        "cmdline": "launcher:t",
        "source": "launcher:t",
        "build-arg:BUILDKIT_SYNTAX": "launcher:t",
        "filename": "Dockerfile",
    }
    assert _launch().forward_opts(opts, "pyfrontend") == {
        "source": "pyfrontend",
        "filename": "Dockerfile",
    }


def test_the_rest_of_the_cmdline_becomes_the_syntax_arg() -> None:
    opts = {"cmdline": "launcher:t  target:t arg", "build-arg:BUILDKIT_SYNTAX": "x"}
    assert _launch().forward_opts(opts, "pyfrontend") == {
        "source": "pyfrontend",
        "build-arg:BUILDKIT_SYNTAX": "target:t arg",
    }
