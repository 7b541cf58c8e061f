"""The rule table: every instruction type has a rule (or is handled elsewhere, said so),
and a type without one is an internal error, never skipped."""

from __future__ import annotations

import typing

import pytest

from frontend import records
from frontend.compiler.dispatch import HANDLERS, NOT_DISPATCHED, dispatch
from frontend.language import instructions
from frontend.language.errors import Range


def _concrete_instruction_classes() -> set[type]:
    members = set(typing.get_args(instructions.Instruction))
    declared = {
        v
        for v in vars(instructions).values()
        if isinstance(v, type)
        and records.is_record(v)
        and hasattr(v, "expand")
        and "location" in records.fields(v)
        and not v.__name__.startswith("_")
    }
    assert declared == members  # the Instruction union lists every instruction class
    return members


def test_every_instruction_has_a_rule_or_is_handled_elsewhere() -> None:
    classes = _concrete_instruction_classes()
    assert len(classes) >= 18
    for cls in classes:
        assert (cls in HANDLERS) != (cls in NOT_DISPATCHED), cls.__name__
    assert set(HANDLERS) | set(NOT_DISPATCHED) == classes
    assert set(NOT_DISPATCHED) == {instructions.From}


def test_only_arg_is_given_unexpanded() -> None:
    assert [cls for cls, rule in HANDLERS.items() if not rule.expand] == [instructions.Arg]


@records.record
class _Unknown:
    location: Range
    original: str = "UNKNOWN"


def test_an_unknown_instruction_type_raises() -> None:
    cmd = _Unknown(Range(1, 1))
    with pytest.raises(TypeError, match="no compiler rule for instruction type _Unknown"):
        dispatch(None, None, cmd)  # type: ignore[arg-type]


def test_from_is_not_dispatched() -> None:
    cmd = instructions.From(location=Range(1, 1), original="FROM x", base="x")
    with pytest.raises(TypeError, match="instruction type From: it starts a stage"):
        dispatch(None, None, cmd)  # type: ignore[arg-type]
