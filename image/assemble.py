"""Assemble the root file system of the pyfrontend image: only what the frontend runs.

Runs in the image's build stage, with that stage's python (the interpreter the image
ships), after ``pip install --target SITE``::

    python3 image/assemble.py --site /opt/pyfrontend/site --bin /opt/pyfrontend/bin \
        --out /rootfs --check

and the final stage is ``FROM scratch`` + ``COPY --from=build /rootfs /``. Into OUT go,
each at the path it has in the build stage (every symlink on the way recreated, so the
interpreter finds its prefix and the loader its libraries as they do there):

* the interpreter (``sys.executable`` and the launcher's ``#!`` path), the dynamic
  loader and every shared library the interpreter and the native modules we ship
  need (listed by the loader itself, as ``ldd`` does), and ``/etc/ld.so.cache``;
* the stdlib modules the frontend can import (the lib-dynload extension modules among
  them as they are): ``modulefinder`` over every module we ship and all of
  ``encodings`` (function-level imports included), corrected by importing them all with
  ``EXCLUDED`` missing (``stdlib_modules``);
* SITE's packages (ours, grpc, protobuf) with their native modules and data files,
  less tests, benchmarks, sources and stubs (``SKIP_FILES``); the ``*.dist-info``
  metadata is dropped (nothing reads it at run time);
* the code of all those modules in one module pack (``image/packimport.py``:
  ``BIN/../modules.pack``, found and read without a search of the path), but for
  ``UNPACKED`` (what the interpreter imports before the launcher runs), shipped as
  sourceless unchecked-hash ``.pyc``; the native modules by path in the pack's index;
* native files that still have a symbol table stripped, where ``strip`` exists (not in
  ``python:3.11-slim``: protobuf's upb module then keeps its 78 KB of symbols);
* BIN's launchers (the ``pyfrontend`` console script), each written anew: its
  interpreter with ``-S``, ``packimport`` (compiled beside them) installing the pack,
  then its entry point; and an empty ``/tmp``.

``--check`` then runs the result in a chroot (the build stage runs as root): every
shipped module that imports in the build stage imports there (from the pack), and
every sub-command works on a small Dockerfile; a missing file fails the build, not a
user's build.
Logs (and the bytes per part) go to stderr.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import py_compile
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from modulefinder import ModuleFinder
from pathlib import Path

import packimport  # beside this file (a script's directory is on its path)

# stdlib modules never shipped, nor followed by modulefinder: what the frontend does not
# run (tests, tools, GUIs, packaging; this and antigravity act on import) and the modules
# that would pull in a large library only as an optional extra: ssl/_hashlib (libssl +
# libcrypto: hashlib falls back to the interpreter's own hashes, asyncio imports ssl
# optionally, grpc's TLS is BoringSSL inside cygrpc), sqlite3, ctypes (libffi),
# readline/curses, dbm.  bz2 and lzma are shipped: SOURCE_DATE_EPOCH=context dates a
# .tar.bz2 / .tar.xz context by its newest file (dockerui/epoch.py).
EXCLUDED = frozenset(
    {
        *("tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "unittest"),
        *("test", "pydoc", "pydoc_data", "doctest", "pdb", "distutils", "ensurepip", "venv"),
        *("pip", "setuptools", "_distutils_hack", "sqlite3", "_sqlite3", "ssl", "_ssl"),
        *("_hashlib", "ctypes", "_ctypes", "readline"),
        *("curses", "_curses", "_curses_panel", "dbm", "_dbm", "_gdbm", "xmlrpc", "msilib"),
        *("_msi", "winreg", "_winapi", "nt", "this", "antigravity", "__phello__"),
    }
)
# optional modules grpcio and protobuf try to import (and the stdlib's copy: Jython's
# org.python.core), absent from the image (the pack says so at once: packimport.ABSENT)
PROBED = (
    *("grpc_tools", "grpc_health", "grpc_reflection", "org"),
    "google.protobuf.internal._api_implementation",
    "google.protobuf.enable_deterministic_proto_serialization",
)
# files of SITE's packages not shipped (matched against the path below SITE)
SKIP_FILES = re.compile(
    r"(^|/)(tests?|testdata|__pycache__)(/|$)|_benchmark\.py$|(^|/)testing_refleaks\.py$"
    r"|\.(pyi|pyx|pxd|pxi|h|c|cc|typed)$"
)
# the image's environment, for the check (the Dockerfile's ENV says the same)
CHECK_DOCKERFILE = b"""\
ARG BASE=busybox
FROM ${BASE} AS build
RUN echo hi > /hi
FROM scratch
COPY --from=build /hi /hi
"""
# imports {"names": [...]} with {"blocked": [...]} missing, as in the image (where site's
# sitecustomize installs the module pack first); writes which failed (name -> error) and
# every module then loaded (name -> file)
_IMPORT_ALL = """\
import importlib, json, sys
request = json.loads(sys.stdin.read())
blocked = frozenset(request["blocked"])
class Blocked:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not in the image)", name=name)
sys.meta_path.insert(0, Blocked)
failed = {}
for name in request["names"]:
    try:
        importlib.import_module(name)
    except BaseException as e:
        failed[name] = f"{type(e).__name__}: {e}"
