"""image/packimport.py: a module pack written, then imported from in a fresh interpreter
(``-S``, as the image's launcher runs it), with no file of the packed modules on disk."""

from __future__ import annotations

import importlib.util
import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

IMAGE = Path(__file__).resolve().parents[3] / "image"
sys.path.insert(0, str(IMAGE))
import packimport as P  # noqa: E402  (image/ is no package: a script's directory)

# a native module of this interpreter's stdlib (not built in), to load by path
NATIVE = next(
    name
    for name in ("_json", "_csv", "array", "_bisect", "math")
    if (spec := importlib.util.find_spec(name)) and (spec.origin or "").endswith(".so")
)


def _code(source: str, filename: str) -> bytes:
    return marshal.dumps(compile(source, filename, "exec", dont_inherit=True))


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A pack of a module, a package with a submodule and a data file beside it, a
    namespace package, a native module and an absent one; only the data file and the
    namespace's directory exist on disk."""
    pkg = tmp_path / "lib" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "data.txt").write_text("beside the package\n")
    (tmp_path / "lib" / "ns").mkdir()
    native = importlib.util.find_spec(NATIVE).origin  # type: ignore[union-attr]
    modules = [
        ("single", P.MODULE, "/lib/single.pyc", _code("VALUE = 6 * 7\n", "/lib/single.py")),
        (
            "pkg",
            P.PACKAGE,
            str(pkg / "__init__.pyc"),
            _code("from pkg.sub import WHO\n", str(pkg / "__init__.py")),
        ),
        ("pkg.sub", P.MODULE, str(pkg / "sub.pyc"), _code("WHO = __name__\n", "sub.py")),
        ("ns", P.NAMESPACE, str(tmp_path / "lib" / "ns"), b""),
        ("ns.inner", P.MODULE, "/lib/ns/inner.pyc", _code("X = 1\n", "inner.py")),
        (NATIVE, P.EXTENSION, native, b""),
        ("left_out", P.ABSENT, "", b""),
    ]
    path = tmp_path / "modules.pack"
    size = P.write_pack(str(path), modules)
    assert size == path.stat().st_size
    return path


