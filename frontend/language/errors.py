"""Errors of the language step, reused by every later step for located user errors.

Owned step: ``frontend.language`` (user errors). One exception type,
:class:`DockerfileError`: a message, an optional source :class:`Range` (1-based lines,
end inclusive) and an optional file name; its subclass :class:`InstructionError` marks
the errors of the instruction step, which the reference words differently in a build.
"""

from __future__ import annotations

from frontend.records import record

__all__ = ["DockerfileError", "InstructionError", "Range"]


@record(frozen=True, slots=True)
class Range:
    """Lines ``start_line`` .. ``end_line`` (1-based, inclusive) of a Dockerfile."""

    start_line: int
    end_line: int

    def __str__(self) -> str:
        if self.start_line == self.end_line:
            return str(self.start_line)
        return f"{self.start_line}-{self.end_line}"


class DockerfileError(Exception):
    """A user error in a Dockerfile (or in what a Dockerfile asks for).

    ``message`` reads like the reference frontend's; ``location`` names the lines
    when known; ``filename`` the file when known.
    """

    def __init__(
        self, message: str, location: Range | None = None, filename: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.filename = filename

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DockerfileError({self.message!r}, {self.location!r}, {self.filename!r})"

    def with_location(self, location: Range | None, filename: str | None = None) -> DockerfileError:
        """This error with ``location``/``filename`` filled in where not yet known."""
        loc = self.location if self.location is not None else location
        name = self.filename if self.filename is not None else filename
        if loc is self.location and name == self.filename:
            return self
        err = DockerfileError(self.message, loc, name)
        err.__cause__ = self.__cause__
        return err

    @property
    def reference_message(self) -> str:
        """The message as the reference's build reports it (here: ``message``)."""
        return self.message

    def format(self) -> str:
        """``FILE:LINE: message`` (parts that are unknown are left out)."""
        prefix = ""
        if self.filename:
            prefix += f"{self.filename}:"
        if self.location is not None:
            prefix += f"{self.location.start_line}:"
        return f"{prefix} {self.message}" if prefix else self.message


class InstructionError(DockerfileError):
    """A :class:`DockerfileError` of the instruction step: a parsed node that is no valid
    instruction (unknown instruction, argument count, flags, mounts, ...).

    The reference (``instructions.Parse``) reports these as ``dockerfile parse error on
    line N: <message>``, N the instruction's first line (:attr:`reference_message`);
    errors of the line parser and of the conversion have no such prefix. ``message``
    stays the bare text. Only :func:`frontend.language.parse_dockerfile` makes these.
    """

    def __init__(
        self,
        message: str,
        location: Range | None = None,
        filename: str | None = None,
        *,
        line: int = 0,
    ) -> None:
        super().__init__(message, location, filename)
        self.line = line

    @classmethod
    def of(cls, err: DockerfileError, line: int) -> InstructionError:
        """``err`` (message, range, file name, cause) as the error of the instruction
        that starts at ``line``."""
        out = cls(err.message, err.location, err.filename, line=line)
        out.__cause__ = err.__cause__
        return out

    @property
    def reference_message(self) -> str:
        return f"dockerfile parse error on line {self.line}: {self.message}"

    def with_location(self, location: Range | None, filename: str | None = None) -> DockerfileError:
        err = super().with_location(location, filename)
        return err if err is self else InstructionError.of(err, self.line)
