"""The walking skeleton on a real engine: pyfrontend runs under `# syntax=` and under
`BUILDKIT_SYNTAX`, builds a multi-stage Dockerfile whose image does what it should,
points at the right line on a user error, and caches every step on a rebuild.

Where it makes sense a test runs twice: through the engine's built-in frontend (the
reference: this checks the test itself) and through pyfrontend, and compares both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from testbed.harness import IMAGE, BuildResult, TestBed

DIRECTIVE = f"# syntax={IMAGE}\n"  # the image under test (PYFRONTEND_IMAGE)

# FROM an image and FROM an earlier stage; ARG with a default; ENV; WORKDIR; COPY from
# the context and --from a stage; RUN in shell and exec form; USER, ENTRYPOINT, CMD.
MULTISTAGE = """\
FROM busybox AS build
ARG GREETING=hello
ENV TARGET=world
WORKDIR /work
COPY message.txt .
RUN echo "$GREETING $TARGET" > greeting && cat message.txt >> greeting
RUN ["sh", "-c", "echo exec form >> /work/greeting"]

FROM build AS signed
RUN echo "signed by $(id -un) in $(pwd)" >> greeting

FROM busybox
COPY --from=signed /work/greeting /srv/greeting
WORKDIR /srv
USER nobody
ENTRYPOINT ["cat"]
CMD ["greeting"]
"""
MESSAGE = "from the context\n"
EXPECTED = "hello world\nfrom the context\nexec form\nsigned by root in /work\n"

FRONTENDS = ["builtin", "pyfrontend"]


@pytest.fixture
def context(tmp_path: Path) -> Path:
    ctx = tmp_path / "context"
    ctx.mkdir()
    (ctx / "message.txt").write_text(MESSAGE)
    return ctx


@pytest.fixture
def tags(testbed: TestBed, request: pytest.FixtureRequest) -> list[str]:
    """Tags a test builds; removed again afterwards."""
    made: list[str] = []
    request.addfinalizer(lambda: [testbed.remove_image(t) for t in made])
    return made


def _tag(tags: list[str], name: str) -> str:
    tag = f"pyfrontend-e2e/{name}:latest"
    tags.append(tag)
    return tag


def _build(testbed: TestBed, frontend: str, text: str, ctx: Path, **kw: object) -> BuildResult:
    if frontend == "builtin":
        return testbed.build(text, ctx, syntax=False, **kw)  # type: ignore[arg-type]
    return testbed.build(DIRECTIVE + text, ctx, **kw)  # type: ignore[arg-type]


def _ran_pyfrontend(result: BuildResult, testbed: TestBed) -> bool:
    return result.ran_frontend(testbed.image)


CONFIG_KEYS = ("Entrypoint", "Cmd", "User", "WorkingDir", "Env")


@pytest.mark.parametrize(
    "frontend", ["builtin", pytest.param("pyfrontend", marks=pytest.mark.smoke)]
)
def test_multistage_builds_and_prints(
    testbed: TestBed, context: Path, tags: list[str], frontend: str
) -> None:
    tag = _tag(tags, f"multistage-{frontend}")
    result = _build(testbed, frontend, MULTISTAGE, context, tag=tag)
    assert result.ok, result.describe()
    assert _ran_pyfrontend(result, testbed) == (frontend == "pyfrontend"), result.describe()
    assert testbed.run(tag) == EXPECTED
    # arguments replace CMD; the image config is the one the Dockerfile says
    assert testbed.run(tag, "/srv/greeting").startswith("hello world\n")
    config = testbed.image_config(tag)
    assert config["Entrypoint"] == ["cat"]
    assert config["Cmd"] == ["greeting"]
    assert config["User"] == "nobody"
    assert config["WorkingDir"] == "/srv"


def test_same_image_config_as_builtin(testbed: TestBed, context: Path, tags: list[str]) -> None:
    ours = _tag(tags, "config-pyfrontend")
    ref = _tag(tags, "config-builtin")
    args = {"GREETING": "bonjour"}
    for frontend, tag in (("pyfrontend", ours), ("builtin", ref)):
        result = _build(testbed, frontend, MULTISTAGE, context, tag=tag, build_args=args)
        assert result.ok, f"{frontend}: {result.describe()}"
    assert testbed.run(ours) == testbed.run(ref) == EXPECTED.replace("hello", "bonjour")
    got, want = testbed.image_config(ours), testbed.image_config(ref)
    assert {k: got.get(k) for k in CONFIG_KEYS} == {k: want.get(k) for k in CONFIG_KEYS}


def test_build_arg_buildkit_syntax(testbed: TestBed, context: Path, tags: list[str]) -> None:
    tag = _tag(tags, "buildkit-syntax")
    # no directive in the file: the harness passes --build-arg BUILDKIT_SYNTAX=pyfrontend
    result = testbed.build(MULTISTAGE, context, tag=tag, syntax=True)
    assert result.ok, result.describe()
    assert _ran_pyfrontend(result, testbed), result.describe()
    assert testbed.run(tag) == EXPECTED


def _excerpt(text: str) -> str:
    """The client's `Dockerfile:N` block: the file name and line, the numbered lines."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Dockerfile:"))
    end = next(i for i in range(start + 2, len(lines)) if lines[i].startswith("-----"))
    return "\n".join(lines[start : end + 1])


def test_unknown_instruction_points_at_its_line(testbed: TestBed, context: Path) -> None:
    body = "FROM busybox\nRUN true\nFOOBAR x\nRUN false\n"
    ours = testbed.build(DIRECTIVE + body, context)
    # the reference, with a plain comment in place of the directive (same line numbers)
    ref = testbed.build("# a comment\n" + body, context, syntax=False)
    assert ref.returncode != 0 and "Dockerfile:4" in ref.text, ref.describe()
    assert ours.returncode != 0, ours.describe()
    assert _ran_pyfrontend(ours, testbed), ours.describe()
    excerpt = _excerpt(ours.text)
    assert excerpt.splitlines()[0] == "Dockerfile:4", ours.text
    assert ">>> FOOBAR x" in excerpt, ours.text
    assert excerpt == _excerpt(ref.text).replace("# a comment", DIRECTIVE.strip()), ours.text
    error = next(line for line in ours.text.splitlines() if line.startswith("ERROR:"))
    assert "unknown instruction: FOOBAR" in error, ours.text


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_rebuild_is_all_cached(
    testbed: TestBed, context: Path, tags: list[str], frontend: str
) -> None:
    tag = _tag(tags, f"rebuild-{frontend}")
    first = _build(testbed, frontend, MULTISTAGE, context, tag=tag)
    assert first.ok, first.describe()
    again = _build(testbed, frontend, MULTISTAGE, context, tag=tag)
    assert again.ok, again.describe()
    # FROM of an image is resolved again on every build: the reference reports it done,
    # not CACHED; every other instruction step (WORKDIR x2, COPY x2, RUN x3) is CACHED
    steps = [v for v in again.instruction_steps if "] FROM " not in v.name]
    assert len(steps) >= 7, again.describe()
    not_cached = [v.name for v in steps if not v.cached]
    assert not not_cached, again.describe()
    assert not [v.name for v in again.steps if v.error], again.describe()
    assert _ran_pyfrontend(again, testbed) == (frontend == "pyfrontend")
