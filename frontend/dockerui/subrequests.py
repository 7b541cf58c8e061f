"""Answering subrequests: ``--print`` / ``--call`` (the ``requestid`` option).

Owned step: ``frontend.dockerui`` (subrequests), the reference's ``HandleSubrequest``
with the Dockerfile frontend's handlers. Each is answered without a build (nothing is
solved but the Dockerfile's own source and the context's ``.dockerignore``; the lint
resolves the base image configs its checks need, the outline and convertllb are made
from the build's conversion, which resolves those the target needs), as a result with
metadata only: ``result.json`` (the reference's JSON, in its field order, with its
``omitempty`` rules), ``result.txt`` (the reference's printout), ``version``:

* ``frontend.subrequests.describe`` — the requests described as the reference
  describes them: ``frontend.outline``, ``frontend.targets`` and itself (the reference
  answers ``frontend.lint`` without listing it);
* ``frontend.outline`` — the target's build args, secrets and SSH sockets
  (:func:`frontend.dockerui.outline.outline` of the build's conversion: its check
  warnings sent as a build sends them, its error the outline's);
* ``frontend.targets`` — the stages (:func:`frontend.dockerui.outline.list_targets`);
* ``frontend.lint`` — the build checks of every stage (of the target's when one is
  given), with the error that would end the build (``buildError``), as
  ``LintResults``; also ``result.statuscode`` (1 when anything was found).
  ``docker buildx build --call check`` prints it from ``result.json``;
* ``frontend.convertllb`` (version ``0.1.0``, answered but, as in the reference, not
  listed by describe) — the build's conversion (for no platform asked: the build
  platform; its check warnings sent as a build sends them) as ``result.json``: the
  definition's ops by digest (each as ``protojson`` writes a ``pb.Op``), its op
  metadata by digest (as encoding/json writes ``llb.OpMetadata``) and its source map
  (``protojson`` of ``pb.Source``); no ``result.txt``.

Any other ``requestid`` is refused as the reference refuses it (``unsupported request
NAME``, with the ``errdefs.Subrequest`` detail clients recognise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

from frontend.dockerui.goformat import (
    b64,
    definition_json,
    go_json_indent,
    op_metadata_json,
    protojson,
    tabwrite,
)
from frontend.gateway.errors import UserError

if TYPE_CHECKING:
    from frontend.compiler import CompileResult
    from frontend.dockerui.checks import ImageFacts, LintResult
    from frontend.dockerui.checks.facts import BuildFacts, ImageLookup, ImageRequest
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import DockerfileSource
    from frontend.dockerui.outline import OutlineResult, OutlineSecret, Target
    from frontend.gateway.client import GatewayClient, Result
    from frontend.language import Dockerfile, DockerfileError, Range
    from frontend.llb import Platform
    from frontend.pb import ops_pb2, status_pb2

__all__ = [
    "CONVERTLLB",
    "DESCRIBE",
    "LINT",
    "OUTLINE",
    "REQUESTS",
    "TARGETS",
    "UnsupportedRequest",
    "answer_subrequest",
    "convertllb_result",
    "describe_result",
    "lint_metadata",
    "lint_result",
    "lint_text",
    "outline_result",
    "source_excerpt",
    "targets_result",
]

OUTLINE: Final = "frontend.outline"
TARGETS: Final = "frontend.targets"
LINT: Final = "frontend.lint"
DESCRIBE: Final = "frontend.subrequests.describe"
CONVERTLLB: Final = "frontend.convertllb"
VERSION: Final = "1.0.0"  # every request's version but convertllb's
CONVERTLLB_VERSION: Final = "0.1.0"
# the request ids answered here
REQUESTS: Final = (OUTLINE, TARGETS, LINT, CONVERTLLB, DESCRIBE)

SUBREQUEST_TYPE_URL: Final = "github.com/moby/buildkit/errdefs.Subrequest+json"


def _named(name: str, description: str = "") -> dict[str, str]:
    return {"name": name, "description": description}


def _request(
    name: str, description: str, opts: list[dict[str, str]] | None, metadata: Sequence[str]
) -> dict[str, Any]:
    """A ``subrequests.Request`` (no omitempty: nil lists are ``null``)."""
    return {
        "name": name,
        "version": VERSION,
        "type": "rpc",
        "description": description,
        "opts": opts,
        "inputs": None,
        "metadata": [_named(m) for m in metadata],
        "refs": None,
    }


# what describe lists, in its order (the reference's definitions)
DESCRIBED: Final = (
    _request(
        OUTLINE,
        "List all parameters current build target supports",
        [_named("target", "Target build stage")],
        ("result.json", "result.txt"),
    ),
    _request(TARGETS, "List all targets current build supports", [], ("result.json", "result.txt")),
    _request(DESCRIBE, "List available subrequest types", None, ("result.json", "result.txt")),
)


class UnsupportedRequest(UserError):
    """``errdefs.UnsupportedSubrequestError``: a ``requestid`` not answered here."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unsupported request {name}")
        self.name = name

    def to_status(self) -> status_pb2.Status:
        from google.protobuf import any_pb2

        from frontend.gocompat import go_json

        status = super().to_status()
        value = go_json({"name": self.name} if self.name else {})  # omitempty
        status.details.append(any_pb2.Any(type_url=SUBREQUEST_TYPE_URL, value=value.encode()))
        return status


