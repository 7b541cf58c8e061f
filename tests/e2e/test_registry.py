"""pyfrontend from a registry, as remote builders use it (buildx ``docker-container`` and
``kubernetes`` drivers, a shared buildkitd): nothing local names the frontend image, the
engine pulls it by the name in ``# syntax=`` (or ``BUILDKIT_SYNTAX``).

The registry is a local one started with ``docker compose`` through pytest-docker (the
``registry`` fixture, tests/e2e/conftest.py).  The image under test is pushed there under
a tag of its own and the local tag is removed again, so the engine has to resolve and
pull it from the registry; the registry's own log shows that it did.  The built image
goes back to the registry with ``--output type=registry`` and is pulled from there.
A second engine (the containerd store), which never had the image, builds with it too.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from testbed.harness import BuildResult, TestBed

DOCKERFILE = """\
FROM busybox AS build
ARG WHO=registry
RUN echo "built by pyfrontend from the $WHO" > /message
FROM busybox
COPY --from=build /message /message
COPY hello.txt /hello.txt
CMD ["cat", "/message", "/hello.txt"]
"""
HELLO = "hello from the context\n"
EXPECTED = "built by pyfrontend from the registry\n" + HELLO


def _docker(bed: TestBed, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        ["docker", *args],
        env=bed.env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


def _registry_log(bed: TestBed, project: str, compose_file: str) -> str:
    return subprocess.run(
        ["docker", "compose", "-f", compose_file, "-p", project, "logs", "registry"],
        env=bed.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout


def _manifest(registry: str, repo: str, tag: str) -> dict[str, object]:
    """The manifest (or index) the registry serves for ``repo:tag``."""
    accept = ", ".join(
        (
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json",
        )
    )
    port = registry.rpartition(":")[2]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v2/{repo}/manifests/{tag}", headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        manifest: dict[str, object] = json.loads(answer.read())
    return manifest


@pytest.fixture(scope="module")
def pushed(testbed: TestBed, registry: str) -> Iterator[str]:
    """The image under test in the registry, ``localhost:PORT/pyfrontend:TAG``, and no
    local image of that name."""
    ref = f"{registry}/pyfrontend:e2e-{uuid.uuid4().hex[:8]}"
    _docker(testbed, "tag", testbed.image, ref)
    try:
        _docker(testbed, "push", "--quiet", ref)
    finally:
        _docker(testbed, "image", "rm", ref)  # only the tag: the image keeps its own
    yield ref


@pytest.fixture
def context(tmp_path: Path) -> Path:
    ctx = tmp_path / "context"
    ctx.mkdir()
    (ctx / "hello.txt").write_text(HELLO)
    return ctx


@pytest.fixture
def tags(testbed: TestBed) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    for tag in made:
        testbed.remove_image(tag)


def _resolved_from_registry(result: BuildResult, ref: str) -> bool:
    return any(
        v.name.startswith("resolve image config for") and f"docker-image://{ref}" in v.name
        for v in result.steps
    )


def test_syntax_directive_pulls_the_frontend_from_the_registry(
    testbed: TestBed,
    pushed: str,
    context: Path,
    tags: list[str],
    docker_compose_project_name: str,
    docker_compose_file: str,
) -> None:
    local = _docker(testbed, "image", "ls", "-q", pushed).strip()
    assert local == "", f"{pushed} must not be in the engine's image store"
    tag = f"pyfrontend-e2e/registry-syntax:{uuid.uuid4().hex[:8]}"
    tags.append(tag)
    result = testbed.build(f"# syntax={pushed}\n{DOCKERFILE}", context, tag=tag)
    assert result.ok, result.describe()
    assert _resolved_from_registry(result, pushed), result.describe()
    assert testbed.run(tag) == EXPECTED
    # the engine asked our registry for the frontend's manifest
    repo_tag = pushed.partition("/")[2].replace(":", "/manifests/")
    log = _registry_log(testbed, docker_compose_project_name, docker_compose_file)
    assert f"/v2/{repo_tag}" in log, log[-3000:]


def test_buildkit_syntax_build_arg_names_the_registry_image(
    testbed: TestBed, pushed: str, context: Path, tags: list[str]
) -> None:
    tag = f"pyfrontend-e2e/registry-arg:{uuid.uuid4().hex[:8]}"
    tags.append(tag)
    result = testbed.build(
        DOCKERFILE, context, tag=tag, syntax=pushed, build_args={"WHO": "build argument"}
    )
    assert result.ok, result.describe()
    assert _resolved_from_registry(result, pushed), result.describe()
    assert testbed.run(tag) == EXPECTED.replace("the registry", "the build argument")


def test_output_type_registry_round_trip(
    testbed: TestBed, registry: str, pushed: str, context: Path, tags: list[str]
) -> None:
    out = f"{registry}/pyfrontend-e2e-roundtrip:{uuid.uuid4().hex[:8]}"
    tags.append(out)
    result = testbed.build(
        f"# syntax={pushed}\n{DOCKERFILE}",
        context,
        extra=["--output", f"type=registry,name={out}"],
    )
    assert result.ok, result.describe()
    assert _resolved_from_registry(result, pushed), result.describe()
    repo, _, tag = out.partition("/")[2].partition(":")
    manifest = _manifest(registry, repo, tag)
    assert manifest.get("schemaVersion") == 2, manifest
    # pulled back from the registry (no local copy first), it runs as built
    testbed.remove_image(out)
    _docker(testbed, "pull", "--quiet", out)
    assert testbed.run(out) == EXPECTED
    assert testbed.image_config(out)["Cmd"] == ["cat", "/message", "/hello.txt"]


@pytest.fixture(scope="module")
def remote_builder() -> Iterator[TestBed]:
    """A second engine (containerd image store) that never had the frontend image: it
    stands for a remote builder.  Started when it is not running, and stopped again."""
    try:
        bed = TestBed.start(build_image=False, store="containerd")
    except Exception as exc:
        pytest.fail(f"the containerd-store engine did not come up: {exc}", pytrace=False)
    try:
        yield bed
    finally:
        bed.close()


def test_a_builder_without_the_image_pulls_it_from_the_registry(
    remote_builder: TestBed, pushed: str, tmp_path: Path
) -> None:
    ctx = tmp_path / "context"
    ctx.mkdir()
    (ctx / "hello.txt").write_text(HELLO)
    dest = tmp_path / "out"
    # FROM scratch: the builder needs no base image, only the frontend from the registry
    dockerfile = f"# syntax={pushed}\nFROM scratch\nCOPY hello.txt /copied/hello.txt\n"
    result = remote_builder.build(dockerfile, ctx, extra=["--output", f"type=local,dest={dest}"])
    assert result.ok, result.describe()
    assert _resolved_from_registry(result, pushed), result.describe()
    assert (dest / "copied" / "hello.txt").read_text() == HELLO
