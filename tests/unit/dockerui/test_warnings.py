"""The build checks of a build, sent with the gateway's ``Warn`` (``frontend.dockerui.warnings``
wired into ``frontend.dockerui.build``): what each call carries, once per build for the
first platform, before the build's error, ``error=true``, the check options, the base
images' configs the compiler resolved, and a daemon without the warnings cap."""

from __future__ import annotations

import json

import pytest
from gateway_fakes import DaemonState, FakeDaemon, env_with_opts

from dockerui.builds import BUSYBOX, CONFIG, build_state
from frontend.dockerui.build import build
from frontend.dockerui.warnings import head_digest, image_facts
from frontend.gateway.runtime import run_channel
from frontend.gateway.stdio import open_channel
from frontend.llb import Platform
from frontend.pb import gateway_pb2, ops_pb2, status_pb2

WORKERS = json.dumps([{"platforms": [{"os": "linux", "architecture": "amd64"}]}])


def run(state: DaemonState, opts: dict[str, str] | None = None) -> gateway_pb2.ReturnRequest:
    with FakeDaemon(state) as daemon:
        channel = open_channel(daemon.target)
        try:
            env = env_with_opts(opts or {}, BUILDKIT_WORKERS=WORKERS)
            assert run_channel(channel, build, env) == 0
        finally:
            channel.close()
    (ret,) = state.returns
    return ret


def shorts(state: DaemonState) -> list[str]:
    return [w.short.decode() for w in state.warns]


def test_a_warning_carries_what_the_reference_sends() -> None:
    dockerfile = b"FROM busybox AS Base\nRUN true\n"
    state = build_state(dockerfile)
    ret = run(state)
    assert ret.HasField("result")
    (warn,) = state.warns
    read = state.solves[0].Definition  # the Dockerfile's own source
    assert warn.digest == head_digest(read)
    assert warn.digest == ops_pb2.Op.FromString(getattr(read, "def")[-1]).inputs[0].digest
    assert warn.short == b"StageNameCasing: Stage name 'Base' should be lowercase (line 1)"
    assert warn.level == 1
    assert list(warn.detail) == [b"Stage names should be lowercase"]
    assert warn.url == "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
    assert warn.info.filename == "Dockerfile"
    assert warn.info.data == dockerfile
    assert warn.info.language == "Dockerfile"
    assert warn.info.definition == read
    (r,) = warn.ranges
    assert (r.start.line, r.start.character, r.end.line, r.end.character) == (1, 0, 1, 0)


def test_warnings_are_sent_once_for_the_first_platform() -> None:
    state = build_state(b"FROM busybox AS Base\nFROM scratch as Other\n")
    ret = run(state, {"platform": "linux/amd64,linux/arm64"})
    assert ret.HasField("result")
    assert shorts(state) == [
        "StageNameCasing: Stage name 'Base' should be lowercase (line 1)",
        "StageNameCasing: Stage name 'Other' should be lowercase (line 2)",
        "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)",
    ]


def test_warnings_come_before_the_error() -> None:
    # TestWarningsBeforeError
    state = build_state(b"\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n")
    ret = run(state)
    assert ret.error.message == "dockerfile parse error on line 4: unknown instruction: BADCMD"
    assert [w.short.decode().split(":")[0] for w in state.warns] == [
        "StageNameCasing",
        "MaintainerDeprecated",
    ]
    assert state.calls.index("Return") > max(i for i, c in enumerate(state.calls) if c == "Warn")


def test_a_compile_error_comes_after_the_warnings_found_before_it() -> None:
    state = build_state(b"FROM scratch AS A\nCOPY --from=$X a b\nWORKDIR rel\n")
    ret = run(state)
    assert "variable expansion is not supported for --from" in ret.error.message
    # the reference stops at the error: no WorkdirRelativePath
    assert shorts(state) == ["StageNameCasing: Stage name 'A' should be lowercase (line 1)"]


def test_error_true_fails_the_build_after_its_warnings() -> None:
    df = b"#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\n"
    state = build_state(df)
    ret = run(state)
    assert ret.error.message == "lint violation found for rules: FromAsCasing"
    assert len(ret.error.details) == 0  # unlocated, as the reference's
    assert shorts(state) == ["FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 2)"]
    # the compiled definition was never solved
    assert len(state.solves) == 2  # the Dockerfile and the .dockerignore


def test_the_check_option_wins_over_the_directive() -> None:
    state = build_state(b"#check=error=true\nFROM scratch as base\n")
    ret = run(state, {"build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=all"})
    assert ret.HasField("result")
    assert state.warns == []


