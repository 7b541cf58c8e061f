"""Cache export and import (``--cache-to``/``--cache-from type=local``) through
pyfrontend, end to end, on the containerd-store engine (buildx's docker driver exports
caches only with that store).

A build exports its cache to a directory (``mode=max``: every stage's steps), the
engine's build cache is pruned, and a second build that imports the directory reports
every step CACHED (the first build ran them: they carry a fresh token) and gives the
same image. The test holds the engine alone (``engine_alone``): the prune must not
pull the cache from under another test's build.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from testbed.harness import TestBed

DOCKERFILE = """\
FROM busybox AS build
ARG TOKEN
RUN echo "built $TOKEN" > /built.txt
COPY a.txt /a.txt

FROM busybox
COPY --from=build /built.txt /a.txt /
RUN cat /built.txt /a.txt > /both.txt
CMD ["cat", "/both.txt"]
"""


@pytest.mark.engine_alone
def test_local_cache_export_then_import_after_a_prune(
    testbed_containerd: TestBed, tmp_path: Path
) -> None:
    bed = testbed_containerd
    context = tmp_path / "context"
    context.mkdir()
    (context / "a.txt").write_text("from the context\n")
    cache = tmp_path / "cache"
    token = str(time.time_ns())  # a fresh cache key each run: the first build runs it
    first_tag = "pyfrontend-e2e/cache-import:first"
    second_tag = "pyfrontend-e2e/cache-import:second"
    try:
        first = bed.build(
            DOCKERFILE,
            context,
            tag=first_tag,
            build_args={"TOKEN": token},
            extra=("--cache-to", f"type=local,dest={cache},mode=max"),
        )
        assert first.ok, first.describe()
        assert first.ran_frontend(bed.image), first.describe()
        assert not first.step("RUN echo").cached, first.describe()
        assert (cache / "index.json").is_file(), sorted(p.name for p in cache.iterdir())

        bed.prune_build_cache()

        second = bed.build(
            DOCKERFILE,
            context,
            tag=second_tag,
            build_args={"TOKEN": token},
            extra=("--cache-from", f"type=local,src={cache}"),
        )
        assert second.ok, second.describe()
        assert second.ran_frontend(bed.image), second.describe()
        steps = [v for v in second.instruction_steps if "FROM" not in v.name]
        assert len(steps) == 4, second.describe()  # RUN, COPY; COPY --from, RUN
        assert all(v.cached for v in steps), second.describe()

        assert bed.run(second_tag) == f"built {token}\nfrom the context\n"
        assert bed.image_config(second_tag) == bed.image_config(first_tag)
        assert bed.image_inspect(second_tag)["RootFS"] == bed.image_inspect(first_tag)["RootFS"]
    finally:
        bed.remove_image(first_tag)
        bed.remove_image(second_tag)
