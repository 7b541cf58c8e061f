"""Filtering and collecting: ``Linter.Run`` / ``WithMergedConfig`` / ``Error``."""

from __future__ import annotations

from frontend.dockerui.checks import rules as R
from frontend.dockerui.checks.linter import LintConfig, Linter, LintWarning, format_short
from frontend.language.errors import Range

EXPERIMENTAL = R.invalid_definition_description("ARG", "x")
PLAIN = R.maintainer_deprecated()
DEPRECATED = R.Finding(R.Rule("Old", "old", deprecated=True), "old")


def fired(config: LintConfig, *findings: R.Finding) -> list[str]:
    linter = Linter(config)
    for f in findings:
        linter.run(f, Range(1, 1))
    return [w.rule_name for w in linter.warnings]


def test_enabled() -> None:
    everything = (PLAIN, EXPERIMENTAL, DEPRECATED)
    assert fired(LintConfig(), *everything) == ["MaintainerDeprecated"]
    assert fired(LintConfig(skip_all=True), *everything) == []
    assert fired(LintConfig(skip=frozenset({"MaintainerDeprecated"})), *everything) == []
    assert fired(LintConfig(experimental_all=True), *everything) == [
        "MaintainerDeprecated",
        "InvalidDefinitionDescription",
    ]
    # skip never applies to an experimental rule
    assert fired(
        LintConfig(skip_all=True, experimental=frozenset({"InvalidDefinitionDescription"})),
        *everything,
    ) == ["InvalidDefinitionDescription"]
    assert fired(
        LintConfig(
            skip=frozenset({"InvalidDefinitionDescription"}),
            experimental=frozenset({"InvalidDefinitionDescription"}),
        ),
        EXPERIMENTAL,
    ) == ["InvalidDefinitionDescription"]


def test_merged_config_shares_the_record() -> None:
    seen: list[LintWarning] = []
    root = Linter(LintConfig(error=True), seen.append)
    local = root.with_config(LintConfig(skip=frozenset({"MaintainerDeprecated"}), error=False))
    assert root.with_config(None) is root
    assert local.config.error  # error stays the file's
    local.run(PLAIN, Range(2, 2))  # skipped here only
    root.run(PLAIN, Range(3, 3))
    local.run(R.stage_name_casing("A"), Range(4, 5))
    assert [w.line for w in root.warnings] == [3, 4]
    assert [w.line for w in local.warnings] == [3, 4]
    assert seen == list(root.warnings)
    err = local.error()
    assert err is not None
    assert err.message == "lint violation found for rules: MaintainerDeprecated, StageNameCasing"


def test_error_needs_error_true_and_a_warning() -> None:
    assert Linter(LintConfig()).error() is None
    linter = Linter(LintConfig(error=True))
    assert linter.error() is None
    linter.run(PLAIN, None)
    linter.run(PLAIN, None)
    err = linter.error()
    assert err is not None and err.message == "lint violation found for rules: MaintainerDeprecated"
    skipped = Linter(LintConfig(error=True, skip_all=True))
    skipped.run(PLAIN, None)
    assert skipped.error() is None


def test_warning_forms() -> None:
    w = LintWarning(R.MAINTAINER_DEPRECATED, "msg", Range(3, 5))
    assert w.short == "MaintainerDeprecated: msg (line 3)"
    assert w.detail == (R.MAINTAINER_DEPRECATED.description.encode(),)
    assert w.url == "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/"
    assert w.ranges() == ((3, 0, 5, 0),)
    assert w.level == 1
    unlocated = LintWarning(R.MAINTAINER_DEPRECATED, "msg", None)
    assert unlocated.short == "MaintainerDeprecated: msg"
    assert unlocated.ranges() == ()
    assert format_short("R", "m", 0) == "R: m"
