"""Base images and named contexts (compiler.sources): reference normalisation."""

from __future__ import annotations

from frontend.compiler.sources import normalize
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
