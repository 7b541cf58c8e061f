"""A build on a daemon that lacks an LLB cap it needs (``frontend.dockerui.daemoncaps``):
a located error naming the feature and the cap, never a silently different image.

The daemon is the fake one answering ``Ping`` with the caps Debian 12's docker.io 20.10
(BuildKit 0.8) really reported (``tests/fixtures/daemon-caps``); on it a located error
also says its line in the text (that client shows no excerpt).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gateway_fakes import DEFAULT_FRONTEND_CAPS, DaemonState, FakeDaemon, env_with_opts

from dockerui.builds import build_state
from frontend import llb
from frontend.dockerui.build import build
from frontend.dockerui.daemoncaps import FEATURES
from frontend.gateway.runtime import run_channel
from frontend.gateway.stdio import open_channel
from frontend.pb import errdefs_pb2, status_pb2

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "daemon-caps"
CAPS_0_8 = json.loads((FIXTURE / "docker-20.10-buildkit-0.8.json").read_text())
LLB_0_8 = tuple(c for c, on in CAPS_0_8["llb"].items() if on)
FRONTEND_0_8 = tuple(c for c, on in CAPS_0_8["frontend"].items() if on)
# the test bed's main engine, Docker 26.1 (BuildKit 0.13; mergeop disabled: classic store)
CAPS_0_13 = json.loads((FIXTURE / "docker-26.1-buildkit-0.13.json").read_text())
# a new daemon's caps: BuildKit defines file.copy.modestring and
# exec.meta.removemountstubs.recursive but registers neither, so no daemon announces them
NEW_LLB = tuple(
    sorted(llb.caps.ALL - {"file.copy.modestring", "exec.meta.removemountstubs.recursive"})
)


def _state(dockerfile: bytes, *, old: bool = True) -> DaemonState:
    state = build_state(dockerfile)
    state.locals["context"] = {"hello.txt": b"hello\n", "dir/keep.txt": b"k", "dir/a.log": b"l"}
    if old:
        state.llb_caps, state.frontend_caps = LLB_0_8, FRONTEND_0_8
    else:
        state.llb_caps, state.frontend_caps = NEW_LLB, DEFAULT_FRONTEND_CAPS
    return state


def _run(state: DaemonState, opts: dict[str, str] | None = None) -> status_pb2.Status | None:
    """The build as the gateway runs it: its error status, None when it succeeded."""
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            assert run_channel(channel, build, env_with_opts(opts or {})) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    return ret.error if ret.HasField("error") else None


def _lines(status: status_pb2.Status) -> list[int]:
    (detail,) = [d for d in status.details if d.type_url == "errdefs.Source"]
    return [r.start.line for r in errdefs_pb2.Source.FromString(detail.value).ranges]


def test_the_fixture_is_buildkit_0_8() -> None:
    assert len(LLB_0_8) == 42 and "file.base" in LLB_0_8 and "source.git.mountsshsock" in LLB_0_8
    assert "gateway.warnings" not in FRONTEND_0_8 and "gateway.solve.evaluate" in FRONTEND_0_8


def test_the_table_covers_every_cap_pyfrontend_records_that_0_8_lacks() -> None:
    recorded = {v for k, v in vars(llb.caps).items() if k.isupper() and isinstance(v, str)}
    # never recorded (by the reference's llb neither): an older daemon ignores the field,
    # which no cap tells (see the module's docstring and the README)
    recorded.discard("exec.meta.removemountstubs.recursive")
    assert recorded - set(LLB_0_8) <= set(FEATURES)
    assert not set(FEATURES) & set(LLB_0_8)  # every row is a cap 0.8 does not have


def test_symbolic_chmod_is_refused_at_its_line() -> None:
    status = _run(_state(b"FROM busybox\nCOPY --chmod=u+x hello.txt /h\n"))
    assert status is not None
    assert status.message == (
        "Dockerfile line 2: COPY --chmod=u+x requires the BuildKit capability "
        "file.copy.modestring, which this daemon does not support (BuildKit < 0.17); "
        "use an octal mode"
    )
    assert _lines(status) == [2]


def test_octal_chmod_builds_on_0_8() -> None:
    assert _run(_state(b"FROM busybox\nCOPY --chmod=755 hello.txt /h\n")) is None


@pytest.mark.parametrize(
    ("dockerfile", "line", "words"),
    [
        (b"FROM busybox\nRUN true\nCOPY --exclude=*.log dir /d\n", 3, "COPY --exclude requires"),
        (b"FROM busybox\nADD --exclude=*.log dir /d\n", 2, "ADD --exclude requires"),
        (b"FROM busybox\nCOPY --parents dir/keep.txt /d/\n", 2, "COPY --parents requires"),
        (
            b"FROM busybox\nRUN --mount=type=secret,id=s,env=S true\n",
            2,
            "RUN --mount=type=secret,env= requires the BuildKit capability exec.secretenv",
        ),
        (
            b"FROM busybox\nRUN --mount=type=tmpfs,target=/t,size=64m true\n",
            2,
            "exec.mount.tmpfs.size, which this daemon does not support (BuildKit < 0.10)",
        ),
    ],
    ids=["exclude", "add-exclude", "parents", "secret-env", "tmpfs-size"],
)
def test_a_feature_0_8_lacks_is_refused_at_its_line(
    dockerfile: bytes, line: int, words: str
) -> None:
    status = _run(_state(dockerfile))
    assert status is not None
    assert status.message.startswith(f"Dockerfile line {line}: "), status.message
    assert words in status.message
    assert _lines(status) == [line]


@pytest.mark.parametrize(
    ("opts", "cap"),
    [
        ({"ulimit": "nofile=1024:1024"}, "exec.meta.ulimit"),
        ({"shm-size": "67108864"}, "exec.mount.tmpfs.size"),
        ({"cgroup-parent": "pyfrontend"}, "exec.meta.cgroup.parent"),
    ],
)
def test_a_build_option_0_8_lacks_is_refused(opts: dict[str, str], cap: str) -> None:
    status = _run(_state(b"FROM busybox\nRUN true\n"), opts)
    assert status is not None
    option = "--" + next(iter(opts))
    assert status.message.startswith(
        f"the build option {option} requires the BuildKit capability {cap}, which this "
        "daemon does not support (BuildKit < 0.10)"
    ), status.message
    # without a RUN the option changes nothing: the build goes on
    assert _run(_state(b"FROM busybox\nCOPY hello.txt /h\n"), opts) is None


def test_a_disabled_cap_is_named_as_disabled() -> None:
    state = _state(b"FROM busybox\nCOPY --exclude=*.log dir /d\n", old=False)
    cap = "file.copy.includeexcludepatterns"
    state.llb_caps = tuple(c for c in state.llb_caps if c != cap)
    state.disabled_llb_caps = {cap: "not here"}
    status = _run(state)
    assert status is not None
    assert status.message == (
        f"COPY --exclude requires the BuildKit capability {cap}, which this daemon has "
        "disabled (not here); list the files to copy, or exclude them with .dockerignore"
    )


def test_a_symbolic_chmod_goes_by_the_release_cap_the_daemon_announces() -> None:
    # no daemon announces file.copy.modestring; one of 0.17 or later announces
    # exec.validexitcode (registered in the same release)
    dockerfile = b"FROM busybox\nCOPY --chmod=u+x hello.txt /h\n"
    assert _run(_state(dockerfile, old=False)) is None
    state = _state(dockerfile, old=False)
    state.llb_caps = tuple(c for c in state.llb_caps if c != "exec.validexitcode")
    status = _run(state)
    assert status is not None
    assert status.message == (
        "COPY --chmod=u+x requires the BuildKit capability file.copy.modestring, which this "
        "daemon does not support (BuildKit < 0.17); use an octal mode"
    )


def test_a_new_daemon_builds_it_and_keeps_the_reference_messages() -> None:
    assert (
        _run(_state(b"FROM busybox\nCOPY --chmod=u+x --exclude=*.log dir /d\n", old=False)) is None
    )
    assert _run(_state(b"FROM busybox\nRUN true\n", old=False), {"ulimit": "nofile=1:1"}) is None
    status = _run(_state(b"FROM busybox\nRUN --mount=type=foo true\n", old=False))
    assert status is not None
    assert status.message == 'unsupported mount type "foo"'
    assert _lines(status) == [2]


@pytest.mark.parametrize(
    ("dockerfile", "message"),
    [
        (
            b"FROM busybox\nRUN --mount=type=foo true\n",
            'Dockerfile line 2: unsupported mount type "foo"',
        ),
        # the reference's wording already names the line: unchanged
        (
            b"FROM busybox\nRUN true\nFORM busybox\n",
            "dockerfile parse error on line 3: unknown instruction: FORM (did you mean FROM?)",
        ),
        (
            b"FROM busybox\nRUN --mount=type=foo \\\n  true\n",
            'Dockerfile lines 2-3: unsupported mount type "foo"',
        ),
    ],
    ids=["mount-type", "parse-error", "two-lines"],
)
def test_on_docker_20_10_a_located_error_says_its_line(dockerfile: bytes, message: str) -> None:
    status = _run(_state(dockerfile))
    assert status is not None
    assert status.message == message


def _warning_steps(state: DaemonState) -> list[list[str]]:
    """The names of the steps of each evaluated solve that only makes directories."""
    out = []
    for req in state.solves:
        if not req.Evaluate:
            continue
        defn = req.Definition
        names = [md.description.get("llb.customname", "") for md in defn.metadata.values()]
        out.append(sorted(n for n in names if n))
    return out


def test_on_buildkit_0_8_the_check_warnings_are_steps_of_their_own() -> None:
    dockerfile = b"FROM busybox as base\nCOPY hello.txt /h\nENV B $NOPE\n"
    state = _state(dockerfile)
    assert _run(state) is None
    assert not state.warns  # no gateway.warnings: no Warn
    (names,) = _warning_steps(state)
    assert names == [
        "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)",
        'WARNING: LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy '
        '"ENV key value" format (line 3)',
        "WARNING: UndefinedVar: Usage of undefined variable '$NOPE' (line 3)",
    ]
    # the build's own result is the build's definition, not the warnings' steps
    (ret,) = state.returns
    built = state.refs[ret.result.ref.id]
    assert not any(
        "WARNING" in md.description.get("llb.customname", "") for md in built.metadata.values()
    )


def test_a_new_daemon_gets_the_warnings_as_warnings() -> None:
    state = _state(b"FROM busybox as base\n", old=False)
    assert _run(state) is None
    assert len(state.warns) == 1 and not _warning_steps(state)


def test_on_buildkit_0_13_copy_parents_builds_and_a_symbolic_chmod_is_refused() -> None:
    def on_0_13(dockerfile: bytes) -> DaemonState:
        state = _state(dockerfile)
        state.llb_caps = tuple(c for c, on in CAPS_0_13["llb"].items() if on)
        state.disabled_llb_caps = {c: "" for c, on in CAPS_0_13["llb"].items() if not on}
        state.frontend_caps = tuple(c for c, on in CAPS_0_13["frontend"].items() if on)
        return state

    # no file.copy.requiredpaths (0.26): ignored, a present source copies the same
    assert _run(on_0_13(b"FROM busybox\nCOPY --parents dir/keep.txt /d/\n")) is None
    assert _run(on_0_13(b"FROM busybox\nCOPY --link --exclude=*.log dir /d\n")) is None
    status = _run(on_0_13(b"FROM busybox\nCOPY --chmod=u+x hello.txt /h\n"))
    assert status is not None  # the excerpt shows there: the message is the plain one
    assert status.message == (
        "COPY --chmod=u+x requires the BuildKit capability file.copy.modestring, which this "
        "daemon does not support (BuildKit < 0.17); use an octal mode"
    )
    assert _lines(status) == [2]
