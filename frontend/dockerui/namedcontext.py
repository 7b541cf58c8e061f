"""Named build contexts: the ``context:NAME`` options (``--build-context``).

Owned step: ``frontend.dockerui`` (named contexts). :func:`named_context_lookup`
turns the ``context:NAME`` options into the compiler's
:class:`~frontend.compiler.NamedContextLookup`; as in the reference
(``dockerui`` ``NamedContext``), ``context:NAME::os/arch`` (for one platform) wins
over ``context:NAME``. A context is loaded (:func:`load_named_context`) only when
the target needs it: ``docker-image://REF`` resolves the image's config,
``local:NAME`` reads the directory's own ``.dockerignore`` first; ``git@...``,
``git://...`` and a git ``http(s)://`` URL are a git source (:func:`_git_context`), any
other ``http(s)://`` URL a download named ``context`` (:func:`_http_context`); the other
kinds (oci-layout, input) are refused as not supported yet.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import ContextSource, LocalContext, NamedContext, NamedContextLookup
    from frontend.dockerui.config import BuildOptions
    from frontend.gateway.client import GatewayClient

__all__ = ["SHARED_KEY_PREFIX", "load_named_context", "named_context_lookup"]

SHARED_KEY_PREFIX: Final = "sharedkey:localdir:"


def named_context_lookup(client: GatewayClient, options: BuildOptions) -> NamedContextLookup | None:
    """The ``context:NAME`` options as the compiler's lookup, or None when there are
    none."""
    given = options.named_contexts
    if not given:
        return None
    from frontend.compiler import ContextSource

    def lookup(name: str, platform: llb.Platform) -> ContextSource | None:
        for key in (f"{name}::{platform.normalized().format_all()}", name):
            value = given.get(key)
            if value is not None:
                load = functools.partial(load_named_context, client, options, key, value, platform)
                return ContextSource(key, load)
        return None

    return lookup


def load_named_context(
    client: GatewayClient,
    options: BuildOptions,
    key: str,
    value: str,
    platform: llb.Platform,
) -> NamedContext:
    """Load the named context ``key`` given as ``value`` (``docker-image://REF``,
    ``local:NAME``) for ``platform``."""
    from frontend import llb
    from frontend.compiler import NamedContext
    from frontend.gateway.errors import UserError

    kind, sep, rest = value.partition(":")
    if not sep:
        raise UserError(f"invalid context specifier {value} for {key}")
    if kind.startswith("git@"):
        kind = "git"
    if kind == "docker-image":
        ref = rest.removeprefix("//")
        if ref == "scratch":
            return NamedContext()
        from frontend.llb.reference import normalize_image_ref

        named = normalize_image_ref(ref)
        res = client.resolve_image_config(
            named,
            platform=platform,
            resolve_mode=options.image_resolve_mode,
            log_name=f"[context {key}] load metadata for {ref}",
        )
        state = llb.image(
            res.ref or named,
            platform=platform,
            constraints=llb.Constraints.of(custom_name=f"[context {key}] {ref}"),
        )
        return NamedContext(state=state, config=res.config or b"{}")
    if kind == "local":
        return NamedContext(local=_local_context(client, options, key, rest))
    if kind == "git":
        return _git_context(value)
    if kind in ("http", "https"):
        return _http_context(key, value)
    if kind in ("oci-layout", "input"):
        raise UserError(f"context source {kind} for {key} is not supported by pyfrontend yet")
    raise UserError(f"unsupported context source {kind} for {key}")


def _local_context(
    client: GatewayClient, options: BuildOptions, key: str, name: str
) -> LocalContext:
    """A ``local:NAME`` context: its own ``.dockerignore`` is read first (step
    ``[context KEY] load .dockerignore``); the compiler makes the source itself."""
    from frontend.compiler import LocalContext
    from frontend.dockerui.config import CONTEXT_PREFIX
    from frontend.dockerui.context import DOCKERIGNORE, local_source_definition, parse_dockerignore
    from frontend.gateway.errors import RpcFailure, UserError

    session = options.session_for_local(name)
    definition = local_source_definition(
        name,
        session_id=session,
        shared_key_hint=f"{CONTEXT_PREFIX}{key}-{DOCKERIGNORE}",
        follow_paths=[DOCKERIGNORE],
        differ="none",
        custom_name=f"[context {key}] load {DOCKERIGNORE}",
    )
    ref = client.solve(definition)
    try:
        data = client.read_file(ref, DOCKERIGNORE)
    except RpcFailure:
        data = b""
    try:
        excludes = parse_dockerignore(data) if data else []
    except Exception as exc:  # pragma: no cover - decoding never fails
        raise UserError(f"failed parsing {DOCKERIGNORE}: {exc}") from None
    shared = options.get(SHARED_KEY_PREFIX + key) or ""
    return LocalContext(
        local_name=name,
        session_id=session,
        shared_key_hint=f"{CONTEXT_PREFIX}{key}" + (f"-{shared}" if shared else ""),
        exclude_patterns=tuple(excludes),
        custom_name=f"[context {key}] load from client",
    )


def _git_context(value: str) -> NamedContext:
    """A ``git@...``/``git://...`` context: the git source ``value`` names."""
    from frontend.compiler import NamedContext
    from frontend.dockerui.context import git_context
    from frontend.gateway.errors import UserError

    state = git_context(value)
    if state is None:
        raise UserError(f"invalid git context {value}")
    return NamedContext(state=state)


def _http_context(key: str, value: str) -> NamedContext:
    """An ``http(s)://`` context: a git source when it is a git URL, else the download
    (named ``context``, not unpacked)."""
    from frontend.compiler import NamedContext
    from frontend.dockerui.context import git_context, http_context

    state = git_context(value)
    if state is None:
        state = http_context(value, f"[context {key}] {value}")
    return NamedContext(state=state)
