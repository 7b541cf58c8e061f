"""The Dockerfile build a gateway run performs: text -> LLB -> BuildKit.

Owned step: the driver that joins the pipeline for one gateway request. It reads the
Dockerfile and ``.dockerignore`` through the gateway, parses (``frontend.language``),
compiles the stage graph (``frontend.stages``, ``frontend.compiler``) once per target
platform, solves the definitions and returns the refs with their image configs. User
errors become located :class:`~frontend.gateway.errors.UserError` s so BuildKit shows
the Dockerfile excerpt.
"""

from __future__ import annotations

import functools
import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import (
        CompileResult,
        ContextSource,
        NamedContext,
        NamedContextLookup,
        ResolvedImage,
    )
    from frontend.gateway.client import GatewayClient, Ref, Result
    from frontend.gateway.options import BuildOptions, Platform
    from frontend.language import DockerfileError

SUPPORTED_REQUESTS = ("",)


def build(client: GatewayClient, options: BuildOptions) -> Result:
    from frontend.gateway.client import Result
    from frontend.gateway.context import read_dockerfile, read_dockerignore
    from frontend.gateway.errors import UserError
    from frontend.language import DockerfileError, parse_dockerfile

    if options.request_id not in SUPPORTED_REQUESTS:
        raise UserError(f"unsupported request {options.request_id}")
    source = read_dockerfile(client, options)
    excludes = read_dockerignore(client, options, source)
    if not source.data:
        raise UserError("the Dockerfile cannot be empty")
    try:
        dockerfile = parse_dockerfile(source.data, source.filename)
    except DockerfileError as e:
        raise _located(e, source.filename, source.data) from None

    platforms = options.target_platforms or (None,)
    multi = options.multi_platform
    contexts = _named_contexts(client, options)

    def one(platform: Platform | None) -> tuple[CompileResult, Ref]:
        opts = _compile_options(client, options, platform, tuple(excludes), multi, contexts)
        try:
            from frontend.compiler import compile_dockerfile

            result = compile_dockerfile(dockerfile, opts, _resolver(client, options))
        except DockerfileError as e:
            raise _located(e, source.filename, source.data) from None
        ref = client.solve(result.definition().pb)
        return result, ref

    if len(platforms) == 1:
        outcomes = [one(platforms[0])]
    else:
        with ThreadPoolExecutor(max_workers=min(4, len(platforms))) as pool:
            outcomes = list(pool.map(one, platforms))

    metadata: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    refs: dict[str, Ref | None] = {}
    for result, ref in outcomes:
        pid = str(result.platform)
        entries.append({"ID": pid, "Platform": result.platform.to_json()})
        suffix = f"/{pid}" if multi else ""
        metadata["containerimage.config" + suffix] = result.image.to_json()
        if result.base_image is not None:
            metadata["containerimage.baseconfig" + suffix] = result.base_image.to_json()
        if result.epoch is not None:
            # the exporter clamps times to it (0.13 reads the plain key, 1.26 the
            # platform's first)
            epoch = str(result.epoch).encode()
            metadata["source.date.epoch"] = epoch
            if multi:
                metadata["source.date.epoch" + suffix] = epoch
        refs[pid] = ref
    metadata["refs.platforms"] = json.dumps({"Platforms": entries}).encode()
    if multi:
        return Result(refs=refs, metadata=metadata)
    return Result(ref=outcomes[0][1], metadata=metadata)


def _located(e: DockerfileError, filename: str, data: bytes) -> Exception:
    from frontend.gateway.errors import UserError

    ranges = [(e.location.start_line, e.location.end_line)] if e.location else []
    return UserError(e.message, filename=filename, data=data, ranges=ranges)


def _compile_options(
    client: GatewayClient,
    options: BuildOptions,
    platform: Platform | None,
    excludes: tuple[str, ...],
    multi: bool,
    contexts: NamedContextLookup | None = None,
) -> Any:
    from frontend.compiler import CompileOptions

    build_platform = options.build_platforms[0]
    caps = client.caps.llb
    return CompileOptions(
        target=options.target,
        build_args=options.build_args,
        labels=options.labels,
        target_platform=platform if platform is not None else build_platform,
        build_platform=build_platform,
        platform_explicit=platform is not None,
        multi_platform=multi,
        no_cache=options.no_cache,
        image_resolve_mode=options.image_resolve_mode,
        network_mode=options.network_mode,
        hostname=options.hostname,
        extra_hosts=options.add_hosts,
        ulimits=options.ulimits,
        shm_size=options.shm_size,
        cgroup_parent=options.cgroup_parent,
        session_id=options.session_for_local("context"),
        context_name="context",
        dockerignore=excludes,
        llb_caps=frozenset(c for c in caps.ids if caps.has(c)) if len(caps) else None,
        named_context=contexts,
    )


CONTEXT_PREFIX = "context:"
SHARED_KEY_PREFIX = "sharedkey:localdir:"


def _named_contexts(client: GatewayClient, options: BuildOptions) -> NamedContextLookup | None:
    """The ``context:NAME`` options (``--build-context``) as the compiler's lookup, or
    None when there are none.  As in the reference (``dockerui`` ``NamedContext``),
    ``context:NAME::os/arch`` (for one platform) wins over ``context:NAME``."""
    given = options.named_contexts
    if not given:
        return None
    from frontend.compiler import ContextSource

    def lookup(name: str, platform: llb.Platform) -> ContextSource | None:
        for key in (f"{name}::{platform}", name):
            value = given.get(key)
            if value is not None:
                load = functools.partial(_load_context, client, options, key, value, platform)
                return ContextSource(key, load)
        return None

    return lookup


def _load_context(
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
    if kind in ("git", "http", "https", "oci-layout", "input"):
        raise UserError(f"context source {kind} for {key} is not supported by pyfrontend yet")
    raise UserError(f"unsupported context source {kind} for {key}")


def _local_context(client: GatewayClient, options: BuildOptions, key: str, name: str) -> Any:
    """A ``local:NAME`` context: its own ``.dockerignore`` is read first (step
    ``[context KEY] load .dockerignore``); the compiler makes the source itself."""
    from frontend.compiler import LocalContext
    from frontend.gateway.context import DOCKERIGNORE, local_source_definition, parse_dockerignore
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


def _resolver(client: GatewayClient, options: BuildOptions) -> Any:
    from frontend.compiler import ResolvedImage
    from frontend.gateway.errors import RpcFailure

    mode = options.image_resolve_mode

    def resolve(ref: str, platform: llb.Platform, log_name: str) -> ResolvedImage:
        try:
            res = client.resolve_image_config(
                ref, platform=platform, resolve_mode=mode, log_name=log_name
            )
        except RpcFailure as e:
            # the reference's in-process resolver says which image it was resolving
            prefix = f"failed to resolve source metadata for {ref}"
            if prefix in str(e):
                raise
            raise RuntimeError(f"{prefix}: {e}") from e
        return ResolvedImage(res.ref, res.digest, res.config)

    return resolve
