"""The ``frontend.caps`` option: the capabilities a client asks of this frontend.

Owned step: ``frontend.dockerui`` (frontend caps), the reference builder's
``validateCaps`` (``frontend/dockerfile/builder/caps.go``). The option is a comma-separated
list; each entry is a cap name, optionally with ``+forward`` (``NAME+forward``: the
client accepts that this frontend may not know the cap as long as the build is handed
to a frontend that does, through ``# syntax=``). The caps known here are the
reference's: ``moby.buildkit.frontend.inputs``, ``.subrequests``, ``.contexts`` and
``.gitquerystring``.

:func:`check_caps` gives the outcome in the reference's two steps: an unknown cap
without ``+forward`` fails the build at once, before the Dockerfile is read; one with
``+forward`` fails it only when the build is not forwarded. The error is the reference's
``errdefs.UnsupportedFrontendCapError`` (``unsupported frontend capability NAME``, code
``Unimplemented``, the ``errdefs.FrontendCap`` detail clients look for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from frontend.gateway.errors import Code, UserError
from frontend.records import record

if TYPE_CHECKING:
    from frontend.pb import status_pb2

__all__ = ["ENABLED_CAPS", "CapsCheck", "UnsupportedFrontendCap", "check_caps"]

ENABLED_CAPS: Final = frozenset(
    {
        "moby.buildkit.frontend.inputs",
        "moby.buildkit.frontend.subrequests",
        "moby.buildkit.frontend.contexts",
        "moby.buildkit.frontend.gitquerystring",
    }
)

FRONTEND_CAP_TYPE_URL: Final = "github.com/moby/buildkit/errdefs.FrontendCap+json"


class UnsupportedFrontendCap(UserError):
    """``errdefs.UnsupportedFrontendCapError`` for the cap ``name``."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unsupported frontend capability {name}", code=Code.UNIMPLEMENTED)
        self.name = name

    def to_status(self) -> status_pb2.Status:
        from google.protobuf import any_pb2

        from frontend.gocompat import go_json

        status = super().to_status()
        value = go_json({"name": self.name} if self.name else {})  # omitempty
        status.details.append(any_pb2.Any(type_url=FRONTEND_CAP_TYPE_URL, value=value.encode()))
        return status


@record(frozen=True, slots=True)
class CapsCheck:
    """What ``frontend.caps`` says: the error (None: every cap is known) and whether
    it waits for the build not being forwarded (``+forward``)."""

    error: UnsupportedFrontendCap | None = None
    forward: bool = False


def check_caps(value: str) -> CapsCheck:
    """``validateCaps``: the last unknown cap's error; an unknown cap without
    ``+forward`` ends the scan (its error is not deferred)."""
    if value == "":
        return CapsCheck()
    error: UnsupportedFrontendCap | None = None
    forward = False
    for cap in value.split(","):
        name = cap.split("+", 1)[0]
        if name in ENABLED_CAPS:
            continue
        error = UnsupportedFrontendCap(name)
        if "+forward" not in cap:
            return CapsCheck(error, False)
        forward = True
    return CapsCheck(error, forward)
