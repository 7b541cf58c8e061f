"""``pyfrontend targets FILE``: what ``docker buildx build --call targets`` prints.

The cli step for the targets subrequest: every stage
(:func:`frontend.dockerui.outline.list_targets`) as
:func:`frontend.dockerui.subrequests.targets_result` answers it. Text: ``result.txt``
(the reference's ``PrintTargets``: ``TARGET``/``DESCRIPTION``, the default marked);
``--format json``: ``result.json``. A bad Dockerfile is reported as ``FILE:LINE:
message``, exit 1. (The build options are accepted as for every command; the list
does not depend on them.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from frontend.cli.options import BuildInput
from frontend.cli.outline import run_call


def _targets(given: BuildInput) -> Mapping[str, bytes]:
    from frontend.dockerui.outline import list_targets
    from frontend.dockerui.subrequests import targets_result

    return targets_result(list_targets(given.parse()), given.data).metadata


def main(argv: Sequence[str]) -> int:
    return run_call("pyfrontend targets", __doc__, argv, _targets)
