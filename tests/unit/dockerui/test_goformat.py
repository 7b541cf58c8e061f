"""Go's output for the subrequests: ``text/tabwriter``, ``encoding/json``."""

from __future__ import annotations

import json

import pytest

from frontend.dockerui.goformat import definition_json, go_json_indent, tabwrite
from frontend.pb import ops_pb2


@pytest.mark.parametrize(
    ("text", "padding", "out"),
    [
        ("a\tbbb\tc\naaaa\tb\tc\n", 1, "a    bbb c\naaaa b   c\n"),
        # a column block ends where a line has no cell in it
        ("a\tb\nccc\td\te\n", 1, "a   b\nccc d e\n"),
        # a line without tabs ends every block
        ("a\tb\nx\nccc\td\n", 1, "a b\nx\nccc d\n"),
        # empty cells are padded, the last is not
        ("NAME\tV\tD\nx\t\t\n", 3, "NAME   V   D\nx          \n"),
        ("no newline\tat end", 1, "no newline at end"),
        ("", 1, ""),
        ("é\tx\nab\ty\n", 1, "é  x\nab y\n"),  # widths in characters
    ],
)
def test_tabwrite(text: str, padding: int, out: str) -> None:
    assert tabwrite(text, padding=padding) == out


def test_go_json() -> None:
    data = go_json_indent({"b": [], "a": None, "c": "<&>\u2028é"})
    assert data == (
        b'{\n  "b": [],\n  "a": null,\n  "c": "\\u003c\\u0026\\u003e\\u2028\xc3\xa9"\n}'
    )
    assert go_json_indent({"x": "\udcff"}) == '{\n  "x": "\ufffd"\n}'.encode()


def test_definition_json() -> None:
    d = ops_pb2.Definition()
    getattr(d, "def").extend([b"\x01", b"\x02"])
    d.metadata["sha256:b"].caps["z"] = True
    d.metadata["sha256:b"].caps["a"] = True
    d.metadata["sha256:a"].description["llb.customname"] = "x"
    d.metadata["sha256:a"].ignore_cache = True
    d.Source.infos.add(filename="Dockerfile", data=b"FROM x", language="Dockerfile")
    loc = d.Source.locations["sha256:a"].locations.add(sourceIndex=0)
    loc.ranges.add(start=ops_pb2.Position(line=1), end=ops_pb2.Position(line=1))
    out = definition_json(d)
    assert json.dumps(out) == json.dumps(
        {
            "def": ["AQ==", "Ag=="],
            "metadata": {
                "sha256:a": {"ignore_cache": True, "description": {"llb.customname": "x"}},
                "sha256:b": {"caps": {"a": True, "z": True}},
            },
            "Source": {
                "locations": {
                    "sha256:a": {
                        "locations": [{"ranges": [{"start": {"line": 1}, "end": {"line": 1}}]}]
                    }
                },
                "infos": [{"filename": "Dockerfile", "data": "RlJPTSB4", "language": "Dockerfile"}],
            },
        }
    )
    assert definition_json(ops_pb2.Definition()) == {}
