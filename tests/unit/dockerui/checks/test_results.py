"""The lint subrequest's ``result.json``."""

from __future__ import annotations

import json

from frontend.dockerui.checks import lint
from frontend.dockerui.checks.results import RESULT_KEY, result_json, source_info


def test_result_json() -> None:
    src = b"FROM scratch AS Bad\nFROM --platform=$X scratch\n"
    result = lint(src)
    data = result_json(result, source_info("Dockerfile", src))
    assert RESULT_KEY == "result.json"
    doc = json.loads(data)
    assert doc["warnings"][0] == {
        "ruleName": "StageNameCasing",
        "description": "Stage names should be lowercase",
        "url": "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
        "detail": "Stage name 'Bad' should be lowercase",
        "location": {"ranges": [{"start": {"line": 1}, "end": {"line": 1}}]},
    }
    assert doc["sources"] == [
        {
            "filename": "Dockerfile",
            "data": "RlJPTSBzY3JhdGNoIEFTIEJhZApGUk9NIC0tcGxhdGZvcm09JFggc2NyYXRjaAo=",
            "language": "Dockerfile",
        }
    ]
    assert doc["buildError"] == {
        "message": "empty platform value from expression $X",
        "location": {"ranges": [{"start": {"line": 2}, "end": {"line": 2}}]},
    }
    assert data.startswith(b'{\n  "warnings": [\n    {\n      "ruleName"')


def test_no_warnings_is_null_and_html_is_escaped() -> None:
    result = lint("FROM scratch\n")
    doc = json.loads(result_json(result, source_info("", b"")))
    assert doc == {"warnings": None, "sources": [{"language": "Dockerfile"}]}
    data = result_json(lint("FROM scratch AS A<\n"), source_info("", b""))
    assert b"\\u003c" in data and b"<" not in data
