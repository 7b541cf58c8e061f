"""Instruction flags (language step): ``--name[=value]`` parsing with suggestions.

Owned step: ``frontend.language`` (instruction flags). Mirrors the reference's builder
flags: boolean, string and repeatable string flags, unknown flags (with a "did you
mean" suggestion), repeated flags and missing or bad values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from frontend.language.errors import DockerfileError

__all__ = ["FlagSet", "suggest", "with_suggestion"]


def _levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(value: str, options: Iterable[str], case_sensitive: bool = True) -> str | None:
    """The closest option to ``value`` (edit distance at most 2 and less than its
    length), or None."""
    best: str | None = None
    best_dist = 3
    val = value if case_sensitive else value.lower()
    for opt in sorted(options):
        o = opt if case_sensitive else opt.lower()
        if o == val:
            return opt
        dist = _levenshtein(val, o)
        if dist < best_dist and dist < max(len(val), 1):
            best, best_dist = opt, dist
    return best


def with_suggestion(
    message: str, value: str, options: Iterable[str], case_sensitive: bool = True
) -> str:
    match = suggest(value, options, case_sensitive)
    if match is None or match == value:
        return message
    return f"{message} (did you mean {match}?)"


_BOOL, _STRING, _STRINGS = 0, 1, 2


class FlagSet:
    """The flags one instruction accepts; :meth:`parse` checks what was given."""

    __slots__ = ("_args", "_defs", "_used", "values")

    def __init__(self, args: Sequence[str]) -> None:
        self._args = tuple(args)
        self._defs: dict[str, tuple[int, str]] = {}
        self.values: dict[str, str | bool | list[str]] = {}
        self._used: list[str] = []

    def add_bool(self, name: str, default: bool = False) -> None:
        self._defs[name] = (_BOOL, "")
        self.values[name] = default

    def add_string(self, name: str, default: str = "") -> None:
        self._defs[name] = (_STRING, default)
        self.values[name] = default

    def add_strings(self, name: str) -> None:
        self._defs[name] = (_STRINGS, "")
        self.values[name] = []

    def used(self) -> tuple[str, ...]:
        return tuple(self._used)

    def is_used(self, name: str) -> bool:
        return name in self._used

    def string(self, name: str) -> str:
        value = self.values[name]
        assert isinstance(value, str)
        return value

    def bool(self, name: str) -> bool:
        value = self.values[name]
        assert isinstance(value, bool)
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.values[name]
        assert isinstance(value, list)
        return tuple(value)

    def parse(self) -> None:
        """Check and record the given flags. Raises :class:`DockerfileError`."""
        for arg in self._args:
            if not arg.startswith("--"):
                raise DockerfileError(f"arg should start with -- : {arg}")
            if arg == "--":
                return
            name, eq, value = arg[2:].partition("=")
            spec = self._defs.get(name)
            if spec is None:
                raise DockerfileError(with_suggestion(f"unknown flag: {name}", name, self._defs))
            kind = spec[0]
            if name in self._used and kind != _STRINGS:
                raise DockerfileError(f"duplicate flag specified: {name}")
            self._used.append(name)
            if kind == _BOOL:
                if eq and value == "":
                    raise DockerfileError(f"missing a value on flag: {name}")
                low = value.lower()
                if low == "":
                    self.values[name] = True
                elif low in ("true", "false"):
                    self.values[name] = low == "true"
                else:
                    raise DockerfileError(f"expecting boolean value for flag {name}, not: {value}")
            elif not eq:
                raise DockerfileError(f"missing a value on flag: {name}")
            elif kind == _STRING:
                self.values[name] = value
            else:
                current = self.values[name]
                assert isinstance(current, list)
                current.append(value)