def _result(metadata: Mapping[str, bytes]) -> Result:
    from frontend.gateway.client import Result

    return Result(metadata=dict(metadata))


def _answer(doc: Any, text: str) -> Result:
    """The metadata of an answer: ``result.json``, ``result.txt``, ``version``."""
    data = go_json_indent(doc)
    return _result({"result.json": data, "result.txt": text.encode(), "version": VERSION.encode()})


def _location(where: Range | None) -> dict[str, Any] | None:
    """``toSourceLocation`` as JSON (source 0: no index)."""
    if where is None:
        return None
    return {
        "ranges": [
            {"start": _pos(where.start_line), "end": _pos(where.end_line)},
        ]
    }


def _pos(line: int) -> dict[str, int]:
    return {"line": line} if line else {}


def _omit(d: dict[str, Any]) -> dict[str, Any]:
    """Go's ``omitempty``: the zero values left out."""
    return {k: v for k, v in d.items() if v not in (None, "", False, [], {})}


# -- describe -----------------------------------------------------------------------


def describe_result() -> Result:
    """``frontend.subrequests.describe``."""
    rows = "".join(
        f"{r['name'].removeprefix('frontend.')}\t{r['version']}\t{r['description']}\n"
        for r in DESCRIBED
    )
    return _answer(list(DESCRIBED), tabwrite("NAME\tVERSION\tDESCRIPTION\n" + rows))


# -- targets ------------------------------------------------------------------------


def targets_result(targets: Sequence[Target], data: bytes) -> Result:
    """``frontend.targets`` for the stages of the Dockerfile ``data``."""
    doc = {
        "targets": [
            _omit(
                {
                    "name": t.name,
                    "default": t.default,
                    "description": t.description,
                    "base": t.base,
                    "platform": t.platform,
                    "location": _location(t.location),
                }
            )
            for t in targets
        ]
        or None,
        "sources": [b64(data)],
    }
    rows = []
    for t in targets:
        name = t.name
        if not name and t.default:
            name = "(default)"
        elif t.default:
            name = f"{name} (default)"
        rows.append(f"{name}\t{t.description}\n")
    text = tabwrite("TARGET\tDESCRIPTION\n" + "".join(rows))
    return _answer(doc, text)


# -- outline ------------------------------------------------------------------------


def _secret_json(s: OutlineSecret) -> dict[str, Any]:
    return {"name": s.name} | _omit({"required": s.required, "location": _location(s.location)})


def outline_result(o: OutlineResult, data: bytes) -> Result:
    """``frontend.outline`` of the Dockerfile ``data``."""
    args = [
        {"name": a.name}
        | _omit({"description": a.description, "value": a.value, "location": _location(a.location)})
        for a in o.args
    ]
    doc = _omit(
        {
            "name": o.name,
            "description": o.description,
            "args": args,
            "secrets": [_secret_json(s) for s in o.secrets],
            "ssh": [_secret_json(s) for s in o.ssh],
        }
    )
    doc["sources"] = [b64(data)]
    text = ""
    if o.name or o.description:
        head = f"TARGET:\t{o.name or '(default)'}\n"
        if o.description:
            head += f"DESCRIPTION:\t{o.description}\n"
        text += tabwrite(head) + "\n"
    if o.args:
        rows = "".join(f"{a.name}\t{a.value}\t{a.description}\n" for a in o.args)
        text += tabwrite("BUILD ARG\tVALUE\tDESCRIPTION\n" + rows, padding=3) + "\n"
    for title, items in (("SECRET", o.secrets), ("SSH", o.ssh)):
        if items:
            rows = "".join(f"{s.name}\t{'true' if s.required else ''}\n" for s in items)
            text += tabwrite(f"{title}\tREQUIRED\n" + rows, padding=3) + "\n"
    return _answer(doc, text)


# -- lint ---------------------------------------------------------------------------


def source_excerpt(filename: str, data: bytes, ranges: Sequence[tuple[int, int]]) -> str:
    """``errdefs.Source.Print``: the lines around ``ranges`` (1-based, inclusive),
    marked, under ``filename:LINE`` ("" when there is no range)."""
    out: list[str] = []
    _print_source(filename, data, ranges, out)
    return "".join(out)


