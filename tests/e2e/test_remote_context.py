"""Build contexts given as URLs through pyfrontend, end to end.

The main context as a git repository (served over HTTP with git's dumb protocol:
``#ref``, ``#ref:subdir`` and, with a local Dockerfile, the query form
``?branch=..&subdir=..``) and as a
gzipped tarball over HTTP (the frontend unpacks it); a named context
(``--build-context``) that is a git URL, used by ``COPY --from`` and
``RUN --mount from=``. The Dockerfile is read from the remote context itself. The
files in the result show which commit and directory each build read.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from testbed.harness import TestBed
from testbed.serve import git, serve_directory

DOCKERFILE = """\
FROM busybox
COPY foo /foo
"""
SUB_DOCKERFILE = """\
FROM busybox
COPY file /sub-file
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``repo/.git``: branch ``first`` (foo = "first") and ``main`` (foo = "second",
    and ``sub/`` with its own Dockerfile); ``ctx.tar.gz``: a Dockerfile and foo."""
    root = tmp_path_factory.mktemp("remote-context")
    repo = root / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / "Dockerfile").write_text(DOCKERFILE)
    (repo / "foo").write_text("first\n")
    git("add", "Dockerfile", "foo", cwd=repo)
    git("commit", "-q", "-m", "first", cwd=repo)
    git("branch", "first", cwd=repo)
    (repo / "foo").write_text("second\n")
    (repo / "sub").mkdir()
    (repo / "sub" / "Dockerfile").write_text(SUB_DOCKERFILE)
    (repo / "sub" / "file").write_text("from sub\n")
    git("add", "foo", "sub", cwd=repo)
    git("commit", "-q", "-m", "second", cwd=repo)
    git("update-server-info", cwd=repo)

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in (("Dockerfile", DOCKERFILE.encode()), ("foo", b"from the tarball\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))
    (root / "ctx.tar.gz").write_bytes(buf.getvalue())
    with serve_directory(root) as url:
        yield url


@pytest.mark.parametrize(
    ("suffix", "path", "expected"),
    [
        ("#first", "/foo", "first\n"),
        ("", "/foo", "second\n"),
        ("#main:sub", "/sub-file", "from sub\n"),
    ],
)
def test_git_context(testbed: TestBed, served: str, suffix: str, path: str, expected: str) -> None:
    url = f"{served}/repo/.git{suffix}"
    tag = "pyfrontend-e2e/remote-context-git:latest"
    result = testbed.build(None, url, tag=tag)
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert f"[internal] load git source {url}" in names
        assert "[internal] load build context" not in names  # no local context
        assert testbed.run(tag, "cat", path) == expected
    finally:
        testbed.remove_image(tag)


def test_git_query_context_with_a_local_dockerfile(
    testbed: TestBed, served: str, tmp_path: Path
) -> None:
    # the engine's own frontend (BuildKit 0.13), which forwards to pyfrontend, cannot
    # read a Dockerfile from a git URL with a query: the Dockerfile is given with -f
    # (buildx sends it as the local "dockerfile", dockerfilekey), the context is ours
    url = f"{served}/repo/.git?branch=main&subdir=sub"
    tag = "pyfrontend-e2e/remote-context-git-query:latest"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(SUB_DOCKERFILE)
    result = testbed.build(dockerfile, url, tag=tag)
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert f"[internal] load git source {url}" in names
        assert testbed.run(tag, "cat", "/sub-file") == "from sub\n"
    finally:
        testbed.remove_image(tag)


def test_http_tarball_context(testbed: TestBed, served: str) -> None:
    tag = "pyfrontend-e2e/remote-context-http:latest"
    result = testbed.build(None, f"{served}/ctx.tar.gz", tag=tag)
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert "[internal] load remote build context" in names
        assert testbed.run(tag, "cat", "/foo") == "from the tarball\n"
    finally:
        testbed.remove_image(tag)


def test_git_named_context(testbed: TestBed, served: str, tmp_path: Path) -> None:
    dockerfile = """\
FROM busybox
COPY --from=repo foo /copied
RUN --mount=from=repo,target=/r cat /r/foo > /mounted
"""
    url = f"{served}/repo/.git#first"
    tag = "pyfrontend-e2e/remote-context-named-git:latest"
    result = testbed.build(dockerfile, tmp_path, tag=tag, build_contexts={"repo": url})
    try:
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert f"[internal] load git source {url}" in names
        assert testbed.run(tag, "cat", "/copied") == "first\n"
        assert testbed.run(tag, "cat", "/mounted") == "first\n"
    finally:
        testbed.remove_image(tag)