loaded = {n: getattr(m, "__file__", None) for n, m in sys.modules.items()}
sys.stdout.write(json.dumps({"failed": failed, "loaded": loaded}))
"""


# what the recording below builds: the instructions and quoting most Dockerfiles use
REGEX_DOCKERFILE = b"""\
# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
ARG BASE=busybox:1.36
FROM ${BASE} AS build
ARG VERSION="1.0" NAME='x y'
ENV PATH="/opt/bin:$PATH" HOME=/root
WORKDIR /src
COPY --chown=1000:1000 --chmod=644 . ./
ADD https://example.com/a.tar.gz /tmp/
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=busybox:1.36,source=/,target=/b \\
    echo "building ${VERSION:-dev} for $NAME" && echo 'done' > /out
RUN <<EOT
echo "heredoc $HOME"
EOT
FROM scratch
LABEL org.opencontainers.image.title="t" version=${VERSION}
COPY --from=build /out /out
EXPOSE 8080/tcp
USER 1000:1000
HEALTHCHECK --interval=30s CMD ["/out"]
ENTRYPOINT ["/out"]
CMD ["--help"]
"""
# the regular expressions a build compiles, with the arguments re's compiler gives
# _sre.compile for each (packimport.regex_compiler): recorded while this interpreter
# imports what the gateway imports and compiles (and checks) REGEX_DOCKERFILE; writes
# the marshalled [(pattern, flags, args)] to stdout
_REGEX_WORKLOAD = """\
import _sre, marshal, re, sys
captured = {}
made = []
sre_compile = _sre.compile
def recording(pattern, flags, code, groups, groupindex, indexgroup):
    # as plain values (the opcodes are int subclasses), which marshal can write
    made.append((pattern, int(flags), [int(c) for c in code], int(groups), dict(groupindex),
                 tuple(indexgroup)))
    return sre_compile(pattern, flags, code, groups, groupindex, indexgroup)
_sre.compile = recording
compile_ = re._compile
def _compile(pattern, flags):
    key = (pattern, int(flags))
    if type(pattern) in (str, bytes) and key not in captured and not key[1] & re.DEBUG:
        made.clear()
        re._cache.pop((type(pattern), pattern, key[1]), None)
        result = compile_(pattern, flags)
        if made:
            captured[key] = made[-1]
        return result
    return compile_(pattern, flags)
re._compile = _compile
import importlib, io
from frontend import startup
startup.import_grpc()
startup.import_protobuf()
import frontend.cli.gateway, frontend.gateway.runtime, frontend.gateway.stdio
for name in frontend.cli.gateway.BUILD_MODULES:
    importlib.import_module(name)
import frontend.pb.gateway_pb2
from frontend.cli import main
for command in (["llb", "-f", sys.argv[1]], ["check", sys.argv[1]]):
    out, sys.stdout = sys.stdout, io.TextIOWrapper(io.BytesIO())
    try:
        main(command)
    finally:
        sys.stdout = out
