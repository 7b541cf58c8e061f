"""The Dockerfile build of one gateway request: text -> LLB -> BuildKit.

Owned step: ``frontend.dockerui`` (the platform fan-out and the result). :func:`build`
is the gateway handler: it checks the options (``frontend.caps``:
:mod:`~frontend.dockerui.caps`), reads the Dockerfile
(:mod:`~frontend.dockerui.context`), forwards the build when it names another frontend
(:mod:`~frontend.dockerui.forward`), answers a subrequest
(:mod:`~frontend.dockerui.subrequests`, which refuses one it does not know), reads
``.dockerignore``, parses (``frontend.language``), compiles the stage graph (``frontend.stages``,
``frontend.compiler``) once per target platform with the build options mapped to
:class:`~frontend.compiler.CompileOptions`, solves the definitions (with the
``cache-imports`` / ``cache-from`` caches, as the reference; first refusing what the
daemon's LLB caps lack: :mod:`~frontend.dockerui.daemoncaps`) and assembles the
result: the ref (or refs per platform) with ``containerimage.config``,
``containerimage.baseconfig``, ``source.date.epoch`` and ``refs.platforms``. The first
platform's build runs the build checks and sends their warnings
(:mod:`~frontend.dockerui.warnings`).
The parse and each platform's compilation (the stage graph to the marshalled
definition, waits for image configs included) are timed into ``client.timing``, for
the gateway's timing line.

Errors are reported as the reference reports them. A located Dockerfile error becomes a
:class:`~frontend.gateway.errors.UserError` whose source (the Dockerfile's bytes, the
definition that read it, one range per line) makes BuildKit show the excerpt; its
message is the reference's (``dockerfile parse error on line N: ...`` for the
instruction step). The compiled definitions carry the same source map, so BuildKit
locates a step that fails in the solver itself.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from frontend import llb
    from frontend.compiler import CompileOptions, CompileResult, NamedContextLookup, ResolvedImage
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import DockerfileSource
    from frontend.dockerui.sbom import Scanner
    from frontend.gateway.buildopts import BuildOpts
    from frontend.gateway.client import Attestation, CacheImport, GatewayClient, Ref, Result
    from frontend.language import Dockerfile, DockerfileError
    from frontend.llb import Platform
    from frontend.pb import ops_pb2

__all__ = ["build"]


def build(client: GatewayClient, build_opts: BuildOpts) -> Result:
    """The gateway handler: check the options, read the Dockerfile, hand the build to
    the frontend it names if any, else check the request and build it here, once per
    target platform."""
    # Only what reading the Dockerfile needs is imported first: the rest of the build's
    # modules (the language, the checks, the compiler) load while the daemon answers
    # its RPCs (the gateway queues them: frontend.cli.gateway.BUILD_MODULES).
    from frontend.dockerui.caps import check_caps
    from frontend.dockerui.config import CHECK_BUILD_ARG, BuildOptions
    from frontend.dockerui.context import read_dockerfile, read_dockerignore

    options = BuildOptions.of(build_opts)
    options.validate()
    if CHECK_BUILD_ARG in options.build_args:  # build checks: BUILDKIT_DOCKERFILE_CHECK
        from frontend.dockerui.warnings import check_option

        check_option(options)
    caps = check_caps(options.opts.get("frontend.caps", ""))
    if caps.error is not None and not caps.forward:
        raise caps.error
    source = read_dockerfile(client, options)

    from frontend.dockerui.forward import forward_syntax
    from frontend.dockerui.namedcontext import named_context_lookup
    from frontend.dockerui.warnings import BuildChecks
    from frontend.gateway.errors import UserError
    from frontend.language import DockerfileError, parse_dockerfile

    forwarded = forward_syntax(client, options, source)
    if forwarded is not None:
        return forwarded
    if caps.error is not None:  # a "+forward" cap this frontend lacks, not forwarded
        raise caps.error
    if options.request_id:  # --print / --call: answered, or refused, without a build
        from frontend.dockerui.subrequests import answer_subrequest

        return answer_subrequest(client, options, source, lambda: _convert(client, options, source))
    # .dockerignore is read while the Dockerfile is parsed and compiled: the compiler
    # asks for its patterns once the stages are dispatched, as the reference does
    # (after resolving the base images), the checks when they run
    reading = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dockerignore")
    ignore = reading.submit(lambda: tuple(read_dockerignore(client, options, source)))
    reading.shutdown(wait=False)
    excludes = ignore.result
    if not source.data:
        raise UserError("the Dockerfile cannot be empty")
    scanner = _scanner(client, options)  # attest:sbom: resolved before the build
    # build checks: warnings of the first platform's build (frontend.dockerui.warnings)
    checks = BuildChecks(client, options, source, excludes)
    started = time.perf_counter()
    try:
        dockerfile = parse_dockerfile(source.data, source.filename)
    except DockerfileError as e:
        checks.parse_failed()
        raise _located(e, source) from None
    client.timing.add_phase("parse", time.perf_counter() - started)

    platforms = options.target_platforms or (None,)
    multi = options.multi_platform
    contexts = named_context_lookup(client, options)

    def one(platform: Platform | None, checked: bool = False) -> tuple[CompileResult, Ref]:
        # the checks see the named contexts the first platform's build loads
        lookup = checks.watch(contexts) if checked else contexts
        opts = _compile_options(client, options, source, platform, excludes, multi, lookup)
        started = time.perf_counter()
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
        definition = result.definition().pb
        client.timing.add_phase("compile", time.perf_counter() - started)
        _check_daemon_caps(client, options, source, definition)
        return result, _solve_definition(client, definition, source, options.cache_imports)

    if len(platforms) == 1:
        outcomes = [one(platforms[0], True)]
    else:
        with ThreadPoolExecutor(max_workers=min(4, len(platforms))) as pool:
            firsts = [i == 0 for i in range(len(platforms))]
            outcomes = list(pool.map(one, platforms, firsts))
    attestations = _scan(client, scanner, outcomes) if scanner is not None else {}
    return _result(outcomes, multi, attestations)


def _convert(
    client: GatewayClient, options: BuildOptions, source: DockerfileSource
) -> tuple[Dockerfile, CompileResult]:
    """The build's conversion for ``frontend.convertllb`` and ``frontend.outline``
    (the reference's ``DockerfileConvertLLB`` and ``Dockerfile2Outline``, both
    ``toDispatchState``): as a build's, for no platform asked (the build platform), its
    base images resolved and named contexts loaded, its checks sent as a build sends
    them; the parsed Dockerfile and the compilation, unsolved. Raises
    :class:`DockerfileError` unlocated-to-be (the reference adds no source to a
    subrequest's error)."""
    from frontend.compiler import compile_dockerfile
    from frontend.dockerui.context import read_dockerignore
    from frontend.dockerui.namedcontext import named_context_lookup
    from frontend.dockerui.warnings import BuildChecks
    from frontend.gateway.errors import UserError
    from frontend.language import DockerfileError, parse_dockerfile

    excludes = read_dockerignore(client, options, source)
    if not source.data:
        raise UserError("the Dockerfile cannot be empty")
    checks = BuildChecks(client, options, source, excludes, platform=None)
    try:
        dockerfile = parse_dockerfile(source.data, source.filename)
    except DockerfileError:
        checks.parse_failed()
        raise
    contexts = checks.watch(named_context_lookup(client, options))
    opts = _compile_options(
        client, options, source, None, tuple(excludes), options.multi_platform, contexts
    )
    result = checks.compile(
        dockerfile, lambda r: compile_dockerfile(dockerfile, opts, r), _resolver(client, options)
    )
    return dockerfile, result


def _scanner(client: GatewayClient, options: BuildOptions) -> Scanner | None:
    """The SBOM scanner ``attest:sbom`` asks for (its image config resolved for the
    first build platform), or None."""
    request = options.sbom
    if request is None:
        return None
    from frontend.dockerui.sbom import create_scanner

    return create_scanner(client, request, options.build_platforms[0], options.image_resolve_mode)


def _scan(
    client: GatewayClient, scanner: Scanner, outcomes: list[tuple[CompileResult, Ref]]
) -> dict[str, tuple[Attestation, ...]]:
    """Each platform's SBOM scan (its result and the extra targets the compiler
    named), solved: the platform's attestation (the reference's builder)."""
    from frontend import llb
    from frontend.dockerui.sbom import sbom_attestation

    out: dict[str, tuple[Attestation, ...]] = {}
    for result, _ in outcomes:
        pid = _platform_id(result)
        scan = scanner.scan(
            pid, result.state, result.sbom_extras, ignore_cache=result.sbom_ignore_cache
        )
        definition = llb.marshal(scan, default_platform=result.platform, caps=result.caps)
        out[pid] = (sbom_attestation(client.solve(definition.pb)),)
    return out


def _platform_id(result: CompileResult) -> str:
    return result.platform.normalized().format_all()  # platforms.FormatAll(Normalize(p))


def _result(
    outcomes: list[tuple[CompileResult, Ref]],
    multi: bool,
    attestations: dict[str, tuple[Attestation, ...]] | None = None,
) -> Result:
    """The gateway result of the per-platform builds: one ref, or (``multi``) refs by
    platform id, with the image configs and the epoch as metadata."""
    from frontend.gateway.client import Result

    metadata: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    refs: dict[str, Ref | None] = {}
    for result, ref in outcomes:
        pid = _platform_id(result)
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
    atts = attestations or {}
    if multi:
        return Result(refs=refs, metadata=metadata, attestations=atts)
    return Result(ref=outcomes[0][1], metadata=metadata, attestations=atts)


def _solve_definition(
    client: GatewayClient,
    definition: ops_pb2.Definition,
    source: DockerfileSource,
    cache_imports: Sequence[CacheImport] = (),
) -> Ref:
    """Solve the compiled definition, within what BuildKit takes in one message.

    Over 16 MiB (no BuildKit takes it), or refused by the daemon as too large (before
    0.15 it takes 4 MiB: ``grpc: received message larger than max (N vs. 4194304)``),
    the definition is sent once more without the Dockerfile's text in its source map
    (a large file of comments is no reason to fail; BuildKit's errors then show no
    excerpt). Still too large, it is refused clearly, at the line of its largest step;
    the reference sends it anyway and gets a transport error with no line."""
    from frontend.gateway.errors import RpcFailure
    from frontend.language.parser import MAX_DEFINITION_BYTES
    from frontend.pb import ops_pb2

    attempts = [definition]
    if any(info.data for info in definition.Source.infos):
        lean = ops_pb2.Definition()
        lean.CopyFrom(definition)
        for info in lean.Source.infos:
            info.data = b""
        attempts.append(lean)
    limit = MAX_DEFINITION_BYTES
    for attempt in attempts:
        if attempt.ByteSize() > MAX_DEFINITION_BYTES:
            continue
        try:
            return client.solve(attempt, cache_imports=cache_imports)
        except RpcFailure as failure:
            match = re.search(r"larger than max \((\d+) vs\. (\d+)\)", str(failure))
            if match is None:
                raise
            limit = int(match.group(2))
    raise _size_error(attempts[-1], source, attempts[-1].ByteSize(), limit)


def _size_error(
    definition: ops_pb2.Definition, source: DockerfileSource, size: int, limit: int
) -> Exception:
    """The error for a definition of ``size`` bytes over ``limit``, located at the
    line of its largest step."""
    from frontend.gateway.errors import UserError
    from frontend.llb import digest_of

    ops = list(getattr(definition, "def"))
    largest = max(ops, key=len) if ops else b""
    ranges: list[tuple[int, int]] = []
    where = ""
    locations = definition.Source.locations.get(digest_of(largest)) if largest else None
    if locations is not None:
        for loc in locations.locations:
            for r in loc.ranges:
                ranges.append((r.start.line, r.end.line))
    if ranges:
        first = min(start for start, _ in ranges)
        where = f"; its largest step ({len(largest):,} bytes) is on line {first}"
    return UserError(
        f"the build definition is {size:,} bytes, more than the {limit:,} bytes "
        f"({limit / (1 << 20):g} MiB) BuildKit accepts in one message{where}",
        filename=source.filename,
        data=source.data,
        ranges=[(n, n) for start, end in ranges[:1] for n in range(start, end + 1)],
        definition=source.definition,
    )


def _check_daemon_caps(
    client: GatewayClient,
    options: BuildOptions,
    source: DockerfileSource,
    definition: ops_pb2.Definition,
) -> None:
    """Refuse, at its line, a step or build option the daemon's LLB caps lack
    (:mod:`~frontend.dockerui.daemoncaps`) rather than solve a different image."""
    from frontend.dockerui.daemoncaps import check_daemon_caps

    given = {
        "--ulimit": bool(options.ulimits),
        "--shm-size": options.shm_size > 0,
        "--cgroup-parent": bool(options.cgroup_parent),
    }
    error = check_daemon_caps(
        definition,
        client.caps.llb,
        filename=source.filename,
        data=source.data,
        source_definition=source.definition,
        options=[opt for opt, on in given.items() if on],
    )
    if error is not None:
        raise error


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
    excludes: tuple[str, ...] | Callable[[], tuple[str, ...]],
    multi: bool,
    contexts: NamedContextLookup | None = None,
) -> CompileOptions:
    from frontend.compiler import CompileOptions
    from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT
    from frontend.dockerui.epoch import epoch_resolver

    build_platform = options.build_platforms[0]
    caps = client.caps.llb
    llb_caps = frozenset(c for c in caps.ids if caps.has(c)) if len(caps) else None
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
        dockerignore=excludes,
        main_context=source.main_context,
        llb_caps=llb_caps,
        named_context=contexts,
        source_map=_source_map(source),
        epoch_resolver=epoch_resolver(client, llb_caps),
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
