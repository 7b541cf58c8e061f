"""The static dispatch: which stages, what they inherit, and the facts it takes."""

from __future__ import annotations

from frontend.dockerui.checks import BuildFacts, ImageFacts, Linter, lint, run_checks
from frontend.language import parse_dockerfile
from frontend.llb import Platform


def found(src: str, facts: BuildFacts | None = None) -> list[tuple[str, int]]:
    result = lint(src, facts)
    assert result.error is None, result.error
    return [(w.rule_name, w.line) for w in result.warnings]


SRC = "FROM scratch AS a\nCMD x\n\nFROM scratch AS b\nCMD y\n\nFROM a AS c\nWORKDIR w\n"


def test_build_dispatches_what_the_target_needs() -> None:
    assert found(SRC) == [("JSONArgsRecommended", 2), ("WorkdirRelativePath", 8)]
    assert found(SRC, BuildFacts(target="b")) == [("JSONArgsRecommended", 5)]
    assert found(SRC, BuildFacts(all_stages=True)) == [
        ("JSONArgsRecommended", 2),
        ("JSONArgsRecommended", 5),
        ("WorkdirRelativePath", 8),
    ]


def test_named_context_replaces_a_stage() -> None:
    assert found(SRC, BuildFacts(named_contexts=frozenset({"a"}))) == [("WorkdirRelativePath", 8)]


def test_copy_from_makes_a_stage_needed() -> None:
    src = "FROM scratch AS a\nCMD x\nFROM scratch\nCOPY --from=a / /\n"
    assert found(src) == [("JSONArgsRecommended", 2)]


def test_image_shell_and_environment() -> None:
    src = "FROM img\nCMD x\nCOPY $HOME /\n"
    # unknown image: no SHELL assumed, its environment unknown (no UndefinedVar)
    assert found(src) == [("JSONArgsRecommended", 2)]
    facts = BuildFacts(images={"img": ImageFacts(env=(("HOME", "/root"),), shell=True)})
    assert found(src, facts) == []
    facts = BuildFacts(images={"img": ImageFacts()})
    assert found(src, facts) == [("JSONArgsRecommended", 2), ("UndefinedVar", 3)]


def test_windows_workdir() -> None:
    src = "FROM scratch\nWORKDIR C:\\\\app\n"
    win = BuildFacts(target_platform=Platform("windows", "amd64"))
    assert found(src, win) == []
    assert found("FROM scratch\nWORKDIR \\\\app\n", win) == []
    assert found("FROM scratch\nWORKDIR D:\\\\app\n", win) == [("WorkdirRelativePath", 2)]
    assert found(src) == [("WorkdirRelativePath", 2)]
    # the stage's own --platform decides
    src = "FROM --platform=windows/amd64 scratch AS windows\nWORKDIR C:\\\\app\n"
    assert found(src) == []


def test_onbuild_triggers_run_at_the_child_from() -> None:
    src = "FROM scratch AS a\nONBUILD CMD x\nONBUILD cmd y\n\nFROM a\n"
    got = lint(src).warnings
    assert [(w.rule_name, w.line) for w in got if w.rule_name != "ConsistentInstructionCasing"] == [
        ("JSONArgsRecommended", 5),
        ("MultipleInstructionsDisallowed", 5),
        ("JSONArgsRecommended", 5),
    ]
    multiple = [w for w in got if w.rule_name == "MultipleInstructionsDisallowed"]
    assert multiple[0].message.startswith("Multiple cmd instructions")


def test_arg_values_and_build_args() -> None:
    src = "FROM scratch\nARG A\nARG B=$A\nARG C=$UNSET\nCOPY $A$B$C$D /\n"
    assert found(src) == [("UndefinedVar", 4), ("UndefinedVar", 5)]
    # a global ARG without value in the stage takes the global value
    src = "ARG G=1\nFROM scratch\nARG G\nCOPY $G /\n"
    assert found(src) == []


def test_dispatch_false_stops_before_the_walk() -> None:
    df = parse_dockerfile("FROM scratch AS A\nCMD x\n")
    linter = Linter()
    checked = run_checks(linter, df, dispatch=False)
    assert [w.rule_name for w in linter.warnings] == ["StageNameCasing"]
    assert [s.name for s in checked.stages] == ["a"]


def test_expansion_errors_end_the_walk() -> None:
    result = lint("FROM scratch\nCMD x\nENV A=${B\nCMD y\n")
    assert [w.line for w in result.warnings] == [2]
    assert result.error is not None and result.error.location is not None
    assert result.error.location.start_line == 3


def test_a_stage_on_a_stage_takes_its_platform() -> None:
    src = (
        "FROM --platform=windows/amd64 scratch AS windows\n"
        "FROM --platform=linux/amd64 windows AS linux\nWORKDIR C:\\\\app\n"
    )
    assert found(src) == []


def test_by_line_for_the_compiler() -> None:
    df = parse_dockerfile("ARG A\n# check=skip=all\nfrom scratch\n\nCopy a b\n")
    checked = run_checks(Linter(), df, dispatch=False)
    lines = checked.by_line()
    assert sorted(lines) == [1, 3, 5]
    assert lines[3].comments == ("check=skip=all",)
    assert (lines[5].keyword, lines[5].instruction) == ("Copy", df.instructions[2])
