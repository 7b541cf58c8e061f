#!/usr/bin/env python3
"""Generate ``frontend/pb`` from the flat ``protos/*.proto`` files (``make protos``).

Runs ``grpc_tools.protoc`` (``--python_out``, ``--pyi_out``, ``--grpc_python_out``) with
``protos/`` and grpc_tools' bundled well-known types on the include path, then rewrites
the flat imports protoc emits (``import ops_pb2 as ops__pb2``) into package imports
(``from frontend.pb import ops_pb2 as ops__pb2``). The output is a pure function of the
``.proto`` files and the grpcio-tools version, so a test can regenerate into a temporary
directory (``--out DIR``) and compare byte for byte with the committed files.

Owned step: protocol definitions -> generated Python modules.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "frontend" / "pb"
PACKAGE = "frontend.pb"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def proto_files(src: Path) -> list[Path]:
    return sorted(src.glob("*.proto"))


def rewrite_imports(text: str, modules: set[str]) -> str:
    """Turn protoc's flat imports of our own modules into ``frontend.pb`` imports."""

    def plain(m: re.Match[str]) -> str:
        if m.group(2) not in modules:
            return m.group(0)
        return f"{m.group(1)}from {PACKAGE} import {m.group(2)}{m.group(3)}"

    def dotted(m: re.Match[str]) -> str:
        if m.group(2) not in modules:
            return m.group(0)
        return f"{m.group(1)}from {PACKAGE}.{m.group(2)} import"

    text = re.sub(r"^(\s*)import (\w+)( as \w+)?$", plain, text, flags=re.MULTILINE)
    return re.sub(r"^(\s*)from (\w+) import", dotted, text, flags=re.MULTILINE)


def generate(src: Path, out: Path) -> list[Path]:
    """Generate modules for every ``src/*.proto`` into ``out``; return the files written."""
    import grpc_tools  # type: ignore[import-untyped]
    from grpc_tools import protoc

    protos = proto_files(src)
    if not protos:
        raise SystemExit(f"no .proto files in {src}")
    wkt = Path(grpc_tools.__file__).resolve().parent / "_proto"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        args = [
            "grpc_tools.protoc",
            f"-I{src}",
            f"-I{wkt}",
            f"--python_out={tmp}",
            f"--pyi_out={tmp}",
            f"--grpc_python_out={tmp}",
            *(p.name for p in protos),
        ]
        rc = protoc.main(args)
        if rc != 0:
            raise SystemExit(f"protoc failed with exit code {rc}")
        modules = {p.stem + "_pb2" for p in protos} | {p.stem + "_pb2_grpc" for p in protos}
        for old in out.iterdir():
            if old.name.endswith(GENERATED_SUFFIXES):
                old.unlink()
        services = {p.stem for p in protos if re.search(r"^service ", p.read_text(), re.M)}
        for gen in sorted(Path(tmp).iterdir()):
            if not gen.name.endswith(GENERATED_SUFFIXES):
                continue
            stem = gen.name.removesuffix("_pb2_grpc.py")
            if stem != gen.name and stem not in services:
                continue  # protoc writes an empty stub for files without a service
            text = rewrite_imports(gen.read_text(encoding="utf-8"), modules)
            dest = out / gen.name
            with open(dest, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            written.append(dest)
    init = out / "__init__.py"
    if not init.exists():
        shutil.copyfile(DEFAULT_OUT / "__init__.py", init)
        written.append(init)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=HERE, help="directory of .proto files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output package dir")
    ns = parser.parse_args(argv)
    files = generate(ns.src.resolve(), ns.out.resolve())
    print(f"generated {len(files)} files in {ns.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
