"""Suggestions ("did you mean ...?") of the check messages.

Owned step: ``frontend.dockerui.checks`` (suggestions). The reference's
``suggest.Search``: the option nearest to the value by Levenshtein distance, if that
distance is below 3; none when the value is one of the options (then the problem is not
a typo). Case-insensitive search compares lower-cased and gives the match in the
value's case when the value is all lower or all upper case.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["search"]


def _distance(a: str, b: str) -> int:
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _match_case(option: str, value: str) -> str:
    if value == value.lower():
        return option.lower()
    if value == value.upper():
        return option.upper()
    return option


def search(value: str, options: Iterable[str], case_sensitive: bool = True) -> str:
    """The suggestion for ``value`` among ``options`` ("" for none). Options are tried
    in the order given; the first at the smallest distance wins."""
    wanted = value if case_sensitive else value.lower()
    match = ""
    best = 3
    for option in options:
        candidate = option if case_sensitive else option.lower()
        if candidate == wanted:
            return ""
        dist = _distance(wanted, candidate)
        if dist < best:
            match = candidate if case_sensitive else _match_case(candidate, value)
            best = dist
    return match
