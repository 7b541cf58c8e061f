"""The image's module pack: the modules the frontend imports, found and read as one file.

Owned step: none (the image's start-up, beside ``image/assemble.py``, which writes the
pack, the launcher that installs it and a ``sitecustomize`` that does for any other
``python3`` run in the image; issue 12's start-up budget). Python finds a
module by asking each ``sys.path`` entry (a ``stat`` of the directory, a listing when
it changed), then opens, reads and closes its ``.pyc``: for the ~170 modules a build
imports, 10 ms finding and 7 ms reading of a ~120 ms frontend process on the 2-core
test machine, as instrumented (the ``marshal`` of the code that follows stays); with
the pack, a poster.big build's process against the fake daemon in the image's root
took 85.7 ms of CPU where it took 92.2 (25 interleaved runs). The pack holds
their code (the stdlib's, grpcio's, protobuf's, ours) behind one index;
:class:`PackFinder`, on ``sys.meta_path`` before Python's path finder, answers from
the index and reads a module's code with one ``pread``. Native modules are in the
index by path (loaded by Python's own loader), so nothing the frontend imports is
searched for; a name the pack does not know goes on to the path finder, as before.

A pack (:func:`write_pack`)::

    b"pyfpack1", Python's 4-byte bytecode magic, the index's length (8 bytes, little)
    the index: marshal of {name: (kind, offset, size, path)}
    each module's code (marshal of its code object) at its offset (from the index's end)

and, as a :data:`DATA` entry (:data:`REGEX_PROGRAMS`), the programs of the regular
expressions a build compiles, which ``re`` then takes ready-made
(:func:`regex_compiler`).

``kind``: :data:`MODULE`, :data:`PACKAGE` (``path``'s directory is its ``__path__``,
where its data files and native submodules are), :data:`EXTENSION` (a native module
at ``path``), :data:`NAMESPACE` (a namespace package, ``path`` its directory) or
:data:`ABSENT` (not in the image: what is left out on purpose, and the optional
modules the libraries try, raise ``ModuleNotFoundError`` at once rather than after a
search of the path), which have no code (``offset``, ``size`` 0), or :data:`DATA`
(bytes that are no module). ``path`` is the module's ``__file__``. A pack of another
Python's bytecode is refused (:class:`PackError`).

Imports only what the interpreter loads before any script runs (``-S`` included): no
``__future__`` either (it is in the pack), so the annotations that name other modules'
types are strings.
"""

import _frozen_importlib as _bootstrap
import _frozen_importlib_external as _external
import marshal
import os
import sys

TYPE_CHECKING = False  # typing itself costs 5-10 ms of start-up here
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import CodeType, ModuleType
    from typing import Any

__all__ = [
    "ABSENT",
    "DATA",
    "EXTENSION",
    "MODULE",
    "NAMESPACE",
    "PACKAGE",
    "REGEX_PROGRAMS",
    "PackError",
    "PackFinder",
    "install",
    "regex_compiler",
    "run",
    "write_pack",
]

MODULE, PACKAGE, EXTENSION, NAMESPACE, ABSENT, DATA = 0, 1, 2, 3, 4, 5
# the DATA entry of the regular expressions' compiled programs (not a module name)
REGEX_PROGRAMS = "re:programs"
_MAGIC = b"pyfpack1"
_HEADER = len(_MAGIC) + 4 + 8


class PackError(ImportError):
    """The pack cannot be used: missing, damaged or of another Python."""


