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

from frontend.cli import pause_collection, resume_collection
from frontend.cli.options import (
    add_build_options,
    add_file_argument,
    build_input,
    report,
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pyfrontend llb", description=__doc__.splitlines()[0])
    add_file_argument(p)
    add_build_options(p)
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
    # the compiler's modules load uncollected (41 -> 21 collections for poster.big:
    # 4-6 ms of its 50-64 ms in process here)
    pause_collection()
    try:
        from frontend import llb
        from frontend.compiler import CompileOptions, CompileResult, compile_dockerfile
        from frontend.language import DockerfileError
    finally:
        resume_collection()

    given = build_input(args, "pyfrontend llb")  # (an InputError: reported by the dispatcher)
    platform = given.target_platform
    caps: frozenset[str] | None = llb.caps.ALL
    if args.caps == "unknown":
        caps = None
    elif args.caps is not None:
        caps = frozenset(c for c in args.caps.split(",") if c)
    opts = CompileOptions(
        target=given.target,
        build_args=given.build_args,
        target_platform=platform,
        # with no worker to ask, the build platform is the target's (as the reference's
        # converter when it is given no build platforms)
        build_platform=platform,
        platform_explicit=given.platform is not None,
        no_cache=() if args.no_cache else None,
        image_resolve_mode=args.image_resolve_mode,
        llb_caps=caps,
    )
    try:
        result = compile_dockerfile(given.parse(), opts)
    except DockerfileError as e:
        return report(e, given.name)
    # what the definition does not need is let go before it is made (the file, the
    # image config, the stages' instructions), and the graph before it is written: a
    # long instruction's text is held as few times as can be (issue #14's 10 MB line)
    state, target_platform, llb_caps = result.state, result.platform, result.caps
    del given, result
    definition = CompileResult.marshal(state, target_platform, llb_caps)
    del state
    if args.dump:
        _dump(definition)
    else:
        definition.write_to(sys.stdout.buffer)
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