def _print_source(
    filename: str, data: bytes, ranges: Sequence[tuple[int, int]], out: list[str]
) -> None:
    """``errdefs.Source.Print`` into ``out``."""
    if not ranges:
        return
    lines = data.decode("utf-8", errors="replace").split("\n")
    start = min(r[0] for r in ranges)
    end = max(max(r) for r in ranges)
    if start > len(lines) or start < 1:
        return
    end = min(end, len(lines))
    pad = 4 if end == start else 2
    p = 0
    first = start
    while p < pad:
        if start > 1:
            start -= 1
            p += 1
        if end != len(lines):
            end += 1
            p += 1
        p += 1
    out.append(f"{filename}:{first}\n--------------------\n")
    for i in range(start, end + 1):
        mark = ">>>" if any(r[0] <= i <= max(r) for r in ranges) else "   "
        out.append(f" {i:3d} | {mark} {lines[i - 1]}\n")
    out.append("--------------------\n")


def lint_text(result: LintResult, filename: str, data: bytes) -> str:
    """``result.txt``: ``PrintLintViolations`` (the warnings sorted by line, each with
    its rule, URL, detail and the lines around it)."""

    def key(w: Any) -> tuple[int, int, str]:
        if w.location is None:
            return (0, 0, w.rule_name)
        return (1, w.location.start_line, "")

    out: list[str] = []
    for w in sorted(result.warnings, key=key):
        out.append(f"\nWARNING: {w.rule_name}")
        if w.url:
            out.append(f" - {w.url}")
        out.append(f"\n{w.message}\n")
        if w.location is not None:
            loc = w.location
            _print_source(filename, data, [(loc.start_line, loc.end_line)], out)
    return "".join(out)


def lint_metadata(
    result: LintResult,
    filename: str,
    data: bytes,
    definition: ops_pb2.Definition | None = None,
    *,
    shown_name: str = "",
) -> dict[str, bytes]:
    """The metadata of a ``frontend.lint`` answer for the Dockerfile ``data`` named
    ``filename`` (read by ``definition`` when known): ``result.json``, ``result.txt``
    (its excerpts naming ``shown_name`` when given, as buildx names the local file),
    ``result.statuscode`` (1 when anything was found) and ``version``."""
    from frontend.dockerui.checks.results import result_dict, source_info

    info = source_info(
        filename, data, definition_json(definition) if definition is not None else None
    )
    doc = result_dict(result, info)
    status = b"1" if result.warnings or result.error is not None else b"0"
    return {
        "result.json": go_json_indent(doc),
        "result.txt": lint_text(result, shown_name or filename, data).encode(),
        "result.statuscode": status,
        "version": VERSION.encode(),
    }


def lint_result(result: LintResult, source: DockerfileSource) -> Result:
    """``frontend.lint``: ``LintResults`` for the Dockerfile of ``source``."""
    return _result(lint_metadata(result, source.filename, source.data, source.definition))


def _image_lookup(client: GatewayClient, options: BuildOptions, facts: BuildFacts) -> ImageLookup:
    """The lint's base images, resolved as the reference resolves them while
    converting (concurrently; a failure ends the checks with the build's error)."""
    from frontend.dockerui.checks.facts import format_all
    from frontend.dockerui.warnings import image_facts
    from frontend.gateway.errors import RpcFailure
    from frontend.language import DockerfileError
    from frontend.llb.reference import InvalidReferenceError, normalize_image_ref, parse_normalized

    multi = options.multi_platform

    def one(req: ImageRequest) -> tuple[str, ImageFacts | None]:
        try:
            ref = normalize_image_ref(req.name)
            short = parse_normalized(ref).familiar().removesuffix(":latest")
        except InvalidReferenceError as err:
            raise DockerfileError(
                f'failed to parse stage name "{req.name}": {err}', req.location
            ) from None
        if short in facts.named_contexts:  # loaded as the conversion loads it
            return req.name, _context_facts(client, options, short, req, facts.target_platform)
        platform = req.platform or facts.target_platform
        prefix = f"[{format_all(platform)} internal]" if multi else "[internal]"
        try:
            res = client.resolve_image_config(
                ref,
                platform=platform,
                resolve_mode=options.image_resolve_mode,
                log_name=f"{prefix} load metadata for {ref}",
            )
        except RpcFailure as err:
            message = str(err)
            what = f"failed to resolve source metadata for {ref}"
            if what not in message:
                message = f"{what}: {message}"
            raise DockerfileError(f"{req.name}: {message}", req.location) from None
        return req.name, image_facts(res.config)

    def images(requests: Sequence[ImageRequest]) -> Mapping[str, ImageFacts]:
        with ThreadPoolExecutor(max_workers=min(8, len(requests))) as pool:
            found = list(pool.map(one, requests))
        return {name: img for name, img in found if img is not None}

    return images


