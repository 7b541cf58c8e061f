"""pyfrontend on Debian 12's own engine, docker.io 20.10 (BuildKit 0.8), the third private
engine of the test bed (``testbed_debian12``: unpacked from the .deb, its own roots,
socket and bridge).

Every lesson example builds there through pyfrontend and its image prints what the
built-in frontend's image prints on the same engine.  Where BuildKit 0.8 lacks a
capability that a build needs, the built-in frontend's result is silently different;
pyfrontend's build fails with an error that names the feature, the capability and the
Dockerfile line (``frontend.dockerui.daemoncaps``), the line in the text itself, as
that engine shows no excerpt.  The caps the engine reports are the test data the unit
tests use (``tests/fixtures/daemon-caps``).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from testbed.harness import LESSON, TestBed

CAPS_FIXTURE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "daemon-caps"
    / "docker-20.10-buildkit-0.8.json"
)

EXAMPLES = sorted(p.name for p in LESSON.glob("Dockerfile.*"))


def test_the_engine_is_docker_20_10(testbed_debian12: TestBed) -> None:
    import subprocess

    version = subprocess.run(
        ["docker", "version", "-f", "{{.Server.Version}}"],
        env=testbed_debian12.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert version.startswith("20.10."), version


@pytest.mark.parametrize("example", EXAMPLES)
def test_lesson_example_matches_builtin_on_buildkit_0_8(
    testbed_debian12: TestBed, example: str
) -> None:
    bed = testbed_debian12
    dockerfile = LESSON / example
    name = example.removeprefix("Dockerfile.").replace(".", "-")
    ours, ref = f"pyfrontend-e2e/old-{name}:ours", f"pyfrontend-e2e/old-{name}:ref"
    try:
        built = bed.build(dockerfile, LESSON, syntax=False, tag=ref)
        assert built.ok, f"built-in frontend: {built.describe()}"
        result = bed.build(dockerfile, LESSON, syntax=True, tag=ours)
        assert result.ok, result.describe()
        assert bed.run(ours) == bed.run(ref)
    finally:
        for tag in (ours, ref):
            bed.remove_image(tag)


def _build_and_run(
    bed: TestBed, tmp_path: Path, dockerfile: str, *cmd: str, extra: tuple[str, ...] = ()
) -> str:
    ctx = tmp_path / "context"
    (ctx / "dir").mkdir(parents=True)
    (ctx / "hello.txt").write_text("hello\n")
    (ctx / "dir" / "keep.txt").write_text("keep\n")
    (ctx / "dir" / "skip.log").write_text("skip\n")
    tag = f"pyfrontend-e2e/old-caps:{uuid.uuid4().hex[:8]}"
    try:
        result = bed.build(f"# syntax={bed.image}\n{dockerfile}", ctx, tag=tag, extra=extra)
        if not result.ok:  # a clear error is an acceptable answer: return it
            return "ERROR: " + result.text
        return bed.run(tag, *cmd)
    finally:
        bed.remove_image(tag)


def test_copy_chmod_symbolic_on_buildkit_0_8(testbed_debian12: TestBed, tmp_path: Path) -> None:
    out = _build_and_run(
        testbed_debian12,
        tmp_path,
        "FROM busybox\nCOPY --chmod=u+x hello.txt /h\n",
        "stat",
        "-c",
        "%A",
        "/h",
    )
    assert out.startswith("-rwx") or ("ERROR" in out and "chmod" in out), out
    assert (
        "Dockerfile line 3: COPY --chmod=u+x requires the BuildKit capability "
        "file.copy.modestring, which this daemon does not support (BuildKit < 0.17); "
        "use an octal mode"
    ) in out, out


def test_copy_chmod_octal_on_buildkit_0_8(testbed_debian12: TestBed, tmp_path: Path) -> None:
    out = _build_and_run(
        testbed_debian12,
        tmp_path,
        "FROM busybox\nCOPY --chmod=750 hello.txt /h\n",
        "stat",
        "-c",
        "%A",
        "/h",
    )
    assert out == "-rwxr-x---\n", out


def test_copy_exclude_on_buildkit_0_8(testbed_debian12: TestBed, tmp_path: Path) -> None:
    out = _build_and_run(
        testbed_debian12, tmp_path, "FROM busybox\nCOPY --exclude=*.log dir /d\n", "ls", "/d"
    )
    assert out == "keep.txt\n" or ("ERROR" in out and "exclude" in out), out
    assert "Dockerfile line 3: COPY --exclude requires the BuildKit capability " in out, out
    assert "file.copy.includeexcludepatterns" in out and "(BuildKit < 0.9)" in out, out


@pytest.mark.parametrize(
    ("option", "cap"),
    [
        (("--ulimit", "nofile=1024:2048"), "exec.meta.ulimit"),
        (("--shm-size", "128m"), "exec.mount.tmpfs.size"),
    ],
    ids=["ulimit", "shm-size"],
)
def test_build_option_on_buildkit_0_8(
    testbed_debian12: TestBed, tmp_path: Path, option: tuple[str, str], cap: str
) -> None:
    """The built-in frontend drops the option (the RUN sees the engine's defaults);
    pyfrontend refuses it, naming the option and the cap."""
    out = _build_and_run(
        testbed_debian12,
        tmp_path,
        "FROM busybox\nRUN ulimit -n > /n; df -k /dev/shm > /shm\n",
        "cat",
        "/n",
        extra=option,
    )
    assert out.startswith("ERROR"), out
    assert (
        f"the build option {option[0]} requires the BuildKit capability {cap}, which this "
        "daemon does not support (BuildKit < 0.10)"
    ) in out, out


def test_a_located_error_says_its_line_on_docker_20_10(
    testbed_debian12: TestBed, tmp_path: Path
) -> None:
    """Docker 20.10 shows no excerpt: the error text names the line."""
    out = _build_and_run(
        testbed_debian12, tmp_path, "FROM busybox\nRUN --mount=type=foo true\n", "true"
    )
    assert 'Dockerfile line 3: unsupported mount type "foo"' in out, out


PING = """\
import json
from frontend.gateway.errors import UserError
from frontend.gateway.runtime import serve

def handler(client, opts):
    caps = {k: {i: getattr(client.caps, k).has(i) for i in getattr(client.caps, k).ids}
            for k in ("llb", "frontend")}
    raise UserError("PINGCAPS " + json.dumps(caps, sort_keys=True))

raise SystemExit(serve(handler))
"""


def test_the_engine_reports_the_caps_of_the_fixture(
    testbed_debian12: TestBed, tmp_path: Path
) -> None:
    """A frontend made of pyfrontend's gateway client that answers every build with the
    caps ``Ping`` told it: they are the fixture's (BuildKit 0.8's)."""
    bed = testbed_debian12
    (tmp_path / "ping.py").write_text(PING)
    tag = f"pyfrontend-e2e/old-ping:{uuid.uuid4().hex[:8]}"
    dockerfile = f'FROM {bed.image}\nCOPY ping.py /ping.py\nENTRYPOINT ["python3", "/ping.py"]\n'
    try:
        made = bed.build(dockerfile, tmp_path, syntax=False, tag=tag)
        assert made.ok, made.describe()
        result = bed.build("FROM busybox\n", tmp_path, syntax=tag)
        assert not result.ok
        found = re.search(r"PINGCAPS (\{.*\})", result.text)
        assert found, result.describe()
        reported = json.loads(found.group(1))
    finally:
        bed.remove_image(tag)
    fixture = json.loads(CAPS_FIXTURE.read_text())
    assert reported == {"llb": fixture["llb"], "frontend": fixture["frontend"]}


def test_check_warnings_show_as_steps_on_buildkit_0_8(
    testbed_debian12: TestBed, tmp_path: Path
) -> None:
    """No gateway.warnings on 0.8: each warning is the name of a step of its own, and
    the image is the built-in frontend's."""
    bed = testbed_debian12
    (tmp_path / "hello.txt").write_text("hello\n")
    dockerfile = "FROM busybox as base\nCOPY hello.txt /h\nENV B $NOPE\n"
    ours, ref = (f"pyfrontend-e2e/old-warn:{k}-{uuid.uuid4().hex[:6]}" for k in ("ours", "ref"))
    try:
        result = bed.build(dockerfile, tmp_path, tag=ours)
        assert result.ok, result.describe()
        names = {v.name for v in result.steps}
        assert "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)" in (
            names
        ), sorted(names)
        assert "WARNING: UndefinedVar: Usage of undefined variable '$NOPE' (line 3)" in names
        built = bed.build(dockerfile, tmp_path, syntax=False, tag=ref)
        assert built.ok, built.describe()
        assert bed.image_config(ours) == bed.image_config(ref)
        assert bed.run(ours, "cat", "/h") == "hello\n"
    finally:
        for tag in (ours, ref):
            bed.remove_image(tag)
