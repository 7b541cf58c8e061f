"""End-to-end fixtures: one test bed per session.

``testbed`` starts what is missing (the engine at $DOCKER_HOST if it answers, else the
private engine from ``tests/testbed/engine.sh``; the stand-in base images; the
pyfrontend image built from the current tree) and stops the engine again at the end
if it had to start it.  ``PYFRONTEND_E2E_SKIP_IMAGE=1`` reuses the image already
tagged ``pyfrontend`` instead of rebuilding it.

Each test holds the engines it uses (``TestBed.hold``) shared with the other tests of
every session on this host; one marked ``engine_alone`` (it prunes the build cache)
holds them alone, so that no other build runs on them meanwhile.

``registry`` starts a local registry with ``docker compose`` through pytest-docker
(``registry/compose.yml``) and removes it at the end of the session.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from testbed.harness import TestBed

if TYPE_CHECKING:  # the plugin (pytest-docker) is needed by the registry tests only
    from pytest_docker.plugin import Services


def _bed(store: str) -> Iterator[TestBed]:
    skip_image = os.environ.get("PYFRONTEND_E2E_SKIP_IMAGE") == "1"
    try:
        bed = TestBed.start(build_image=not skip_image, store=store)
    except Exception as exc:  # the engine or the image: no e2e test can run
        pytest.fail(f"the end-to-end test bed ({store}) did not come up: {exc}", pytrace=False)
    try:
        yield bed
    finally:
        bed.close()


@pytest.fixture(scope="session")
def testbed() -> Iterator[TestBed]:
    """The engine with the classic image store (no MergeOp: COPY --link is a copy)."""
    yield from _bed("classic")


@pytest.fixture(scope="session")
def testbed_containerd() -> Iterator[TestBed]:
    """A second private engine with the containerd image store (MergeOp enabled)."""
    yield from _bed("containerd")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "engine_alone: holds its engines alone (no other test's build meanwhile, in any "
        "session on this host), e.g. because it prunes the build cache",
    )


# the fixtures that are engines, in the order a test holds them
ENGINES = ("testbed", "testbed_containerd", "testbed_debian12")


@pytest.fixture(autouse=True)
def _hold_engines(request: pytest.FixtureRequest) -> Iterator[None]:
    """The engines the test uses, held for its duration (alone if it is marked
    ``engine_alone``)."""
    alone = request.node.get_closest_marker("engine_alone") is not None
    with contextlib.ExitStack() as stack:
        for name in ENGINES:
            if name in request.fixturenames:
                bed: TestBed = request.getfixturevalue(name)
                stack.enter_context(bed.hold(alone=alone))
        yield


# -- the local registry: docker compose through pytest-docker ---------------------------
# pytest-docker's ``docker_services`` runs ``docker compose`` with these fixtures; the
# registry image is the offline stand-in from Debian's docker-registry package.

REGISTRY_COMPOSE = Path(__file__).resolve().parent / "registry" / "compose.yml"
MAKE_IMAGES = Path(__file__).resolve().parents[1] / "testbed" / "standins" / "make-images.sh"


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(REGISTRY_COMPOSE)


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"pyfrontend-e2e-registry-{os.getpid()}"


@pytest.fixture(scope="session")
def docker_compose_command(testbed: TestBed) -> str:
    """``docker compose`` (v2) on the test bed's engine, its image built first."""
    done = subprocess.run(
        ["bash", str(MAKE_IMAGES), "registry"],
        env=testbed.env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"the registry image did not build:\n{done.stderr[-3000:]}", pytrace=False)
    version = subprocess.run(
        ["docker", "compose", "version", "--short"],
        env=testbed.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if version.returncode != 0 or not version.stdout.startswith("2."):
        pytest.fail(
            "docker compose v2 is needed (tests/testbed/install-engine.sh installs Debian's "
            f"docker-compose 2.x): {version.stdout}{version.stderr}",
            pytrace=False,
        )
    return f"DOCKER_HOST={shlex.quote(testbed.docker_host)} docker compose"


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    return ["up --wait --quiet-pull"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    return ["down -v --timeout 5"]


def _registry_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="session")
def registry(docker_services: Services) -> str:
    """The local registry's address, ``localhost:PORT`` (an engine-chosen loopback
    port: 5000 is the conformance rig's), once its ``/v2/`` answers."""
    port = docker_services.port_for("registry", 5000)
    docker_services.wait_until_responsive(
        check=lambda: _registry_answers(f"http://127.0.0.1:{port}/v2/"), timeout=60, pause=0.5
    )
    return f"localhost:{port}"


@pytest.fixture(scope="session")
def testbed_debian12(testbed: TestBed) -> Iterator[TestBed]:
    """Debian 12's own engine (docker.io 20.10, BuildKit 0.8) as a third private engine,
    with the image under test and the lesson's base images copied from ``testbed``."""
    try:
        bed = TestBed.start(build_image=False, store="debian12")
    except Exception as exc:
        if "must be in apt's sources" in str(exc):  # a host without Debian 12's archive
            pytest.skip(f"Debian 12's docker.io cannot be downloaded here: {exc}")
        pytest.fail(f"the Debian 12 engine (docker.io 20.10) did not come up: {exc}", pytrace=False)
    try:
        bed.image = testbed.image
        bed.copy_images(testbed, testbed.image, *LESSON_BASES)
    except Exception as exc:
        bed.close()
        pytest.fail(f"the Debian 12 engine (docker.io 20.10) did not come up: {exc}", pytrace=False)
    try:
        yield bed
    finally:
        bed.close()


# the base images the lesson's Dockerfiles name (stand-ins in the test bed)
LESSON_BASES = ("alpine:latest", "alpine:3.15", "golang:latest", "busybox:latest")
