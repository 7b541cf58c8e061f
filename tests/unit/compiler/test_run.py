"""RUN -> ExecOp: args, env (ENV/ARG order rules), proxy args, mounts, network, no-cache."""

from __future__ import annotations

from typing import Any

import pytest

from frontend import llb
from frontend.compiler import CompileOptions
from frontend.compiler.options import equal_fold
from frontend.language import DockerfileError
from frontend.pb import ops_pb2
from tests.unit.compiler.util import PATH, RecordingResolver, compile_text, lines


def env_of(text: str, **opts: object) -> list[str]:
    c = compile_text(text, **opts)
    return list(c.execs()[-1].meta.env)


# ------------------------------------------------------------------ args


def test_shell_exec_and_shell_instruction_forms() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "RUN echo $HOME",
            'RUN ["echo", "exec form"]',
            'SHELL ["/bin/bash", "-ec"]',
            "RUN echo bash",
        )
    )
    args = [list(e.meta.args) for e in c.execs()]
    assert args == [
        ["/bin/sh", "-c", "echo $HOME"],  # not expanded
        ["echo", "exec form"],
        ["/bin/bash", "-ec", "echo bash"],
    ]


def test_heredoc_run_body_and_shebang_script() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "RUN <<EOT",
            "echo one",
            "echo two",
            "EOT",
            "RUN <<EOT",
            "#!/bin/sh",
            "echo hi",
            "EOT",
        )
    )
    e1, e2 = c.execs()
    assert list(e1.meta.args) == ["/bin/sh", "-c", "echo one\necho two\n"]
    # the name ends with a summary of the body (whether the reference's name also holds
    # the body lines depends on its Original; docs/reference-llb.md saw `RUN <<EOT (..)`)
    name = c.names[c.digests.index(c.digests[1])]
    assert name.startswith("[2/3] RUN <<EOT") and name.endswith(" (echo one...)")
    # shebang: the body becomes a file mounted read-only at /dev/pipes/
    assert list(e2.meta.args) == ["/bin/sh", "-c", "/dev/pipes/EOT"]
    pipes = [m for m in e2.mounts if m.dest == "/dev/pipes/"]
    assert len(pipes) == 1 and pipes[0].readonly and pipes[0].output == -1
    doc = c.named("[internal] preparing inline document")
    (action,) = doc.file.actions
    assert action.mkfile.path == "/EOT"
    assert action.mkfile.mode == 0o755
    assert action.mkfile.data == b"#!/bin/sh\necho hi\n"


# ------------------------------------------------------------------ env


def test_env_refs_in_one_instruction_see_old_values() -> None:
    c = compile_text(lines("FROM alpine", "ENV A=1 B=$A", "ENV A=2 C=$A D=${B:-unset}", "RUN x"))
    assert c.config["Env"] == [PATH, "A=2", "B=", "C=1", "D=unset"]
    assert c.history[:2] == ["ENV A=1 B=", "ENV A=2 C=1 D=unset"]


def test_exec_env_order_follows_the_reference() -> None:
    # docs/reference-llb.md section 3, the observed example
    text = lines(
        "FROM alpine",
        "ENV A=1 PATH=/custom:$PATH",
        "ARG B",
        "ARG C=3",
        "ENV A=2",
        "ARG A=9",
        "RUN one",
        "ENV B=env Z=last",
        "ARG C=4",
        "RUN two",
    )
    c = compile_text(text, build_args={"B": "bb"})
    custom = "PATH=/custom:" + PATH.removeprefix("PATH=")
    one, two = c.execs()
    assert list(one.meta.env) == [custom, "B=bb", "C=3", "A=9"]
    assert list(two.meta.env) == [custom, "A=9", "B=env", "Z=last", "C=4"]
    # the config Env replaces in place and never holds ARGs
    assert c.config["Env"] == [custom, "A=2", "B=env", "Z=last"]


def test_arg_defaults_build_arg_override_and_unset() -> None:
    text = lines("FROM alpine", "ARG WITH=def", "ARG OVER=def", "ARG NONE", "RUN x")
    assert env_of(text, build_args={"OVER": "cli", "UNDECLARED": "z"}) == [
        PATH,
        "WITH=def",
        "OVER=cli",
    ]
    c = compile_text(text, build_args={"NONE": ""})
    assert list(c.execs()[0].meta.env) == [PATH, "WITH=def", "OVER=def", "NONE="]
    assert c.history[:3] == ["ARG WITH=def", "ARG OVER=def", "ARG NONE="]


