"""Helpers for the compiler unit tests: compile text, decode the Definition."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from frontend import llb
from frontend.compiler import CompileOptions, CompileResult, ResolvedImage, compile_dockerfile
from frontend.language import parse_dockerfile
from frontend.pb import ops_pb2

PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
AMD64 = llb.Platform("linux", "amd64")


@dataclass
class RecordingResolver:
    """An image resolver that records every request and answers from ``configs``
    (normalised ref -> config dict); unknown refs get an image with one layer."""

    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, ref: str, platform: llb.Platform, log_name: str) -> ResolvedImage:
        with self._lock:
            self.calls.append((ref, str(platform), log_name))
        cfg = self.configs.get(ref)
        if cfg is None:
            cfg = image_config()
        return ResolvedImage(ref, self.digests.get(ref, ""), json.dumps(cfg).encode())

    @property
    def refs(self) -> list[str]:
        return sorted(r for r, _, _ in self.calls)


def image_config(**config: Any) -> dict[str, Any]:
    """A base image config JSON object with one layer and the given ``config``."""
    return {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
        "history": [{"created_by": "base layer"}],
    }


@dataclass
class Compiled:
    """A compiled Dockerfile, decoded: ops in Definition order with names/metadata."""

    result: CompileResult
    definition: llb.Definition
    digests: list[str]
    ops: list[ops_pb2.Op]
    names: list[str]  # llb.customname per op ("" when none)

    @property
    def image(self) -> dict[str, Any]:
        return self.result.image.data

    @property
    def config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = self.result.image.data.get("config") or {}
        return cfg

    @property
    def history(self) -> list[str]:
        return [h["created_by"] for h in self.result.image.data.get("history") or []]

    def metadata(self, i: int) -> ops_pb2.OpMetadata:
        return self.definition.pb.metadata[self.digests[i]]

    def kinds(self) -> list[str]:
        return [op.WhichOneof("op") or "" for op in self.ops]

    def of_kind(self, kind: str) -> list[ops_pb2.Op]:
        return [op for op in self.ops if op.WhichOneof("op") == kind]

    def execs(self) -> list[ops_pb2.ExecOp]:
        return [op.exec for op in self.of_kind("exec")]

    def files(self) -> list[ops_pb2.FileOp]:
        return [op.file for op in self.of_kind("file")]

    def sources(self) -> list[ops_pb2.SourceOp]:
        return [op.source for op in self.of_kind("source")]

    def identifiers(self) -> list[str]:
        return [s.identifier for s in self.sources()]

    def index_named(self, name: str) -> int:
        """The op whose custom name is ``name`` (exact) or ends with ``] name``."""
        for i, n in enumerate(self.names):
            if n == name or n.endswith("] " + name):
                return i
        raise AssertionError(f"no op named {name!r} in {self.names!r}")

    def named(self, name: str) -> ops_pb2.Op:
        return self.ops[self.index_named(name)]

    def input_op(self, op: ops_pb2.Op, i: int) -> ops_pb2.Op:
        return self.ops[self.digests.index(op.inputs[i].digest)]

    def exec_by_cmd(self, fragment: str) -> ops_pb2.ExecOp:
        for e in self.execs():
            if fragment in e.meta.args[-1]:
                return e
        raise AssertionError(f"no exec running {fragment!r}")


def options(**kw: Any) -> CompileOptions:
    return CompileOptions(**kw)


def compile_text(
    text: str,
    resolver: Any = None,
    filename: str = "Dockerfile",
    **opts: Any,
) -> Compiled:
    df = parse_dockerfile(text, filename)
    kwargs: dict[str, Any] = {}
    if resolver is not None:
        kwargs["resolver"] = resolver
    result = compile_dockerfile(df, CompileOptions(**opts), **kwargs)
    definition = result.definition()
    ops = [ops_pb2.Op.FromString(b) for b in definition.ops]
    digests = [llb.digest_of(b) for b in definition.ops]  # the terminal op included
    meta = definition.pb.metadata
    names = [meta[d].description.get("llb.customname", "") if d in meta else "" for d in digests]
    return Compiled(result, definition, digests, ops, names)


def lines(*items: str) -> str:
    return "\n".join(items) + "\n"


def strings(values: Iterable[str]) -> list[str]:
    return list(values)
