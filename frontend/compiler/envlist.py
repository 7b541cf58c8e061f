"""The environment an LLB state carries (part of pipeline step 3, the compiler).

Owned step: the ordered variable list that RUN steps see and word expansion reads.
Setting a variable moves it to the end, as BuildKit's Go ``llb.EnvList`` orders keys
by their last assignment (it is a linked list read newest first).

The lists a stage makes one after another share one append-only log of assignments:
a list is the first ``n`` entries of it, and setting a variable on the newest list
appends one entry (the log's index of each key's last assignment is kept with it), so
a stage of n ENV instructions costs O(n), not O(n^2). Setting on an older list (its
log has grown since) copies its part of the log first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class _Log:
    __slots__ = ("entries", "latest")

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []
        self.latest: dict[str, int] = {}  # key -> index of its last entry (whole log)

    def append(self, key: str, value: str) -> None:
        self.latest[key] = len(self.entries)
        self.entries.append((key, value))


class EnvList(Mapping[str, str]):
    """An immutable ordered mapping; :meth:`set` returns a new list."""

    __slots__ = ("_log", "_n", "_view")

    def __init__(self, items: dict[str, str] | None = None) -> None:
        log = _Log()
        for k, v in (items or {}).items():
            log.append(k, v)
        self._log = log
        self._n = len(log.entries)
        self._view: dict[str, int] | None = None

    @classmethod
    def _of(cls, log: _Log, n: int) -> EnvList:
        env = cls.__new__(cls)
        env._log, env._n, env._view = log, n, None
        return env

    def _index(self) -> dict[str, int]:
        """Each key's last entry among this list's ``n``."""
        if self._n == len(self._log.entries):
            return self._log.latest
        if self._view is None:
            view: dict[str, int] = {}
            for i, (k, _) in enumerate(self._log.entries[: self._n]):
                view[k] = i
            self._view = view
        return self._view

    def set(self, key: str, value: str) -> EnvList:
        log = self._log
        if self._n != len(log.entries):  # an older list: a log of its own
            index = self._index()
            log = _Log()
            log.entries = self._log.entries[: self._n]
            log.latest = dict(index)
        log.append(key, value)
        return EnvList._of(log, len(log.entries))

    def _ordered(self) -> list[tuple[str, int]]:
        return sorted(self._index().items(), key=lambda kv: kv[1])

    def __getitem__(self, key: str) -> str:
        return self._log.entries[self._index()[key]][1]

    def __contains__(self, key: object) -> bool:
        return key in self._index()

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, _ in self._ordered()])

    def __len__(self) -> int:
        return len(self._index())

    def to_list(self) -> list[str]:
        """``KEY=VALUE`` strings, in order."""
        entries = self._log.entries
        return [f"{k}={entries[i][1]}" for k, i in self._ordered()]

    def __repr__(self) -> str:
        return f"EnvList({dict((k, self[k]) for k in self)!r})"