def test_global_args_are_inherited_only_when_redeclared() -> None:
    text = lines(
        "ARG V=global",
        "ARG OTHER=o",
        "FROM alpine AS a",
        "RUN no-arg",
        "ARG V",
        "RUN with-arg",
        "FROM alpine AS b",
        "ARG V=local",
        "RUN local",
        "FROM scratch",
        "COPY --from=a / /a",
        "COPY --from=b / /b",
    )
    c = compile_text(text)
    env = {e.meta.args[-1]: list(e.meta.env) for e in c.execs()}
    assert env["no-arg"] == [PATH]
    assert env["with-arg"] == [PATH, "V=global"]
    assert env["local"] == [PATH, "V=local"]
    c = compile_text(text, build_args={"V": "cli"})
    env = {e.meta.args[-1]: list(e.meta.env) for e in c.execs()}
    assert env["with-arg"] == [PATH, "V=cli"]
    assert env["local"] == [PATH, "V=cli"]


def test_global_arg_defaults_can_use_earlier_global_args() -> None:
    text = lines("ARG A=1", "ARG B=${A}2", "FROM alpine:${B}", "ARG B", "RUN x")
    c = compile_text(text)
    assert c.identifiers() == ["docker-image://docker.io/library/alpine:12"]
    assert list(c.execs()[0].meta.env) == [PATH, "B=12"]


def test_automatic_platform_args_only_when_declared() -> None:
    text = lines("FROM alpine", "RUN before", "ARG TARGETARCH", "ARG BUILDPLATFORM", "RUN after")
    c = compile_text(text)
    before, after = c.execs()
    assert list(before.meta.env) == [PATH]
    assert list(after.meta.env) == [PATH, "TARGETARCH=amd64", "BUILDPLATFORM=linux/amd64"]
    from frontend import llb

    c = compile_text(text, target_platform=llb.Platform("linux", "arm64"))
    assert "TARGETARCH=arm64" in c.execs()[-1].meta.env
    assert "BUILDPLATFORM=linux/amd64" in c.execs()[-1].meta.env


def test_target_platform_arg_in_from_and_name() -> None:
    from frontend import llb

    text = lines("FROM --platform=$BUILDPLATFORM golang AS build", "ARG TARGETOS", "RUN x")
    c = compile_text(text, target_platform=llb.Platform("linux", "arm64"))
    assert c.ops[0].platform.Architecture == "amd64"
    assert c.ops[1].platform.Architecture == "amd64"
    assert "TARGETOS=linux" in c.ops[1].exec.meta.env


def test_proxy_build_args_go_to_proxy_env_not_env() -> None:
    text = lines("FROM alpine", "RUN x")
    c = compile_text(
        text, build_args={"HTTP_PROXY": "http://p:3128", "no_proxy": "local", "OTHER": "1"}
    )
    meta = c.execs()[0].meta
    assert list(meta.env) == [PATH]
    assert meta.proxy_env == ops_pb2.ProxyEnv(http_proxy="http://p:3128", no_proxy="local")
    assert c.history[-1] == "RUN /bin/sh -c x # buildkit"
    # declared proxy args behave like any ARG (and show in history)
    c = compile_text(
        lines("FROM alpine", "ARG http_proxy", "RUN x"), build_args={"http_proxy": "p"}
    )
    meta = c.execs()[0].meta
    assert list(meta.env) == [PATH, "http_proxy=p"]
    assert meta.proxy_env.http_proxy == "p"
    assert c.history[-1] == "RUN |1 http_proxy=p /bin/sh -c x # buildkit"


def test_run_history_lists_args_declared_so_far() -> None:
    c = compile_text(
        lines(
            "FROM alpine AS a",
            "ARG FOO=bar",
            "ARG UNUSED=zz",
            'RUN ["echo", "exec form"]',
            "ENV FOO=env",
            "RUN echo $FOO",
            "FROM a",
            "RUN inherited",
        )
    )
    assert c.history == [
        "ARG FOO=bar",
        "ARG UNUSED=zz",
        "RUN |2 FOO=bar UNUSED=zz echo exec form # buildkit",
        "ENV FOO=env",
        "RUN |2 FOO=env UNUSED=zz /bin/sh -c echo $FOO # buildkit",
        "RUN |2 FOO=env UNUSED=zz /bin/sh -c inherited # buildkit",
    ]


def test_user_and_workdir_reach_the_exec() -> None:
    c = compile_text(lines("FROM alpine", "USER nobody", "WORKDIR /app", "WORKDIR sub", "RUN x"))
    meta = c.execs()[0].meta
    assert meta.user == "nobody"
    assert meta.cwd == "/app/sub"
    assert not compile_text(lines("FROM alpine", "RUN x")).execs()[0].meta.user


