"""Subrequests: what the ``requestid`` option asks the frontend for.

Owned step: ``frontend.dockerui`` (subrequests). BuildKit clients send
``requestid`` for ``--print`` / ``--call`` (``frontend.outline``,
``frontend.targets``, ``frontend.lint``, ``frontend.subrequests.describe``); an empty
one is the build itself. pyfrontend answers all four
(:func:`frontend.dockerui.subrequests.answer_subrequest`, before the build starts:
``frontend.convertllb`` is not answered); :func:`check_request` refuses any other
with the reference's wording (``unsupported request NAME``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions

__all__ = ["SUPPORTED_REQUESTS", "check_request"]

# the request ids answered ("" = build), as frontend.dockerui.subrequests.REQUESTS
SUPPORTED_REQUESTS: Final = (
    "",
    "frontend.outline",
    "frontend.targets",
    "frontend.lint",
    "frontend.subrequests.describe",
)


def check_request(options: BuildOptions) -> None:
    """Raise a user error unless the build's ``requestid`` is supported."""
    from frontend.dockerui.subrequests import UnsupportedRequest

    if options.request_id not in SUPPORTED_REQUESTS:
        raise UnsupportedRequest(options.request_id)
