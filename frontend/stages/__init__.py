"""The stage graph (pipeline step 2): instructions -> stages, dependencies, target.

:func:`split_stages` cuts a parsed Dockerfile into its global ARGs and its stages;
:func:`resolve_graph` names every stage's base (an image, ``scratch`` or an earlier
stage) once the global ARGs are known, collects the edges made by ``FROM``,
``COPY --from`` and ``RUN --mount from=``, checks them, and answers which stages the
target needs.

Owned step: pipeline step 2 (:mod:`frontend.stages.graph`), including the one scanner
of ``--from`` values (:func:`from_refs`) and the one reachability rule
(:meth:`StageGraph.reachable`) the compiler uses.
"""

from __future__ import annotations

from frontend.stages.graph import (
    SCRATCH,
    BaseImage,
    BaseScratch,
    BaseStage,
    FromRef,
    ResolvedStage,
    Stage,
    StageGraph,
    Stages,
    check_from_ref,
    from_refs,
    resolve_graph,
    split_stages,
)

__all__ = [
    "SCRATCH",
    "BaseImage",
    "BaseScratch",
    "BaseStage",
    "FromRef",
    "ResolvedStage",
    "Stage",
    "StageGraph",
    "Stages",
    "check_from_ref",
    "from_refs",
    "resolve_graph",
    "split_stages",
]