# ------------------------------------------------------------------ --from


def test_copy_from_stage_defined_later_is_refused() -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine AS a", "COPY --from=b x y", "FROM alpine AS b"), target="a")
    assert info.value.message == (
        'cannot copy from stage "b", it needs to be defined before current stage "a"'
    )
    assert info.value.location is not None and info.value.location.start_line == 2


# ------------------------------------------------------------------ network, security, cache


def test_network_and_security_flags() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "RUN --network=none a",
            "RUN --network=host b",
            "RUN --network=default c",
            "RUN --security=insecure d",
        )
    )
    nets = [(e.network, e.security) for e in c.execs()]
    assert nets == [
        (ops_pb2.NONE, ops_pb2.SANDBOX),
        (ops_pb2.HOST, ops_pb2.SANDBOX),
        (ops_pb2.UNSET, ops_pb2.SANDBOX),
        (ops_pb2.UNSET, ops_pb2.INSECURE),
    ]
    c = compile_text(lines("FROM alpine", "RUN a", "RUN --network=default b"), network_mode="none")
    assert [e.network for e in c.execs()] == [ops_pb2.NONE, ops_pb2.NONE]


@pytest.mark.parametrize(
    ("no_cache", "marked"),
    [
        (None, set()),
        ((), {"apk", "COPY", "build"}),
        (("BASE",), {"apk", "COPY"}),
        (("other",), set()),
    ],
)
def test_no_cache_marks_run_and_copy_of_the_stages(
    no_cache: tuple[str, ...] | None, marked: set[str]
) -> None:
    text = lines(
        "FROM alpine AS base",
        "RUN apk add x",
        "WORKDIR /w",
        "COPY a b",
        "FROM base",
        "RUN build",
    )
    c = compile_text(text, no_cache=no_cache)
    ignored = set()
    for i, name in enumerate(c.names):
        md = c.metadata(i)
        if md.ignore_cache:
            for key in ("apk", "COPY", "build", "WORKDIR", "FROM"):
                if key in name:
                    ignored.add(key)
    assert ignored == marked
    terminal = c.metadata(len(c.ops) - 1)
    assert ("meta.ignorecache" in terminal.caps) == bool(marked)
    assert c.result.ignore_cache == bool(marked)
    # metadata only: digests do not change
    assert c.digests == compile_text(text).digests


def test_run_op_metadata_description_and_caps() -> None:
    c = compile_text(lines("FROM alpine", "RUN --mount=type=cache,target=/c x"))
    md = c.metadata(1)
    assert md.description["com.docker.dockerfile.v1.command"] == (
        "RUN --mount=type=cache,target=/c x"
    )
    assert {"exec.meta.base", "exec.mount.cache", "exec.mount.cache.sharing"} <= set(md.caps)


def test_no_cache_stage_names_match_like_go_equal_fold() -> None:
    opts = CompileOptions(no_cache=("Build", "\u212aey", "\u017fetup"))
    assert opts.is_no_cache("build")
    assert opts.is_no_cache("key")  # Kelvin sign folds to k
    assert opts.is_no_cache("setup")  # long s folds to s
    assert not opts.is_no_cache("final")
    assert not opts.is_no_cache(None)
    assert not CompileOptions().is_no_cache("build")
    assert CompileOptions(no_cache=()).is_no_cache(None)
    assert not equal_fold("\u00df", "ss")  # simple folding only, as Go
    assert equal_fold("\u1e9e", "\u00df")  # capital and small sharp s


def test_empty_exec_form_run_is_refused() -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", "RUN []"))
    assert info.value.message == "arguments are required"
    assert info.value.location is not None and info.value.location.start_line == 2


# ------------------------------------------------------------------ platforms


WINDOWS = llb.Platform("windows", "amd64")


def test_windows_default_shell_and_no_path() -> None:
    c = compile_text(
        lines("FROM scratch", "RUN echo hi", "CMD foo bar", "ENTRYPOINT baz"),
        target_platform=WINDOWS,
    )
    (e,) = c.execs()
    assert list(e.meta.args) == ["cmd", "/S", "/C", "echo hi"]
    assert list(e.meta.env) == []  # no PATH on Windows, left to the OS (#5445)
    assert c.config["Entrypoint"] == ["cmd", "/S", "/C", "baz"]
    assert "Env" not in c.config
    # the shell follows the image config's OS; SHELL still wins
    c = compile_text(
        lines("FROM scratch", 'SHELL ["pwsh", "-c"]', "RUN x"), target_platform=WINDOWS
    )
    assert list(c.execs()[0].meta.args) == ["pwsh", "-c", "x"]


