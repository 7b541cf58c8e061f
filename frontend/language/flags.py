"""Instruction flags (language step): ``--name[=value]`` parsing with suggestions.

Owned step: ``frontend.language`` (instruction flags). Mirrors the reference's builder
flags: boolean, string and repeatable string flags, unknown flags (with a "did you
mean" suggestion), repeated flags and missing or bad values; the messages name the
flag as written (``unknown flag: --mont (did you mean mount?)``). Also the home of the
reference's suggestion rule (:func:`suggest`), used for every "did you mean".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from frontend.language.errors import DockerfileError

__all__ = ["FlagSet", "suggest", "with_suggestion"]


def _levenshtein(a: str, b: str, limit: int) -> int:
    """The edit distance of ``a`` and ``b`` when below ``limit``, else ``limit``: only
    the diagonal band of width ``limit`` is computed, so a huge unknown word costs time
    linear in its length (the reference computes the whole matrix)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) >= limit:
        return limit
    big = limit  # any value >= limit means "too far"
    prev = [j if j < limit else big for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        lo, hi = max(1, i - limit + 1), min(len(b), i + limit - 1)
        cur = [big] * (len(b) + 1)
        cur[0] = i if i < limit else big
        best = cur[0]
        for j in range(lo, hi + 1):
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != b[j - 1]))
            cur[j] = d if d < limit else big
            best = min(best, cur[j])
        if best >= limit:
            return limit
        prev = cur
    return min(prev[-1], limit)


def suggest(value: str, options: Iterable[str], case_sensitive: bool = True) -> str | None:
    """The reference's suggestion (``suggest.Search``): the first option, in the order
    given, closest to ``value`` by edit distance, if less than 3; none when an option
    is ``value`` itself (the error is then about something else). Case-insensitively,
    the option is compared lower-cased and given in ``value``'s case when that is all
    lower or all upper case, else lower-cased.

    Where the reference takes the options from a Go map (random order, so a tie can go
    either way), callers pass them sorted."""
    val = value if case_sensitive else value.lower()
    match: str | None = None
    min_dist = 3
    for opt in options:
        o = opt if case_sensitive else opt.lower()
        if o == val:
            return None
        dist = _levenshtein(val, o, min_dist)
        if dist < min_dist:
            match = o if case_sensitive else _match_case(o, value)
            min_dist = dist
    return match


def _match_case(option: str, value: str) -> str:
    if value == value.lower():
        return option.lower()
    if value == value.upper():
        return option.upper()
    return option


def with_suggestion(
    message: str, value: str, options: Iterable[str], case_sensitive: bool = True
) -> str:
    """``message`` with `` (did you mean <option>?)`` when :func:`suggest` has one."""
    match = suggest(value, options, case_sensitive)
    if match is None:
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
            if arg == "--":
                return
            if not arg.startswith("--"):
                raise DockerfileError(f"arg should start with -- : {arg}")
            flag, eq, value = arg.partition("=")
            name = flag[2:]
            spec = self._defs.get(name)
            if spec is None:
                raise DockerfileError(
                    with_suggestion(f"unknown flag: {flag}", name, sorted(self._defs))
                )
            kind = spec[0]
            if name in self._used and kind != _STRINGS:
                raise DockerfileError(f"duplicate flag specified: {flag}")
            self._used.append(name)
            if kind == _BOOL:
                if eq and value == "":
                    raise DockerfileError(f"missing a value on flag: {flag}")
                low = value.lower()
                if low == "":
                    self.values[name] = True
                elif low in ("true", "false"):
                    self.values[name] = low == "true"
                else:
                    raise DockerfileError(f"expecting boolean value for flag {flag}, not: {value}")
            elif not eq:
                raise DockerfileError(f"missing a value on flag: {flag}")
            elif kind == _STRING:
                self.values[name] = value
            else:
                current = self.values[name]
                assert isinstance(current, list)
                current.append(value)
