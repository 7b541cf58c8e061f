"""image/assemble.py, without docker: on a site of this tree's ``frontend`` and the venv's
grpc and protobuf, with the interpreter running the tests (its stdlib, its libraries)."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOP = Path(__file__).resolve().parents[3]


def _load() -> ModuleType:
    # assemble.py imports packimport beside it, as a script finds it
    if str(TOP / "image") not in sys.path:
        sys.path.insert(0, str(TOP / "image"))
    spec = importlib.util.spec_from_file_location("assemble", TOP / "image" / "assemble.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["assemble"] = module  # dataclasses looks its module up
    spec.loader.exec_module(module)
    return module


A = _load()
GRPC = Path(importlib.util.find_spec("grpc").origin).parent  # type: ignore[arg-type,union-attr]
PROTOBUF = Path(importlib.util.find_spec("google.protobuf").origin).parent  # type: ignore[arg-type,union-attr]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``pip install --target`` look-alike: copies of the packages the image ships."""
    site = tmp_path_factory.mktemp("site")
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(TOP / "frontend", site / "frontend", ignore=skip)
    shutil.copytree(GRPC, site / "grpc", ignore=skip)
    # google is a namespace package, as pip installs it
    shutil.copytree(PROTOBUF, site / "google" / "protobuf", ignore=skip)
    upb = PROTOBUF.parent / "_upb"
    if upb.is_dir():
        shutil.copytree(upb, site / "google" / "_upb", ignore=skip)
    extensions = importlib.util.find_spec("typing_extensions")
    if extensions is not None and extensions.origin:
        shutil.copy(extensions.origin, site)
    (site / "pyfrontend-0.1.0.dist-info").mkdir()
    (site / "pyfrontend-0.1.0.dist-info" / "RECORD").write_text("")
    return site


@pytest.fixture(scope="module")
def stdlib(site: Path) -> dict[str, Path]:
    return A.stdlib_modules(site, A.package_modules(site))  # type: ignore[no-any-return]


def test_package_modules_are_those_shipped(site: Path) -> None:
    names = A.package_modules(site)
    assert "frontend.cli.gateway" in names
    assert "frontend.pb.gateway_pb2_grpc" in names
    assert "grpc._cython.cygrpc" in names  # a native module
    assert "google.protobuf.descriptor_pool" in names
    assert "frontend.__main__" not in names  # importing it runs the program
    assert not [n for n in names if "benchmark" in n or "testing_refleaks" in n]


def test_namespace_packages_are_found(site: Path) -> None:
    found = dict(A.namespace_packages(site))
    assert "google" in found
    assert "frontend" not in found and "grpc" not in found


