"""Golden LLB from the reference converter (dockerfile 1.26), and the check against it.

For every Dockerfile of the corpus (the project's fixtures and ``tests/golden/corpus``)
and each variant (no options, ``linux/arm64``, every named stage as the target),
``tests/golden/reference/<id>.txt`` holds what the reference's converter wrote:
one line ``<variant> OK <base64>`` with the definition's bytes, or ``<variant> ERROR
<message>`` when it refused the file. ``pyfrontend llb`` must write exactly those bytes.

The converter is ``d2l-offline`` (built by ``../shared/conformance/setup.sh``: the
reference's ``examples/dockerfile2llb`` with an offline resolver; every base image has
no digest and a config with one layer and nothing else), run as
``d2l-offline -sourcemap -local-unique= [-platform P] [-target T] < Dockerfile``. Go
writes the ``Definition``'s maps (metadata, source locations, caps) in random order, so
its bytes are stored re-serialised with sorted map keys: the op bytes (``def``, whose
digests are the cache keys) are the converter's own, metadata and source maps equal it
by value. pyfrontend writes that canonical form itself.

Intended differences (applied to both sides before comparing, each named):
- ``PROGRESS_GROUP_ID``: the reference gives each ``COPY --link`` a random progress
  group id (``identity.NewID()``); ours is derived from the step. Only the id is
  blanked; names and weak flags are compared.

Regenerate (needs the rig): ``.venv/bin/python tests/golden/reference_llb.py
--regenerate [--d2l /var/tmp/cf/bin/d2l-offline]``. Check: ``--check`` (also the unit
test ``tests/unit/test_reference_llb.py``), ``--diff ID`` prints the ops that differ.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]
if str(TOP) not in sys.path:
    sys.path.insert(0, str(TOP))

FIXTURES = TOP / "tests" / "fixtures"
CORPUS = Path(__file__).with_name("corpus")
GOLDEN = Path(__file__).with_name("reference")
D2L = os.environ.get("D2L_OFFLINE", "/var/tmp/cf/bin/d2l-offline")
_STAGE = re.compile(r"^\s*FROM\s.*\sAS\s+(\S+)\s*$", re.IGNORECASE | re.MULTILINE)

# what differs on purpose, by golden id: the variants skipped and why
INTENDED: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    platform: str = ""
    target: str = ""

    def d2l_args(self) -> list[str]:
        args = ["-sourcemap", "-local-unique="]
        if self.platform:
            args += ["-platform", self.platform]
        if self.target:
            args += ["-target", self.target]
        return args


def dockerfiles() -> list[Path]:
    found = [p for p in FIXTURES.rglob("*") if p.is_file() and "Dockerfile" in p.name]
    found += [p for p in CORPUS.glob("*") if p.is_file()] if CORPUS.is_dir() else []
    return sorted(p for p in found if not p.name.endswith(".dockerignore"))


def golden_id(path: Path) -> str:
    return str(path.relative_to(TOP / "tests")).replace("/", "__")


def variants(path: Path) -> Iterator[Variant]:
    yield Variant("default")
    yield Variant("arm64", platform="linux/arm64")
    text = path.read_text(errors="replace")
    for name in sorted({n.lower() for n in _STAGE.findall(text)}):
        yield Variant("target-" + name, target=name)


def canonical(data: bytes) -> bytes:
    from frontend.pb import ops_pb2

    d = ops_pb2.Definition.FromString(data)
    for md in d.metadata.values():
        if md.HasField("progress_group"):
            md.progress_group.id = "PROGRESS_GROUP_ID"
    out: bytes = d.SerializeToString(deterministic=True)
    return out


def reference(path: Path, v: Variant) -> tuple[bool, bytes | str]:
    done = subprocess.run(
        [D2L, *v.d2l_args()], input=path.read_bytes(), capture_output=True, check=False
    )
    if done.returncode != 0:
        msg = done.stderr.decode(errors="replace").strip().splitlines()
        text = msg[-1] if msg else f"exit {done.returncode}"
        m = re.search(r'msg="((?:[^"\\]|\\.)*)"', text)
        return False, (m.group(1) if m else text)
    from frontend.pb import ops_pb2

    d = ops_pb2.Definition.FromString(done.stdout)
    return True, d.SerializeToString(deterministic=True)


def ours(path: Path, v: Variant) -> tuple[bool, bytes | str]:
    """What ``pyfrontend llb -f - [--platform P] [--target T]`` writes (in-process)."""
    from frontend import llb
    from frontend.compiler import CompileOptions, compile_dockerfile
    from frontend.language import DockerfileError, parse_dockerfile

    platform = llb.Platform.parse(v.platform) if v.platform else llb.Platform("linux", "amd64")
    opts = CompileOptions(
        target=v.target,
        target_platform=platform,
        build_platform=platform,
        platform_explicit=bool(v.platform),
        llb_caps=llb.caps.ALL,
    )
    try:
        result = compile_dockerfile(parse_dockerfile(path.read_bytes(), "Dockerfile"), opts)
    except DockerfileError as e:
        loc = f"line {e.location.start_line}: " if e.location else ""
        return False, loc + e.message
    return True, result.definition().to_bytes()


def read_golden(gid: str) -> dict[str, tuple[bool, bytes | str]]:
    out: dict[str, tuple[bool, bytes | str]] = {}
    for line in (GOLDEN / f"{gid}.txt").read_text().splitlines():
        name, kind, rest = [*line.split(" ", 2), ""][:3]
        out[name] = (True, base64.b64decode(rest)) if kind == "OK" else (False, rest)
    return out


def regenerate() -> int:
    GOLDEN.mkdir(exist_ok=True)
    wanted = set()
    for path in dockerfiles():
        gid = golden_id(path)
        wanted.add(f"{gid}.txt")
        lines = []
        for v in variants(path):
            ok, res = reference(path, v)
            if ok:
                assert isinstance(res, bytes)
                lines.append(f"{v.name} OK {base64.b64encode(res).decode()}")
            else:
                lines.append(f"{v.name} ERROR {res}")
        (GOLDEN / f"{gid}.txt").write_text("\n".join(lines) + "\n")
    for stale in GOLDEN.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    return 0


def mismatches() -> Iterator[tuple[str, str, str]]:
    """(golden id, variant, what differs) for every variant pyfrontend gets wrong."""
    for path in dockerfiles():
        gid = golden_id(path)
        if gid in INTENDED:
            continue
        gold = read_golden(gid)
        for v in variants(path):
            if v.name not in gold:
                yield gid, v.name, "no golden entry (regenerate)"
                continue
            want_ok, want = gold[v.name]
            got_ok, got = ours(path, v)
            if want_ok and got_ok:
                assert isinstance(want, bytes) and isinstance(got, bytes)
                if canonical(want) != canonical(got):
                    yield gid, v.name, "definition differs"
            elif want_ok != got_ok:
                yield (
                    gid,
                    v.name,
                    f"reference {'built' if want_ok else 'refused'}: "
                    + ("" if want_ok else str(want))
                    + f" / pyfrontend {'built' if got_ok else 'refused'}: "
                    + ("" if got_ok else str(got)),
                )


def diff(gid: str) -> None:
    from google.protobuf import text_format

    from frontend.pb import ops_pb2

    path = next(p for p in dockerfiles() if golden_id(p) == gid)
    gold = read_golden(gid)
    for v in variants(path):
        want_ok, want = gold[v.name]
        got_ok, got = ours(path, v)
        if not (want_ok and got_ok):
            print(f"{v.name}: reference {want_ok} {want!s:.200} / ours {got_ok} {got!s:.200}")
            continue
        assert isinstance(want, bytes) and isinstance(got, bytes)
        if canonical(want) == canonical(got):
            continue
        a = ops_pb2.Definition.FromString(canonical(want))
        b = ops_pb2.Definition.FromString(canonical(got))
        print(f"== {v.name}")

        def op_text(data: bytes) -> str:
            return str(text_format.MessageToString(ops_pb2.Op.FromString(data), as_one_line=True))

        def md_text(d: ops_pb2.Definition, k: str) -> str | None:
            if k not in d.metadata:
                return None
            return str(text_format.MessageToString(d.metadata[k], as_one_line=True))

        for i, (x, y) in enumerate(zip(getattr(a, "def"), getattr(b, "def"), strict=False)):
            if x != y:
                print(f"op {i}\n ref {op_text(x)}\n us  {op_text(y)}")
        if len(getattr(a, "def")) != len(getattr(b, "def")):
            print(f"op count {len(getattr(a, 'def'))} vs {len(getattr(b, 'def'))}")
        for k in sorted(set(a.metadata) | set(b.metadata)):
            mx, my = md_text(a, k), md_text(b, k)
            if mx != my:
                print(f"metadata {k[:19]}\n ref {mx}\n us  {my}")
        if a.Source != b.Source:
            print("source maps differ")
            print(" ref", text_format.MessageToString(a.Source, as_one_line=True)[:1500])
            print(" us ", text_format.MessageToString(b.Source, as_one_line=True)[:1500])


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--regenerate", action="store_true")
    g.add_argument("--check", action="store_true")
    g.add_argument("--diff", metavar="ID")
    p.add_argument("--d2l", default=None)
    args = p.parse_args(argv)
    if args.d2l:
        global D2L
        D2L = args.d2l
    if args.regenerate:
        return regenerate()
    if args.diff:
        diff(args.diff)
        return 0
    bad = list(mismatches())
    for gid, name, what in bad:
        print(f"{gid} [{name}]: {what}")
    total = sum(len(list(variants(p))) for p in dockerfiles())
    print(f"{total - len(bad)} of {total} variants match the reference", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
