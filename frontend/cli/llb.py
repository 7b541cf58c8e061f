"""``pyfrontend llb``: compile a Dockerfile to an LLB definition, with no daemon.

The cli step for the compiler: writes the marshalled ``pb.Definition`` to stdout (the
bytes ``buildctl build`` and ``buildctl debug dump-llb`` read), or with ``--dump`` one
JSON object per op. Base images get an empty config, as the reference's converter does
without a resolver. Exits 1 with ``FILE:LINE: message`` for a bad Dockerfile.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyfrontend llb", description=__doc__.splitlines()[0])
    p.add_argument("-f", "--file", default="Dockerfile", help="the Dockerfile (- for stdin)")
    p.add_argument("--target", default="", help="the stage to build (default: the last)")
    p.add_argument("--build-arg", action="append", default=[], metavar="K=V")
    p.add_argument("--platform", default="", help="target platform, e.g. linux/arm64")
    p.add_argument("--no-cache", action="store_true", help="mark every step ignore-cache")
    p.add_argument("--image-resolve-mode", default="default", choices=("default", "pull", "local"))
    p.add_argument(
        "--caps",
        default=None,
        metavar="CAP,...",
        help="the LLB caps the solver supports (default: all of BuildKit's, as the "
        "reference's converter assumes; 'unknown': assume none either way)",
    )
    p.add_argument("--dump", action="store_true", help="print ops as JSON lines instead")
    return p


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    from frontend import llb
    from frontend.compiler import CompileOptions, compile_dockerfile
    from frontend.language import DockerfileError, parse_dockerfile

    name = "Dockerfile" if args.file == "-" else args.file
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as f:
                data = f.read()
    except OSError as e:
        sys.stderr.write(f"pyfrontend llb: {e}\n")
        return 1
    build_args: dict[str, str] = {}
    for item in args.build_arg:
        key, sep, value = item.partition("=")
        build_args[key] = value if sep else ""
    platform = llb.Platform("linux", "amd64")
    if args.platform:
        try:
            platform = llb.Platform.parse(args.platform)
        except ValueError as e:
            sys.stderr.write(f"pyfrontend llb: {e}\n")
            return 2
    caps: frozenset[str] | None = llb.caps.ALL
    if args.caps == "unknown":
        caps = None
    elif args.caps is not None:
        caps = frozenset(c for c in args.caps.split(",") if c)
    opts = CompileOptions(
        target=args.target,
        build_args=build_args,
        target_platform=platform,
        # with no worker to ask, the build platform is the target's (as the reference's
        # converter when it is given no build platforms)
        build_platform=platform,
        platform_explicit=bool(args.platform),
        no_cache=() if args.no_cache else None,
        image_resolve_mode=args.image_resolve_mode,
        llb_caps=caps,
    )
    try:
        result = compile_dockerfile(parse_dockerfile(data, name.rsplit("/", 1)[-1]), opts)
    except DockerfileError as e:
        loc = f":{e.location.start_line}" if e.location else ""
        sys.stderr.write(f"{name}{loc}: {e.message}\n")
        return 1
    definition = result.definition()
    if args.dump:
        _dump(definition)
    else:
        sys.stdout.buffer.write(definition.to_bytes())
    return 0


def _dump(definition: object) -> None:
    from google.protobuf import json_format

    from frontend import llb
    from frontend.llb import Definition
    from frontend.pb import ops_pb2

    assert isinstance(definition, Definition)
    meta = definition.pb.metadata
    for raw in definition.ops:
        op = ops_pb2.Op()
        op.ParseFromString(raw)
        digest = llb.digest_of(raw)
        row = {
            "digest": digest,
            "op": json_format.MessageToDict(op),
            "name": meta[digest].description.get("llb.customname", "") if digest in meta else "",
        }
        sys.stdout.write(json.dumps(row, sort_keys=True) + "\n")
