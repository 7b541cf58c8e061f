"""Named build contexts: the ``context:NAME`` options (``--build-context``).

Owned step: ``frontend.dockerui`` (named contexts). :func:`named_context_lookup`
turns the ``context:NAME`` options into the compiler's
:class:`~frontend.compiler.NamedContextLookup`; as in the reference
(``dockerui`` ``NamedContext``), ``context:NAME::os/arch`` (for one platform) wins
over ``context:NAME``. A context is loaded (:func:`load_named_context`) only when
the target needs it: ``docker-image://REF`` resolves the image's config (a source
policy that makes it another source, e.g. ``local://x``, loads that instead, at most
:data:`MAX_CONTEXT_RECURSION` times), ``local:NAME`` reads the directory's own
``.dockerignore`` first, ``input:NAME`` is the request's frontend input ``NAME``
(image config from ``input-metadata:NAME``), ``oci-layout://STORE@DIGEST`` an image
of the client's OCI layout store; ``git@...``, ``git://...`` and a git ``http(s)://``
URL are a git source (:func:`_git_context`), any other ``http(s)://`` URL a download
named ``context`` (:func:`_http_context`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import ContextSource, LocalContext, NamedContext, NamedContextLookup
    from frontend.dockerui.config import BuildOptions
    from frontend.gateway.client import GatewayClient

__all__ = [
    "INPUT_METADATA_PREFIX",
    "MAX_CONTEXT_RECURSION",
    "SHARED_KEY_PREFIX",
    "load_named_context",
    "named_context_lookup",
]

SHARED_KEY_PREFIX: Final = "sharedkey:localdir:"
INPUT_METADATA_PREFIX: Final = "input-metadata:"
# how many times a source policy may turn a context into another (the reference's
# maxContextRecursion)
MAX_CONTEXT_RECURSION: Final = 10


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
    count: int = 0,
) -> NamedContext:
    """Load the named context ``key`` given as ``value`` (``docker-image://REF``,
    ``local:NAME``, ``input:NAME``, ``oci-layout://STORE@DIGEST``) for ``platform``.

    ``count``: how many times a source policy has already turned the context into
    another one (an image into ``local://...``); past :data:`MAX_CONTEXT_RECURSION`
    the reference gives up."""
    from frontend import llb
    from frontend.compiler import NamedContext
    from frontend.gateway.errors import UserError

    if count > MAX_CONTEXT_RECURSION:
        raise UserError(
            "context recursion limit exceeded; this may indicate a cycle in the "
            "provided source policies: " + value
        )
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
        from frontend.gateway.client import ResolvedToNonImage

        try:
            res = client.resolve_image_config(
                named,
                platform=platform,
                resolve_mode=options.image_resolve_mode,
                log_name=f"[context {key}] load metadata for {ref}",
            )
        except ResolvedToNonImage as e:
            return _policy_converted(client, options, key, e.updated, platform, count)
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
    if kind == "input":
        return _input_context(client, options, key, rest)
    if kind == "oci-layout":
        return _oci_layout_context(client, options, key, rest, platform)
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


def _policy_converted(
    client: GatewayClient,
    options: BuildOptions,
    key: str,
    updated: str,
    platform: llb.Platform,
    count: int,
) -> NamedContext:
    """An image context a source policy made another source (``updated``, e.g.
    ``local://test``): loaded again as ``kind:rest`` (the reference rewrites the
    option to ``before:after`` of ``://`` and loads once more)."""
    from frontend.gateway.errors import UserError

    before, sep, after = updated.partition("://")
    if not sep:
        raise UserError(f"could not parse ref: {updated}")
    return load_named_context(client, options, key, f"{before}:{after}", platform, count + 1)


def _input_context(
    client: GatewayClient, options: BuildOptions, key: str, name: str
) -> NamedContext:
    """An ``input:NAME`` context: the frontend input ``NAME`` of the request, with the
    image config of ``input-metadata:NAME`` (a JSON object of base64 values; its
    ``containerimage.config``) when given."""
    import base64
    import binascii
    import json

    from frontend.compiler import NamedContext
    from frontend.dockerui.context import frontend_input_states
    from frontend.gateway.errors import UserError

    states = frontend_input_states(client, client.inputs())
    state = states.get(name)
    if state is None:
        raise UserError(f"invalid input {name} for {key}")
    md = options.get(INPUT_METADATA_PREFIX + name)
    if md is None:
        return NamedContext(state=state)
    try:
        parsed = json.loads(md)
        if not isinstance(parsed, dict):
            raise ValueError(f"cannot unmarshal {type(parsed).__name__} into map")
        metadata: dict[str, bytes] = {}
        for k, v in parsed.items():
            if not isinstance(v, str):
                raise ValueError(f"cannot unmarshal {type(v).__name__} into []byte")
            metadata[k] = base64.b64decode(v, validate=True)
    except (ValueError, binascii.Error) as e:
        raise UserError(f"failed to parse input metadata {md}: {e}") from None
    config = metadata.get("containerimage.config")
    if config is None:
        return NamedContext(state=state)
    try:
        if not isinstance(json.loads(config), dict):
            raise ValueError("the image config is not a JSON object")
    except ValueError as e:
        raise UserError(f"failed to parse image config for {key}: {e}") from None
    return NamedContext(state=state, config=config)


def _oci_layout_context(
    client: GatewayClient,
    options: BuildOptions,
    key: str,
    spec: str,
    platform: llb.Platform,
) -> NamedContext:
    """An ``oci-layout://STORE@DIGEST`` context: the image ``DIGEST`` of the client's
    OCI layout store ``STORE``. As in the reference, the image is named after the
    context (``docker.io/library/NAME@DIGEST``); its config is resolved from the
    store (``oci.session`` = the build's session, ``oci.store`` = ``STORE``) and the
    source is ``oci-layout://<that name>`` with the same attributes."""
    import json

    from frontend import llb
    from frontend.compiler import NamedContext
    from frontend.gateway.client import OCIStore
    from frontend.gateway.errors import UserError
    from frontend.gocompat import go_quote
    from frontend.llb.reference import (
        ImageReference,
        InvalidReferenceError,
        parse_normalized,
        parse_reference,
    )

    ref_spec = spec.removeprefix("//")
    try:
        store_name, tag, digest = parse_reference(ref_spec)
    except InvalidReferenceError as e:
        raise UserError(f"could not parse oci-layout reference {go_quote(ref_spec)}: {e}") from None
    if not digest:
        shown = store_name + (f":{tag}" if tag else "")
        raise UserError(f"oci-layout reference {go_quote(shown)} has no digest")
    name = key.partition("::")[0]
    try:
        named = parse_normalized(name)
    except InvalidReferenceError as e:
        raise UserError(f"could not parse oci-layout reference {go_quote(name)}: {e}") from None
    dummy = str(ImageReference(named.domain, named.path, named.tag, digest))
    store = OCIStore(options.session_id, store_name)
    res = client.resolve_image_config(
        dummy,
        platform=platform,
        log_name=f"[context {key}] load metadata for {dummy}",
        oci_store=store,
    )
    try:
        if not isinstance(json.loads(res.config or b"null"), dict):
            raise ValueError("the image config is not a JSON object")
    except ValueError as e:
        raise UserError(f"could not parse oci-layout image config: {e}") from None
    state = llb.oci_layout(
        dummy,
        session_id=store.session_id,
        store_id=store.store_id,
        platform=platform,
        constraints=llb.Constraints.of(custom_name=f"[context {key}] OCI load from client"),
    )
    return NamedContext(state=state, config=res.config)
