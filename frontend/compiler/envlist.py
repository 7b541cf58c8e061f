"""The environment an LLB state carries (part of pipeline step 3, the compiler).

Owned step: the ordered variable list that RUN steps see and word expansion reads.
Setting a variable moves it to the end, as BuildKit's Go ``llb.EnvList`` orders keys
by their last assignment (it is a linked list read newest first).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class EnvList(Mapping[str, str]):
    """An immutable ordered mapping; :meth:`set` returns a new list."""

    __slots__ = ("_items",)

    def __init__(self, items: dict[str, str] | None = None) -> None:
        self._items: dict[str, str] = dict(items or {})

    def set(self, key: str, value: str) -> EnvList:
        items = dict(self._items)
        items.pop(key, None)
        items[key] = value
        return EnvList(items)

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def to_list(self) -> list[str]:
        """``KEY=VALUE`` strings, in order."""
        return [f"{k}={v}" for k, v in self._items.items()]

    def __repr__(self) -> str:
        return f"EnvList({self._items!r})"
