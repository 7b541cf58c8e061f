"""Base images and named contexts (compiler.sources): reference normalisation."""

from __future__ import annotations

import pytest

from frontend.compiler.sources import normalize
from frontend.language import DockerfileError
from frontend.language.errors import Range
from tests.unit.compiler.util import RecordingResolver, compile_text, lines

PIN = "sha256:" + "ab" * 32


def test_normalize_adds_latest_and_keeps_a_digest() -> None:
    at = Range(1, 1)
    assert normalize("alpine", at) == "docker.io/library/alpine:latest"
    assert normalize(f"alpine:3.22@{PIN}", at) == f"docker.io/library/alpine:3.22@{PIN}"
    assert normalize(f"alpine@{PIN}", at) == f"docker.io/library/alpine@{PIN}"


def test_a_digest_pinned_from_keeps_its_pin_in_the_image_source() -> None:
    resolver = RecordingResolver()
    c = compile_text(lines(f"FROM alpine:3.22@{PIN}", "RUN true"), resolver)
    assert c.identifiers() == [f"docker-image://docker.io/library/alpine:3.22@{PIN}"]
    assert [ref for ref, _, _ in resolver.calls] == [f"docker.io/library/alpine:3.22@{PIN}"]


def test_a_digest_pinned_copy_from_keeps_its_pin() -> None:
    c = compile_text(lines("FROM scratch", f"COPY --from=alpine@{PIN} /x /x"))
    assert f"docker-image://docker.io/library/alpine@{PIN}" in c.identifiers()


# -- every stage's image names are parsed (resolveReachableStages) ---------------------


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        # FROM Build is the image "Build" (stage names match exactly), even when the
        # target (build) does not need the stage
        (lines("FROM busybox AS build", "RUN x", "FROM Build", "RUN y"), "Build", 3),
        (lines("FROM Bad AS a", "FROM Worse AS b", "FROM busybox AS build"), "Bad", 1),
        (
            lines("FROM busybox AS a", "COPY --from=Foo:bar /a /b", "FROM busybox AS build"),
            "Foo:bar",
            2,
        ),
        (
            lines("FROM busybox AS a", "RUN --mount=from=Foo,target=/x x", "FROM busybox AS build"),
            "Foo",
            2,
        ),
        (
            lines(
                "FROM busybox AS a",
                "RUN --mount=type=tmpfs,from=Foo,target=/x x",
                "FROM busybox AS build",
            ),
            "Foo",
            2,
        ),
    ],
)
def test_image_names_of_every_stage_are_checked(text: str, name: str, line: int) -> None:
    r = RecordingResolver()
    with pytest.raises(DockerfileError) as info:
        compile_text(text, resolver=r, target="build")
    assert info.value.message == (
        f'failed to parse stage name "{name}": invalid reference format: repository name '
        f"(library/{name.split(':')[0]}) must be lowercase"
    )
    assert info.value.location is not None and info.value.location.start_line == line
    assert r.calls == []  # names are checked before anything is resolved


def test_unreachable_stages_are_checked_not_resolved() -> None:
    r = RecordingResolver()
    compile_text(
        lines("FROM nginx AS a", "COPY --from=redis /a /b", "FROM busybox AS build", "RUN x"),
        resolver=r,
        target="build",
    )
    assert r.refs == ["docker.io/library/busybox:latest"]
    # an ONBUILD trigger is not parsed then
    compile_text(lines("FROM busybox AS a", "ONBUILD COPY --from=Foo /a /b", "FROM busybox"))
