"""What the LLB graph buys on the lesson's Dockerfile.poster.big (read from rawjson):
``--target union`` never touches the final stage, the independent stages ``poster1`` and
``poster2`` run at the same time, and an immediate rebuild is all CACHED."""

from __future__ import annotations

from datetime import datetime

from testbed.harness import LESSON, BuildResult, TestBed, Vertex

POSTER_BIG = LESSON / "Dockerfile.poster.big"


def _time(stamp: str | None) -> datetime:
    assert stamp, "vertex without a timestamp"
    head, _, frac = stamp.rstrip("Z").partition(".")
    micros = (frac + "000000")[:6]
    return datetime.fromisoformat(f"{head}.{micros}")


def _interval(v: Vertex) -> tuple[datetime, datetime]:
    return _time(v.started), _time(v.completed)


def _build(testbed: TestBed, tag: str, *extra: str) -> BuildResult:
    result = testbed.build(POSTER_BIG, LESSON, target="union", tag=tag, extra=extra)
    assert result.ok, result.describe()
    return result


def test_target_union_prunes_the_final_stage_and_runs_posters_in_parallel(
    testbed: TestBed,
) -> None:
    tag = "pyfrontend-e2e/poster-union:ours"
    try:
        # --no-cache: every step really runs, so the two RUNs have real intervals
        first = _build(testbed, tag, "--no-cache")
        names = [v.name for v in first.steps]
        # the final stage (stage-4: FROM busybox, COPY --from=union, CMD) is not built
        assert not any(n.startswith("[stage-4") for n in names), names
        assert any(n.startswith("[union ") for n in names), names
        p1 = first.step("[poster1 1/1] RUN")
        p2 = first.step("[poster2 1/1] RUN")
        assert not p1.cached and not p2.cached, first.describe()
        (s1, e1), (s2, e2) = _interval(p1), _interval(p2)
        assert max(s1, s2) < min(e1, e2), f"no overlap: poster1 {s1}-{e1}, poster2 {s2}-{e2}"
        # the union stage waited for both
        union_copy = first.step("[union 3/5] COPY --from=poster2")
        assert _time(union_copy.started) >= e2

        again = _build(testbed, tag)
        steps = [v for v in again.instruction_steps if " FROM " not in v.name]
        assert steps and all(v.cached for v in steps), again.describe()
        assert not any(v.name.startswith("[stage-4") for v in again.steps)
        assert testbed.run(tag, "cat", "poster").count("\n") > 10
    finally:
        testbed.remove_image(tag)
