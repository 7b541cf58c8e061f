"""The lesson files compiled end to end: reference digests, step names, source map,
target selection (no op and no resolution for unreachable stages), determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontend import llb
from frontend.compiler import CompileOptions, compile_dockerfile
from frontend.language import parse_dockerfile
from tests.unit.compiler.util import PATH, RecordingResolver, compile_text, lines

LESSON_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "lesson"

# the reference's ops for this file: `d2l-offline -sourcemap -local-unique=` (the 1.26
# converter, see ../shared/conformance) printed these digests and names
LESSON10 = lines(
    "FROM alpine AS build",
    "RUN apk add figlet",
    "FROM build AS poster1",
    'RUN echo -e "keep calm\\nand\\ncontainerize" | figlet > poster',
    "FROM busybox AS union",
    "COPY --from=poster1 poster poster1",
    "RUN cat poster1 >> poster",
    "FROM busybox",
    "COPY --from=union poster poster",
    'CMD ["cat", "poster"]',
)
LESSON10_DIGESTS = [
    "e1432b8e",
    "a7f9733e",
    "5df0d6f2",
    "0c6cee40",
    "d839b057",
    "48ace38f",
    "4c9f81d4",
    "0cc0fee3",
]
LESSON10_NAMES = [
    "[union 1/3] FROM docker.io/library/busybox:latest",
    "[build 1/2] FROM docker.io/library/alpine:latest",
    "[build 2/2] RUN apk add figlet",
    '[poster1 1/1] RUN echo -e "keep calm\\nand\\ncontainerize" | figlet > poster',
    "[union 2/3] COPY --from=poster1 poster poster1",
    "[union 3/3] RUN cat poster1 >> poster",
    "[stage-3 2/2] COPY --from=union poster poster",
    "",
]


def test_lesson_file_has_the_reference_digests_and_names() -> None:
    c = compile_text(LESSON10)
    assert [d[7:15] for d in c.digests] == LESSON10_DIGESTS
    assert c.names == LESSON10_NAMES
    # the shared busybox op is mapped to both FROM lines (8 first: reached first)
    locs = c.definition.pb.Source.locations[c.digests[0]].locations
    assert [[r.start.line for r in loc.ranges] for loc in locs] == [[8], [5]]
    # every instruction op has exactly its own line
    run = c.definition.pb.Source.locations[c.digests[2]].locations
    assert [(r.start.line, r.end.line) for loc in run for r in loc.ranges] == [(2, 2)]
    assert c.definition.pb.Source.infos[0].data == LESSON10.encode()
    assert c.definition.pb.Source.infos[0].filename == "Dockerfile"
    # no build context op: nothing reads it
    assert not any(i.startswith("local://") for i in c.identifiers())
    assert c.config["Cmd"] == ["cat", "poster"]
    assert c.history == ["COPY poster poster # buildkit", 'CMD ["cat" "poster"]']


def test_lesson_file_default_resolve_mode_has_no_attr() -> None:
    c = compile_text(LESSON10)
    assert all(not s.attrs for s in c.sources())
    assert [op.platform.Architecture for op in c.ops[:2]] == ["amd64", "amd64"]


def test_exec_ops_of_the_lesson_match_the_reference_fields() -> None:
    c = compile_text(LESSON10, image_resolve_mode="local")
    e = c.ops[2].exec
    assert list(e.meta.args) == ["/bin/sh", "-c", "apk add figlet"]
    assert list(e.meta.env) == [PATH]
    assert e.meta.cwd == "/"
    assert e.meta.removeMountStubsRecursive
    assert [(m.input, m.dest, m.output) for m in e.mounts] == [(0, "/", 0)]
    f = c.ops[4].file
    (action,) = f.actions
    assert (action.input, action.secondaryInput, action.output) == (0, 1, 0)
    cp = action.copy
    assert (cp.src, cp.dest, cp.mode, cp.timestamp) == ("/poster", "/poster1", -1, -1)
    assert cp.followSymlink and cp.dirCopyContents and cp.createDestPath
    assert cp.allowWildcard and cp.allowEmptyWildcard
    assert not c.ops[4].HasField("platform")  # file ops carry no platform


@pytest.mark.parametrize(
    ("target", "runs", "resolved"),
    [
        ("", ["apk add figlet", "figlet", "dockerize", "cat poster1", "cat poster2"], 2),
        ("union", ["apk add figlet", "figlet", "dockerize", "cat poster1", "cat poster2"], 2),
        ("poster2", ["apk add figlet", "dockerize"], 1),
        ("build", ["apk add figlet"], 1),
    ],
)
def test_poster_big_target_selection(target: str, runs: list[str], resolved: int) -> None:
    text = (LESSON_DIR / "Dockerfile.poster.big").read_text()
    r = RecordingResolver()
    c = compile_text(text, resolver=r, target=target)
    cmds = [e.meta.args[-1] for e in c.execs()]
    assert len(cmds) == len(runs)
    for frag in runs:
        assert any(frag in cmd for cmd in cmds), (frag, cmds)
    assert len(r.calls) == resolved
    if resolved == 1:
        assert r.refs == ["docker.io/library/alpine:latest"]


def test_unreachable_stage_has_no_op_and_no_resolution() -> None:
    text = lines(
        "FROM golang:1.22 AS unused",
        "RUN go build",
        "FROM node AS also-unused",
        "COPY --from=unused /x /x",
        "FROM alpine AS base",
        "RUN echo base",
        "FROM base",
        "COPY --from=nginx /etc/nginx /etc/nginx",
    )
    r = RecordingResolver()
    c = compile_text(text, resolver=r)
    assert r.refs == ["docker.io/library/alpine:latest", "docker.io/library/nginx:latest"]
    assert sorted(c.identifiers()) == [
        "docker-image://docker.io/library/alpine:latest",
        "docker-image://docker.io/library/nginx:latest",
    ]
    assert [e.meta.args[-1] for e in c.execs()] == ["echo base"]
    # the resolver is told what to show in progress
    assert ("docker.io/library/nginx:latest", "linux/amd64") in [(a, b) for a, b, _ in r.calls]
    assert "[internal] load metadata for docker.io/library/alpine:latest" in [
        n for _, _, n in r.calls
    ]
    # an unreachable stage's broken reference is not even resolved
    r2 = RecordingResolver()
    compile_text(lines("FROM doesnotexist AS x", "FROM alpine"), resolver=r2)
    assert r2.refs == ["docker.io/library/alpine:latest"]


def test_each_image_resolved_once_even_when_used_many_times() -> None:
    r = RecordingResolver()
    compile_text(
        lines(
            "FROM alpine AS a",
            "FROM alpine AS b",
            "COPY --from=alpine /etc/os-release /x",
            "COPY --from=a /etc/os-release /y",
        ),
        resolver=r,
    )
    assert r.refs == ["docker.io/library/alpine:latest"]


def test_resolver_error_is_located_at_the_from() -> None:
    from frontend.compiler import ResolvedImage
    from frontend.language import DockerfileError

    def failing(ref: str, platform: llb.Platform, log_name: str) -> ResolvedImage:
        raise RuntimeError("pull access denied")

    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", "RUN x", "FROM nope"), resolver=failing)
    assert info.value.location is not None and info.value.location.start_line == 3
    assert "pull access denied" in info.value.message


def test_resolved_digest_pins_the_source_and_name() -> None:
    dgst = "sha256:" + "12" * 32
    r = RecordingResolver(digests={"docker.io/library/alpine:3.15": dgst})
    c = compile_text(lines("FROM alpine:3.15", "RUN x"), resolver=r)
    ident = f"docker-image://docker.io/library/alpine:3.15@{dgst}"
    assert c.identifiers() == [ident]
    assert c.names[0] == f"[1/2] FROM docker.io/library/alpine:3.15@{dgst}"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in LESSON_DIR.glob("Dockerfile.*")), ids=lambda n: n
)
def test_lesson_files_compile_deterministically(name: str) -> None:
    text = (LESSON_DIR / name).read_text()

    def once() -> bytes:
        df = parse_dockerfile(text, name)
        res = compile_dockerfile(df, CompileOptions(session_id="s"), RecordingResolver())
        return res.definition().to_bytes() + res.image.to_json()

    first = once()
    assert first == once()
    assert len(first) > 100


def test_many_steps_pad_the_step_index() -> None:
    body = [f"RUN echo {i}" for i in range(11)]
    c = compile_text(lines("FROM alpine AS s", *body, "FROM s"))
    assert c.names[0] == "[s  1/12] FROM docker.io/library/alpine:latest"
    assert c.names[1] == "[s  2/12] RUN echo 0"
    assert c.names[11] == "[s 12/12] RUN echo 10"
    # exactly 10 steps: width 2 too
    c = compile_text(lines("FROM scratch", *body[:10]))
    assert c.names[0] == "[ 1/10] RUN echo 0"
    assert c.names[9] == "[10/10] RUN echo 9"


def test_single_stage_has_no_stage_name_and_counts_steps() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "ENV A=1",  # not a step
            "WORKDIR /w",
            "ARG X=1",  # not a step
            "COPY a b",
            "ADD c d",
            "USER nobody",  # not a step
            "RUN echo $A",
        )
    )
    named = [n for n in c.names if n.startswith("[") and not n.startswith("[internal]")]
    assert named == [
        "[1/5] FROM docker.io/library/alpine:latest",
        "[2/5] WORKDIR /w",
        "[3/5] COPY a b",
        "[4/5] ADD c d",
        "[5/5] RUN echo 1",
    ]


def test_stage_based_on_stage_has_no_from_step_and_scratch_neither() -> None:
    c = compile_text(
        lines(
            "FROM alpine AS a", "RUN x", "FROM a AS b", "RUN y", "FROM scratch", "COPY --from=b / /"
        )
    )
    assert "[b 1/1] RUN y" in c.names
    assert "[stage-2 1/1] COPY --from=b / /" in c.names


def test_multi_platform_prefixes_the_platform() -> None:
    c = compile_text(lines("FROM alpine", "RUN x"), multi_platform=True)
    assert c.names[:2] == [
        "[linux/amd64 1/2] FROM docker.io/library/alpine:latest",
        "[linux/amd64 2/2] RUN x",
    ]


def test_name_expands_env_keeps_quotes_and_unset_vars() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "ARG FOO=bar",
            "ENV X=1",
            'run echo "$FOO" $UNSET ${X} \\',
            "  && echo second line",
        )
    )
    assert c.names[1] == '[2/2] RUN echo "bar" $UNSET 1   && echo second line'
    # the command itself is not expanded
    assert c.ops[1].exec.meta.args[-1] == 'echo "$FOO" $UNSET ${X}   && echo second line'
    # one source range per physical line
    ranges = c.definition.pb.Source.locations[c.digests[1]].locations[0].ranges
    assert [r.start.line for r in ranges] == [4, 5]