# -- convertllb ---------------------------------------------------------------------


def convertllb_result(definition: ops_pb2.Definition) -> Result:
    """``frontend.convertllb`` of the build's ``definition``: ``convertllb.Result``
    through its ``MarshalJSON`` and ``json.MarshalIndent`` (maps sorted by digest)."""
    import hashlib

    from frontend.pb import ops_pb2

    ops: dict[str, Any] = {}
    for data in getattr(definition, "def"):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        ops[digest] = protojson(ops_pb2.Op.FromString(data))
    doc = {
        "def": dict(sorted(ops.items())),
        "metadata": {k: op_metadata_json(v) for k, v in sorted(definition.metadata.items())},
        "source": protojson(definition.Source),
    }
    return _result({"result.json": go_json_indent(doc), "version": CONVERTLLB_VERSION.encode()})


def _context_facts(
    client: GatewayClient,
    options: BuildOptions,
    name: str,
    req: ImageRequest,
    target: Platform,
) -> ImageFacts | None:
    """The checks' view of the named context ``name`` (loaded: an image's config
    resolved, a directory's .dockerignore read); a failure ends the checks."""
    from frontend.dockerui.namedcontext import named_context_lookup
    from frontend.dockerui.warnings import context_facts
    from frontend.gateway.errors import GatewayError
    from frontend.language import DockerfileError

    lookup = named_context_lookup(client, options)
    platform = req.platform or target
    found = lookup(name, platform) if lookup is not None else None
    if found is None:
        return None
    try:
        return context_facts(found.load())
    except GatewayError as err:
        raise DockerfileError(str(err), req.location) from None


def _lint(client: GatewayClient, options: BuildOptions, source: DockerfileSource) -> Result:
    from frontend.dockerui.checks import LintResult, lint
    from frontend.dockerui.context import read_dockerignore
    from frontend.dockerui.warnings import build_facts
    from frontend.language import DockerfileError

    if not source.data:
        result = LintResult((), DockerfileError("the Dockerfile cannot be empty"))
        return lint_result(result, source)
    excludes = read_dockerignore(client, options, source)
    # for lint, no target means all targets
    facts = build_facts(options, None, excludes=excludes, all_stages=not options.target)
    images = _image_lookup(client, options, facts)
    result = lint(source.data, facts, filename=source.filename, images=images)
    return lint_result(result, source)


def _parsed(source: DockerfileSource, *, empty_ok: bool = False) -> Dockerfile:
    from frontend.language import DockerfileError, parse_dockerfile

    if not source.data and not empty_ok:  # the conversion's first check
        raise UserError("the Dockerfile cannot be empty")
    try:
        return parse_dockerfile(source.data, source.filename)
    except DockerfileError as err:
        raise _unlocated(err) from None


def _unlocated(err: DockerfileError) -> UserError:
    # the reference wraps a subrequest's errors with no source
    return UserError(err.reference_message)


def answer_subrequest(
    client: GatewayClient,
    options: BuildOptions,
    source: DockerfileSource,
    convert: Callable[[], tuple[Dockerfile, CompileResult]] | None = None,
) -> Result:
    """The answer to the build's (non-empty) ``requestid``; ``convert`` is the build's
    conversion (the parsed Dockerfile and its compilation, for ``frontend.outline``
    and ``frontend.convertllb``; None: the outline is made without a daemon, and
    convertllb not answered). Raises :class:`UnsupportedRequest` for a request not
    answered here."""
    from frontend.dockerui.outline import list_targets, outline
    from frontend.dockerui.warnings import build_facts
    from frontend.language import DockerfileError

    request = options.request_id
    if request == DESCRIBE:
        return describe_result()
    if request == LINT:
        return _lint(client, options, source)
    if request == TARGETS:
        # ListTargets only parses (an empty file: "file with no instructions")
        return targets_result(list_targets(_parsed(source, empty_ok=True)), source.data)
    if request == OUTLINE:
        # the outline of the build's conversion (Dockerfile2Outline: its base images
        # resolved, their ONBUILD triggers run)
        try:
            if convert is not None:
                df, conversion = convert()
            else:
                df, conversion = _parsed(source), None
            found = outline(df, build_facts(options, None), conversion)
        except DockerfileError as err:
            raise _unlocated(err) from None
        return outline_result(found, source.data)
    if request == CONVERTLLB and convert is not None:
        try:
            _, conversion = convert()
        except DockerfileError as err:
            raise _unlocated(err) from None
        return convertllb_result(conversion.definition().pb)
    raise UnsupportedRequest(request)