def test_from_platform_is_parsed_not_normalised_for_the_image_source() -> None:
    # the image source keeps --platform as parsed; its state (and the execs on it) the
    # normalised platform, as Go's llb does
    c = compile_text(lines("FROM --platform=linux/arm busybox", "RUN x"))
    (src,) = c.of_kind("source")
    (e,) = c.of_kind("exec")
    assert src.platform == ops_pb2.Platform(OS="linux", Architecture="arm")
    assert e.platform == ops_pb2.Platform(OS="linux", Architecture="arm", Variant="v7")
    c = compile_text(lines("FROM --platform=linux/arm64/v8 busybox", "RUN x"))
    (src,) = c.of_kind("source")
    (e,) = c.of_kind("exec")
    assert src.platform.Variant == "v8" and e.platform.Variant == ""


def test_scratch_stage_runs_for_the_target_platform() -> None:
    # FROM --platform=... scratch is the target platform's in the reference (its state
    # has no platform: the execs get the definition's default, the target)
    c = compile_text(lines("FROM --platform=linux/arm64 scratch", "COPY a /a", "RUN x"))
    (e,) = c.of_kind("exec")
    assert e.platform == ops_pb2.Platform(OS="linux", Architecture="amd64")
    assert c.image["architecture"] == "amd64"


def test_multi_platform_names_use_format_all() -> None:
    osv = llb.Platform("windows", "amd64", os_version="1.2.3")
    c = compile_text(lines("FROM busybox", "RUN x"), multi_platform=True, target_platform=osv)
    assert "[windows(1.2.3)/amd64 2/2] RUN x" in c.names
    # a RUN on scratch names no platform (its state has none), as the reference's
    c = compile_text(lines("FROM scratch", "RUN x"), multi_platform=True)
    assert "[1/1] RUN x" in c.names


def test_target_platform_arg_has_the_os_version_and_the_resolver_gets_it() -> None:
    r = RecordingResolver()
    seen: list[llb.Platform] = []

    def resolver(ref: str, platform: llb.Platform, log_name: str) -> Any:
        seen.append(platform)
        return r(ref, platform, log_name)

    osv = llb.Platform("windows", "amd64", os_version="1.1.0")
    c = compile_text(
        lines("FROM busybox", "ARG TARGETPLATFORM TARGETOSVERSION", "RUN x"),
        resolver=resolver,
        target_platform=osv,
    )
    env = list(c.execs()[0].meta.env)
    assert env == ["TARGETPLATFORM=windows(1.1.0)/amd64", "TARGETOSVERSION=1.1.0"]
    assert seen == [osv]


@pytest.mark.parametrize(
    ("target", "stage"),
    [("", "default"), ("foo", "foo"), ("Foo", "Foo")],
)
def test_targetstage_arg(target: str, stage: str) -> None:
    text = lines(
        "FROM alpine AS base",
        'RUN echo "$TARGETSTAGE"',
        "ARG TARGETSTAGE",
        'RUN echo "$TARGETSTAGE"',
        "FROM base AS foo",
        "FROM base",
    )
    c = compile_text(text, target=target)
    first, second = c.execs()
    assert "TARGETSTAGE" not in "".join(first.meta.env)  # only when declared
    assert f"TARGETSTAGE={stage}" in second.meta.env
    named = compile_text(text + "FROM base AS final\n")
    assert "TARGETSTAGE=final" in named.execs()[-1].meta.env


def test_secret_env_reads_masked_in_the_step_name() -> None:
    # TestSecretAsEnviron: the name shows **** where a secret env var is used
    c = compile_text(
        lines(
            "FROM busybox",
            "ENV SECRET_ENV=foo",
            'RUN --mount=type=secret,id=s,env=SECRET_ENV [ "$SECRET_ENV" == "pw" ] && echo $HOME',
            "RUN --mount=type=secret,id=x,env=NEW echo $NEW ${NEW:-d} $SECRET_ENV",
        )
    )
    first = 'RUN --mount=type=secret,id=s,env=SECRET_ENV [ "****" == "pw" ] && echo $HOME'
    assert f"[stage-0 2/3] {first}" in c.names
    assert "[stage-0 3/3] RUN --mount=type=secret,id=x,env=NEW echo **** **** foo" in c.names
    assert "SECRET_ENV=foo" in c.execs()[0].meta.env  # the env itself is untouched
