"""``frontend.cli.main`` without arguments: a terminal gets the usage, a pipe the gateway."""

from __future__ import annotations

import io
import sys

import pytest

import frontend.cli
import frontend.cli.gateway
from frontend import cli


class _Stdin(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__("")
        self._tty = tty

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return self._tty


def test_terminal_stdin_gets_usage_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(tty=True))
    assert cli.main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "not a BuildKit gateway" in err
    assert "usage: pyfrontend" in err


def test_closed_stdin_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = _Stdin(tty=True)
    closed.close()  # isatty() on a closed file raises ValueError
    monkeypatch.setattr(sys, "stdin", closed)
    assert cli._stdin_is_terminal() is False


def test_pipe_stdin_runs_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(tty=False))
    seen: list[list[str]] = []

    def fake_gateway(argv: list[str]) -> int:
        seen.append(list(argv))
        return 0

    monkeypatch.setattr(frontend.cli.gateway, "main", fake_gateway)
    assert cli.main([]) == 0
    assert seen == [[]]
