"""Compiler behaviours found by the parity suite (tests/e2e/test_parity.py), pinned
without a daemon.  Each test names the parity case that showed the difference."""

from __future__ import annotations

import pytest

from frontend.language.errors import DockerfileError

from .util import Compiled, RecordingResolver, compile_text, image_config, lines

BUSYBOX = "docker.io/library/busybox:latest"
ALPINE = "docker.io/library/alpine:3.15"


# -- step names (cases run-heredoc, copy-heredoc) ------------------------------------


def test_heredoc_run_name_leaves_out_the_body() -> None:
    c = compile_text(lines("FROM busybox", "RUN <<EOT", "echo one", "echo two", "EOT"))
    i = c.index_named("RUN <<EOT (echo one...)")
    assert c.names[i] == "[2/2] RUN <<EOT (echo one...)"
    desc = c.metadata(i).description["com.docker.dockerfile.v1.command"]
    assert desc == "RUN <<EOT"


def test_heredoc_copy_name_leaves_out_the_bodies() -> None:
    c = compile_text(lines("FROM busybox", "COPY <<A <<B /files/", "a", "A", "b", "B"))
    assert "[2/2] COPY <<A <<B /files/" in c.names
    assert not any("\n" in n for n in c.names)


# -- single-stage naming (cases mount-tmpfs, mount-secret, mount-bind-context) --------


@pytest.mark.parametrize(
    "mount",
    [
        "--mount=type=tmpfs,target=/t",
        "--mount=type=secret,id=s",
        "--mount=type=cache,target=/c",
        "--mount=target=/ctx",
    ],
)
def test_any_run_mount_keeps_the_stage_0_name(mount: str) -> None:
    c = compile_text(lines("FROM busybox", f"RUN {mount} true"))
    assert f"[stage-0 1/2] FROM {BUSYBOX}" in c.names


def test_single_stage_without_mounts_has_no_stage_name() -> None:
    c = compile_text(lines("FROM busybox", "RUN true"))
    assert f"[1/2] FROM {BUSYBOX}" in c.names


# -- --from lookups (cases mount-from-index, from-stage-exact-case) ------------------


def test_mount_from_number_is_an_image_not_a_stage_index() -> None:
    resolver = RecordingResolver()
    c = compile_text(
        lines(
            "FROM busybox AS first", "RUN true", "FROM busybox", "RUN --mount=from=0,target=/m true"
        ),
        resolver,
    )
    assert "docker.io/library/0:latest" in resolver.refs
    assert "docker-image://docker.io/library/0:latest" in c.identifiers()


def test_copy_from_number_is_a_stage_index() -> None:
    resolver = RecordingResolver()
    compile_text(
        lines("FROM busybox AS first", "RUN true", "FROM busybox", "COPY --from=0 /a /a"),
        resolver,
    )
    assert resolver.refs == [BUSYBOX]


def test_from_matches_a_stage_name_only_exactly() -> None:
    with pytest.raises(DockerfileError, match='failed to parse stage name "Build"'):
        compile_text(lines("FROM busybox AS build", "RUN true", "FROM Build"))


def test_copy_from_and_target_match_stage_names_in_any_case() -> None:
    c = compile_text(
        lines("FROM busybox AS Builder", "RUN true", "FROM busybox", "COPY --from=BUILDER /a /a"),
        target="builder",
    )
    assert "[builder 2/2] RUN true" in c.names  # the reference lower-cases AS names


# -- ONBUILD step totals (cases onbuild, onbuild-stage) ------------------------------


def test_every_onbuild_trigger_counts_in_the_step_total() -> None:
    resolver = RecordingResolver(
        {BUSYBOX: image_config(OnBuild=["RUN echo trigger", "ENV FROM_TRIGGER=1"])}
    )
    c = compile_text(lines("FROM busybox", "RUN echo own"), resolver)
    # FROM is named before the triggers are known; ENV counts but takes no number
    assert c.names[:3] == [
        f"[1/2] FROM {BUSYBOX}",
        "[2/4] ONBUILD RUN echo trigger",
        "[3/4] RUN echo own",
    ]


# -- implicit stages of --from images (cases copy-from-kinds, mount-bind-stage) -------


def _locations(c: Compiled, identifier: str) -> list[list[int]]:
    """The line numbers of each source location of the image source ``identifier``."""
    i = next(
        k
        for k, op in enumerate(c.ops)
        if op.WhichOneof("op") == "source" and op.source.identifier == identifier
    )
    locs = c.definition.pb.Source.locations[c.digests[i]].locations
    return [[r.start.line for r in loc.ranges] for loc in locs]


def test_an_image_used_by_two_copies_gets_one_location_per_use() -> None:
    c = compile_text(
        lines(
            "FROM busybox",
            "COPY --from=alpine:3.15 /a /a",
            "COPY --from=alpine:3.15 /b /b",
        )
    )
    assert sorted(_locations(c, "docker-image://" + ALPINE)) == [[2], [3]]


def test_a_mount_image_source_has_an_empty_location() -> None:
    c = compile_text(lines("FROM busybox", "RUN --mount=from=alpine:3.15,target=/m true"))
    assert _locations(c, "docker-image://" + ALPINE) == [[]]


# -- SOURCE_DATE_EPOCH (case source-date-epoch) --------------------------------------


def test_source_date_epoch_dates_the_frontends_history_entries() -> None:
    c = compile_text(
        lines("FROM busybox", "ENV A=1", "RUN true"),
        RecordingResolver(),
        build_args={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    history = c.result.image.data["history"]
    assert "created" not in history[0]  # the base image's entry stays as it was
    assert [h["created"] for h in history[1:]] == ["2023-11-14T22:13:20Z"] * 2
    assert c.result.epoch == 1700000000


def test_without_source_date_epoch_history_has_no_times() -> None:
    c = compile_text(lines("FROM busybox", "RUN true"))
    assert all("created" not in h for h in c.result.image.data["history"])
    assert c.result.epoch is None


# -- several platforms (case multi-platform) -----------------------------------------


def test_multi_platform_names_and_base_resolution_follow_the_stage_platform() -> None:
    from frontend import llb

    resolver = RecordingResolver()
    c = compile_text(
        lines(
            "FROM --platform=$BUILDPLATFORM busybox AS build",
            "ARG TARGETARCH",
            "RUN echo $TARGETARCH",
            "FROM scratch",
            "COPY --from=build /a /a",
        ),
        resolver,
        multi_platform=True,
        target_platform=llb.Platform("linux", "arm64"),
    )
    assert c.names[:3] == [
        f"[linux/amd64 build 1/2] FROM {BUSYBOX}",
        "[linux/amd64->arm64 build 2/2] RUN echo arm64",
        "[linux/arm64 stage-1 1/1] COPY --from=build /a /a",
    ]
    assert resolver.calls == [
        (BUSYBOX, "linux/amd64", f"[linux/amd64 internal] load metadata for {BUSYBOX}")
    ]