def _run(pack: Path, body: str) -> dict[str, object]:
    """``body`` (which sets ``out``) in ``python -S`` with the pack installed first."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(IMAGE)!r})\n"
        "import packimport\n"
        f"finder = packimport.install({str(pack)!r})\n"
        f"{body}\n"
        "import json\n"
        "sys.stdout.write(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_modules_import_from_the_pack(pack: Path) -> None:
    out = _run(
        pack,
        "import single, pkg, ns.inner, " + NATIVE + "\n"
        "import os\n"
        "out = {\n"
        "  'value': single.VALUE, 'file': single.__file__, 'who': pkg.WHO,\n"
        "  'loader': type(single.__loader__).__name__, 'finder_first':\n"
        "      sys.meta_path.index(finder) < len(sys.meta_path) - 1,\n"
        "  'data': open(os.path.join(pkg.__path__[0], 'data.txt')).read(),\n"
        "  'pkg_file': pkg.__file__, 'ns_path': list(ns.__path__), 'inner': ns.inner.X,\n"
        f"  'native': {NATIVE}.__file__,\n"
        "  'traceback_name': single.__spec__.origin,\n"
        "}\n",
    )
    assert out["value"] == 42
    assert out["file"] == "/lib/single.pyc"  # as a sourceless .pyc's would be
    assert out["who"] == "pkg.sub"
    assert out["loader"] == "PackFinder"
    assert out["finder_first"]  # before Python's path finder
    assert out["data"] == "beside the package\n"
    assert str(out["pkg_file"]).endswith("pkg/__init__.pyc")
    assert str(out["ns_path"][0]).endswith("/lib/ns")  # type: ignore[index]
    assert out["inner"] == 1
    assert str(out["native"]).endswith(".so")


def test_what_the_pack_does_not_know_goes_to_the_path(pack: Path) -> None:
    out = _run(
        pack,
        "import json.decoder\n"  # from the path, as before
        "try:\n"
        "    import left_out\n"
        "    absent = 'imported'\n"
        "except ModuleNotFoundError as e:\n"
        "    absent = str(e)\n"
        "try:\n"
        "    import nowhere_at_all\n"
        "    missing = 'imported'\n"
        "except ModuleNotFoundError as e:\n"
        "    missing = str(e)\n"
        "out = {'json': json.decoder.__spec__.loader.__class__.__name__,\n"
        "       'absent': absent, 'missing': missing}\n",
    )
    assert out["json"] != "PackFinder"
    assert out["absent"] == "No module named 'left_out'"
    assert out["missing"] == "No module named 'nowhere_at_all'"


def test_a_loader_answers_as_importlib_asks(pack: Path) -> None:
    finder = P.PackFinder(str(pack))
    assert finder.is_package("pkg") and not finder.is_package("single")
    assert finder.get_source("single") is None
    assert finder.get_filename("pkg.sub").endswith("pkg/sub.pyc")
    namespace = {}
    exec(finder.get_code("single"), namespace)
    assert namespace["VALUE"] == 42
    assert finder.find_spec("elsewhere") is None
    with pytest.raises(ImportError):
        finder.get_code(NATIVE)  # native: no code in the pack
    with pytest.raises(ModuleNotFoundError):
        finder.find_spec("left_out")


def test_the_same_modules_make_the_same_bytes(tmp_path: Path) -> None:
    modules = [
        (f"m{i}", P.MODULE, f"/m{i}.pyc", _code(f"X = {i}\n", f"m{i}.py")) for i in range(50)
    ]
    P.write_pack(str(tmp_path / "a"), modules)
    P.write_pack(str(tmp_path / "b"), list(reversed(modules)))
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    # the offsets in the index point at each module's code
    finder = P.PackFinder(str(tmp_path / "a"))
    for i in (0, 17, 49):
        namespace: dict[str, object] = {}
        exec(finder.get_code(f"m{i}"), namespace)
        assert namespace["X"] == i


def test_a_pack_of_another_python_or_no_pack_is_refused(tmp_path: Path, pack: Path) -> None:
    other = tmp_path / "other.pack"
    P.write_pack(str(other), [("m", P.MODULE, "/m.pyc", _code("", "m.py"))], magic=b"\0\0\r\n")
    with pytest.raises(P.PackError, match="another Python"):
        P.PackFinder(str(other))
    (tmp_path / "junk").write_bytes(b"not a pack at all, longer than a header")
    with pytest.raises(P.PackError, match="not a module pack"):
        P.PackFinder(str(tmp_path / "junk"))
    with pytest.raises(P.PackError, match="No such file"):
        P.PackFinder(str(tmp_path / "missing.pack"))


def test_the_importer_imports_only_what_needs_no_search() -> None:
    # the launcher runs it under -S before the pack is installed: what it imports must
    # be loaded already, built in or frozen (else it would be searched for on the
    # path, or be missing: it is in the pack)
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"sys.path.insert(0, {str(IMAGE)!r})\n"
        "import packimport\n"
        "new = set(sys.modules) - before - {'packimport'}\n"
        "print(sorted(n for n in new if sys.modules[n].__spec__.origin not in"
        " ('built-in', 'frozen')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def _programs(patterns: list[tuple[str | bytes, int]]) -> list[tuple[object, int, tuple]]:
    """What assemble.py records: re's compiler's arguments to _sre.compile, as plain
    values."""
    from re import _compiler, _parser

    out = []
    for pattern, flags in patterns:
        parsed = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]
        index = parsed.state.groupdict
        groups = [None] * parsed.state.groups
        for name, i in index.items():
            groups[i] = name
        args = (pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, dict(index))
        out.append((pattern, flags, (*args, tuple(groups))))
    return out


def test_a_regex_compiled_ahead_is_the_one_re_makes() -> None:
    import re

    patterns: list[tuple[str | bytes, int]] = [
        (r"(?P<name>[a-z]+)=(?P<value>\S*)", 0),
        (r"^\s*onbuild\s*", re.IGNORECASE),
        (rb"[\x00-\x1f]+", 0),
    ]
    calls: list[tuple[object, object]] = []

    def slow(pattern: object, flags: object) -> object:
        calls.append((pattern, flags))
        return re.compile(pattern, flags)  # type: ignore[call-overload]

    compile_ = P.regex_compiler(slow, _programs(patterns))
    for pattern, flags in patterns:
        ahead, fresh = compile_(pattern, flags), re.compile(pattern, flags)
        assert ahead is not fresh  # made from the program, not by re
        assert (ahead.pattern, ahead.flags, ahead.groups, ahead.groupindex) == (
            fresh.pattern,
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        assert compile_(pattern, flags) is ahead  # once
    assert compile_(patterns[1][0], re.IGNORECASE).match("  ONBUILD RUN x")
    assert compile_(patterns[0][0], 0).match("a=b").group("value") == "b"
    assert calls == []
    # anything else is re's own business
    compile_("other", 0)
    compile_(patterns[0][0], re.MULTILINE)  # the same text with other flags
    assert calls == [("other", 0), (patterns[0][0], re.MULTILINE)]