def test_a_bad_check_option_fails_before_the_dockerfile_is_read() -> None:
    state = build_state(b"FROM scratch\n")
    ret = run(state, {"build-arg:BUILDKIT_DOCKERFILE_CHECK": "foo"})
    assert ret.error.message == (
        'failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: invalid check option "foo"'
    )
    assert "Solve" not in state.calls


def test_a_bad_check_directive_fails_the_build() -> None:
    state = build_state(b"# check=error=maybe\nFROM scratch\n")
    ret = run(state)
    assert ret.error.message == (
        'failed to parse check options: failed to parse check option "error=maybe": '
        'strconv.ParseBool: parsing "maybe": invalid syntax'
    )


def test_the_base_image_environment_is_the_resolved_config() -> None:
    # busybox's config has PATH only: $HOME is undefined (an unknown image says nothing)
    state = build_state(b"FROM busybox\nENV A=$HOME\n")
    ret = run(state)
    assert ret.HasField("result")
    assert shorts(state) == ["UndefinedVar: Usage of undefined variable '$HOME' (line 2)"]
    # the checks asked the daemon for nothing more than the compiler did
    assert state.calls.count("ResolveImageConfig") == 1


def test_a_failed_resolution_ends_the_checks_before_the_dispatch_rules() -> None:
    state = build_state(b"FROM nosuch AS Bad\nENV A=$HOME\nWORKDIR rel\n")
    denied = status_pb2.Status(code=2, message="pull access denied")
    state.fail["ResolveImageConfig"] = denied
    ret = run(state)
    assert "pull access denied" in ret.error.message
    assert shorts(state) == ["StageNameCasing: Stage name 'Bad' should be lowercase (line 1)"]


def test_invalid_base_image_platform() -> None:
    # testBaseImagePlatformMismatch: an arm64 image for an explicit amd64 build
    config = json.loads(CONFIG)
    config["architecture"] = "arm64"
    state = build_state(b"\nFROM busybox\nENV foo=bar\n")
    state.image_configs[BUSYBOX] = ("", json.dumps(config).encode())
    ret = run(state, {"platform": "linux/amd64"})
    assert ret.HasField("result")
    assert shorts(state) == [
        "InvalidBaseImagePlatform: Base image busybox was pulled with platform "
        '"linux/arm64", expected "linux/amd64" for current build (line 2)'
    ]


def test_copy_of_an_ignored_file() -> None:
    state = build_state(b"FROM scratch\nCOPY app.log /\n")
    state.locals["context"] = {".dockerignore": b"*.log\n"}
    ret = run(state)
    assert ret.HasField("result")
    assert shorts(state) == [
        'CopyIgnoredFile: Attempting to Copy file "app.log" that is excluded by '
        ".dockerignore (line 2)"
    ]


def test_without_the_warnings_cap_nothing_is_sent() -> None:
    with_cap = build_state(b"FROM busybox AS Base\n")
    assert run(with_cap).HasField("result") and "Warn" in with_cap.calls
    state = build_state(b"FROM busybox AS Base\n")
    state.frontend_caps = tuple(c for c in state.frontend_caps if c != "gateway.warnings")
    ret = run(state)
    assert ret.HasField("result")
    assert "Warn" not in state.calls


def test_a_warning_that_cannot_be_sent_does_not_fail_the_build() -> None:
    state = build_state(b"FROM busybox AS Base\n")
    state.fail["Warn"] = status_pb2.Status(code=12, message="unimplemented")
    ret = run(state)
    assert ret.HasField("result")
    assert state.calls.count("Warn") == 1


def test_a_forwarded_build_warns_nothing_itself() -> None:
    state = build_state(b"# syntax=other/frontend\nFROM busybox AS Base\n")
    state.frontends["other/frontend"] = gateway_pb2.Result()
    ret = run(state)
    assert ret.HasField("result")
    assert "Warn" not in state.calls


@pytest.mark.parametrize(
    ("config", "facts"),
    [
        (b"", None),
        (b"nonsense", None),
        (
            CONFIG,
            (("PATH", "/bin"),),
        ),
    ],
)
def test_image_facts(config: bytes, facts: tuple[tuple[str, str], ...] | None) -> None:
    found = image_facts(config)
    if facts is None:
        assert found is None
    else:
        assert found is not None
        assert found.env == facts
        assert found.platform == Platform("linux", "amd64")
        assert not found.shell


def test_an_image_without_layers_is_scratch() -> None:
    found = image_facts(b'{"os":"linux","architecture":"arm64","config":{"Shell":["sh"]}}')
    assert found is not None and found.platform is None and found.shell


def test_a_fault_of_the_checks_does_not_fail_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    import frontend.dockerui.warnings as W

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(W, "run_checks", broken)
    state = build_state(b"FROM busybox AS Base\n")
    ret = run(state)
    assert ret.HasField("result")
    assert "Warn" not in state.calls
