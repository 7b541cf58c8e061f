"""Errors of the language step, reused by every later step for located user errors.

Owned step: ``frontend.language`` (user errors). One exception type,
:class:`DockerfileError`: a message, an optional source :class:`Range` (1-based lines,
end inclusive) and an optional file name.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DockerfileError", "Range"]


@dataclass(frozen=True, slots=True)
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

    def format(self) -> str:
        """``FILE:LINE: message`` (parts that are unknown are left out)."""
        prefix = ""
        if self.filename:
            prefix += f"{self.filename}:"
        if self.location is not None:
            prefix += f"{self.location.start_line}:"
        return f"{prefix} {self.message}" if prefix else self.message
