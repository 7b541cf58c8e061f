"""Differential test: our parser against PyPI ``dockerfile`` (the reference's Go
parser from BuildKit 0.12).

Intended differences (documented, checked by the helper below):
- ONBUILD with heredocs: 0.12 reports no heredocs on the ONBUILD node; 1.26
  attaches them to it (the trigger expression carries their bodies), so we do.
- ``# check=`` is a directive since 1.26's era; in 0.12 it is a comment. Neither
  changes the instruction list, so there is nothing to compare.
- Unknown instructions: 0.12 shows one empty argument; we keep none (both are
  rejected by the instruction step anyway).
- A JSON array followed by more text (``RUN ["echo"] x``): 0.12 decoded the first
  JSON value and ignored the rest; 1.26 uses ``json.Unmarshal``, for which that is no
  JSON, so the line is in shell form (its TestInvalidJSONCommands). Those nodes must
  not be in exec form; their (shell-form) arguments are checked by test_parser.
- ``Original`` of a RUN/COPY/ADD with heredocs: 0.12 (as PyPI ``dockerfile``
  reports it) appends each body and its terminator line; the reference's current
  parser keeps ``Original`` the instruction line (``newNodeFromLine``) and the
  bodies in ``Heredocs`` only (its ONBUILD expression adds them back), so step
  names read ``RUN <<EOT (echo hi)``. We keep the line: compared up to the first
  newline.
- Everything else (names, sub-command, exec form, flags, values, heredoc names,
  descriptors and bodies, the ``Original`` text and line ranges) must match.
"""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError
from frontend.language.instructions import INSTRUCTION_NAMES
from frontend.language.parser import Node, decode, parse_nodes
from tests.unit.language.corpus import CORPUS

dockerfile = pytest.importorskip("dockerfile")

KNOWN = set(INSTRUCTION_NAMES)


def _ours(node: Node) -> tuple[object, ...]:
    sub = node.sub
    args = sub.args if sub is not None else node.args
    is_json = sub.json if sub is not None else node.json
    heredocs = () if sub is not None else node.heredocs
    return (
        node.name,
        sub.name if sub is not None else None,
        is_json,
        node.original,
        node.location.start_line,
        node.location.end_line,
        node.flags,
        args,
        tuple((h.name, h.file_descriptor, h.content) for h in heredocs),
    )


def _theirs(cmd: object) -> tuple[object, ...]:
    return (
        cmd.cmd,  # type: ignore[attr-defined]
        cmd.sub_cmd,  # type: ignore[attr-defined]
        cmd.json,  # type: ignore[attr-defined]
        cmd.original,  # type: ignore[attr-defined]
        cmd.start_line,  # type: ignore[attr-defined]
        cmd.end_line,  # type: ignore[attr-defined]
        tuple(cmd.flags),  # type: ignore[attr-defined]
        tuple(cmd.value),  # type: ignore[attr-defined]
        tuple((h.name, h.file_descriptor, h.content) for h in cmd.heredocs),  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize("source", CORPUS, ids=range(len(CORPUS)))
def test_same_nodes_as_reference(source: str) -> None:
    try:
        expected = [_theirs(c) for c in dockerfile.parse_string(source)]
    except dockerfile.GoParseError:
        with pytest.raises(DockerfileError):
            parse_nodes(decode(source))
        return
    got = [_ours(n) for n in parse_nodes(decode(source)).nodes]
    # heredoc bodies: 0.12 appends them to Original, the reference now does not
    expected = [(*e[:3], str(e[3]).split("\n", 1)[0], *e[4:]) if e[8] else e for e in expected]
    # unknown instructions: 0.12's empty argument node shows as one "" value
    expected = [
        (*e[:7], (), *e[8:]) if str(e[0]).upper() not in KNOWN and e[7] == ("",) else e
        for e in expected
    ]
    # JSON followed by text: 1.26's shell form, not 0.12's exec form
    for i, (e, g) in enumerate(zip(expected, got, strict=False)):
        if e[2] and not g[2] and _trailing_json_text(str(e[3])):
            expected[i] = (*e[:2], False, *e[3:7], g[7], *e[8:])
    assert got == expected


def _trailing_json_text(original: str) -> bool:
    """Whether the first JSON value of ``original`` (from its first ``[``) is followed
    by more than JSON blanks."""
    import json

    text = original[original.index("[") :]
    _, end = json.JSONDecoder().raw_decode(text)
    return bool(text[end:].strip(" \t\r\n"))
