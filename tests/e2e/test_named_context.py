"""Named build contexts (``--build-context``) through pyfrontend, end to end.

A ``local:`` context (a directory of the client, with its own ``.dockerignore``) is
used by ``COPY --from``, ``RUN --mount from=`` and ``FROM``, and a stage named like
the context is replaced by it; the files in the result show that each use read the
context directory (and not the stage's own instructions, nor the main context).  A
``docker-image://`` context replaces an image everywhere its name is used. ``docker
buildx bake`` passes one target's result (and image config) to another as an
``input:`` context (``contexts = { base = "target:base" }``). A git URL
is a git source, whose fetch fails at its own step when the host does not resolve
(``tests/e2e/test_remote_context.py`` builds from served ones).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from testbed.harness import TestBed

DOCKERFILE = """\
FROM busybox AS extra
RUN echo "the stage's own instructions must not run" > /marker && false

FROM extra AS based
COPY main.txt /main.txt

FROM busybox
COPY --from=extra named.txt /from-copy.txt
COPY --from=based main.txt /based-main.txt
COPY --from=based named.txt /based-named.txt
RUN --mount=from=extra,target=/x cat /x/named.txt > /from-mount.txt && \\
    ls -A /x | sort | tr '\\n' ' ' > /listing.txt
"""


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    main = tmp_path / "main"
    main.mkdir()
    (main / "main.txt").write_text("from the main context\n")
    (main / "named.txt").write_text("WRONG: the main context's named.txt\n")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "named.txt").write_text("from the named context\n")
    (extra / "main.txt").write_text("main.txt of the named context\n")
    (extra / "ignored.txt").write_text("excluded by the context's own .dockerignore\n")
    (extra / ".dockerignore").write_text("ignored.txt\n")
    return main, extra


def test_local_context(testbed: TestBed, dirs: tuple[Path, Path]) -> None:
    main, extra = dirs
    tag = "pyfrontend-e2e/named-context-local:latest"
    result = testbed.build(DOCKERFILE, main, tag=tag, build_contexts={"extra": extra})
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert "[context extra] load from client" in names
        assert "[context extra] load .dockerignore" in names
        assert not any("false" in n for n in names)  # the stage "extra" is the context

        def cat(path: str) -> str:
            return testbed.run(tag, "cat", path)

        assert cat("/from-copy.txt") == "from the named context\n"
        assert cat("/from-mount.txt") == "from the named context\n"
        assert cat("/based-named.txt") == "from the named context\n"
        # COPY main.txt in the stage built on the context reads the MAIN context
        assert cat("/based-main.txt") == "from the main context\n"
        # the named context's own .dockerignore applies to it
        assert cat("/listing.txt").split() == [".dockerignore", "main.txt", "named.txt"]
    finally:
        testbed.remove_image(tag)


def test_image_context(testbed: TestBed, tmp_path: Path) -> None:
    tag = "pyfrontend-e2e/named-context-image:latest"
    dockerfile = """\
FROM alpine:3.15
COPY --from=docker.io/library/alpine:3.15 /etc/passwd /copied-passwd
RUN cat /etc/os-release > /release 2>/dev/null || echo none > /release
"""
    result = testbed.build(
        dockerfile,
        tmp_path,
        tag=tag,
        build_contexts={"alpine:3.15": "docker-image://busybox:latest"},
    )
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert "[context alpine:3.15] busybox:latest" in names
        labels = testbed.image_config(tag).get("Labels") or {}
        assert isinstance(labels, dict)
        assert labels.get("standin.standin-for") == "busybox:latest"
    finally:
        testbed.remove_image(tag)


def test_unreachable_git_context_fails_at_its_step(testbed: TestBed, tmp_path: Path) -> None:
    url = "https://example.invalid/repo.git"
    result = testbed.build(
        "FROM busybox\nCOPY --from=extra a /a\n", tmp_path, build_contexts={"extra": url}
    )
    assert not result.ok
    # the context is a git source (dockerui's DetectGitContext); fetching it fails
    step = result.step(f"[internal] load git source {url}")
    assert step.error, result.describe()
    assert "example.invalid" in result.text


BAKE_FILE = """\
target "base" {
  context = "base"
  args = { BUILDKIT_SYNTAX = "%(image)s" }
}

target "app" {
  context = "app"
  contexts = { base = "target:base" }
  args = { BUILDKIT_SYNTAX = "%(image)s" }
  output = ["type=local,dest=out"]
}
"""


def test_bake_target_context(testbed: TestBed, tmp_path: Path) -> None:
    # both targets through pyfrontend; "app" builds FROM the result of "base", which
    # buildx hands over as a frontend input (input:base, input-metadata:base)
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "Dockerfile").write_text(
        "FROM busybox AS own\nRUN echo from-base > /base.txt\nENV FROM_BASE=base-env\n"
    )
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM base\nCOPY app.txt /app.txt\n"
        'RUN cat /base.txt /app.txt > /both.txt && echo "$FROM_BASE" >> /both.txt\n'
    )
    (tmp_path / "app" / "app.txt").write_text("from app\n")
    bake_file = tmp_path / "docker-bake.hcl"
    bake_file.write_text(BAKE_FILE % {"image": testbed.image})
    result = testbed.bake(bake_file, "app")
    assert result.ok, result.describe()
    assert result.ran_frontend(testbed.image), result.describe()
    both = (tmp_path / "out" / "both.txt").read_text()
    assert both == "from-base\nfrom app\nbase-env\n"
