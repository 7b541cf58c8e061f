"""Importing grpcio and protobuf without the parts a build never runs.

Owned step: none (start-up, a leaf utility like :mod:`frontend.records`; the start-up
budget of issue 12). Both libraries import, at module level and unconditionally,
code for another way of using them:

* ``import grpc`` (grpcio 1.x) imports ``asyncio`` and ``inspect`` (its native module
  ``cygrpc`` does, without touching them) and the whole ``grpc.aio`` package
  (``grpc/__init__`` ends with ``from grpc import aio``): about 55 of its 100 ms here,
  for the asyncio API, which the frontend, a synchronous client of one channel, never
  calls;
* grpcio's modules make their loggers as they load (``logging.getLogger(__name__)``,
  and cygrpc imports ``traceback`` for its error reports): ``logging`` with
  ``traceback``, ``linecache``, ``tokenize``, ``textwrap`` and ``string``, 4 ms here,
  for messages a build that goes well never writes (:class:`DeferredLogging`);
* ``google.protobuf.descriptor_pool`` and ``internal.builder`` import the pure-Python
  message implementation (``internal.python_message``, with ``text_format``,
  ``decoder``, ``pickle``...): 20 ms for code the upb backend does not run.

:func:`import_deferring` imports a module with a :class:`Deferred` stand-in in
``sys.modules`` for each of those while it loads, then takes the stand-ins out again,
so they live on only where the library kept a reference. A stand-in is transparent:
the first attribute anybody reads of it (``cygrpc`` calling into asyncio,
``grpc.aio.insecure_channel``, ``import asyncio.events``, the pure-Python protobuf
backend chosen by ``PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python``) imports the real
module and makes the stand-in its alias: nothing can fail by it, only be slower.
``tests/unit/test_startup.py`` guards both halves: a build against the fake daemon
loads none of :data:`UNUSED`, and every stand-in still works when used.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Iterable
from typing import Any

__all__ = [
    "UNUSED",
    "Deferred",
    "DeferredLogging",
    "LazyLogger",
    "import_deferring",
    "import_grpc",
    "import_protobuf",
]

# what importing a library imports that the frontend does not run, by library
UNUSED: dict[str, tuple[str, ...]] = {
    # traceback (with linecache, tokenize, textwrap): cygrpc's, for its error reports;
    # pkgutil: cygrpc's, for the TLS roots it reads
    "grpc": ("asyncio", "grpc.aio", "inspect", "traceback", "pkgutil"),
    # calendar (and locale): the well-known types' Timestamp methods, which we never call
    "protobuf": ("google.protobuf.internal.python_message", "calendar"),
}
# the protobuf modules the generated ``*_pb2`` modules import (the two that import
# python_message among them)
PROTOBUF_MODULES = (
    "google.protobuf.descriptor",
    "google.protobuf.descriptor_pool",
    "google.protobuf.runtime_version",
    "google.protobuf.symbol_database",
    "google.protobuf.internal.builder",
    # upb's message classes import it on the first class they make
    "google.protobuf.internal.well_known_types",
)


class Deferred(types.ModuleType):
    """A module not imported yet: the first missing attribute read imports it.

    The real module's namespace is then copied into this one, so the references held
    to the stand-in keep working, as aliases of the real module.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_deferred_lock"] = threading.Lock()

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr not in ("__path__", "__file__", "__all__"):
            # probes of dunders (copy, pickle, typing's introspection) must not import
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def _load(self) -> types.ModuleType:
        """The real module (imported now if not yet)."""
        with self.__dict__["_deferred_lock"]:
            real: types.ModuleType | None = self.__dict__.get("_deferred_real")
            if real is None:
                name = self.__name__
                if sys.modules.get(name) is self:
                    del sys.modules[name]
                real = importlib.import_module(name)
                self.__dict__.update(real.__dict__)
                self.__dict__["_deferred_real"] = real
        return real


class _NullHandler:
    """What ``logging.NullHandler()`` makes before ``logging`` is imported: only ever
    added to a :class:`LazyLogger` (grpc's), which adds a real one in its place."""


class LazyLogger:
    """``logging.getLogger(name)`` before ``logging`` is imported: the real logger is
    made (``logging`` imported) at the first use of anything but ``addHandler`` of a
    stand-in ``NullHandler``; then every attribute is the real logger's."""

    __slots__ = ("_logging", "_name", "_null_handlers", "_real")

    def __init__(self, logging: DeferredLogging, name: str | None) -> None:
        self._logging = logging
        self._name = name
        self._null_handlers = 0
        self._real: Any = None

    def addHandler(self, handler: object) -> None:
        if self._real is None and isinstance(handler, _NullHandler):
            self._null_handlers += 1
            self._logging.__dict__["_deferred_loggers"].append(self)
            return
        self._resolve().addHandler(handler)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._resolve(), attr)

    def _resolve(self) -> Any:
        real = self._real
        if real is None:
            logging = self._logging._load()
            real = logging.getLogger(self._name)
            for _ in range(self._null_handlers):
                real.addHandler(logging.NullHandler())
            self._real = real
        return real


class DeferredLogging(Deferred):
    """``logging``, not imported yet, but for what grpcio (and ``concurrent.futures``)
    call when they load: ``getLogger`` (a :class:`LazyLogger`) and ``NullHandler``.
    Anything else read of it imports the real module, as a :class:`Deferred` does.
    It stays in ``sys.modules`` (an ``import logging`` later gets it too): a build
    that logs nothing never imports ``logging`` (with ``traceback``, ``linecache``,
    ``tokenize``, ``textwrap``, ``string``: 4 ms here)."""

    def __init__(self) -> None:
        super().__init__("logging")
        self.__dict__["getLogger"] = self._get_logger
        self.__dict__["NullHandler"] = _NullHandler
        # the loggers given a NullHandler: made as soon as logging is (grpc's, whose
        # handler keeps its messages from logging's last-resort output)
        self.__dict__["_deferred_loggers"] = []

    def _get_logger(self, name: str | None = None) -> LazyLogger:
        return LazyLogger(self, name)

    def _load(self) -> types.ModuleType:
        real = super()._load()
        pending = self.__dict__["_deferred_loggers"]
        while pending:
            pending.pop()._resolve()
        return real


def import_deferring(names: Iterable[str], unused: Iterable[str]) -> list[types.ModuleType]:
    """Import ``names`` (each once) with ``unused`` standing in as :class:`Deferred`;
    the modules, in order. A name already imported is not imported again, and a
    module of ``unused`` already imported is used as it is."""
    stand_ins = [Deferred(name) for name in unused if name not in sys.modules]
    for module in stand_ins:
        sys.modules[module.__name__] = module
    try:
        return [importlib.import_module(name) for name in names]
    finally:
        for module in stand_ins:
            if sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]


def import_grpc() -> types.ModuleType:
    """``grpc``, without its asyncio API, and without ``logging`` until something logs
    (:class:`DeferredLogging`, left in ``sys.modules``, unless ``logging`` is loaded)."""
    loaded = sys.modules.get("grpc")
    if loaded is not None:
        return loaded
    if "logging" not in sys.modules:
        sys.modules["logging"] = DeferredLogging()
    return import_deferring(["grpc"], UNUSED["grpc"])[0]


def import_protobuf() -> None:
    """The protobuf runtime the generated modules use, without the pure-Python backend."""
    if "google.protobuf.internal.builder" not in sys.modules:
        import_deferring(PROTOBUF_MODULES, UNUSED["protobuf"])
