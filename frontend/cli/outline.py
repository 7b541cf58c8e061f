"""``pyfrontend outline FILE``: what ``docker buildx build --call outline`` prints.

The cli step for the outline subrequest, with no daemon:
:func:`frontend.dockerui.outline.outline` of the target (compiled with every base
image's config empty) as :func:`frontend.dockerui.subrequests.outline_result` answers
it. Text: ``result.txt`` (the reference's ``PrintOutline``, which buildx prints from
``result.json``: the same text); ``--format json``: ``result.json``. A bad Dockerfile
is reported as ``FILE:LINE: message``, exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence

from frontend.cli.options import (
    BuildInput,
    add_build_options,
    add_file_argument,
    build_input,
    report,
)


def call_parser(prog: str, doc: str) -> argparse.ArgumentParser:
    """The options of a ``--call`` command: FILE, the build options, ``--format``."""
    p = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    add_file_argument(p)
    add_build_options(p)
    p.add_argument("--format", default="text", choices=("text", "json"))
    return p


def run_call(
    prog: str,
    doc: str,
    argv: Sequence[str],
    answer: Callable[[BuildInput], Mapping[str, bytes]],
) -> int:
    """Parse ``argv``, answer the request and print it as buildx's ``printValue``
    does: ``result.json`` and a newline for ``--format json``, else ``result.txt``."""
    from frontend.language import DockerfileError

    args = call_parser(prog, doc).parse_args(list(argv))
    given = build_input(args, prog)  # (an InputError is reported by the dispatcher)
    try:
        meta = answer(given)
    except DockerfileError as e:
        return report(e, given.name)
    if args.format == "json":
        sys.stdout.write(meta["result.json"].decode() + "\n")
    else:
        sys.stdout.write(meta["result.txt"].decode())
    return 0


def _outline(given: BuildInput) -> Mapping[str, bytes]:
    from frontend.dockerui.outline import outline
    from frontend.dockerui.subrequests import outline_result
    from frontend.language import DockerfileError

    if not given.data:  # the conversion's first check
        raise DockerfileError("the Dockerfile cannot be empty")
    found = outline(given.parse(), given.facts())
    return outline_result(found, given.data).metadata


def main(argv: Sequence[str]) -> int:
    return run_call("pyfrontend outline", __doc__, argv, _outline)
