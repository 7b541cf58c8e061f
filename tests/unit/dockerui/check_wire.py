"""The reference suite's ``checkLinterWarnings`` end to end: a case run through the
gateway handler (``frontend.dockerui.build.build``) on the fake daemon, in both modes.

* progress (``warntype=progress``): a build with the case's frontend attributes (by
  default ``platform=linux/amd64,linux/arm64``); the ``Warn`` calls the daemon received,
  sorted by first line then short text, each compared with the expectation's short form,
  description (``detail[0]``), URL and level; the build's error must contain the
  expected one.
* unmarshal (``warntype=unmarshal``): the ``frontend.lint`` subrequest with the
  attributes; ``result.json`` read back, its warnings sorted by line then detail and
  compared by rule, description, URL and detail; ``buildError`` equal to the expected
  error, its source index valid.

The context holds the Dockerfile (and the case's ``.dockerignore``); the worker is
linux/amd64 and every image resolves to one linux/amd64 config with the default PATH.
"""

from __future__ import annotations

import json
from typing import Any

from gateway_fakes import DaemonState, FakeDaemon, env_with_opts

from dockerui.checks.suite import Case, W
from frontend.dockerui.build import build
from frontend.dockerui.checks.linter import format_short
from frontend.gateway.runtime import run_channel
from frontend.gateway.stdio import open_channel
from frontend.llb.exec import DEFAULT_PATH
from frontend.pb import gateway_pb2, ops_pb2

IMAGE = json.dumps(
    {
        "os": "linux",
        "architecture": "amd64",
        "config": {"Env": [f"PATH={DEFAULT_PATH}"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "ab" * 32]},
    }
).encode()
SUBREQUESTS = "moby.buildkit.frontend.subrequests"
# the worker's platform (the build platform): the images' platform, whatever the host
WORKERS = json.dumps([{"platforms": [{"os": "linux", "architecture": "amd64"}]}])


def case_state(case: Case) -> DaemonState:
    files = {"Dockerfile": case.dockerfile.encode()}
    context = dict(files)
    if case.dockerignore is not None:
        context[".dockerignore"] = case.dockerignore.encode()
    return DaemonState(
        locals={"dockerfile": files, "context": context},
        default_image=("", IMAGE),
        llb_caps=(),
    )


def run(state: DaemonState, opts: dict[str, str]) -> gateway_pb2.ReturnRequest:
    """The handler run as the gateway runs it; what it returned."""
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            env = env_with_opts(opts, BUILDKIT_WORKERS=WORKERS)
            assert run_channel(channel, build, env) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    return ret


def _sorted(ws: list[W]) -> list[W]:
    return sorted(ws, key=lambda w: (w.line, w.detail))


def check_progress(case: Case) -> DaemonState:
    state = case_state(case)
    attrs = dict(case.attrs) if case.attrs else {"platform": "linux/amd64,linux/arm64"}
    ret = run(state, attrs)
    if case.build_err:
        assert ret.HasField("error"), "the build did not fail"
        assert case.build_err in ret.error.message
    else:
        assert not ret.HasField("error"), ret.error.message
    got = sorted(
        state.warns,
        key=lambda w: (w.ranges[0].start.line if w.ranges else -1, w.short),
    )
    want = _sorted(list(case.warnings))
    assert len(got) == len(want), [w.short for w in got]
    for g, e in zip(got, want, strict=True):
        assert g.short.decode() == format_short(e.rule, e.detail, e.line)
        assert g.detail[0].decode() == e.description
        assert g.url == e.url
        assert g.level == e.level
    return state


def lint_results(case: Case) -> tuple[dict[str, Any], gateway_pb2.ReturnRequest, DaemonState]:
    state = case_state(case)
    opts = {"frontend.caps": SUBREQUESTS, "requestid": "frontend.lint", **case.attrs}
    ret = run(state, opts)
    assert not ret.HasField("error"), ret.error.message
    return json.loads(ret.result.metadata["result.json"]), ret, state


def check_unmarshal(case: Case) -> dict[str, Any]:
    doc, _, state = lint_results(case)
    for req in state.solves:  # the Dockerfile and the .dockerignore only: no build
        op = ops_pb2.Op.FromString(getattr(req.Definition, "def")[0])
        assert op.source.identifier.startswith("local://"), op
    if case.build_err:
        err = doc.get("buildError")
        assert err is not None and err["message"] == case.build_err
        index = err["location"].get("sourceIndex", 0)
        assert 0 <= index < len(doc["sources"])
    else:
        assert "buildError" not in doc, doc.get("buildError")
    expected = case.unmarshal if case.unmarshal is not None else case.warnings
    got = sorted(
        doc["warnings"] or [],
        key=lambda w: (w["location"]["ranges"][0]["start"].get("line", 0), w.get("detail", "")),
    )
    want = _sorted(list(expected))
    assert len(got) == len(want), [w.get("detail") for w in got]
    for g, e in zip(got, want, strict=True):
        assert (g["ruleName"], g.get("description", ""), g.get("url", ""), g.get("detail", "")) == (
            e.rule,
            e.description,
            e.url,
            e.detail,
        )
    return doc