class PackFinder:
    """Finds and loads the modules of one pack (a meta path finder and their loader)."""

    def __init__(self, path: str) -> None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as exc:
            raise PackError(f"module pack {path}: {exc.strerror}") from None
        header = os.pread(fd, _HEADER, 0)
        if len(header) != _HEADER or not header.startswith(_MAGIC):
            os.close(fd)
            raise PackError(f"module pack {path}: not a module pack")
        if header[8:12] != _external.MAGIC_NUMBER:
            os.close(fd)
            raise PackError(f"module pack {path}: made for another Python's bytecode")
        size = int.from_bytes(header[12:], "little")
        self.index: dict[str, tuple[int, int, int, str]] = marshal.loads(
            os.pread(fd, size, _HEADER)
        )
        self.path = path
        self._fd = fd
        self._code_at = _HEADER + size  # where the offsets count from

    # -- finder ---------------------------------------------------------------------

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> "_bootstrap.ModuleSpec | None":
        entry = self.index.get(fullname)
        if entry is None:
            return None
        kind, _, _, origin = entry
        if kind == ABSENT:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        if kind == NAMESPACE:  # Python's namespace loader, as its path finder does
            spec = _bootstrap.ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = [origin]
            return spec
        if kind == EXTENSION:
            loader = _external.ExtensionFileLoader(fullname, origin)
            spec = _bootstrap.ModuleSpec(fullname, loader, origin=origin)
        else:
            spec = _bootstrap.ModuleSpec(
                fullname,
                self,  # type: ignore[arg-type]  # a loader (importlib.abc is in the pack)
                origin=origin,
                is_package=kind == PACKAGE,
            )
            if kind == PACKAGE:
                spec.submodule_search_locations = [origin.rpartition("/")[0]]
        spec.has_location = True
        return spec

    def invalidate_caches(self) -> None:
        """Nothing cached but the index, which does not change."""

    # -- loader ---------------------------------------------------------------------

    def create_module(self, spec: "_bootstrap.ModuleSpec") -> None:
        return None  # the default module

    def exec_module(self, module: "ModuleType") -> None:
        exec(self.get_code(module.__name__), module.__dict__)
        if module.__name__ == "re" and REGEX_PROGRAMS in self.index:
            programs = marshal.loads(self.data(REGEX_PROGRAMS))
            module._compile = regex_compiler(module._compile, programs)  # type: ignore[attr-defined]

    def get_code(self, fullname: str) -> "CodeType":
        _, offset, size, _ = self._entry(fullname)
        code: CodeType = marshal.loads(os.pread(self._fd, size, self._code_at + offset))
        return code

    def data(self, name: str) -> bytes:
        """The bytes of the :data:`DATA` entry ``name``."""
        kind, offset, size, _ = self.index[name]
        if kind != DATA:
            raise KeyError(f"{name} is no data entry of the module pack")
        return os.pread(self._fd, size, self._code_at + offset)

    def get_source(self, fullname: str) -> None:
        self._entry(fullname)
        return None  # the image ships no sources

    def is_package(self, fullname: str) -> bool:
        return self._entry(fullname)[0] == PACKAGE

    def get_filename(self, fullname: str) -> str:
        return self._entry(fullname)[3]

    def _entry(self, fullname: str) -> tuple[int, int, int, str]:
        entry = self.index.get(fullname)
        if entry is None or entry[0] in (EXTENSION, NAMESPACE, ABSENT, DATA):
            raise ImportError(f"{fullname} is not in the module pack", name=fullname)
        return entry


def regex_compiler(
    compile_: "Callable[[Any, Any], Any]", programs: "list[tuple[Any, int, tuple[Any, ...]]]"
) -> "Callable[[Any, Any], Any]":
    """``re._compile`` that takes the programs compiled when the image was made:
    ``programs`` holds (pattern, flags, the arguments ``re``'s compiler gave
    ``_sre.compile`` for them) for the expressions a build compiles. Such a pattern is
    made by ``_sre.compile`` at once (once: kept here), without ``re``'s parser and
    compiler (pure Python: 6.3 ms for the 31 the gateway's modules compiled, in the
    venv here); any other goes
    to ``compile_``, ``re``'s own. The image's interpreter both made and runs them."""
    import _sre  # type: ignore[import-not-found]  # re's native half, untyped

    waiting = {(pattern, flags): args for pattern, flags, args in programs}
    made: dict[tuple[Any, int], Any] = {}

    def _compile(pattern: "Any", flags: "Any") -> "Any":
        if type(pattern) in (str, bytes):
            key = (pattern, int(flags))
            hit = made.get(key)
            if hit is not None:
                return hit
            args = waiting.get(key)
            if args is not None:
                hit = made[key] = _sre.compile(*args)
                return hit
        return compile_(pattern, flags)

    return _compile


def install(path: str) -> PackFinder:
    """Put a :class:`PackFinder` of the pack at ``path`` on ``sys.meta_path``, before
    Python's path finder (after the built-in and frozen importers)."""
    finder = PackFinder(path)
    where = len(sys.meta_path)
    for i, entry in enumerate(sys.meta_path):
        if entry is _external.PathFinder:
            where = i
            break
    sys.meta_path.insert(where, finder)
    return finder


def run(pack: str, module: str, function: str) -> None:
    """The launcher's body: install ``pack``, then exit with what ``module.function()``
    returns (as a console script does)."""
    install(pack)
    sys.exit(getattr(__import__(module, fromlist=[function]), function)())


def write_pack(
    path: str, modules: "Iterable[tuple[str, int, str, bytes]]", magic: bytes | None = None
) -> int:
    """Write a pack of ``modules`` (name, kind, ``__file__``, marshalled code: empty for
    an extension) to ``path``, for the bytecode ``magic`` (this Python's by default);
    returns its size."""
    entries = sorted(modules)
    index: dict[str, tuple[int, int, int, str]] = {}
    offset = 0  # from the index's end: the index's own size does not move them
    for name, kind, origin, code in entries:
        index[name] = (kind, offset if code else 0, len(code), origin)
        offset += len(code)
    blob = marshal.dumps(index)
    header = _MAGIC + (magic or _external.MAGIC_NUMBER) + len(blob).to_bytes(8, "little")
    with open(path, "wb") as f:
        f.write(header)
        f.write(blob)
        for _, _, _, code in entries:
            f.write(code)
    return _HEADER + len(blob) + sum(len(code) for *_, code in entries)
