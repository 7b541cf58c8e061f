"""``pyfrontend parse FILE [--json]``: print a Dockerfile's parsed instructions.

A debugging tool (cli step): prints each instruction with its flags, arguments,
heredocs and line range; exits 1 with ``FILE:LINE: message`` for a bad file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

_USAGE = "usage: pyfrontend parse FILE [--json]  (FILE may be - for stdin)\n"


def _node_dict(node: object) -> dict[str, object]:
    from frontend.language.parser import Node

    assert isinstance(node, Node)
    out: dict[str, object] = {
        "name": node.name.upper(),
        "start_line": node.location.start_line,
        "end_line": node.location.end_line,
        "flags": list(node.flags),
        "args": list(node.args),
        "json": node.json,
        "heredocs": [
            {
                "name": h.name,
                "fd": h.file_descriptor,
                "expand": h.expand,
                "chomp": h.chomp,
                "content": h.content,
            }
            for h in node.heredocs
        ],
        "original": node.original.strip(),
    }
    if node.sub is not None:
        out["trigger"] = _node_dict(node.sub)
    return out


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        sys.stderr.write(_USAGE)
        return 0 if args and args[0] in ("-h", "--help") else 2
    path = args[0]
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as err:
        sys.stderr.write(f"pyfrontend parse: {path}: {err.strerror}\n")
        return 1

    from frontend.language import DockerfileError, parse_dockerfile

    try:
        df = parse_dockerfile(data, filename=path)
    except DockerfileError as err:
        sys.stderr.write(err.format() + "\n")
        return 1
    nodes = [_node_dict(n) for n in df.nodes]
    if as_json:
        doc = {
            "escape": df.escape,
            "directives": {
                d.name: {"value": d.value, "line": d.location.start_line}
                for d in (df.directives.syntax, df.directives.escape, df.directives.check)
                if d is not None
            },
            "instructions": nodes,
            "warnings": [
                {"message": m, "start_line": r.start_line, "end_line": r.end_line}
                for m, r in df.warnings
            ],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    for node in nodes:
        _print_node(node, "")
    for message, loc in df.warnings:
        sys.stderr.write(f"{path}:{loc.start_line}: warning: {message}\n")
    return 0


def _print_node(node: dict[str, object], indent: str) -> None:
    lines = f"{node['start_line']}-{node['end_line']}"
    flags = node["flags"]
    assert isinstance(flags, list)
    form = " (exec form)" if node["json"] else ""
    parts = [f"{indent}{lines:>9}  {node['name']}"]
    parts += [f" {f}" for f in flags]
    out = "".join(parts) + form
    trigger = node.get("trigger")
    if isinstance(trigger, dict):
        print(out)
        _print_node(trigger, indent + "  ")
        return
    args = node["args"]
    assert isinstance(args, list)
    print(out + "".join(f" {json.dumps(a, ensure_ascii=False)}" for a in args))
    heredocs = node["heredocs"]
    assert isinstance(heredocs, list)
    for h in heredocs:
        print(
            f"{indent}{'':>9}  <<{h['name']} fd={h['fd']} expand={str(h['expand']).lower()}"
            f" chomp={str(h['chomp']).lower()} {json.dumps(h['content'], ensure_ascii=False)}"
        )
