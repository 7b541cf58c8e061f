"""The shortest reproducers of the robustness issue (#14), each through parse -> stage
graph -> compile -> marshal under the interpreter's default recursion limit: a build or
a located :class:`DockerfileError`, never another exception."""

from __future__ import annotations

import sys

import pytest

from frontend.compiler import CompileOptions, compile_dockerfile
from frontend.language import DockerfileError, parse_dockerfile

MOUNT_RUN = "FROM a\nRUN --mount={} true\n"

CASES: list[tuple[str, str | bytes, dict[str, str]]] = [
    ("1 bad glob range", "FROM ${a#[z-a]}\n", {}),
    ("2 onbuild copy --from an image", "FROM s AS a\nONBUILD COPY --from=e x y\nFROM a\n", {}),
    ("2 onbuild mount from an image", "FROM s AS a\nONBUILD RUN --mount=from=e true\nFROM a\n", {}),
    ("3 tmpfs size", MOUNT_RUN.format("type=tmpfs,target=t,size=9999P"), {}),
    ("4 epoch too large", "FROM scratch\n", {"SOURCE_DATE_EPOCH": "18446744073709551616"}),
    ("5 epoch negative", "FROM scratch\n", {"SOURCE_DATE_EPOCH": "-99999999999999"}),
    ("6 RUN []", "FROM a\nRUN []\n", {}),
    ("7 STOPSIGNAL superscript", "FROM a\nSTOPSIGNAL \u00b2\n", {}),
    ("8 EXPOSE superscript", "FROM a\nEXPOSE \u00b2\n", {}),
    ("9 COPY --from superscript", "FROM a\nCOPY --from=\u00b2 a b\n", {}),
    ("9 4301 digits", "FROM a\nSTOPSIGNAL " + "1" * 4301 + "\nEXPOSE " + "1" * 4301 + "\n", {}),
    ("10 tmpfs size inf", MOUNT_RUN.format("type=tmpfs,target=t,size=" + "9" * 309), {}),
    ("11 healthcheck inf", "FROM a\nHEALTHCHECK --interval=" + "9" * 297 + "h CMD true\n", {}),
    ("12 cache uid digits", MOUNT_RUN.format("type=cache,target=/c,uid=" + "1" * 4301), {}),
    ("13 dotted capital I", "FROM --platform=\u0130/m a\n", {}),
    ("14 onbuild chain", "FROM a\n" + "ONBUILD " * 1000 + "N\n", {}),
    ("15 nested substitution", "FROM " + "${+" * 340 + "\n", {}),
    ("16 nested after heredoc", "FROM a\nRUN <<" + "${+" * 340 + "\n", {}),
    ("17 lone surrogate", "FROM a\nLABEL a=\ud800\n", {}),
]


@pytest.mark.parametrize(("source", "args"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reproducer_builds_or_is_a_located_error(source: str | bytes, args: dict[str, str]) -> None:
    assert sys.getrecursionlimit() <= 1000
    try:
        df = parse_dockerfile(source)
        compile_dockerfile(df, CompileOptions(build_args=args)).definition()
    except DockerfileError as err:
        assert err.message, err
        # a file-level error may have no line (the reference's own wording): only those
        assert err.location is not None or "SOURCE_DATE_EPOCH" in err.message, err
