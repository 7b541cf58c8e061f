"""Which checks run, and the warnings they produced.

Owned step: ``frontend.dockerui.checks`` (filtering and collecting). A
:class:`LintConfig` is what ``# check=`` / ``BUILDKIT_DOCKERFILE_CHECK`` configure
(:mod:`~frontend.dockerui.checks.directive` parses them). A :class:`Linter` applies
one to the :class:`~frontend.dockerui.checks.rules.Finding` s the rule modules report:
a deprecated rule never warns, an experimental one only when enabled (``skip`` does not
apply to it), any other unless skipped. What passes becomes a located
:class:`LintWarning`, kept in order and handed to the callback (the gateway's ``Warn``)
as it happens. Linters made for one instruction (:meth:`Linter.with_config`, for the
``# check=`` comment above it) share the list, so :meth:`Linter.error` (``error=true``)
sees every rule that fired, as the reference's shared ``CalledRules`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from frontend.dockerui.checks.rules import Finding, Rule
from frontend.language.errors import DockerfileError, Range
from frontend.records import field, record

__all__ = ["LintConfig", "LintWarning", "Linter", "WarningCallback", "format_short"]


@record(frozen=True, slots=True)
class LintConfig:
    """The check configuration: rules skipped, experimental rules enabled, and whether
    a warning fails the build (``error``)."""

    skip_all: bool = False
    skip: frozenset[str] = frozenset()
    experimental_all: bool = False
    experimental: frozenset[str] = frozenset()
    error: bool = False

    def merged(self, other: LintConfig) -> LintConfig:
        """This configuration with ``other``'s skips and experimental rules added (the
        reference's ``WithMergedConfig``: ``error`` stays this one's)."""
        return LintConfig(
            skip_all=self.skip_all or other.skip_all,
            skip=self.skip | other.skip,
            experimental_all=self.experimental_all or other.experimental_all,
            experimental=self.experimental | other.experimental,
            error=self.error,
        )

    def enabled(self, rule: Rule) -> bool:
        """Whether ``rule`` may warn under this configuration."""
        if rule.deprecated:
            return False
        if rule.experimental:
            return self.experimental_all or rule.name in self.experimental
        return not self.skip_all and rule.name not in self.skip


def format_short(rule_name: str, message: str, line: int) -> str:
    """The one-line form the reference prints (``LintFormatShort``)."""
    out = f"{rule_name}: {message}"
    if line > 0:
        out += f" (line {line})"
    return out


@record(frozen=True, slots=True)
class LintWarning:
    """One located warning: what the gateway's ``Warn`` and the lint subrequest carry."""

    rule: Rule
    message: str  # the detail message (the lint subrequest's ``detail``)
    location: Range | None  # lines of the Dockerfile; None: the file as a whole
    level: int = 1

    @property
    def rule_name(self) -> str:
        return self.rule.name

    @property
    def description(self) -> str:
        return self.rule.description

    @property
    def url(self) -> str:
        return self.rule.url

    @property
    def line(self) -> int:
        """The first line (0 when unlocated)."""
        return self.location.start_line if self.location is not None else 0

    @property
    def short(self) -> str:
        """``Warn``'s ``short``: ``Rule: message (line N)``."""
        return format_short(self.rule.name, self.message, self.line)

    @property
    def detail(self) -> tuple[bytes, ...]:
        """``Warn``'s ``detail``: the rule's description."""
        return (self.rule.description.encode(),)

    def ranges(self) -> tuple[tuple[int, int, int, int], ...]:
        """``Warn``'s ranges (start line, start char, end line, end char); characters
        are 0 as in the reference's instruction locations."""
        if self.location is None:
            return ()
        return ((self.location.start_line, 0, self.location.end_line, 0),)


WarningCallback = Callable[[LintWarning], None]


@record(slots=True)
class _Record:
    """What every linter of one build shares: the warnings and the rules that fired."""

    callback: WarningCallback | None
    warnings: list[LintWarning] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)


class Linter:
    """Runs findings through a :class:`LintConfig` and records the warnings."""

    __slots__ = ("_record", "config")

    def __init__(
        self, config: LintConfig | None = None, callback: WarningCallback | None = None
    ) -> None:
        self.config = config if config is not None else LintConfig()
        self._record = _Record(callback)

    def with_config(self, other: LintConfig | None) -> Linter:
        """A linter for one instruction: ``other`` merged in, the same record."""
        if other is None:
            return self
        out = Linter.__new__(Linter)
        out.config = self.config.merged(other)
        out._record = self._record
        return out

    def run(self, finding: Finding, location: Range | None) -> None:
        """Report ``finding`` at ``location`` unless the configuration filters it."""
        if not self.config.enabled(finding.rule):
            return
        warning = LintWarning(finding.rule, finding.message, location)
        self._record.fired.append(finding.rule.name)
        self._record.warnings.append(warning)
        if self._record.callback is not None:
            self._record.callback(warning)

    def run_all(self, findings: Iterable[Finding], location: Range | None) -> None:
        for finding in findings:
            self.run(finding, location)

    @property
    def warnings(self) -> tuple[LintWarning, ...]:
        """Every warning so far, in the order reported."""
        return tuple(self._record.warnings)

    def error(self) -> DockerfileError | None:
        """With ``error=true`` and a rule fired: the reference's build error (its rules
        listed once each, here sorted; the reference's order is a map's)."""
        if not self.config.error or not self._record.fired:
            return None
        names = ", ".join(sorted(set(self._record.fired)))
        return DockerfileError(f"lint violation found for rules: {names}")
