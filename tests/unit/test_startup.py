"""frontend.startup: importing with stand-ins for the modules a build does not run.

That a build loads none of them is guarded in ``gateway/test_runtime.py``
(``NOT_FOR_A_BUILD``); here, that a stand-in never changes what a program sees."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontend import startup

ROOT = Path(__file__).resolve().parents[2]


def _package(tmp_path: Path, name: str) -> None:
    """A package NAME whose __init__ imports NAME_lib (and counts its loads)."""
    (tmp_path / name).mkdir()
    (tmp_path / name / "__init__.py").write_text(f"import {name}_lib\nfrom {name} import sub\n")
    (tmp_path / name / "sub.py").write_text("VALUE = 'sub'\n")
    lib = tmp_path / f"{name}_lib"
    lib.mkdir()
    (lib / "__init__.py").write_text(
        "import builtins\nbuiltins.LOADS = getattr(builtins, 'LOADS', 0) + 1\nANSWER = 42\n"
    )
    (lib / "part.py").write_text("PART = 'part'\n")


@pytest.fixture
def pkg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"startuptest_{tmp_path.name.replace('-', '_')}"
    _package(tmp_path, name)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for mod in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[mod]


def test_the_stand_in_is_not_loaded_and_leaves_sys_modules(pkg: str) -> None:
    (mod,) = startup.import_deferring([pkg], [f"{pkg}_lib", f"{pkg}.sub"])
    assert f"{pkg}_lib" not in sys.modules and f"{pkg}.sub" not in sys.modules
    stand_in = mod.__dict__[f"{pkg}_lib"]
    assert isinstance(stand_in, startup.Deferred)
    assert isinstance(mod.sub, startup.Deferred)


def test_the_first_attribute_read_loads_the_real_module_once(pkg: str) -> None:
    import builtins

    (mod,) = startup.import_deferring([pkg], [f"{pkg}_lib"])
    lib = mod.__dict__[f"{pkg}_lib"]
    before = getattr(builtins, "LOADS", 0)
    assert lib.ANSWER == 42
    assert lib.ANSWER == 42
    assert before + 1 == builtins.LOADS
    real = sys.modules[f"{pkg}_lib"]
    assert real is not lib and real.ANSWER == 42
    # an import elsewhere finds the real module, not a second copy
    assert __import__(f"{pkg}_lib") is real
    assert before + 1 == builtins.LOADS


def test_a_submodule_import_through_a_stand_in_works(pkg: str) -> None:
    startup.import_deferring([pkg], [f"{pkg}_lib"])
    part = __import__(f"{pkg}_lib.part", fromlist=["PART"])
    assert part.PART == "part"


def test_dunder_probes_do_not_load(pkg: str) -> None:
    (mod,) = startup.import_deferring([pkg], [f"{pkg}_lib"])
    lib = mod.__dict__[f"{pkg}_lib"]
    assert not hasattr(lib, "__wrapped__")
    assert not hasattr(lib, "__origin__")  # typing's probe
    assert f"{pkg}_lib" not in sys.modules
    assert "_deferred_real" not in lib.__dict__


def test_a_module_already_imported_is_used_as_it_is(pkg: str) -> None:
    real = __import__(f"{pkg}_lib")
    (mod,) = startup.import_deferring([pkg], [f"{pkg}_lib"])
    assert mod.__dict__[f"{pkg}_lib"] is real


def test_a_failed_import_takes_the_stand_ins_out(pkg: str, tmp_path: Path) -> None:
    (tmp_path / "startup_broken.py").write_text("raise RuntimeError('boom')\n")
    with pytest.raises(RuntimeError, match="boom"):
        startup.import_deferring(["startup_broken"], [f"{pkg}_lib"])
    assert f"{pkg}_lib" not in sys.modules


_REAL_USE = textwrap.dedent(
    """
    import sys
    from frontend import startup
    grpc = startup.import_grpc()
    assert "asyncio" not in sys.modules and "inspect" not in sys.modules
    import frontend.pb.ops_pb2 as ops
    assert "google.protobuf.internal.python_message" not in sys.modules
    # every stand-in still does its job when used
    assert grpc.aio.insecure_channel is not None
    import asyncio
    assert asyncio.get_event_loop_policy() is not None
    from grpc._cython import cygrpc
    assert cygrpc.asyncio.Future is asyncio.Future
    assert callable(cygrpc.pkgutil.get_data)
    assert callable(cygrpc.traceback.format_exc)
    d = ops.Definition()
    getattr(d, "def").append(b"x")
    assert ops.Definition.FromString(d.SerializeToString()) == d
    from google.protobuf.internal import python_message
    assert callable(python_message._AttachFieldHelpers)
    print("ok")
    """
)


def _prints_ok(code: str, env: dict[str, str] | None = None) -> None:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_grpc_and_protobuf_work_with_their_stand_ins_used() -> None:
    _prints_ok(_REAL_USE)


def test_the_pure_python_protobuf_backend_still_works() -> None:
    code = (
        "import frontend.pb.ops_pb2 as ops\n"
        "from google.protobuf.internal import api_implementation\n"
        "assert api_implementation.Type() == 'python'\n"
        "d = ops.Definition(); getattr(d, 'def').append(b'x')\n"
        "assert ops.Definition.FromString(d.SerializeToString()) == d\nprint('ok')\n"
    )
    _prints_ok(code, {"PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python", "PATH": "/usr/bin:/bin"})


_LOGGING_USE = textwrap.dedent(
    """
    import sys
    from frontend import startup
    grpc = startup.import_grpc()
    from grpc import _channel, _common
    # grpc's loggers are made, logging is not imported
    assert isinstance(sys.modules["logging"], startup.DeferredLogging)
    assert "traceback" not in sys.modules
    assert isinstance(_channel._LOGGER, startup.LazyLogger)
    import logging  # an import later gets the stand-in too
    assert isinstance(logging, startup.DeferredLogging)
    # the first real use imports logging: configuring it, then grpc's loggers log
    import io
    stream = io.StringIO()
    logging.basicConfig(stream=stream, level=logging.DEBUG, format="%(name)s %(message)s")
    assert type(sys.modules["logging"]).__name__ == "module"
    _channel._LOGGER.warning("from %s", "grpc")
    assert _channel._LOGGER.isEnabledFor(logging.DEBUG)
    assert stream.getvalue() == "grpc._channel from grpc\\n", stream.getvalue()
    # grpc's own NullHandler, added before logging was there, is on the real logger
    real = logging.getLogger("grpc")
    assert [type(h).__name__ for h in real.handlers] == ["NullHandler"]
    assert isinstance(logging.getLogger("x"), logging.Logger)
    print("ok")
    """
)


def test_logging_is_imported_only_when_something_logs() -> None:
    _prints_ok(_LOGGING_USE)
