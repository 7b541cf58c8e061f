"""Image config and history, base image config applied, ONBUILD triggers."""

from __future__ import annotations

import json
import posixpath

import pytest

from frontend import llb
from frontend.language import DockerfileError
from tests.unit.compiler.util import PATH, RecordingResolver, compile_text, image_config, lines

BASE = "docker.io/library/base:latest"


def test_config_instructions_and_history_strings() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            'ENTRYPOINT ["/e"]',
            "EXPOSE 80 53/udp 8000-8001",
            "VOLUME /data",
            'LABEL a=b "c d"=e',
            "STOPSIGNAL SIGTERM",
            "HEALTHCHECK --interval=5s --retries=2 CMD curl -f http://x/ || exit 1",
            "MAINTAINER someone",
            "CMD echo hi",
            'SHELL ["/bin/sh", "-ec"]',
            "USER nobody",
        )
    )
    cfg = c.config
    assert cfg["Entrypoint"] == ["/e"]
    assert cfg["ExposedPorts"] == {"53/udp": {}, "80/tcp": {}, "8000/tcp": {}, "8001/tcp": {}}
    assert cfg["Volumes"] == {"/data": {}}
    assert cfg["Labels"] == {"a": "b", "c d": "e"}
    assert cfg["StopSignal"] == "SIGTERM"
    assert cfg["Healthcheck"] == {
        "Test": ["CMD-SHELL", "curl -f http://x/ || exit 1"],
        "Interval": 5_000_000_000,
        "Retries": 2,
    }
    assert cfg["Cmd"] == ["/bin/sh", "-c", "echo hi"]
    assert cfg["ArgsEscaped"] is True
    assert cfg["Shell"] == ["/bin/sh", "-ec"]
    assert cfg["User"] == "nobody"
    assert cfg["Env"] == [PATH]
    assert c.image["author"] == "someone"
    assert c.history == [
        'ENTRYPOINT ["/e"]',
        "EXPOSE [53/udp 80/tcp 8000/tcp 8001/tcp]",
        "VOLUME [/data]",
        "LABEL a=b c d=e",
        "STOPSIGNAL SIGTERM",
        "HEALTHCHECK {Test:[CMD-SHELL curl -f http://x/ || exit 1] Interval:5s Timeout:0s "
        "StartPeriod:0s StartInterval:0s Retries:2}",
        "MAINTAINER someone",
        'CMD ["/bin/sh" "-c" "echo hi"]',
        "SHELL [/bin/sh -ec]",
        "USER nobody",
    ]
    hist = c.image["history"]
    assert all(h["empty_layer"] for h in hist)
    assert all(h["comment"] == "buildkit.dockerfile.v0" for h in hist)


def test_expose_history_lists_the_ports_in_word_order() -> None:
    # TestExportedHistory: the words sorted as written ($P first), then expanded;
    # duplicates kept; the config JSON has the ports sorted (a Go map)
    c = compile_text(lines("FROM alpine", "ARG P=9", "EXPOSE 2375 5000 1234/udp 80 $P 80/TCP"))
    assert c.history[-1] == "EXPOSE [9/tcp 1234/udp 2375/tcp 5000/tcp 80/tcp 80/tcp]"
    assert list(json.loads(c.result.image.to_json())["config"]["ExposedPorts"]) == [
        "1234/udp",
        "2375/tcp",
        "5000/tcp",
        "80/tcp",
        "9/tcp",
    ]


def test_config_maps_are_written_with_sorted_keys() -> None:
    c = compile_text(lines("FROM alpine", "LABEL b=1 a=2", "VOLUME /z /a"))
    cfg = json.loads(c.result.image.to_json())["config"]
    assert (list(cfg["Labels"]), list(cfg["Volumes"])) == (["a", "b"], ["/a", "/z"])


