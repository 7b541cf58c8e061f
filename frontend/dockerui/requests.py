"""Subrequests: what the ``requestid`` option asks the frontend for.

Owned step: ``frontend.dockerui`` (subrequests). BuildKit clients send
``requestid`` for ``--print`` / ``--call`` (``frontend.outline``,
``frontend.targets``, ``frontend.lint``, ``frontend.subrequests.describe``); an empty
one is the build itself. pyfrontend answers only the build so far:
:func:`check_request` refuses every other request with the reference's wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions

__all__ = ["SUPPORTED_REQUESTS", "check_request"]

# the request ids answered ("" = build)
SUPPORTED_REQUESTS: Final = ("",)


def check_request(options: BuildOptions) -> None:
    """Raise a user error unless the build's ``requestid`` is supported."""
    from frontend.gateway.errors import UserError

    if options.request_id not in SUPPORTED_REQUESTS:
        raise UserError(f"unsupported request {options.request_id}")
