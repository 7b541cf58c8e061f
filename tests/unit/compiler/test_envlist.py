"""EnvList: immutable values that share one log of assignments."""

from __future__ import annotations

from frontend.compiler.envlist import EnvList


def test_set_moves_a_key_to_the_end_and_leaves_the_old_list_alone() -> None:
    a = EnvList({"A": "1", "B": "2"})
    b = a.set("A", "3")
    c = b.set("C", "4")
    assert a.to_list() == ["A=1", "B=2"]
    assert b.to_list() == ["B=2", "A=3"]
    assert c.to_list() == ["B=2", "A=3", "C=4"]
    assert (a["A"], b["A"], "C" in b, len(c)) == ("1", "3", False, 3)


def test_setting_on_an_older_list_branches() -> None:
    a = EnvList().set("X", "1")
    b = a.set("Y", "2")
    c = a.set("Z", "3")  # a's log has grown (b): c gets a log of its own
    d = b.set("W", "4")
    assert a.to_list() == ["X=1"]
    assert b.to_list() == ["X=1", "Y=2"]
    assert c.to_list() == ["X=1", "Z=3"]
    assert d.to_list() == ["X=1", "Y=2", "W=4"]
    assert list(c) == ["X", "Z"] and dict(d) == {"X": "1", "Y": "2", "W": "4"}
