"""``pyfrontend check FILE``: the build checks, as ``docker buildx build --call check``.

The cli step for the lint subrequest (:func:`frontend.dockerui.checks.lint`, answered
by :func:`frontend.dockerui.subrequests.lint_metadata`), with no daemon: no base image
is resolved, so the rules that read a base image's config (its ENV for
``UndefinedVar``, its platform for ``InvalidBaseImagePlatform``) stay silent about
it. ``--context DIR`` reads ``DIR/.dockerignore`` (or ``FILE.dockerignore`` next to
the Dockerfile, which wins, as in a build) for ``CopyIgnoredFile``.

What is printed is buildx's ``printResult`` for ``lint``: ``Check complete, N
warnings have been found!`` (``1 warning has``), then each warning sorted by line
(``PrintLintViolations``: rule, URL, message and the lines around it), or ``Check
complete, no warnings found.``; ``--format json`` prints ``result.json``. The exit
status is ``result.statuscode``: 1 when there are warnings. When the checks end in an
error (the build would fail), it is reported as ``FILE:LINE: message`` with the lines
around it on stderr, exit 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from frontend.cli.options import (
    add_build_options,
    add_file_argument,
    build_input,
)

PROG = "pyfrontend check"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    add_file_argument(p)
    add_build_options(p)
    p.add_argument("--format", default="text", choices=("text", "json"))
    p.add_argument(
        "--context",
        default=None,
        metavar="DIR",
        help="the build context, for its .dockerignore (CopyIgnoredFile)",
    )
    return p


def _dockerignore(path: str, context: str | None) -> bytes | None:
    """``FILE.dockerignore`` beside the Dockerfile, else ``DIR/.dockerignore``."""
    candidates = []
    if path != "-":
        candidates.append(path + ".dockerignore")
    if context is not None:
        candidates.append(os.path.join(context, ".dockerignore"))
    for name in candidates:
        try:
            with open(name, "rb") as f:
                return f.read()
        except OSError:
            continue
    return None


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    given = build_input(args, PROG)  # (an InputError is reported by the dispatcher)

    from frontend.dockerui.checks import LintResult, lint
    from frontend.dockerui.subrequests import lint_metadata, source_excerpt
    from frontend.language import DockerfileError
    from frontend.records import replace

    # for lint, no target means every stage (as the subrequest has it)
    facts = given.facts(all_stages=not given.target)
    ignore = _dockerignore(given.path, args.context)
    if ignore is not None:
        from frontend.dockerui.context import parse_dockerignore
        from frontend.dockerui.ignore import PatternMatcher

        patterns = parse_dockerignore(ignore)
        if patterns:
            facts = replace(facts, dockerignore=PatternMatcher(patterns))
    if not given.data:
        result = LintResult((), DockerfileError("the Dockerfile cannot be empty"))
    else:
        result = lint(given.data, facts, filename=given.basename)
    meta = lint_metadata(result, given.basename, given.data, shown_name=given.name)
    count = len(result.warnings)
    out = sys.stdout
    if args.format == "json":
        out.write(meta["result.json"].decode() + "\n")
    else:
        if count:
            found = "1 warning has" if count == 1 else f"{count} warnings have"
            out.write(f"Check complete, {found} been found!\n")
        out.write(meta["result.txt"].decode())
    err = result.error
    if err is not None:
        if args.format != "json" and count:
            out.write("\n")
        out.flush()
        loc, message = "", err.message
        if err.location is not None:
            line = err.location.start_line
            loc = f":{line}"
            # (the located line says it: not "dockerfile parse error on line N" again)
            message = message.removeprefix(f"dockerfile parse error on line {line}: ")
        sys.stderr.write(f"{given.name}{loc}: {message}\n")
        if err.location is not None:
            where = [(err.location.start_line, err.location.end_line)]
            sys.stderr.write(source_excerpt(given.name, given.data, where))
        return 1
    if args.format != "json" and not count:
        out.write("Check complete, no warnings found.\n")
    return int(meta["result.statuscode"] or b"0")
