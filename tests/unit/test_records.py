"""frontend.records behaves as dataclasses.dataclass for the options it takes: each
case declares the same class both ways and compares what they do."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, ClassVar

import pytest

from frontend import records


def _both(body: str, options: str) -> tuple[Any, Any]:
    """The class ``C`` of ``body`` made by dataclass and by record with ``options``."""
    made = []
    for decorator in ("dataclasses.dataclass", "records.record"):
        ns: dict[str, Any] = {"dataclasses": dataclasses, "records": records, "__name__": __name__}
        ns["field"] = dataclasses.field if decorator.startswith("data") else records.field
        ns["ClassVar"] = ClassVar
        exec(f"@{decorator}({options})\nclass C:\n    'doc'\n" + body, ns)
        made.append(ns["C"])
    return made[0], made[1]


BODY = """
    a: int
    b: str = "x"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: list[int] = field(default_factory=list, compare=False, repr=False)
    k: ClassVar[int] = 3
"""
OPTIONS = [
    "",
    "frozen=True",
    "frozen=True, slots=True",
    "slots=True",
    "frozen=True, slots=True, eq=False",
    "eq=False",
    "slots=True, kw_only=True",
]


@pytest.mark.parametrize("options", OPTIONS)
def test_a_record_does_what_a_dataclass_does(options: str) -> None:
    dc, rec = _both(BODY, options)
    kw = "kw_only" in options
    args: tuple[Any, ...] = () if kw else (1,)
    kwargs: dict[str, Any] = {"a": 1} if kw else {}
    x, y = dc(*args, **kwargs), rec(*args, **kwargs)
    assert repr(x) == repr(y) == "C(a=1, b='x', c=())"
    assert (x.a, x.b, x.c, x.d) == (y.a, y.b, y.c, y.d)
    assert x.d is not dc(*args, **kwargs).d and y.d is not rec(*args, **kwargs).d
    assert dc.__match_args__ == rec.__match_args__
    assert dc.k == rec.k == 3
    assert hasattr(dc, "__slots__") == hasattr(rec, "__slots__")
    if hasattr(dc, "__slots__"):
        assert dc.__slots__ == rec.__slots__
        assert not hasattr(y, "__dict__")
    other = {"a": 1, "b": "x", "d": [9]}
    same_x, same_y = dc(**other), rec(**other)
    assert (x == same_x) == (y == same_y)
    assert (x == dc(a=2)) == (y == rec(a=2)) is False
    assert (x == (1,)) == (y == (1,)) is False
    assert (dc.__hash__ is None) == (rec.__hash__ is None)
    if dc.__hash__ is not None and "eq=False" not in options:
        assert hash(x) == hash(y) == hash(same_y)
    if "frozen" in options:
        for obj in (x, y):
            # both AttributeErrors, as code catching either expects
            with pytest.raises(AttributeError, match="cannot assign to field 'a'"):
                obj.a = 2
            with pytest.raises(AttributeError, match="cannot delete field 'a'"):
                del obj.a
        with pytest.raises(records.FrozenInstanceError):
            y.a = 2
    else:
        x.a = y.a = 5
        assert repr(x) == repr(y)
    if kw:
        with pytest.raises(TypeError):
            rec(1)
    with pytest.raises(TypeError):
        rec() if not kw else rec(b="y")
    assert records.replace(y, b="z").b == "z" and records.replace(y, b="z").a == y.a
    assert (
        records.fields(rec) == ("a", "b", "c", "d") == tuple(f.name for f in dataclasses.fields(dc))
    )
    assert records.is_record(y) and records.is_record(rec) and not records.is_record(x)
    for copied in (copy.copy(y), copy.deepcopy(y)):
        assert type(copied) is rec and repr(copied) == repr(y)


def test_inheritance_post_init_and_own_methods() -> None:
    made = {}
    for name, deco, fld in (
        ("dc", dataclasses.dataclass, dataclasses.field),
        ("rec", records.record, records.field),
    ):

        @deco(slots=True, kw_only=True)
        class Base:
            """base"""

            location: int
            original: str = ""

        @deco(slots=True, kw_only=True)
        class Sub(Base):
            """sub"""

            value: str
            seen: list[str] = fld(default_factory=list)

            def __post_init__(self) -> None:
                self.seen.append(self.value)

            def __repr__(self) -> str:
                return "own"

        @deco(frozen=True, slots=True)
        class Point:
            """p"""

            line: int
            character: int = 0

            def __hash__(self) -> int:
                return 7

        made[name] = (Base, Sub, Point)
    for Base, Sub, Point in made.values():
        s = Sub(location=1, value="v")
        assert (s.location, s.original, s.value, s.seen) == (1, "", "v", ["v"])
        assert repr(s) == "own" and isinstance(s, Base)
        assert Sub.__match_args__ == ()
        assert hash(Point(1)) == 7 and Point(1, 0) == Point(1)
        assert repr(Point(2, 3)).endswith("Point(line=2, character=3)")
        with pytest.raises(TypeError):
            Sub(1, "v")


def test_init_is_compiled_at_the_first_instance_of_the_class_or_a_subclass() -> None:
    @records.record(frozen=True, slots=True)
    class Base:
        """b"""

        a: int
        b: tuple[int, ...] = records.field(default_factory=tuple)

    class Plain(Base):  # not a record: it inherits Base's __init__
        __slots__ = ()

    first = Base.__dict__["__init__"]
    assert Plain(1).a == 1 and Plain(2, (3,)).b == (3,)  # compiles Base's __init__
    compiled = Base.__dict__["__init__"]
    assert compiled is not first
    assert Base(4) == Base(4, ()) and Base.__dict__["__init__"] is compiled
    with pytest.raises(TypeError):
        Base()


def test_records_of_one_shape_share_their_inits_code_with_their_own_names() -> None:
    # one compiled template per shape (fields, keyword-only, factories, frozen): each
    # record's __init__ is it with its own names, defaults and factories
    before = records._init_template.cache_info()

    @records.record(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: list[str] = records.field(default_factory=list)

    @records.record(frozen=True)
    class Span:
        start: int
        end: int = 9
        notes: list[str] = records.field(default_factory=lambda: ["n"])

    p, s = Point(1), Span(2)
    assert (p.x, p.y, p.tags, s.start, s.end, s.notes) == (1, 0, [], 2, 9, ["n"])
    assert Point(1).tags is not p.tags  # a fresh list each time
    after = records._init_template.cache_info()
    assert after.misses - before.misses <= 1  # one shape: compiled once at most
    assert after.hits - before.hits >= 1  # the second record took the first's code
    init_p, init_s = Point.__dict__["__init__"], Span.__dict__["__init__"]
    assert init_p.__code__.co_code == init_s.__code__.co_code
    assert init_p.__code__.co_varnames[:4] == ("self", "x", "y", "tags")
    with pytest.raises(
        TypeError, match=r"Span.__init__\(\) missing 1 required positional argument: 'start'"
    ):
        Span()
    with pytest.raises(records.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]

    @records.record(kw_only=True)
    class Options:
        name: str
        level: int = 3

    o = Options(name="a")
    assert (o.name, o.level) == ("a", 3)
    with pytest.raises(TypeError):
        Options("a")  # type: ignore[call-arg]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    # as dataclass refuses it (here at the first instance)
    @records.record
    class Bad:
        a: int = 1
        b: int  # type: ignore[misc]

    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        Bad(1, 2)
