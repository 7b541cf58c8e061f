"""The Dockerfile build a gateway run performs: text -> LLB -> BuildKit.

Owned step: the driver that joins the pipeline for one gateway request. It reads the
Dockerfile and ``.dockerignore`` through the gateway, parses (``frontend.language``),
compiles the stage graph (``frontend.stages``, ``frontend.compiler``) once per target
platform, solves the definitions and returns the refs with their image configs. User
errors become located :class:`~frontend.gateway.errors.UserError` s so BuildKit shows
the Dockerfile excerpt.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import CompileResult, ResolvedImage
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

    def one(platform: Platform | None) -> tuple[CompileResult, Ref]:
        opts = _compile_options(client, options, platform, tuple(excludes), multi)
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
    )


def _resolver(client: GatewayClient, options: BuildOptions) -> Any:
    from frontend.compiler import ResolvedImage

    mode = options.image_resolve_mode

    def resolve(ref: str, platform: llb.Platform, log_name: str) -> ResolvedImage:
        res = client.resolve_image_config(
            ref, platform=platform, resolve_mode=mode, log_name=log_name
        )
        return ResolvedImage(res.ref, res.digest, res.config)

    return resolve
