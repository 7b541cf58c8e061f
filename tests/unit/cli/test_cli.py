"""The ``pyfrontend`` command line, run as a user runs it (a subprocess, no daemon)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from frontend.pb import ops_pb2

LESSON = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "lesson"
LESSON10 = """\
FROM alpine AS build
RUN apk add figlet
FROM build AS poster1
RUN echo -e "keep calm\\nand\\ncontainerize" | figlet > poster
FROM busybox AS union
COPY --from=poster1 poster poster1
RUN cat poster1 >> poster
FROM busybox
COPY --from=union poster poster
CMD ["cat", "poster"]
"""


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "frontend", *args],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        timeout=60,
        check=False,
    )


def _definition(raw: bytes) -> ops_pb2.Definition:
    d = ops_pb2.Definition()
    d.ParseFromString(raw)
    return d


def test_llb_writes_the_definition_buildctl_reads() -> None:
    done = _run("llb", "-f", "-", stdin=LESSON10)
    assert done.returncode == 0, done.stderr
    d = _definition(done.stdout)
    ops = list(getattr(d, "def"))
    terminal = ops_pb2.Op.FromString(ops[-1])
    # the reference converter's result op for this file (d2l-offline, see test_lesson)
    assert terminal.inputs[0].digest.startswith("sha256:4c9f81d4")
    assert len(ops) == 8
    assert d.Source.infos[0].data == LESSON10.encode()


def test_llb_target_compiles_only_what_the_target_needs() -> None:
    full = _definition(_run("llb", "-f", str(LESSON / "Dockerfile.poster.big")).stdout)
    union = _run("llb", "-f", str(LESSON / "Dockerfile.poster.big"), "--target", "union")
    assert union.returncode == 0, union.stderr
    part = _definition(union.stdout)
    names = {md.description.get("llb.customname", "") for md in part.metadata.values()}
    assert not any(n.startswith("[stage-4") for n in names), names
    assert any(n.startswith("[stage-4") for md in full.metadata.values()
               for n in [md.description.get("llb.customname", "")])  # fmt: skip
    assert len(getattr(part, "def")) < len(getattr(full, "def"))


def test_llb_dump_and_build_args() -> None:
    text = "ARG BASE=busybox\nFROM ${BASE}\nARG MSG=hi\nRUN echo $MSG\n"
    a = _run("llb", "-f", "-", "--dump", stdin=text)
    b = _run("llb", "-f", "-", "--dump", "--build-arg", "MSG=other", stdin=text)
    c = _run("llb", "-f", "-", "--dump", "--build-arg", "BASE=alpine", stdin=text)
    rows = [json.loads(line) for line in a.stdout.decode().splitlines()]
    assert (
        rows[0]["op"]["source"]["identifier"] == "docker-image://docker.io/library/busybox:latest"
    )
    assert rows[1]["name"] == "[2/2] RUN echo hi"
    assert rows[1]["op"]["exec"]["meta"]["env"][-1] == "MSG=hi"
    assert "MSG=other" in b.stdout.decode() and "MSG=hi" not in b.stdout.decode()
    assert "docker.io/library/alpine:latest" in c.stdout.decode()
    # the same input gives the same bytes
    assert _run("llb", "-f", "-", stdin=text).stdout == _run("llb", "-f", "-", stdin=text).stdout


def test_llb_reports_the_line_of_a_user_error(tmp_path: Path) -> None:
    df = tmp_path / "Dockerfile"
    df.write_text("FROM busybox\nCOPY --from=nowhere$X /a /b\n")
    done = _run("llb", "-f", str(df))
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.decode().startswith(f"{df}:2: variable expansion is not supported")
    target = _run("llb", "-f", str(LESSON / "Dockerfile.poster.big"), "--target", "unoin")
    assert target.returncode == 1
    assert 'target stage "unoin" could not be found (did you mean union?)' in target.stderr.decode()


def test_parse_prints_instructions_and_locates_errors(tmp_path: Path) -> None:
    good = _run("parse", str(LESSON / "Dockerfile.py.multi"), "--json")
    assert good.returncode == 0, good.stderr
    parsed = json.loads(good.stdout)
    items = parsed if isinstance(parsed, list) else parsed["instructions"]
    assert [i["name"] for i in items][:2] == ["FROM", "RUN"]
    assert (items[1]["start_line"], items[1]["end_line"]) == (3, 5)
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM busybox\nFORM x\n")
    done = _run("parse", str(bad))
    assert done.returncode == 1
    assert f"{bad}:2: unknown instruction: FORM" in done.stderr.decode()


def test_unknown_command_and_help() -> None:
    assert _run("nope").returncode == 2
    helped = _run("--help")
    assert helped.returncode == 0 and b"usage: pyfrontend" in helped.stderr


def _run_on_terminal(*args: str) -> tuple[int, bytes, bytes]:
    """Run ``pyfrontend ARGS`` with a pseudo-terminal as stdin, as a person types it."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "frontend", *args],
            stdin=follower,
            capture_output=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.returncode, done.stdout, done.stderr


def test_no_arguments_on_a_terminal_prints_usage_not_http2() -> None:
    code, out, err = _run_on_terminal()
    assert code == 2
    assert out == b""  # no HTTP/2 preface or frames
    assert err.startswith(b"pyfrontend: stdin is a terminal, not a BuildKit gateway\nusage:")
    for command in (b"gateway", b"parse", b"llb"):
        assert b"\n  " + command + b" " in err


def test_no_arguments_on_a_pipe_runs_the_gateway() -> None:
    # BuildKit's stdin is a pipe: the gateway starts and writes the HTTP/2 client preface
    # before it fails for want of a server (nothing answers on the pipe)
    done = _run(stdin="")
    assert done.stdout.startswith(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), done.stderr[-500:]


def test_help_lists_every_subcommand() -> None:
    from frontend.cli import _COMMANDS

    done = _run("--help")
    assert done.returncode == 0
    for command in _COMMANDS:
        assert f"\n  {command} ".encode() in done.stderr
