"""Errors as the gateway reports them: ``google.rpc.Status`` for ``Return``.

Owned step: ``frontend.gateway`` (error reporting). A user error (bad Dockerfile,
bad option) goes back to BuildKit as ``Return(error=Status)``. To make the client
print the offending Dockerfile lines, the status carries a detail ``Any`` whose
``type_url`` is exactly ``errdefs.Source`` holding ``errdefs.Source{info, ranges}``;
``info.definition`` is the definition that read the file (the reference always sends
it, and BuildKit's own tests expect it). Like the reference frontend, plain errors use
code ``UNKNOWN``.

A failed RPC (typically Solve with Evaluate, or ReadFile on a failing ref) carries
the daemon's own status in its ``grpc-status-details-bin`` trailer; that status is
forwarded unchanged (:func:`status_from_rpc_error`), or with context the way the
reference wraps a Go error: a ``prefix: `` on the message
(:meth:`RpcFailure.wrapped`) or one more source detail (:meth:`RpcFailure.with_source`),
the details it already has kept.

Nothing here depends on the language layer: locations are plain line numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import grpc

    from frontend.pb import ops_pb2, status_pb2

__all__ = [
    "SOURCE_TYPE_URL",
    "Code",
    "GatewayError",
    "LineRange",
    "RpcFailure",
    "UserError",
    "has_source",
    "internal_error_status",
    "location_in_message",
    "source_detail",
    "status_for_exception",
    "status_from_rpc_error",
    "user_error_status",
]

# BuildKit resolves details by the bare full proto name (0.13 also accepts it with
# a ``type.googleapis.com/`` prefix, but the reference sends the bare name).
SOURCE_TYPE_URL = "errdefs.Source"

STATUS_DETAILS_KEY = "grpc-status-details-bin"

# (start_line, end_line), 1-based and inclusive; or with characters:
# (start_line, start_char, end_line, end_char)
LineRange = tuple[int, int] | tuple[int, int, int, int]


class Code(enum.IntEnum):
    """The ``google.rpc.Code`` values."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class GatewayError(Exception):
    """Base of the errors the gateway turns into a ``Return`` status."""

    def to_status(self) -> status_pb2.Status:
        return user_error_status(str(self))