key = lambda entry: (type(entry[0]) is bytes, entry[0], entry[1])
programs = sorted(((p, f, args) for (p, f), args in captured.items()), key=key)
sys.stdout.buffer.write(marshal.dumps(programs))
"""


# in the image (its arguments: packimport's directory and the pack): each expression
# compiled ahead, as re.compile gives it from the pack's program, is what re's own
# compiler makes of it (prints "ok N")
_REGEX_CHECK = """\
import marshal, sys
sys.path.insert(0, sys.argv[1])
import packimport
finder = packimport.install(sys.argv[2])
import re
from re import _compiler
assert re._compile.__module__ == "packimport", re._compile  # the pack's compiler
programs = marshal.loads(finder.data(packimport.REGEX_PROGRAMS))
for pattern, flags, _ in programs:
    ahead, fresh = re.compile(pattern, flags), _compiler.compile(pattern, flags)
    assert ahead is re.compile(pattern, flags), pattern  # made once
    got = (ahead.pattern, ahead.flags, ahead.groups, ahead.groupindex, repr(ahead))
    want = (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex, repr(fresh))
    assert got == want, (got, want)
print("ok", len(programs))
"""


def log(msg: str) -> None:
    sys.stderr.write(f"[assemble] {msg}\n")


# ---- what to ship ---------------------------------------------------------------------


def site_files(site: Path) -> Iterator[tuple[str, Path]]:
    """(path below SITE, file) of every file of SITE's packages that is shipped."""
    for top in sorted(site.iterdir()):
        if top.name.endswith(".dist-info") or top.name in ("bin", "__pycache__"):
            continue
        for path in sorted(_files(top)):
            rel = path.relative_to(site).as_posix()
            if not SKIP_FILES.search(rel):
                yield rel, path


def package_modules(site: Path) -> list[str]:
    """The names of the modules of SITE's packages that are shipped (``__main__`` aside:
    importing it runs the program)."""
    names = (_module_name(rel) for rel, _ in site_files(site))
    return sorted(n for n in names if n is not None and not n.endswith("__main__"))


def _files(top: Path) -> Iterator[Path]:
    if top.is_file():
        yield top
        return
    for root, dirs, files in os.walk(top, followlinks=True):
        dirs.sort()
        yield from (Path(root) / f for f in files)


def _module_name(rel: str) -> str | None:
    """``grpc/_cython/cygrpc.cpython-311-x86_64-linux-gnu.so`` -> ``grpc._cython.cygrpc``"""
    parts = rel.split("/")
    base = parts[-1]
    if base.endswith(".py"):
        stem = base[:-3]
    elif base.endswith(".so"):
        stem = base.split(".", 1)[0]
    else:
        return None
    parts[-1] = stem
    if stem == "__init__":
        parts.pop()
    if not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def namespace_packages(site: Path) -> Iterator[tuple[str, Path]]:
    """(name, directory) of the namespace packages below SITE (``google``, ``google._upb``):
    directories of modules with no ``__init__.py``."""
    for rel, _ in site_files(site):
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            pkg = site.joinpath(*parts[:i])
            if all(p.isidentifier() for p in parts[:i]) and not (pkg / "__init__.py").exists():
                yield ".".join(parts[:i]), pkg


def stdlib_dirs() -> tuple[Path, Path]:
    """The interpreter's stdlib directory and its lib-dynload directory."""
    stdlib = Path(os.path.dirname(os.__file__))
    dynload = next((Path(p) for p in sys.path if p.endswith("lib-dynload")), stdlib / "lib-dynload")
    return stdlib, dynload


def is_stdlib(path: Path, stdlib: Path) -> bool:
    return path.is_relative_to(stdlib) and not any(
        p in ("site-packages", "dist-packages") for p in path.relative_to(stdlib).parts
    )


def stdlib_modules(site: Path, roots: Iterable[str]) -> dict[str, Path]:
    """The stdlib modules ROOTS can import: name -> source (.py) or extension (.so) file.

    First modulefinder's static closure of ROOTS and of ``encodings`` (codecs are looked
    up by name), function-level imports included, ``EXCLUDED`` not followed. Then a
    fresh interpreter with SITE on its path and ``EXCLUDED`` missing, as in the image,
    imports them all: what it loads besides is added (native modules import from C;
    the start-up modules; hashlib's fallback hashes), the modules that fail to import
    are left out (``encodings.mbcs``: Windows only; ``encodings.bz2_codec``: bz2 is
    excluded). Builtin modules have no file and need none.
    """
    stdlib, dynload = stdlib_dirs()
    encodings = [
        "encodings" if p.stem == "__init__" else f"encodings.{p.stem}"
        for p in sorted((stdlib / "encodings").glob("*.py"))
    ]
    roots = sorted({*roots, *encodings})
    finder = ModuleFinder(path=[str(site), str(stdlib), str(dynload)], excludes=list(EXCLUDED))
    for name, path in namespace_packages(site):  # modulefinder cannot find them
        setattr(finder.add_module(name), "__path__", [str(path)])  # noqa: B010 (untyped)
    for name in roots:
        try:
            finder.import_hook(name)
        except (ImportError, SyntaxError, AttributeError) as e:  # reported again below
            log(f"modulefinder: {name}: {e}")
    found = _stdlib_files({n: getattr(m, "__file__", None) for n, m in finder.modules.items()})
    failed, loaded = import_all([*roots, *found], _env(site))
    files = {**found, **_stdlib_files(loaded)}
    for name, error in sorted(failed.items()):
        log(f"{'left out' if name in files else 'cannot import'} {name}: {error}")
    return {n: p for n, p in sorted(files.items()) if n not in failed}


