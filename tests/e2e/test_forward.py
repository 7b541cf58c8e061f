"""pyfrontend's own ``# syntax=`` forwarding (issue #10), on a real engine.

``docker buildx build`` reaches pyfrontend only through the engine's built-in
``dockerfile.v0``, which forwards with ``cmdline`` set, and pyfrontend forwards only a
request without ``cmdline``. So the build goes through the test-bed launcher
(``tests/testbed/launcher/``: an image FROM the pyfrontend image under test that hands
the request on to ``gateway.v0`` with ``source=pyfrontend`` and no ``cmdline``):

    dockerfile.v0 --BUILDKIT_SYNTAX--> launcher --gateway.v0--> pyfrontend
        --# syntax= (or BUILDKIT_SYNTAX)--> forward target (a second tag of pyfrontend)

The forward target is seen to be resolved as a frontend only when pyfrontend forwarded;
without a directive (the control) it is not.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from testbed.harness import HERE, BuildResult, TestBed

LAUNCHER_DIR = HERE / "launcher"
CAPS_LABEL = "moby.buildkit.frontend.caps"
NETWORK_LABEL = "moby.buildkit.frontend.network.none"
BODY = "FROM scratch\nCOPY hello.txt /hello.txt\n"
HELLO = "forwarded hello\n"


@pytest.fixture(scope="module")
def frontends(testbed: TestBed) -> Iterator[tuple[str, str]]:
    """(launcher, forward target): our own tags, removed at the end."""
    token = uuid.uuid4().hex[:10]
    launcher = f"pyfrontend-e2e/launcher:{token}"
    target = f"pyfrontend-e2e/forward-target:{token}"
    try:
        with testbed.hold():
            subprocess.run(
                ["docker", "tag", testbed.image, target],
                env=testbed.env,
                capture_output=True,
                check=True,
            )
            built = testbed.build(
                LAUNCHER_DIR / "Dockerfile",
                LAUNCHER_DIR,
                syntax=False,
                tag=launcher,
                build_args={"PYFRONTEND_IMAGE": testbed.image},
            )
        assert built.ok, f"the launcher image did not build:\n{built.describe()}"
        labels = testbed.image_config(launcher)["Labels"]
        wanted = testbed.image_config(testbed.image)["Labels"]
        assert isinstance(labels, dict) and isinstance(wanted, dict)
        assert labels.get(NETWORK_LABEL) == "true"
        assert labels.get(CAPS_LABEL) == wanted.get(CAPS_LABEL)
        yield launcher, target
    finally:
        testbed.remove_image(launcher)
        testbed.remove_image(target)


@pytest.fixture
def context(tmp_path: Path) -> Path:
    ctx = tmp_path / "context"
    ctx.mkdir()
    (ctx / "hello.txt").write_text(HELLO)
    return ctx


def _build(testbed: TestBed, text: str, ctx: Path, syntax: str, dest: Path) -> BuildResult:
    result = testbed.build(
        text,
        ctx,
        syntax=False,  # the build-arg below is the frontend, whatever the directive says
        build_args={"BUILDKIT_SYNTAX": syntax},
        extra=["--output", f"type=local,dest={dest}"],
    )
    assert result.ok, result.describe()
    assert (dest / "hello.txt").read_text() == HELLO
    return result


def test_directive_is_forwarded(
    testbed: TestBed, frontends: tuple[str, str], context: Path, tmp_path: Path
) -> None:
    launcher, target = frontends
    result = _build(testbed, f"# syntax={target}\n" + BODY, context, launcher, tmp_path / "out")
    assert result.ran_frontend(launcher), result.describe()
    assert result.ran_frontend(testbed.image), result.describe()
    assert result.ran_frontend(target), result.describe()


def test_build_arg_is_forwarded(
    testbed: TestBed, frontends: tuple[str, str], context: Path, tmp_path: Path
) -> None:
    """``BUILDKIT_SYNTAX=<target>`` as pyfrontend sees it (the launcher passes on what
    followed its own image), over a directive naming pyfrontend itself."""
    launcher, target = frontends
    directive = f"# syntax={testbed.image}\n"
    result = _build(testbed, directive + BODY, context, f"{launcher} {target}", tmp_path / "out")
    assert result.ran_frontend(testbed.image), result.describe()
    assert result.ran_frontend(target), result.describe()


def test_no_directive_is_not_forwarded(
    testbed: TestBed, frontends: tuple[str, str], context: Path, tmp_path: Path
) -> None:
    """The control: the same way in, no directive: pyfrontend builds it itself."""
    launcher, target = frontends
    result = _build(testbed, BODY, context, launcher, tmp_path / "out")
    assert result.ran_frontend(launcher), result.describe()
    assert result.ran_frontend(testbed.image), result.describe()
    assert not result.ran_frontend(target), result.describe()


def test_forwarded_error_keeps_its_line(
    testbed: TestBed, frontends: tuple[str, str], context: Path
) -> None:
    """A user error in the forward target's build comes back through both hops with its
    own source line (pyfrontend passes a located error on unchanged)."""
    launcher, target = frontends
    text = f"# syntax={target}\n{BODY}COPY missing.txt /x\n"
    result = testbed.build(text, context, syntax=False, build_args={"BUILDKIT_SYNTAX": launcher})
    assert not result.ok, result.describe()
    assert result.ran_frontend(target), result.describe()
    assert "Dockerfile:4" in result.text, result.describe()
    assert ">>> COPY missing.txt /x" in result.text, result.describe()
