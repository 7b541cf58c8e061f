"""The compiler (pipeline step 3): a parsed Dockerfile -> LLB states and image config.

:func:`compile_dockerfile` takes a :class:`~frontend.language.Dockerfile`, the
:class:`CompileOptions` of the build and an image-config resolver, and returns the
target's LLB state and OCI image config (:class:`CompileResult`).

Owned step: pipeline step 3, by module (each imports only those listed before it):
``options`` (inputs), ``envlist``, ``epoch``, ``image`` (OCI config and history),
``state`` (one stage, step names), ``steps`` (what rules share, ``RuleContext``),
``config`` / ``mounts`` / ``run`` / ``copy`` (the rules, by feature), ``dispatch``
(the rule table), ``sources`` (base images, named contexts), ``convert`` (the
``Compiler``: stage bookkeeping).
"""

from __future__ import annotations

from frontend.compiler.convert import CompileResult, DispatchedStage, compile_dockerfile
from frontend.compiler.image import ImageConfig
from frontend.compiler.options import (
    CompileOptions,
    ContextSource,
    EpochResolver,
    ImageResolver,
    LocalContext,
    NamedContext,
    NamedContextLookup,
    ResolvedImage,
    no_resolver,
)

__all__ = [
    "CompileOptions",
    "CompileResult",
    "ContextSource",
    "DispatchedStage",
    "EpochResolver",
    "ImageConfig",
    "ImageResolver",
    "LocalContext",
    "NamedContext",
    "NamedContextLookup",
    "ResolvedImage",
    "compile_dockerfile",
    "no_resolver",
]