@pytest.mark.parametrize(
    ("spec", "ports", "error"),
    [
        ("1.2.3.4:8080:80/udp", ["80/udp"], ""),
        ("[::1]:80:80", ["80/tcp"], ""),
        ("8000-8001:80", ["80/tcp"], ""),  # a host range for one port
        ("+080", ["80/tcp"], ""),  # strconv.ParseInt
        ("0", ["0/tcp"], ""),
        ("80/SCTP", ["80/sctp"], ""),
        ("80/foo", [], 'invalid port: "80/foo": invalid proto: foo'),
        ("80/tcp/x", [], 'invalid port: "80/tcp/x": invalid proto: tcp/x'),
        ("/tcp", [], 'invalid port: "/tcp": no port specified'),
        ("70000", [], "invalid containerPort: 70000"),
        ("80-", [], "invalid containerPort: 80-"),
        ("1.2.3:80:80", [], "invalid IP address: 1.2.3"),
        ("[::1:80:80", [], "invalid IP address [::1: address [::1:: missing ']' in address"),
        ("[::1]x:80:80", [], "invalid IP address [::1]x: address [::1]x:: missing port in address"),
        ("abc:80", [], "invalid hostPort: abc"),
        (
            "8000-8001:80-82",
            [],
            "invalid ranges specified for container and host Ports: 80-82 and 8000-8001",
        ),
    ],
)
def test_expose_port_specs(spec: str, ports: list[str], error: str) -> None:
    text = lines("FROM alpine", f"EXPOSE {spec}")
    if error:
        with pytest.raises(DockerfileError) as info:
            compile_text(text)
        assert info.value.message == error
        assert info.value.location is not None and info.value.location.start_line == 2
    else:
        assert list(compile_text(text).config["ExposedPorts"]) == ports


