"""``.dockerignore`` matching as moby's ``patternmatcher`` (``MatchesOrParentMatches``)."""

from __future__ import annotations

import pytest

from frontend.dockerui.ignore import PatternMatcher
from frontend.gateway.errors import UserError


@pytest.mark.parametrize(
    ("patterns", "path", "matched"),
    [
        (["Dockerfile"], "Dockerfile", True),
        (["Dockerfile"], "sub/Dockerfile", False),
        (["dir"], "dir/a/b", True),  # a parent directory matches
        (["dir/a"], "dir/a/b", True),
        (["*.log"], "x.log", True),
        (["*.log"], "sub/x.log", False),  # * stays within an element
        (["**/*.log"], "sub/deep/x.log", True),
        (["**/*.log"], "x.log", True),
        (["**/name"], "name", True),  # suffix match: **/foo matches foo
        (["**/name"], "a/name", True),
        (["build/**"], "build/x/y", True),  # prefix match
        (["build/**"], "buildx", False),
        (["a?c"], "abc", True),
        (["a?c"], "a/c", False),
        (["a/**/b"], "a/b", True),
        (["a/**/b"], "a/x/y/b", True),
        (["[ab].txt"], "a.txt", True),
        (["[ab].txt"], "c.txt", False),
        (["a.b"], "aXb", False),  # regexp metacharacters are literal
        (["a+b(c)"], "a+b(c)", True),
        (["a\\*b"], "a*b", True),  # an escaped star
        (["a\\*b"], "axb", False),
        (["  ./x/../y  "], "y", True),  # trimmed and cleaned
        (["*", "!keep"], "keep", False),  # a later exclusion lets it back in
        (["*", "!keep", "keep"], "keep", True),
        (["!keep"], "other", False),
    ],
)
def test_matches_or_parent_matches(patterns: list[str], path: str, matched: bool) -> None:
    assert PatternMatcher(patterns).matches_or_parent_matches(path) is matched


def test_exclusions_and_patterns() -> None:
    m = PatternMatcher(["", "  ", "/build/", "*.log", "!keep.log"])
    assert m.exclusions()
    assert m.patterns() == ["/build", "*.log"]
    assert not PatternMatcher(["x"]).exclusions()


def test_a_lone_exclusion_mark_is_refused() -> None:
    with pytest.raises(UserError, match='illegal exclusion pattern: "!"'):
        PatternMatcher(["!"])
