"""``COPY --link`` on both image stores.

With the classic store BuildKit offers no MergeOp, so ``--link`` is a plain copy (the
reference falls back the same way); with the containerd image store it is a copy onto
scratch merged onto the stage (a ``LINK COPY`` step). Either way a build through
pyfrontend right after one with the built-in frontend is all CACHED and the images agree.
"""

from __future__ import annotations

from pathlib import Path

from testbed.harness import TestBed

DOCKERFILE = """\
FROM busybox AS src
RUN echo from-src > /s.txt
FROM busybox
COPY --link a.txt /dst/
COPY --link --from=src /s.txt /s.txt
COPY --link --chmod=600 a.txt /private.txt
RUN cat /dst/a.txt /s.txt > /both
CMD ["cat", "/both"]
"""


def _check(bed: TestBed, tmp_path: Path, *, merge: bool) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    df = tmp_path / "Dockerfile"
    df.write_text(DOCKERFILE)
    ref, ours = "pyfrontend-e2e/link:ref", "pyfrontend-e2e/link:ours"
    try:
        built = bed.build(df, tmp_path, syntax=False, tag=ref)
        assert built.ok, built.describe()
        result = bed.build(df, tmp_path, syntax=True, tag=ours)
        assert result.ok, result.describe()
        steps = result.instruction_steps
        assert steps, result.describe()
        assert all(v.cached for v in steps if "FROM" not in v.name), result.describe()
        names = [v.name for v in result.steps]
        link_steps = [n for n in names if "LINK COPY" in n]
        if merge:
            # two merged copies; --chmod always falls back to a plain copy
            assert len(link_steps) == 2, names
            assert any(n.startswith("[stage-1 3/5] LINK COPY --link --from=src") for n in names)
        else:
            assert not link_steps, names
        assert bed.run(ours) == "hello\nfrom-src\n"
        assert bed.image_config(ours) == bed.image_config(ref)
    finally:
        bed.remove_image(ref)
        bed.remove_image(ours)


def test_copy_link_classic_store_is_a_plain_copy(testbed: TestBed, tmp_path: Path) -> None:
    _check(testbed, tmp_path, merge=False)


def test_copy_link_containerd_store_merges(testbed_containerd: TestBed, tmp_path: Path) -> None:
    _check(testbed_containerd, tmp_path, merge=True)
