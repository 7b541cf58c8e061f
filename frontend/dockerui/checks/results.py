"""The lint subrequest's answer: ``result.json`` as the reference writes it.

Owned step: ``frontend.dockerui.checks`` (lint results). ``frontend.lint`` answers
with a result whose metadata ``result.json`` is the reference's ``LintResults`` in
Go's indented JSON: ``warnings`` (rule name, description, URL, detail and location:
source index and line ranges), ``sources`` (the Dockerfile's source info) and, when the
checks ended in an error, ``buildError`` (message and location). Fields are left out
as Go's ``omitempty`` leaves them out (a zero source index, a zero line).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Final

from frontend.dockerui.checks.lint import LintResult
from frontend.language.errors import Range

__all__ = ["RESULT_KEY", "result_dict", "result_json", "source_info"]

RESULT_KEY: Final = "result.json"  # the result metadata key
_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def _position(line: int) -> dict[str, int]:
    return {"line": line} if line else {}


def _location(where: Range | None, source_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if source_index:
        out["sourceIndex"] = source_index
    if where is not None:
        out["ranges"] = [{"start": _position(where.start_line), "end": _position(where.end_line)}]
    return out


def source_info(
    filename: str, data: bytes, definition: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A ``sources`` entry: ``definition`` is the source's LLB definition as JSON
    (Go's encoding of ``pb.Definition``) when the caller has it."""
    out: dict[str, Any] = {}
    if filename:
        out["filename"] = filename
    if data:
        out["data"] = base64.b64encode(data).decode()
    if definition:
        out["definition"] = dict(definition)
    out["language"] = "Dockerfile"
    return out


def result_dict(result: LintResult, source: Mapping[str, Any]) -> dict[str, Any]:
    """``LintResults`` as a JSON-ready dict (one source, index 0)."""
    warnings = [
        {
            "ruleName": w.rule_name,
            **({"description": w.description} if w.description else {}),
            **({"url": w.url} if w.url else {}),
            **({"detail": w.message} if w.message else {}),
            "location": _location(w.location, 0),
        }
        for w in result.warnings
    ]
    out: dict[str, Any] = {"warnings": warnings or None, "sources": [dict(source)]}
    if result.error is not None:
        out["buildError"] = {
            "message": result.error.message,
            "location": _location(result.error.location, 0),
        }
    return out


def result_json(result: LintResult, source: Mapping[str, Any]) -> bytes:
    """``result.json``: Go's ``json.MarshalIndent(results, "", "  ")``."""
    text = json.dumps(result_dict(result, source), ensure_ascii=False, indent=2)
    for ch, esc in _ESCAPES:
        text = text.replace(ch, esc)
    return text.encode()