def test_entrypoint_resets_cmd_unless_cmd_came_first_in_the_stage() -> None:
    base = image_config(Cmd=["base-cmd"], Entrypoint=["/base"])
    r = RecordingResolver(configs={BASE: base})
    c = compile_text(lines("FROM base", 'ENTRYPOINT ["/e"]'), resolver=r)
    assert "Cmd" not in c.config
    c = compile_text(lines("FROM base", 'CMD ["c"]', 'ENTRYPOINT ["/e"]'), resolver=r)
    assert c.config["Cmd"] == ["c"]
    c = compile_text(lines("FROM base", "RUN x"), resolver=r)
    assert (c.config["Cmd"], c.config["Entrypoint"]) == (["base-cmd"], ["/base"])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("STOPSIGNAL NOPE", "Invalid signal: NOPE"),
        ("EXPOSE abc", "invalid containerPort: abc"),
        ("EXPOSE 90-80", "invalid containerPort: 90-80"),
        ("COPY --chmod=99 a b", "invalid chmod parameter"),
    ],
)
def test_config_errors_are_located(line: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", "RUN x", line))
    assert info.value.message.startswith(message)
    assert info.value.location is not None and info.value.location.start_line == 3


def test_scratch_image_config() -> None:
    c = compile_text(
        lines("FROM scratch", "ENV A=1"), target_platform=llb.Platform("linux", "arm", "v6")
    )
    assert c.image["architecture"] == "arm"
    assert c.image["variant"] == "v6"
    assert c.config["Env"] == [PATH, "A=1"]
    assert not c.ops or all(op.WhichOneof("op") is None for op in c.ops)


def test_result_platform_is_normalised() -> None:
    # the reference normalises the result's platform: arm64's v8 is no variant
    c = compile_text(
        lines("FROM scratch", "ENV A=1"), target_platform=llb.Platform("linux", "arm64", "v8")
    )
    data = json.loads(c.result.image.to_json())
    assert (data["architecture"], data.get("variant")) == ("arm64", None)


def test_explicit_platform_on_the_result_image() -> None:
    """finalizeResultImage: the variant and OS version of the requested platform when
    given, or when the OS/architecture changed; else the base image's stay."""
    base = {**image_config(), "variant": "v7", "architecture": "arm", "os.version": "9"}
    r = RecordingResolver(configs={BASE: base})
    arm = llb.Platform("linux", "arm")
    c = compile_text("FROM base\n", resolver=r, target_platform=arm, platform_explicit=True)
    assert (c.image["variant"], c.image["os.version"]) == ("v7", "9")  # same os/arch: kept
    amd = llb.Platform("linux", "amd64")
    c = compile_text("FROM base\n", resolver=r, target_platform=amd, platform_explicit=True)
    data = json.loads(c.result.image.to_json())
    assert (data["architecture"], data.get("variant"), data.get("os.version")) == (
        "amd64",
        None,
        None,
    )
    win = llb.Platform("windows", "amd64", os_version="10.0.1", os_features=("win32k",))
    c = compile_text("FROM scratch\n", target_platform=win, platform_explicit=True)
    data = json.loads(c.result.image.to_json())
    assert (data["os.version"], data["os.features"]) == ("10.0.1", ["win32k"])
    assert "Env" not in data["config"]  # no PATH on Windows (#5445)


def test_base_image_config_is_applied() -> None:
    base = image_config(
        Env=["PATH=/opt/bin:/usr/bin", "LANG=C"],
        WorkingDir="/srv",
        User="app",
        Shell=["/bin/bash", "-c"],
        Labels={"from": "base"},
    )
    r = RecordingResolver(configs={BASE: base})
    c = compile_text(lines("FROM base", "RUN echo $LANG", 'LABEL mine="1"', "COPY a b"), resolver=r)
    meta = c.execs()[0].meta
    assert list(meta.args) == ["/bin/bash", "-c", "echo $LANG"]
    assert list(meta.env) == ["PATH=/opt/bin:/usr/bin", "LANG=C"]  # no default PATH added
    assert (meta.cwd, meta.user) == ("/srv", "app")
    assert c.names[1] == "[2/3] RUN echo C"
    assert c.files()[-1].actions[0].copy.dest == "/srv/b"
    assert c.config["Labels"] == {"from": "base", "mine": "1"}
    assert "created" not in c.image
    assert c.image["history"][0] == {"created_by": "base layer"}
    assert c.image["rootfs"]["diff_ids"] == ["sha256:" + "ab" * 32]
    # the base image config is reported as well (for the gateway's metadata)
    assert c.result.base_image is not None
    # no WorkingDir op for the base image's directory
    assert c.kinds().count("file") == 1


def test_base_without_path_gets_the_default_path() -> None:
    r = RecordingResolver(configs={BASE: image_config(Env=["A=1"])})
    c = compile_text(lines("FROM base", "RUN x"), resolver=r)
    assert list(c.execs()[0].meta.env) == ["A=1", PATH]
    assert c.config["Env"] == ["A=1", PATH]


def test_base_image_without_layers_is_scratch() -> None:
    cfg = image_config()
    cfg["rootfs"] = {"type": "layers", "diff_ids": []}
    cfg["history"] = [{"created_by": "nothing", "empty_layer": True}]
    r = RecordingResolver(configs={BASE: cfg})
    c = compile_text(lines("FROM base", "COPY a /a"), resolver=r)
    assert not any(i.startswith("docker-image://") for i in c.identifiers())


def test_onbuild_triggers_of_base_image_run_first_and_are_not_inherited() -> None:
    base = image_config(OnBuild=["RUN echo trig", "COPY --from=helper /h /h"])
    r = RecordingResolver(configs={BASE: base})
    c = compile_text(
        lines(
            "FROM alpine AS helper",
            "RUN make-h",
            "FROM alpine AS never",
            "RUN never",
            "FROM base",
            "RUN mine",
            "ONBUILD RUN later",
        ),
        resolver=r,
    )
    names = [n for n in c.names if n.startswith("[stage-2")]
    # the FROM is named when the base is resolved, before its triggers add to the total
    # (as the reference: resolveBaseImage runs before initOnBuildTriggers)
    assert names == [
        "[stage-2 1/2] FROM docker.io/library/base:latest",
        "[stage-2 2/4] ONBUILD RUN echo trig",
        "[stage-2 3/4] ONBUILD COPY --from=helper /h /h",
        "[stage-2 4/4] RUN mine",
    ]
    cmds = [e.meta.args[-1] for e in c.execs()]
    assert cmds == ["echo trig", "make-h", "mine"]  # helper became reachable, never did not
    assert c.config["OnBuild"] == ["RUN later"]
    assert "docker.io/library/alpine:latest" in r.refs
    # triggers are located at the FROM
    locs = c.definition.pb.Source.locations[c.digests[c.index_named("ONBUILD RUN echo trig")]]
    assert [r.start.line for loc in locs.locations for r in loc.ranges] == [5]


def test_onbuild_trigger_of_base_image_may_name_an_image() -> None:
    # TestOnBuildNewDeps: a trigger's --from image is resolved like any other
    base = image_config(OnBuild=["COPY --from=alpine /etc/alpine-release /out/r"])
    r = RecordingResolver(configs={BASE: base})
    c = compile_text(
        lines("FROM base AS b", "RUN cat /out/r", "FROM scratch", "COPY --from=b /out /"),
        resolver=r,
    )
    assert r.refs == ["docker.io/library/alpine:latest", BASE]
    assert "docker-image://docker.io/library/alpine:latest" in c.identifiers()


def test_onbuild_of_a_stage_base_runs_in_the_child_stage() -> None:
    c = compile_text(
        lines("FROM alpine AS parent", "ONBUILD RUN echo child", "RUN p", "FROM parent", "RUN c")
    )
    cmds = [e.meta.args[-1] for e in c.execs()]
    assert cmds == ["p", "echo child", "c"]
    assert "OnBuild" not in c.config
    assert "[stage-1 1/2] ONBUILD RUN echo child" in c.names


def test_labels_option_and_platform_option_apply_to_the_target() -> None:
    arm = llb.Platform("linux", "arm64")
    c = compile_text(
        lines("FROM alpine", "LABEL a=1"),
        labels={"b": "2"},
        target_platform=arm,
        platform_explicit=True,
    )
    assert c.config["Labels"] == {"a": "1", "b": "2"}
    assert c.image["architecture"] == "arm64"
    assert c.ops[0].platform.Architecture == "arm64"


def test_stage_base_copies_config_and_args_but_not_onbuild() -> None:
    c = compile_text(
        lines(
            "FROM alpine AS a",
            "ENV E=1",
            "ARG X=2",
            "WORKDIR /w",
            "USER u",
            "FROM a",
            "RUN x",
        )
    )
    meta = c.execs()[0].meta
    # the image Env is re-added on top of the base stage's env, moving those keys last
    # (the reference's dispatchStages does AddEnv for every Env entry of every stage)
    assert list(meta.env) == ["X=2", PATH, "E=1"]
    assert (meta.cwd, meta.user) == ("/w", "u")
    assert c.config["Env"] == [PATH, "E=1"]
    assert c.history[-1] == "RUN |1 X=2 /bin/sh -c x # buildkit"


@pytest.mark.parametrize(
    ("instruction", "message"),
    [
        ("STOPSIGNAL ²", "Invalid signal: ²"),
        ("STOPSIGNAL " + "1" * 4400, "Invalid signal: " + "1" * 4400),
        ("EXPOSE ²", "invalid containerPort: ²"),
        ("EXPOSE " + "1" * 4400, "invalid containerPort: " + "1" * 4400),
        ("EXPOSE 65536", "invalid containerPort: 65536"),
        ("EXPOSE 80-1²", "invalid containerPort: 80-1²"),
    ],
)
def test_non_ascii_or_huge_numbers_are_refused(instruction: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", instruction))
    assert info.value.message == message
    assert info.value.location is not None and info.value.location.start_line == 2


def test_exposed_port_range_up_to_65535() -> None:
    c = compile_text(lines("FROM alpine", "EXPOSE 65534-65535/udp"))
    assert sorted(c.image["config"]["ExposedPorts"]) == ["65534/udp", "65535/udp"]


def test_healthcheck_duration_overflow_is_a_located_error() -> None:
    nines = "9" * 297
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", f"HEALTHCHECK --interval={nines}h CMD true"))
    assert info.value.message == f'time: invalid duration "{nines}h"'
    assert info.value.location is not None and info.value.location.start_line == 2


# ------------------------------------------------------------------ WORKDIR paths


@pytest.mark.parametrize(
    ("workdirs", "cwd"),
    [
        # absolute: as written (the reference's NormalizeWorkdir cleans relative only)
        (["/src/"], "/src/"),
        (["//a/../b/"], "//a/../b/"),
        (["/a/./b/."], "/a/./b/."),
        # relative: joined to the current directory and cleaned
        (["/src/", "sub/"], "/src/sub"),
        (["a/", "../b/."], "/b"),
        (["/", "//"], "//"),
    ],
)
def test_workdir_absolute_as_written_relative_cleaned(workdirs: list[str], cwd: str) -> None:
    c = compile_text(lines("FROM alpine", *[f"WORKDIR {w}" for w in workdirs], "RUN x"))
    assert c.execs()[-1].meta.cwd == cwd
    assert c.config["WorkingDir"] == cwd
    assert c.history[-2] == f"WORKDIR {cwd}"
    mkdir = c.files()[-1].actions[0].mkdir
    assert mkdir.path == posixpath.normpath(cwd).replace("//", "/")  # llb cleans it


def test_base_image_workdir_is_normalised_against_itself() -> None:
    # the reference dispatches WORKDIR <image's dir> from the image's dir: a relative
    # one is joined to itself
    r = RecordingResolver(configs={BASE: image_config(WorkingDir="rel")})
    c = compile_text(lines("FROM base", "RUN x"), resolver=r)
    assert c.execs()[-1].meta.cwd == "/rel/rel"
    assert c.config["WorkingDir"] == "/rel/rel"


WINDOWS = llb.Platform("windows", "amd64")


def test_windows_workdir_drive_and_separators() -> None:
    c = compile_text(
        lines("FROM alpine", "WORKDIR C:\\\\foo\\\\bar\\\\", "WORKDIR c:baz/./q/", "RUN x"),
        target_platform=WINDOWS,
    )
    # C: dropped and cleaned; c:baz is relative (to the current directory)
    assert c.execs()[-1].meta.cwd == "/foo/bar/baz/q"
    assert c.config["WorkingDir"] == r"\foo\bar\baz\q"  # the config's separators
    assert c.history[-3:-1] == ["WORKDIR /foo/bar", "WORKDIR /foo/bar/baz/q"]
    c = compile_text(
        lines("FROM alpine", "WORKDIR /a", "WORKDIR b", "RUN x"), target_platform=WINDOWS
    )
    assert c.execs()[-1].meta.cwd == "/a/b"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("D:\\\\foo", "The specified path is not on the system drive (C:)"),
        ("C:", 'No relative path specified in "C:"'),
        ("\\\\\\\\server\\\\x", "UNC paths are not supported"),
        ("//server/x", "UNC paths are not supported"),
    ],
)
def test_windows_workdir_errors(path: str, why: str) -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", f"WORKDIR {path}"), target_platform=WINDOWS)
    assert info.value.message == (
        "normalizing workdir: normalizing working directory: removing drive letter: " + why
    )
    assert info.value.location is not None and info.value.location.start_line == 2


def test_workdir_directory_gets_the_source_date_epoch() -> None:
    # TestWorkdirSourceDateEpochReproducible: the mkdir carries the epoch's time
    c = compile_text(
        lines("FROM alpine", "WORKDIR /mydir"), build_args={"SOURCE_DATE_EPOCH": "1673364896"}
    )
    assert c.files()[-1].actions[0].mkdir.timestamp == 1673364896 * 1_000_000_000
    c = compile_text(lines("FROM alpine", "WORKDIR /mydir"))
    assert c.files()[-1].actions[0].mkdir.timestamp == -1


def test_a_base_images_from_trigger_is_no_command() -> None:
    # an image config may carry any trigger text; FROM is refused as the reference's
    # ParseCommand refuses it (fuzz: TypeError in dispatch)
    r = RecordingResolver(configs={BASE: image_config(OnBuild=["FROM busybox"])})
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM base", "RUN x"), resolver=r)
    assert info.value.message == "*instructions.Stage is not a command type"
    assert info.value.location is not None and info.value.location.start_line == 1