def _stdlib_files(files: dict[str, str | None]) -> dict[str, Path]:
    """The stdlib modules among FILES that have a file (.py or .so), ``EXCLUDED`` cut."""
    stdlib, _ = stdlib_dirs()
    out = {}
    for name, file in files.items():
        if file is not None and not _excluded(name) and not name.endswith("__main__"):
            path = Path(file)
            if is_stdlib(path, stdlib) and path.suffix in (".py", ".so"):
                out[name] = path
    return out


def _excluded(name: str) -> bool:
    return any(name == x or name.startswith(x + ".") for x in EXCLUDED)


def _env(site: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}


def import_all(
    names: Iterable[str], env: dict[str, str], chroot: Path | None = None
) -> tuple[dict[str, str], dict[str, str | None]]:
    """Import NAMES in a fresh interpreter (in CHROOT if given), ``EXCLUDED`` missing: the
    modules that failed (name -> error) and every module then loaded (name -> file, None
    if builtin)."""

    def enter() -> None:
        if chroot is not None:
            os.chroot(chroot)
            os.chdir("/")

    request = {"names": sorted(set(names)), "blocked": sorted(EXCLUDED)}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        env=env,
        preexec_fn=enter,
    )
    if done.returncode != 0:
        raise SystemExit(f"assemble: importing the modules failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    return result["failed"], result["loaded"]


# ---- ELF: the loader, the libraries, symbols ----------------------------------------------


def elf_interpreter(path: Path) -> str | None:
    """The PT_INTERP path of a 64-bit little-endian ELF executable (None: not one)."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return None
        phoff, phentsize, phnum = (
            struct.unpack_from("<Q", head, 32)[0],
            *struct.unpack_from("<HH", head, 54),
        )
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type == 3:  # PT_INTERP
                f.seek(p_offset)
                return f.read(p_filesz).rstrip(b"\0").decode()
    return None


def has_symtab(path: Path) -> bool:
    """Whether a 64-bit little-endian ELF file still has a symbol table (not stripped)."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return False
        shoff = struct.unpack_from("<Q", head, 40)[0]
        shentsize, shnum = struct.unpack_from("<HH", head, 58)
        for i in range(shnum):
            f.seek(shoff + i * shentsize + 4)
            if struct.unpack("<I", f.read(4))[0] == 2:  # SHT_SYMTAB
                return True
    return False


_LDD_LINE = re.compile(r"^\s*(?:\S+ => )?(/\S+) \(0x[0-9a-f]+\)$")


def needed_libraries(loader: str, elves: Iterable[Path]) -> set[str]:
    """Every shared library (path as the loader resolves it) the ELF files load, the
    loader included: ``LOADER --list FILE``, which is what ``ldd`` runs."""
    libs = {loader}
    for elf in elves:
        done = subprocess.run(
            [loader, "--list", str(elf)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or "not found" in done.stdout:
            raise SystemExit(f"assemble: {elf}: {done.stdout}{done.stderr}")
        libs.update(m.group(1) for m in map(_LDD_LINE.match, done.stdout.splitlines()) if m)
    return libs


# ---- copying -----------------------------------------------------------------------------


@dataclass
class Tree:
    """The root file system being assembled at ``out``, with its byte count per part and
    the module pack's entries (``packimport.write_pack``'s: name, kind, path, code)."""

    out: Path
    sizes: dict[str, int]
    pack: list[tuple[str, int, str, bytes]] = field(default_factory=list)

    def place(self, path: str) -> Path:
        """Recreate under OUT every symlink on PATH's way; return its real path here."""
        parts = Path(os.path.normpath(path)).parts[1:]
        cur = Path("/")
        for i, part in enumerate(parts):
            nxt = cur / part
            if nxt.is_symlink():
                target = os.readlink(nxt)
                link = self.out / nxt.relative_to("/")
                if not link.is_symlink():
                    link.parent.mkdir(parents=True, exist_ok=True)
                    link.symlink_to(target)
                rest = os.path.normpath(os.path.join(cur, target, *parts[i + 1 :]))
                return self.place(rest)
            cur = nxt
        return cur

    def _dest(self, real: Path, part: str) -> Path | None:
        dest = self.out / real.relative_to("/")
        if dest.exists():
            return None
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def copy(self, path: str | Path, part: str, module: str | None = None) -> Path:
        """Copy the file at PATH to the same path under OUT (symlinks kept); a native
        MODULE goes into the pack's index by that path."""
        real = self.place(str(path))
        dest = self._dest(real, part)
        if dest is not None:
            shutil.copy2(real, dest)
            if has_symtab(dest):  # (python:3.11-slim has no binutils: then as it is)
                if shutil.which("strip"):
                    subprocess.run(["strip", "--strip-unneeded", str(dest)], check=True)
                else:
                    log(f"not stripped (no strip here): {real}")
            self.sizes[part] = self.sizes.get(part, 0) + dest.stat().st_size
            if module is not None:
                self.pack.append((module, packimport.EXTENSION, str(real), b""))
        return real

    def compile(self, source: Path, part: str, module: str | None = None) -> None:
        """SOURCE.py's code, named SOURCE in tracebacks: into the pack as MODULE when
        given (its ``__file__`` the .pyc path it would have), else to OUT/SOURCE.pyc,
        sourceless, unchecked hash."""
        # the .pyc goes where the module is found: next to SOURCE, even if SOURCE is a link
        where = self.place(str(source.parent)) / (source.stem + ".pyc")
        if module is not None and not _unpacked(module):
            if any(entry[0] == module for entry in self.pack):
                return
            code = compile(source.read_bytes(), str(source), "exec", dont_inherit=True)
            data = marshal.dumps(code)
            kind = packimport.PACKAGE if source.stem == "__init__" else packimport.MODULE
            self.pack.append((module, kind, str(where), data))
            self.sizes[part] = self.sizes.get(part, 0) + len(data)
            return
        dest = self._dest(where, part)
        if dest is not None:
            py_compile.compile(
                str(source),
                cfile=str(dest),
                dfile=str(source),
                doraise=True,
                optimize=0,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            self.sizes[part] = self.sizes.get(part, 0) + dest.stat().st_size

    def ship(self, path: Path, part: str, module: str | None = None) -> None:
        if path.suffix == ".py":
            self.compile(path, part, module)
        else:
            self.copy(path, part, module if path.suffix == ".so" else None)


# modules that stay files: what the interpreter imports before it runs the launcher,
# which installs the pack (the codecs, looked up by name at any time, with them), and
# os, whose file is the landmark by which the interpreter finds its stdlib (else it
# warns "Could not find platform independent libraries" at every start)
UNPACKED = ("encodings", "os")


def _unpacked(module: str) -> bool:
    return any(module == x or module.startswith(x + ".") for x in UNPACKED)


def _part(rel: str) -> str:
    """The part of the image a file below SITE counts in (typing_extensions: grpcio's)."""
    top = rel.split("/", 1)[0].removesuffix(".py")
    return {"google": "protobuf", "frontend": "ours", "typing_extensions": "grpc"}.get(top, top)


@dataclass(frozen=True)
class Assembled:
    sizes: dict[str, int]  # bytes shipped per part
    modules: list[str]  # the modules shipped (``__main__`` aside)
    pack: str  # the module pack's path in the image


def assemble(site: Path, bin_dir: Path, out: Path) -> Assembled:
    """Fill OUT with what the frontend runs (see the module docstring)."""
    tree = Tree(out, {})
    # SITE's packages: modules into the pack, native modules and data files as they are
    for rel, path in site_files(site):
        tree.ship(path, _part(rel), _module_name(rel))
    for name, directory in namespace_packages(site):
        if not any(entry[0] == name for entry in tree.pack):
            tree.pack.append((name, packimport.NAMESPACE, str(directory), b""))
    shipped = package_modules(site)
    stdlib = stdlib_modules(site, shipped)
    for name, path in stdlib.items():
        tree.ship(path, "stdlib", name)
    packed = {entry[0] for entry in tree.pack}
    for name in sorted({*EXCLUDED, *PROBED}):
        if name not in packed:  # what the image leaves out is absent, without a search
            tree.pack.append((name, packimport.ABSENT, "", b""))
    programs = regex_programs(site)
    tree.pack.append((packimport.REGEX_PROGRAMS, packimport.DATA, "", programs))
    _, dynload = stdlib_dirs()
    (out / dynload.relative_to("/")).mkdir(parents=True, exist_ok=True)  # getpath's landmark
    # the pack, its importer and the launchers that install it; their #! interpreter
    pack = bin_dir.parent / PACK_NAME
    size = packimport.write_pack(str(out / pack.relative_to("/")), tree.pack)
    tree.sizes["pack index"] = size - sum(len(entry[3]) for entry in tree.pack)
    # packimport and a sitecustomize that installs the pack go into SITE, as files: the
    # launchers import the one (with -S), python3 run in the image any other way (a
    # derived image's script) gets the other from site
    with tempfile.TemporaryDirectory() as tmp:
        customize = Path(tmp) / "sitecustomize.py"
        customize.write_text(SITECUSTOMIZE.format(pack=str(pack)))
        for source in (Path(packimport.__file__), customize):
            compiled = out / site.relative_to("/") / (source.stem + ".pyc")
            compiled.parent.mkdir(parents=True, exist_ok=True)
            py_compile.compile(
                str(source),
                cfile=str(compiled),
                dfile=str(site / source.name),
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            )
            tree.sizes["ours"] = tree.sizes.get("ours", 0) + compiled.stat().st_size
    interpreters = {sys.executable}
    for launcher in sorted(bin_dir.iterdir()):
        dest = out / launcher.relative_to("/")
        interpreters.add(write_launcher(launcher, dest, site, pack))
        tree.sizes["ours"] = tree.sizes.get("ours", 0) + dest.stat().st_size
    elves = [tree.copy(p, "interpreter+libs") for p in sorted(interpreters)]
    loader = elf_interpreter(elves[0])
    if loader is None:
        raise SystemExit(f"assemble: {elves[0]} is not a dynamically linked ELF executable")
    elves += [p for p in _files(out) if p.suffix == ".so" and not p.is_symlink()]
    for lib in sorted(needed_libraries(loader, elves)):
        tree.copy(lib, "interpreter+libs")
    if os.path.isfile("/etc/ld.so.cache"):
        tree.copy("/etc/ld.so.cache", "interpreter+libs")
    (out / "tmp").mkdir(exist_ok=True)
    (out / "tmp").chmod(0o1777)
    modules = [*shipped, *stdlib]
    return Assembled(tree.sizes, modules, str(pack))


def regex_programs(site: Path) -> bytes:
    """The marshalled programs of the regular expressions a build compiles (see
    ``_REGEX_WORKLOAD``), compiled by this interpreter, the image's."""
    with tempfile.TemporaryDirectory() as tmp:
        dockerfile = Path(tmp) / "Dockerfile"
        dockerfile.write_bytes(REGEX_DOCKERFILE)
        done = subprocess.run(
            [sys.executable, "-c", _REGEX_WORKLOAD, str(dockerfile)],
            capture_output=True,
            check=False,
            env=_env(site),
        )
    if done.returncode != 0:
        raise SystemExit(f"assemble: recording the regular expressions failed:\n{done.stderr!r}")
    log(f"regular expressions compiled ahead: {len(marshal.loads(done.stdout))}")
    return done.stdout


# the module pack, beside the launchers' directory (/opt/pyfrontend/modules.pack)
PACK_NAME = "modules.pack"
# SITE/sitecustomize.py: what site imports last when python3 starts without -S
SITECUSTOMIZE = """\
\"\"\"The image's python3 imports from the module pack (written by image/assemble.py).\"\"\"

import packimport

packimport.install({pack!r})
"""
# a console script's call (pip writes "from frontend.cli import run" ... "run()")
_ENTRY = re.compile(r"^from ([\w.]+) import (\w+)$", re.MULTILINE)


def write_launcher(script: Path, dest: Path, site: Path, pack: Path) -> str:
    """DEST: the console script SCRIPT as the image runs it: its interpreter with ``-S``
    (``site`` finds nothing the pack has not), packimport (from SITE, in the place of
    the script's own directory on the path, which holds no module) installed, then its
    entry point called. Returns the interpreter."""
    text = script.read_text()
    first, _, _ = text.partition("\n")
    entry = _ENTRY.search(text)
    if not first.startswith("#!") or entry is None:
        raise SystemExit(f"assemble: {script} is not a console script (#! and from X import Y)")
    interpreter = first[2:].split()[0]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(
        f"#!{interpreter} -S\n"
        "import sys\n"
        f"sys.path[0] = {str(site)!r}\n"
        "import packimport\n"
        f"packimport.run({str(pack)!r}, {entry.group(1)!r}, {entry.group(2)!r})\n"
    )
    dest.chmod(0o755)
    return interpreter


# ---- the check ---------------------------------------------------------------------------


def check(out: Path, site: Path, done: Assembled, launcher: str, env: dict[str, str]) -> None:
    """Run the assembled tree in a chroot: every shipped module that imports here imports
    there (some only import on Windows), from the pack (installed by sitecustomize, as
    for any python3 run in the image), and every sub-command works."""
    modules = done.modules
    failed_here, _ = import_all(modules, _env(site))
    failed_there, loaded = import_all(modules, env, chroot=out)
    pack = (str(site), done.pack)
    failed = [f"import {n}: {e}" for n, e in sorted(failed_there.items()) if n not in failed_here]

    def enter() -> None:
        os.chroot(out)
        os.chdir("/")

    commands = [
        ["--version"],
        ["parse", "-"],
        ["parse", "-", "--json"],
        ["llb", "-f", "-"],
        ["llb", "-", "--dump", "--target", "build"],
        ["check", "-"],
        ["check", "-", "--format", "json"],
        ["outline", "-"],
        ["targets", "-", "--format", "json"],
        ["graph", "-", "--format", "mermaid"],
    ]
    for args in commands:
        run = subprocess.run(
            [launcher, *args],
            input=CHECK_DOCKERFILE,
            capture_output=True,
            check=False,
            preexec_fn=enter,
            env=env,
        )
        if run.returncode != 0 or (not run.stdout and args[0] != "--version"):
            failed.append(f"pyfrontend {' '.join(args)}: exit {run.returncode}: {run.stderr!r}")
        elif args[0] == "parse" and run.stderr:  # the interpreter says nothing either
            failed.append(f"pyfrontend {' '.join(args)} wrote to stderr: {run.stderr!r}")
    # nothing searched for on the path: every module loaded came from the pack (or is
    # built in, frozen, or loaded before the launcher runs)
    from_files = [
        n
        for n, file in sorted(loaded.items())
        if file and file.endswith(".pyc") and (out / file.lstrip("/")).exists()
    ]
    failed += [
        f"{n} was loaded from its file, not the pack"
        for n in from_files
        if not _unpacked(n) and n not in ("packimport", "sitecustomize")
    ]
    # the regular expressions compiled ahead are those re's compiler makes there
    same = subprocess.run(
        [sys.executable, "-S", "-c", _REGEX_CHECK, *pack],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=enter,
        env=env,
    )
    if same.returncode != 0 or not same.stdout.startswith("ok "):
        failed.append(f"regular expressions compiled ahead: {same.stdout}{same.stderr}")
    if failed:
        raise SystemExit("assemble: the check failed:\n  " + "\n  ".join(failed))
    imported = len(modules) - len(failed_there)
    log(f"check: {imported} modules import, {len(commands)} commands ran")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, required=True, help="pip install --target directory")
    p.add_argument("--bin", type=Path, required=True, help="the launchers' directory")
    p.add_argument("--out", type=Path, required=True, help="the root file system to fill")
    p.add_argument("--check", action="store_true", help="then run it in a chroot (root only)")
    args = p.parse_args(argv)
    site, out = args.site.absolute(), args.out.absolute()
    bin_dir = args.bin.absolute()
    done = assemble(site, bin_dir, out)
    for part, size in sorted(done.sizes.items()):
        log(f"{part}: {size / 1e6:.2f} MB")
    log(f"total: {sum(done.sizes.values()) / 1e6:.2f} MB in {out}")
    if args.check:
        env = {  # the image's (the Dockerfile's ENV)
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "PYTHONPATH": str(site),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        check(out, site, done, str(bin_dir / "pyfrontend"), env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