def test_module_set_holds_what_the_frontend_loads(site: Path, stdlib: dict[str, Path]) -> None:
    # what a fresh interpreter really loads for the gateway, grpc and two commands,
    # function-level imports aside (modulefinder's part)
    code = (
        "import json, sys, grpc, frontend.cli.gateway, frontend.cli.llb, frontend.cli.check\n"
        "print(json.dumps({n: getattr(m, '__file__', None) for n, m in sys.modules.items()}))"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    std, _ = A.stdlib_dirs()
    loaded = {
        n
        for n, f in json.loads(done.stdout).items()
        if f and A.is_stdlib(Path(f), std) and not A._excluded(n)
    }
    assert {"json", "logging", "asyncio", "concurrent.futures", "encodings.utf_8"} <= loaded
    assert loaded <= set(stdlib), sorted(loaded - set(stdlib))
    # function-level imports: hashlib (frontend) and the hashes it falls back to
    assert "hashlib" in stdlib
    assert "encodings.latin_1" in stdlib and "encodings.idna" in stdlib
    # modules that cannot import without an excluded one are left out
    assert "multiprocessing.sharedctypes" not in stdlib
    assert {"bz2", "lzma"} <= set(stdlib)  # dockerui/epoch.py dates .tar.bz2/.tar.xz contexts
    assert "asyncio.windows_events" not in stdlib  # (win32 only)


def test_module_set_leaves_out_tools_tests_and_optional_libraries(
    stdlib: dict[str, Path],
) -> None:
    for name in (
        "tkinter",
        "unittest",
        "pydoc_data",
        "lib2to3",
        "idlelib",
        "ensurepip",
        "distutils",
        "sqlite3",
        "ssl",
        "_ssl",
        "_hashlib",
        "pip",
        "setuptools",
    ):
        assert not [n for n in stdlib if n == name or n.startswith(name + ".")], name
    std, _ = A.stdlib_dirs()
    assert all(A.is_stdlib(p, std) for p in stdlib.values())


def test_place_recreates_the_links_on_the_way(tmp_path: Path) -> None:
    real = tmp_path / "usr" / "lib"
    real.mkdir(parents=True)
    (real / "libx.so.1.2").write_bytes(b"x")
    (real / "libx.so.1").symlink_to("libx.so.1.2")
    (tmp_path / "lib").symlink_to("usr/lib")
    out = tmp_path / "out"
    tree = A.Tree(out, {})
    got = tree.copy(tmp_path / "lib" / "libx.so.1", "libs")
    assert got == real / "libx.so.1.2"
    inside = out / tmp_path.relative_to("/")
    assert os.readlink(inside / "lib") == "usr/lib"
    assert os.readlink(inside / "usr" / "lib" / "libx.so.1") == "libx.so.1.2"
    assert (inside / "lib" / "libx.so.1").read_bytes() == b"x"
    assert tree.sizes == {"libs": 1}


def test_elf_helpers_read_the_interpreter() -> None:
    exe = Path(os.path.realpath(sys.executable))
    loader = A.elf_interpreter(exe)
    assert loader is not None and os.path.isfile(loader) and "ld-" in loader
    libs = A.needed_libraries(loader, [exe])
    assert loader in libs and any("libc.so" in lib for lib in libs)
    assert A.elf_interpreter(TOP / "pyproject.toml") is None
    assert not A.has_symtab(TOP / "pyproject.toml")


@pytest.fixture(scope="module")
def assembled(site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    bin_dir = tmp_path_factory.mktemp("bin")
    launcher = bin_dir / "pyfrontend"
    launcher.write_text(
        f"#!{sys.executable}\nimport sys\nfrom frontend.cli import main\nsys.exit(main())\n"
    )
    launcher.chmod(0o755)
    out = tmp_path_factory.mktemp("rootfs")
    return out, A.assemble(site, bin_dir, out)


def test_assemble_ships_bytecode_only(site: Path, assembled: tuple[Path, Any]) -> None:
    out, done = assembled
    sizes = done.sizes
    files = [p for p in out.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not [p for p in files if p.suffix == ".py"]
    assert not [p for p in out.rglob("__pycache__")]
    assert not [p for p in out.rglob("*.dist-info")]
    inside = out / site.relative_to("/")
    std, _ = A.stdlib_dirs()
    # the code is in the module pack, not in files: but for what the interpreter
    # imports before the launcher installs the pack (encodings)
    assert not (inside / "frontend" / "cli" / "gateway.pyc").exists()
    assert not (out / std.relative_to("/") / "json" / "__init__.pyc").exists()
    utf8 = out / std.relative_to("/") / "encodings" / "utf_8.pyc"
    header = utf8.read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, unchecked
    assert not (out / std.relative_to("/") / "tkinter").exists()
    assert list((inside / "grpc" / "_cython").glob("cygrpc*.so"))
    assert [p for p in files if p.name.startswith("libc.so")]
    assert (out / "tmp").is_dir()
    assert {"grpc", "protobuf", "ours", "stdlib", "interpreter+libs"} <= set(sizes)


def test_the_pack_holds_every_shipped_module(site: Path, assembled: tuple[Path, Any]) -> None:
    import packimport

    out, done = assembled
    index = packimport.PackFinder(str(out / done.pack.lstrip("/"))).index
    kinds = {name: entry[0] for name, entry in index.items()}
    assert kinds["frontend.cli.gateway"] == packimport.MODULE
    assert kinds["frontend"] == kinds["json"] == packimport.PACKAGE
    assert kinds["grpc._cython.cygrpc"] == packimport.EXTENSION
    assert kinds["google"] == packimport.NAMESPACE
    assert kinds["tkinter"] == kinds["grpc_tools"] == packimport.ABSENT
    assert "encodings.utf_8" not in kinds  # a file: loaded before the pack is there
    std, _ = A.stdlib_dirs()
    assert (out / std.relative_to("/") / "os.pyc").is_file()  # the stdlib's landmark
    shipped = [n for n in done.modules if not A._unpacked(n)]
    assert not [n for n in shipped if n not in kinds]
    # each package's __path__ is its directory in the image, for its data and natives
    cython = index["grpc._cython"][3]
    assert cython == str(site / "grpc" / "_cython" / "__init__.pyc")
    # native modules are loaded by their path in the image
    assert (out / index["grpc._cython.cygrpc"][3].lstrip("/")).is_file()


def test_the_launcher_installs_the_pack(site: Path, assembled: tuple[Path, Any]) -> None:
    out, done = assembled
    launcher = next(out.rglob("pyfrontend"))
    lines = launcher.read_text().splitlines()
    assert lines[0] == f"#!{sys.executable} -S"
    assert lines[1:] == [
        "import sys",
        f"sys.path[0] = {str(site)!r}",
        "import packimport",
        f"packimport.run({done.pack!r}, 'frontend.cli', 'main')",
    ]
    # the importer, and the sitecustomize that installs the pack for python3 without -S
    inside = out / site.relative_to("/")
    assert (inside / "packimport.pyc").is_file()
    assert (inside / "sitecustomize.pyc").is_file()


@pytest.mark.skipif(os.geteuid() != 0, reason="the check runs the tree in a chroot (root)")
def test_assembled_tree_runs_every_command(site: Path, assembled: tuple[Path, Any]) -> None:
    out, done = assembled
    bin_dir = next(out.rglob("pyfrontend")).parent
    host_bin = Path("/") / bin_dir.relative_to(out)
    env = {"PATH": str(host_bin), "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    A.check(out, site, done, str(host_bin / "pyfrontend"), env)
    assert "frontend.cli.gateway" in done.modules and "json.decoder" in done.modules


def test_no_module_the_frontend_imports_is_excluded() -> None:
    # every import statement of the frontend package, function-level ones included: an
    # excluded module would be an ImportError in the image only (bz2 once was)
    imported: set[str] = set()
    for path in (TOP / "frontend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module)
    excluded = sorted(n for n in imported if A._excluded(n))
    assert not excluded, excluded