class UserError(GatewayError):
    """An error in the user's input, optionally located in a source file.

    ``ranges`` are 1-based inclusive line ranges in ``data`` (the file's bytes);
    ``definition`` the definition that read the file.
    """

    def __init__(
        self,
        message: str,
        *,
        filename: str = "",
        data: bytes = b"",
        ranges: Sequence[LineRange] = (),
        language: str = "Dockerfile",
        definition: ops_pb2.Definition | None = None,
        code: Code = Code.UNKNOWN,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.data = data
        self.ranges = tuple(ranges)
        self.language = language
        self.definition = definition
        self.code = code

    def to_status(self) -> status_pb2.Status:
        return user_error_status(
            self.message,
            filename=self.filename,
            data=self.data,
            ranges=self.ranges,
            language=self.language,
            definition=self.definition,
            code=self.code,
        )


class RpcFailure(GatewayError):
    """A gateway RPC failed; keeps the daemon's status to forward it unchanged."""

    def __init__(self, method: str, status: status_pb2.Status) -> None:
        super().__init__(status.message)
        self.method = method
        self.status = status

    @property
    def code(self) -> int:
        return int(self.status.code)

    def to_status(self) -> status_pb2.Status:
        return self.status

    def wrapped(self, prefix: str) -> RpcFailure:
        """This failure with ``prefix: `` before its message (Go's ``errors.Wrap``)."""
        status = _copy(self.status)
        status.message = f"{prefix}: {status.message}" if status.message else prefix
        return RpcFailure(self.method, status)

    def with_source(
        self,
        filename: str,
        data: bytes,
        ranges: Iterable[LineRange],
        *,
        language: str = "Dockerfile",
        definition: ops_pb2.Definition | None = None,
    ) -> RpcFailure:
        """This failure located in a source file too: one more ``errdefs.Source``
        detail after the daemon's (the outermost, as ``errdefs.WithSource`` makes it)."""
        status = _copy(self.status)
        status.details.append(
            source_detail(filename, data, ranges, language=language, definition=definition)
        )
        return RpcFailure(self.method, status)


def _copy(status: status_pb2.Status) -> status_pb2.Status:
    from frontend.pb import status_pb2

    out = status_pb2.Status()
    out.CopyFrom(status)
    return out


def has_source(status: status_pb2.Status) -> bool:
    """Whether ``status`` already points into a source file (an ``errdefs.Source``
    detail, with or without a ``type.googleapis.com/`` prefix)."""
    return any(d.type_url.rpartition("/")[2] == SOURCE_TYPE_URL for d in status.details)


def _pb_range(r: LineRange) -> Any:
    from frontend.pb import ops_pb2

    if len(r) == 2:
        start_line, end_line = r
        start_char = end_char = 0
    else:
        start_line, start_char, end_line, end_char = r
    return ops_pb2.Range(
        start=ops_pb2.Position(line=start_line, character=start_char),
        end=ops_pb2.Position(line=end_line, character=end_char),
    )


def source_detail(
    filename: str,
    data: bytes,
    ranges: Iterable[LineRange],
    *,
    language: str = "Dockerfile",
    definition: ops_pb2.Definition | None = None,
) -> Any:
    """An ``Any`` (type_url ``errdefs.Source``) pointing at ``ranges`` of a file
    (``definition``: the definition that read it)."""
    from google.protobuf import any_pb2

    from frontend.pb import errdefs_pb2, ops_pb2

    source = errdefs_pb2.Source(
        info=ops_pb2.SourceInfo(filename=filename, data=data, language=language),
        ranges=[_pb_range(r) for r in ranges],
    )
    if definition is not None:
        source.info.definition.CopyFrom(definition)
    return any_pb2.Any(type_url=SOURCE_TYPE_URL, value=source.SerializeToString(deterministic=True))


def location_in_message(status: status_pb2.Status) -> status_pb2.Status:
    """``status`` with its location in the message text too, for a client that shows
    no excerpt: ``FILE line N: message`` (``lines N-M``) from its outermost
    ``errdefs.Source`` detail; unchanged when it has none or already says the line."""
    from frontend.pb import errdefs_pb2

    sources = [d for d in status.details if d.type_url.rpartition("/")[2] == SOURCE_TYPE_URL]
    if not sources:
        return status
    source = errdefs_pb2.Source.FromString(sources[-1].value)
    if not source.ranges:
        return status
    first = min(r.start.line for r in source.ranges)
    last = max(max(r.start.line, r.end.line) for r in source.ranges)
    if f"line {first}" in status.message:
        return status
    where = f"line {first}" if first == last else f"lines {first}-{last}"
    name = source.info.filename or "Dockerfile"
    out = _copy(status)
    out.message = f"{name} {where}: {status.message}"
    return out


def user_error_status(
    message: str,
    filename: str = "",
    data: bytes = b"",
    ranges: Sequence[LineRange] = (),
    *,
    language: str = "Dockerfile",
    definition: ops_pb2.Definition | None = None,
    code: Code = Code.UNKNOWN,
) -> status_pb2.Status:
    """The status for a user error; located when ``filename`` and ``ranges`` are given."""
    from frontend.pb import status_pb2

    status = status_pb2.Status(code=int(code), message=message)
    if filename and ranges:
        status.details.append(
            source_detail(filename, data, ranges, language=language, definition=definition)
        )
    return status


def internal_error_status(exc: BaseException) -> status_pb2.Status:
    """One line for an unexpected exception (its traceback belongs on stderr)."""
    from frontend.pb import status_pb2

    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    message = f"pyfrontend internal error: {type(exc).__name__}"
    if first:
        message += f": {first}"
    return status_pb2.Status(code=int(Code.UNKNOWN), message=message)


def status_from_rpc_error(err: grpc.RpcError) -> status_pb2.Status:
    """The daemon's status of a failed call: the details trailer when present."""
    from frontend.pb import status_pb2

    trailers: Sequence[tuple[str, Any]] = ()
    trailing = getattr(err, "trailing_metadata", None)
    if callable(trailing):
        trailers = trailing() or ()
    for key, value in trailers:
        if key == STATUS_DETAILS_KEY and isinstance(value, bytes):
            status = status_pb2.Status()
            try:
                status.ParseFromString(value)
            except Exception:  # a malformed trailer: fall back to code + message
                break
            return status
    code_fn = getattr(err, "code", None)
    details_fn = getattr(err, "details", None)
    code = code_fn() if callable(code_fn) else None
    number = int(code.value[0]) if code is not None else int(Code.UNKNOWN)
    message = details_fn() if callable(details_fn) else str(err)
    return status_pb2.Status(code=number, message=message or "")


def status_for_exception(exc: BaseException) -> status_pb2.Status:
    """What ``Return`` reports for an exception escaping the build handler."""
    if isinstance(exc, GatewayError):
        return exc.to_status()
    return internal_error_status(exc)
