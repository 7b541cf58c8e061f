"""Instruction flags and the "did you mean" rule: the reference's exact messages."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, parse_dockerfile
from frontend.language.flags import FlagSet, suggest, with_suggestion

FLAG_ERRORS = [
    # (TestMountInvalid) the flag as written, the suggestion without the dashes
    ("RUN --mont=type=bind true", "unknown flag: --mont (did you mean mount?)"),
    ("RUN --netwrk=host true", "unknown flag: --netwrk (did you mean network?)"),
    ("COPY --from a b", "missing a value on flag: --from"),
    ("COPY --link=x a b", "expecting boolean value for flag --link, not: x"),
    ("COPY --link= a b", "missing a value on flag: --link"),
    ("COPY --chmod=1 --chmod=2 a b", "duplicate flag specified: --chmod"),
    ("COPY --lnk a b", "unknown flag: --lnk (did you mean link?)"),
    ("COPY --ab a b", "unknown flag: --ab"),
    ("ENV --foo a=b", "unknown flag: --foo"),
    ("FROM --platfrm=x busybox", "unknown flag: --platfrm (did you mean platform?)"),
    # the unknown instruction: the suggestion in the case the name is written in
    ("Cpy a b", "unknown instruction: Cpy (did you mean copy?)"),
    ("EXPOS 80", "unknown instruction: EXPOS (did you mean EXPOSE?)"),
    ("ExPoS 80", "unknown instruction: ExPoS (did you mean expose?)"),
    ("ad a b", "unknown instruction: ad (did you mean add?)"),
    ("xx a", "unknown instruction: xx"),
]


@pytest.mark.parametrize(("line", "message"), FLAG_ERRORS)
def test_flag_and_instruction_errors(line: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        _ = parse_dockerfile(f"FROM busybox\n{line}\n").instructions
    assert info.value.message == message


def test_a_double_dash_ends_the_flags() -> None:
    flags = FlagSet(["--link", "--", "--bogus"])
    flags.add_bool("link")
    flags.parse()
    assert flags.bool("link")


SUGGESTIONS = [
    # distance below 3 whatever the length (no minimum); the first closest option wins
    ("cp", ["copy", "cmd"], True, "copy"),
    ("cp", ["cmd", "copy"], True, "cmd"),
    ("x", ["ab"], True, "ab"),
    ("abc", ["xyz"], True, None),
    ("mount", ["mont", "mount"], True, None),  # an exact option: no suggestion
    ("MOUNT", ["mount"], True, None),
    ("MOUNT", ["mount"], False, None),
    ("MONT", ["mount"], False, "MOUNT"),
    ("Mont", ["MOUNT"], False, "mount"),
]


@pytest.mark.parametrize(("value", "options", "case_sensitive", "expected"), SUGGESTIONS)
def test_suggest(
    value: str, options: list[str], case_sensitive: bool, expected: str | None
) -> None:
    assert suggest(value, options, case_sensitive) == expected


def test_with_suggestion() -> None:
    assert with_suggestion("bad", "lnk", ["link"]) == "bad (did you mean link?)"
    assert with_suggestion("bad", "link", ["link"]) == "bad"
