"""Every example of the multi-stage-build lesson (tests/fixtures/lesson), verbatim,
builds through pyfrontend and its image prints what the built-in frontend's image
prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from testbed.harness import LESSON, TestBed

EXAMPLES = sorted(p.name for p in LESSON.glob("Dockerfile.*"))

# what the lesson shows each image print (the posters are figlet art of the lesson's
# words: checked against the built-in frontend's image, byte for byte)
LESSON_OUTPUT = {
    "Dockerfile.cpp.single": "Hello, C++\n",
    "Dockerfile.cpp.multi": "Hello, C++\n",
    "Dockerfile.go.single": "Hello, golang\n",
    "Dockerfile.go.multi": "Hello, golang\n",
    "Dockerfile.py.single": "Hello, Python\n",
    "Dockerfile.py.multi": "Hello, Python\n",
    "Dockerfile.alpine-release": "3.15.11\n",
}


@pytest.mark.parametrize("example", EXAMPLES)
def test_lesson_example_matches_builtin(testbed: TestBed, example: str) -> None:
    dockerfile = LESSON / example
    name = example.removeprefix("Dockerfile.").replace(".", "-")
    ours, ref = f"pyfrontend-e2e/lesson-{name}:ours", f"pyfrontend-e2e/lesson-{name}:ref"
    try:
        built = testbed.build(dockerfile, LESSON, syntax=False, tag=ref)
        assert built.ok, f"built-in frontend: {built.describe()}"
        result = testbed.build(dockerfile, LESSON, syntax=True, tag=ours)
        assert result.ok, result.describe()
        printed = testbed.run(ours)
        assert printed == testbed.run(ref)
        if example in LESSON_OUTPUT:
            assert printed == LESSON_OUTPUT[example]
        else:
            assert printed.count("\n") > 5 and "|" in printed  # figlet art
    finally:
        for tag in (ours, ref):
            testbed.remove_image(tag)


def test_lesson_fixtures_are_all_there() -> None:
    assert len(EXAMPLES) == 10
    assert {p.name for p in Path(LESSON).iterdir()} >= {"hello.cpp", "hello.go", "hello.py"}
