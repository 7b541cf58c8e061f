"""The digest list of ``pyfrontend llb`` over every fixture Dockerfile.

One line per (Dockerfile, variant): the sha256 of the marshalled definition, or the
located error ``pyfrontend llb`` reports. Variants: no options, ``--platform
linux/arm64``, ``--no-cache``, every named stage as ``--target`` and one set of build
args covering the names the fixtures declare. Refactors must leave the list unchanged;
a change of the emitted LLB changes it on purpose.

Regenerate: ``.venv/bin/python tests/golden/llb_digests.py > tests/golden/llb-digests.txt``
Check: ``.venv/bin/python tests/golden/llb_digests.py --check`` (also a unit test).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
FIXTURES = TOP / "tests" / "fixtures"
GOLDEN = Path(__file__).with_name("llb-digests.txt")
BUILD_ARGS = (
    "A=cli-a",
    "B=cli-b",
    "TAG=latest",
    "UNUSED_GLOBAL=from-cli",
    "HTTP_PROXY=http://proxy.invalid:3128",
    "https_proxy=http://secure.invalid:3129",
    'MSG=spaces and $dollar "q"',
    "VERSION=2.0",
    "IMAGE=busybox",
    "SOURCE_DATE_EPOCH=1700000000",
    "BUILDKIT_CACHE_MOUNT_NS=parity-ns",
)
_STAGE = re.compile(r"^\s*FROM\s.*\sAS\s+(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def dockerfiles() -> list[Path]:
    found = (p for p in FIXTURES.rglob("*") if p.is_file() and "Dockerfile" in p.name)
    return sorted(p for p in found if not p.name.endswith(".dockerignore"))


def variants(path: Path) -> Iterator[tuple[str, ...]]:
    yield ()
    yield ("--platform", "linux/arm64")
    yield ("--no-cache",)
    for name in sorted(set(_STAGE.findall(path.read_text(errors="replace")))):
        yield ("--target", name)
    args: list[str] = []
    for item in BUILD_ARGS:
        args += ["--build-arg", item]
    yield tuple(args)


def run(argv: list[str]) -> str:
    from frontend.cli import llb

    out = io.BytesIO()
    err = io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
        rc = llb.main(argv)
        stdout.flush()
    if rc != 0:
        return f"exit {rc}: " + err.getvalue().strip().replace(str(TOP) + "/", "")
    return hashlib.sha256(out.getvalue()).hexdigest()


def lines() -> list[str]:
    rows = []
    for path in dockerfiles():
        rel = path.relative_to(TOP)
        for variant in variants(path):
            result = run(["-f", str(path), *variant])
            shown = " ".join(variant) if len(variant) <= 2 else "--build-arg (all)"
            rows.append(f"{rel} [{shown}] {result}")
    return rows


def main() -> int:
    got = lines()
    if sys.argv[1:] == ["--check"]:
        want = GOLDEN.read_text().splitlines()
        diff = [f"- {w}\n+ {g}" for w, g in zip(want, got, strict=False) if w != g]
        if diff or len(want) != len(got):
            print("\n".join(diff) or "line count differs", file=sys.stderr)
            return 1
        return 0
    print("\n".join(got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
