"""The Dockerfile build of one gateway request: text -> LLB -> BuildKit.

Owned step: ``frontend.dockerui`` (the platform fan-out and the result). :func:`build`
is the gateway handler: it checks the options, reads the Dockerfile
(:mod:`~frontend.dockerui.context`), forwards the build when it names another frontend
(:mod:`~frontend.dockerui.forward`), answers a subrequest
(:mod:`~frontend.dockerui.subrequests`, which refuses one it does not know), reads
``.dockerignore``, parses (``frontend.language``), compiles the stage graph (``frontend.stages``,
``frontend.compiler``) once per target platform with the build options mapped to
:class:`~frontend.compiler.CompileOptions`, solves the definitions (with the
``cache-imports`` / ``cache-from`` caches, as the reference) and assembles the
result: the ref (or refs per platform) with ``containerimage.config``,
``containerimage.baseconfig``, ``source.date.epoch`` and ``refs.platforms``. The first
platform's build runs the build checks and sends their warnings
(:mod:`~frontend.dockerui.warnings`).

Errors are reported as the reference reports them. A located Dockerfile error becomes a
:class:`~frontend.gateway.errors.UserError` whose source (the Dockerfile's bytes, the
definition that read it, one range per line) makes BuildKit show the excerpt; its
message is the reference's (``dockerfile parse error on line N: ...`` for the
instruction step). The compiled definitions carry the same source map, so BuildKit
locates a step that fails in the solver itself.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import CompileOptions, CompileResult, NamedContextLookup, ResolvedImage
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import DockerfileSource
    from frontend.gateway.buildopts import BuildOpts
    from frontend.gateway.client import GatewayClient, Ref, Result
    from frontend.language import DockerfileError
    from frontend.llb import Platform

__all__ = ["build"]


def build(client: GatewayClient, build_opts: BuildOpts) -> Result:
    """The gateway handler: check the options, read the Dockerfile, hand the build to
    the frontend it names if any, else check the request and build it here, once per
    target platform."""
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import read_dockerfile, read_dockerignore
    from frontend.dockerui.forward import forward_syntax
    from frontend.dockerui.namedcontext import named_context_lookup
    from frontend.dockerui.warnings import BuildChecks, check_option
    from frontend.gateway.errors import UserError
    from frontend.language import DockerfileError, parse_dockerfile

    options = BuildOptions.of(build_opts)
    options.validate()
    check_option(options)  # build checks: BUILDKIT_DOCKERFILE_CHECK
    source = read_dockerfile(client, options)
    forwarded = forward_syntax(client, options, source)
    if forwarded is not None:
        return forwarded
    if options.request_id:  # --print / --call: answered, or refused, without a build
        from frontend.dockerui.subrequests import answer_subrequest

        return answer_subrequest(client, options, source)
    excludes = read_dockerignore(client, options, source)
    if not source.data:
        raise UserError("the Dockerfile cannot be empty")
    # build checks: warnings of the first platform's build (frontend.dockerui.warnings)
    checks = BuildChecks(client, options, source, excludes)
    try:
        dockerfile = parse_dockerfile(source.data, source.filename)
    except DockerfileError as e:
        checks.parse_failed()
        raise _located(e, source) from None

    platforms = options.target_platforms or (None,)
    multi = options.multi_platform
    contexts = named_context_lookup(client, options)

    def one(platform: Platform | None, checked: bool = False) -> tuple[CompileResult, Ref]:
        opts = _compile_options(client, options, source, platform, tuple(excludes), multi, contexts)
        try:
            from frontend.compiler import compile_dockerfile

            resolver = _resolver(client, options)
            if checked:  # the first platform's build runs the checks
                result = checks.compile(
                    dockerfile, lambda r: compile_dockerfile(dockerfile, opts, r), resolver
                )
            else:
                result = compile_dockerfile(dockerfile, opts, resolver)
        except DockerfileError as e:
            raise _located(e, source) from None
        # the reference passes the cache imports on the build's solve only
        ref = client.solve(result.definition().pb, cache_imports=options.cache_imports)
        return result, ref

    if len(platforms) == 1:
        outcomes = [one(platforms[0], True)]
    else:
        with ThreadPoolExecutor(max_workers=min(4, len(platforms))) as pool:
            firsts = [i == 0 for i in range(len(platforms))]
            outcomes = list(pool.map(one, platforms, firsts))
    return _result(outcomes, multi)


def _result(outcomes: list[tuple[CompileResult, Ref]], multi: bool) -> Result:
    """The gateway result of the per-platform builds: one ref, or (``multi``) refs by
    platform id, with the image configs and the epoch as metadata."""
    from frontend.gateway.client import Result

    metadata: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    refs: dict[str, Ref | None] = {}
    for result, ref in outcomes:
        pid = result.platform.normalized().format_all()  # platforms.FormatAll(Normalize(p))
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


def _located(e: DockerfileError, source: DockerfileSource) -> Exception:
    """``e`` as the reference reports it: its wording, and (when it has lines) the
    Dockerfile as its source with one range per line (``parser.toRanges``)."""
    from frontend.gateway.errors import UserError

    ranges: list[tuple[int, int]] = []
    if e.location is not None:
        first, last = e.location.start_line, max(e.location.start_line, e.location.end_line)
        ranges = [(n, n) for n in range(first, last + 1)]
    return UserError(
        e.reference_message,
        filename=source.filename,
        data=source.data,
        ranges=ranges,
        definition=source.definition,
    )


def _source_map(source: DockerfileSource) -> llb.SourceMap:
    """The Dockerfile as the compiled ops' source map (its bytes and the definition
    that read it, as the reference's ``dockerui`` makes it)."""
    from frontend import llb

    return llb.SourceMap(
        source.filename,
        source.data,
        "Dockerfile",
        definition=source.definition.SerializeToString(deterministic=True),
    )


def _compile_options(
    client: GatewayClient,
    options: BuildOptions,
    source: DockerfileSource,
    platform: Platform | None,
    excludes: tuple[str, ...],
    multi: bool,
    contexts: NamedContextLookup | None = None,
) -> CompileOptions:
    from frontend.compiler import CompileOptions
    from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT

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
        session_id=options.session_for_local(DEFAULT_LOCAL_CONTEXT),
        context_name=DEFAULT_LOCAL_CONTEXT,
        main_context=source.main_context,
        dockerignore=excludes,
        llb_caps=frozenset(c for c in caps.ids if caps.has(c)) if len(caps) else None,
        named_context=contexts,
        source_map=_source_map(source),
    )


def _resolver(client: GatewayClient, options: BuildOptions) -> Any:
    """The compiler's image resolver: the gateway's ``ResolveImageConfig``."""
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
