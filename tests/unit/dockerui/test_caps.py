"""The ``frontend.caps`` option (``frontend.dockerui.caps``): the reference builder's
``validateCaps`` (builder/caps.go) and when ``Build`` returns its error, as
dockerfile_client_test.go's TestClientGatewayIntegration expects it
(``UnsupportedFrontendCapError`` named ``moby.buildkit.frontend.notexistcap``)."""

from __future__ import annotations

import json

from gateway_fakes import DaemonState

from dockerui.builds import build_state
from dockerui.test_forward import _frontend_solves, _run
from frontend.dockerui.caps import ENABLED_CAPS, UnsupportedFrontendCap, check_caps
from frontend.gateway.errors import Code
from frontend.pb import gateway_pb2

NOTEXIST = "moby.buildkit.frontend.notexistcap"


def test_the_known_caps_are_the_references() -> None:
    assert {
        "moby.buildkit.frontend.inputs",
        "moby.buildkit.frontend.subrequests",
        "moby.buildkit.frontend.contexts",
        "moby.buildkit.frontend.gitquerystring",
    } == ENABLED_CAPS
    check = check_caps("moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts+forward")
    assert check.error is None and not check.forward
    assert check_caps("") == check_caps("moby.buildkit.frontend.inputs")


def test_an_unknown_cap_fails_at_once_unless_forwardable() -> None:
    check = check_caps(f"moby.buildkit.frontend.inputs,{NOTEXIST}")
    assert check.error is not None and check.error.name == NOTEXIST and not check.forward
    check = check_caps(f"{NOTEXIST}+forward,moby.buildkit.frontend.inputs")
    assert check.error is not None and check.error.name == NOTEXIST and check.forward
    # the scan stops at the first unknown cap without +forward: its error is returned
    check = check_caps("a.one+forward,b.two,c.three")
    assert check.error is not None and check.error.name == "b.two" and not check.forward
    # the last of several forwardable ones is kept
    check = check_caps("a.one+forward,b.two+forward")
    assert check.error is not None and check.error.name == "b.two" and check.forward
    # an empty entry is a cap named ""
    check = check_caps("moby.buildkit.frontend.inputs,")
    assert check.error is not None and check.error.name == ""


def test_the_error_is_the_references_unsupported_frontend_cap_error() -> None:
    status = UnsupportedFrontendCap(NOTEXIST).to_status()
    assert status.message == f"unsupported frontend capability {NOTEXIST}"
    assert status.code == Code.UNIMPLEMENTED == 12
    (detail,) = status.details
    assert detail.type_url == "github.com/moby/buildkit/errdefs.FrontendCap+json"
    assert json.loads(detail.value) == {"name": NOTEXIST}


def _refused(ret: gateway_pb2.ReturnRequest) -> None:
    assert ret.HasField("error")
    assert ret.error.message == f"unsupported frontend capability {NOTEXIST}"
    assert ret.error.code == 12


def test_a_build_asking_an_unknown_cap_is_refused_before_reading_the_dockerfile() -> None:
    state = build_state(b"# syntax=example/frontend\nFROM busybox\n")
    ret = _run(state, {"frontend.caps": NOTEXIST})
    _refused(ret)
    assert state.solves == []  # neither read nor forwarded


def test_a_forwardable_cap_is_left_to_the_frontend_the_build_is_handed_to() -> None:
    state = build_state(b"# syntax=example/frontend\nFROM busybox\n")
    state.frontends["example/frontend"] = gateway_pb2.Result(ref=gateway_pb2.Ref(id="x"))
    ret = _run(state, {"frontend.caps": f"{NOTEXIST}+forward"})
    assert ret.HasField("result")
    (solve,) = _frontend_solves(state)
    assert solve.FrontendOpt["frontend.caps"] == f"{NOTEXIST}+forward"


def test_a_forwardable_cap_fails_a_build_that_is_not_forwarded() -> None:
    state: DaemonState = build_state(b"FROM busybox\n")
    ret = _run(state, {"frontend.caps": f"{NOTEXIST}+forward"})
    _refused(ret)
    assert len(state.solves) == 1  # the Dockerfile was read, nothing built


def test_a_forwardable_cap_fails_a_subrequest_that_is_not_forwarded() -> None:
    state = build_state(b"FROM busybox\n")
    ret = _run(state, {"frontend.caps": f"{NOTEXIST}+forward", "requestid": "frontend.targets"})
    _refused(ret)
