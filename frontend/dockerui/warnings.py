"""The build checks of a build, sent as the gateway's warnings.

Owned step: ``frontend.dockerui`` (build warnings). The reference runs its linter
inside every conversion and sends each warning as it is found, for the first platform
only (``idx != 0`` builds have no ``Warn``), with ``Warn(digest, short, opts)``: the
digest is the head of the Dockerfile's source definition, ``short`` the
``Rule: message (line N)`` form, level 1, the rule's description as ``detail``, its
URL, the Dockerfile as the source info (name, bytes, ``Dockerfile``, the definition
that read it) and the warning's ranges. With ``error=true`` a build that warned fails
after its conversion (``lint violation found for rules: ...``).

Here the checks run beside the compiler (which knows nothing of them) with the facts
of the build (:func:`build_facts`: build args, target, platforms, named contexts, the
context's ``.dockerignore``), through :class:`BuildChecks`:

* :func:`check_option` — the ``build-arg:BUILDKIT_DOCKERFILE_CHECK`` option, refused
  before the Dockerfile is read as the reference's ``dockerui`` refuses it;
* :class:`BuildChecks` — made once the Dockerfile is read (a bad ``# check=`` fails the
  build then, unlocated): :meth:`~BuildChecks.parse_failed` sends the warnings of the
  lines before a parse error; :meth:`~BuildChecks.compile` wraps the first platform's
  compilation: it records the image configs the compiler resolves (its resolver is
  wrapped), then runs the checks with them (the dispatch-time rules see the base
  images' environments; a failed resolution ends the checks where the reference's
  conversion ends), sends the warnings and, when the compilation succeeded, raises
  the ``error=true`` violation. A compilation error still comes after the warnings
  found before it.

The warnings are sent once per build. A daemon without the ``gateway.warnings`` cap
(BuildKit < 0.10, Docker 20.10) takes none (:meth:`frontend.gateway.client.GatewayClient.warn`
says so): there each warning is the name of a step of its own instead
(:func:`show_in_progress`), which the client's progress shows, solved apart from the
build so that the image is the same. The build goes on when a warning cannot be shown
or the checks themselves fail (noted on stderr, the daemon's log).
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, TypeVar

from frontend.dockerui.checks import BuildFacts, ImageFacts, Linter, LintWarning, run_checks
from frontend.dockerui.checks.directive import CHECK_BUILD_ARG, build_config, parse_check_options
from frontend.dockerui.checks.facts import ImageLookup, ImageRequest
from frontend.gateway.errors import RpcFailure, UserError
from frontend.language.errors import DockerfileError
from frontend.records import replace

if TYPE_CHECKING:
    from frontend.compiler import ImageResolver, NamedContext, NamedContextLookup, ResolvedImage
    from frontend.dockerui.config import BuildOptions
    from frontend.dockerui.context import DockerfileSource
    from frontend.dockerui.ignore import PatternMatcher
    from frontend.gateway.client import GatewayClient
    from frontend.language import Dockerfile
    from frontend.llb import Platform
    from frontend.pb import ops_pb2

__all__ = [
    "BuildChecks",
    "build_facts",
    "check_option",
    "context_facts",
    "context_name",
    "head_digest",
    "image_facts",
    "send_warning",
    "show_in_progress",
]

_T = TypeVar("_T")


def check_option(options: BuildOptions) -> None:
    """Refuse a malformed ``build-arg:BUILDKIT_DOCKERFILE_CHECK`` with the reference's
    wording (``failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: ...``)."""
    value = options.build_args.get(CHECK_BUILD_ARG)
    if value is None:
        return
    try:
        parse_check_options(value)
    except DockerfileError as err:
        raise UserError(f"failed to parse build-arg:{CHECK_BUILD_ARG}: {err.message}") from None


def head_digest(definition: ops_pb2.Definition) -> str:
    """The digest a definition stands for: the input of its terminal op (the
    reference's ``Definition.Head``); "" for an empty one."""
    from frontend.pb import ops_pb2

    ops = getattr(definition, "def")
    if not ops:
        return ""
    last = ops_pb2.Op()
    last.ParseFromString(ops[-1])
    return last.inputs[0].digest if last.inputs else ""


def send_warning(client: GatewayClient, source: DockerfileSource, warning: LintWarning) -> bool:
    """``Warn`` one check warning on the Dockerfile's step, as the reference sends it;
    False when the daemon takes no warnings."""
    return client.warn(
        head_digest(source.definition),
        warning.short,
        level=warning.level,
        detail=warning.detail,
        url=warning.url,
        filename=source.filename,
        data=source.data,
        language="Dockerfile",
        definition=source.definition,
        ranges=warning.ranges(),
    )


def show_in_progress(client: GatewayClient, warnings: Sequence[LintWarning]) -> bool:
    """``warnings`` as the progress shows a step: each one names a step of its own
    (``WARNING: Rule: message (line N)``; a directory made in an empty filesystem),
    solved with ``Evaluate`` apart from the build, its result unused. For a daemon
    without ``gateway.warnings``; False when it cannot evaluate a solve either."""
    from frontend import llb
    from frontend.gateway.client import CAP_EVALUATE

    if not warnings or not client.caps.frontend.has(CAP_EVALUATE):
        return False
    state = llb.scratch()
    for i, warning in enumerate(warnings):
        named = llb.Constraints.of(custom_name=f"WARNING: {warning.short}")
        state = state.file(llb.mkdir(f"/{i}", 0o755), constraints=named)
    client.solve(llb.marshal(state).pb, evaluate=True)
    return True


def _named_contexts(options: BuildOptions, platform: Platform) -> frozenset[str]:
    """The names the build's ``context:NAME`` options give, for ``platform``."""
    out: set[str] = set()
    for key in options.named_contexts:
        name, sep, only = key.partition("::")
        if not sep or only == str(platform):
            out.add(name)
    return frozenset(out)


def build_facts(
    options: BuildOptions,
    platform: Platform | None = None,
    *,
    excludes: Sequence[str] | None = None,
    all_stages: bool = False,
) -> BuildFacts:
    """The facts of a build (or subrequest) for the checks: ``platform`` the target
    platform (None: the build platform, as when none is asked for), ``excludes`` the
    context's ``.dockerignore`` patterns when read."""
    build_platform = options.build_platforms[0]
    target = platform if platform is not None else build_platform
    return BuildFacts(
        build_args=options.build_args,
        target_platform=target,
        build_platform=build_platform,
        target=options.target,
        platform_explicit=platform is not None,
        all_stages=all_stages,
        named_contexts=_named_contexts(options, target),
        dockerignore=_ignore_matcher(excludes),
    )


def _ignore_matcher(excludes: Sequence[str] | None) -> PatternMatcher | None:
    """The checks' matcher of the build context's exclude patterns (None: none)."""
    from frontend.dockerui.ignore import PatternMatcher

    return PatternMatcher(excludes) if excludes else None


def image_facts(config: bytes) -> ImageFacts | None:
    """What the checks read of an image config (None: no config given). An image
    without layers is built as scratch: its platform is not checked."""
    if not config:
        return None
    try:
        doc = json.loads(config)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    cfg = doc.get("config") or {}
    env: list[tuple[str, str]] = []
    for item in cfg.get("Env") or ():
        key, _, value = str(item).partition("=")
        env.append((key, value))
    rootfs = doc.get("rootfs") or {}
    history = doc.get("history") or ()
    scratch = not rootfs.get("diff_ids") and all(h.get("empty_layer") for h in history)
    platform = None
    if not scratch:
        from frontend.llb import Platform

        platform = Platform(
            str(doc.get("os") or ""),
            str(doc.get("architecture") or ""),
            str(doc.get("variant") or ""),
        )
    return ImageFacts(env=tuple(env), shell=bool(cfg.get("Shell")), platform=platform)


def context_facts(context: NamedContext) -> ImageFacts:
    """What the checks read of a loaded named context: its image config's environment
    (an image context), else the empty image's (a local directory, ``scratch``: PATH
    only, which the walk adds). Its platform is not checked (the reference checks
    only the images it resolves itself)."""
    found = image_facts(context.config) if context.config else None
    if found is None:
        return ImageFacts()
    return ImageFacts(env=found.env, shell=found.shell, platform=None)


def context_name(ref: str) -> str | None:
    """The name a named context for the base ``ref`` is given by (the reference's
    ``dockerui.NamedContext``: the familiar name without ``:latest``); None when
    ``ref`` is no image reference."""
    from frontend.llb.reference import InvalidReferenceError, parse_normalized

    try:
        return parse_normalized(ref).familiar().removesuffix(":latest")
    except InvalidReferenceError:
        return None


class _Recorder:
    """The compiler's resolver, remembering each answer (or failure) by reference and
    platform, for the checks run after the compilation."""

    def __init__(self, resolver: ImageResolver) -> None:
        self._resolver = resolver
        self._lock = threading.Lock()
        self.answers: dict[tuple[str, str], ResolvedImage | BaseException] = {}

    def __call__(self, ref: str, platform: Platform, log_name: str) -> ResolvedImage:
        try:
            res = self._resolver(ref, platform, log_name)
        except BaseException as exc:
            with self._lock:
                self.answers[(ref, str(platform))] = exc
            raise
        with self._lock:
            self.answers[(ref, str(platform))] = res
        return res

    def lookup(
        self, target: Platform, contexts: Mapping[str, NamedContext], *, failed: bool
    ) -> ImageLookup:
        """The checks' image lookup over what was recorded (``contexts``: the named
        contexts the compilation loaded, by name). A failed resolution (or, when the
        compilation failed, one that never happened) ends the checks."""
        from frontend.llb.reference import InvalidReferenceError, normalize_image_ref

        def images(requests: Sequence[ImageRequest]) -> Mapping[str, ImageFacts]:
            out: dict[str, ImageFacts] = {}
            for req in requests:
                name = context_name(req.name)
                if name is not None and name in contexts:
                    out[req.name] = context_facts(contexts[name])
                    continue
                try:
                    ref = normalize_image_ref(req.name)
                except InvalidReferenceError as err:
                    raise DockerfileError(str(err), req.location) from None
                platform = str(req.platform or target)
                answer = self.answers.get((ref, platform))
                if answer is None:  # the compiler may spell the platform otherwise
                    answer = next((a for (r, _), a in self.answers.items() if r == ref), None)
                if answer is None:
                    if failed:
                        raise DockerfileError("not resolved", req.location)
                    continue
                if isinstance(answer, BaseException):
                    raise DockerfileError(str(answer), req.location)
                found = image_facts(answer.config)
                if found is not None:
                    out[req.name] = found
            return out

        return images


class _First:
    """The default of ``BuildChecks(platform=)``: the build's first platform."""


_FIRST: Final = _First()


class BuildChecks:
    """The checks of one build: its linter (warnings go out as they are found) and
    facts (for ``platform``: by default the build's first target platform; None: the
    build platform, as for a conversion with no platform asked). Raises
    :class:`~frontend.gateway.errors.UserError` for a bad ``# check=``."""

    def __init__(
        self,
        client: GatewayClient,
        options: BuildOptions,
        source: DockerfileSource,
        excludes: Sequence[str] | Callable[[], Sequence[str]] = (),
        *,
        platform: Platform | _First | None = _FIRST,
    ) -> None:
        self.client = client
        self.source = source
        if isinstance(platform, _First):  # the build's first target platform
            platforms = options.target_platforms
            platform = platforms[0] if platforms else None
        # the .dockerignore patterns, or what reads them (asked when the checks run)
        self._excludes = excludes if callable(excludes) else None
        known = None if callable(excludes) else excludes
        self.facts = build_facts(options, platform, excludes=known)
        from frontend.language.parser import decode

        try:
            config = build_config(decode(source.data), options.build_args.get(CHECK_BUILD_ARG))
        except DockerfileError as err:
            raise UserError(err.message) from None
        self.linter = Linter(config, self._send)
        self._unsent: list[LintWarning] = []  # the daemon takes no warnings
        self._ran = False
        self._lock = threading.Lock()
        self._contexts: dict[str, NamedContext] = {}

    def watch(self, lookup: NamedContextLookup | None) -> NamedContextLookup | None:
        """``lookup`` remembering each named context the compilation loads (for the
        stages built on it: their environment is the context's)."""
        if lookup is None:
            return None
        from frontend.compiler import ContextSource

        def watched(name: str, platform: Platform) -> ContextSource | None:
            found = lookup(name, platform)
            if found is None:
                return None
            load = found.load

            def loaded() -> NamedContext:
                context = load()
                with self._lock:
                    self._contexts.setdefault(name, context)
                return context

            return ContextSource(found.name, loaded)

        return watched

    def _send(self, warning: LintWarning) -> None:
        with contextlib.suppress(RpcFailure):  # as the reference: dropped
            if not send_warning(self.client, self.source, warning):
                self._unsent.append(warning)

    def _once(self) -> bool:
        with self._lock:
            ran, self._ran = self._ran, True
        return not ran

    def _run(self, dockerfile: Dockerfile | bytes, images: ImageLookup | None = None) -> None:
        if not self._once():
            return
        facts = self.facts
        if self._excludes is not None:
            # a read that failed is the build's error to report
            with contextlib.suppress(Exception):
                facts = replace(facts, dockerignore=_ignore_matcher(self._excludes()))
        try:
            run_checks(self.linter, dockerfile, facts, images=images)
        except DockerfileError:
            pass  # the build reports its own error (or none: the compiler decides)
        except Exception as exc:  # a fault of the checks never fails the build
            print(f"pyfrontend: build checks failed: {exc!r}", file=sys.stderr)
        try:
            show_in_progress(self.client, self._unsent)
        except RpcFailure as exc:
            print(f"pyfrontend: the build checks' warnings not shown: {exc}", file=sys.stderr)

    def parse_failed(self) -> None:
        """The Dockerfile did not parse: send the warnings of the lines before the
        error (the checks parse it again, stopping there)."""
        self._run(self.source.data)

    def compile(
        self,
        dockerfile: Dockerfile,
        compile: Callable[[ImageResolver], _T],
        resolver: ImageResolver,
    ) -> _T:
        """Run ``compile`` with ``resolver`` (recorded), then the checks; send the
        warnings; then re-raise the compilation's error, or raise the ``error=true``
        violation (a :class:`DockerfileError`, unlocated)."""
        recorder = _Recorder(resolver)
        target = self.facts.target_platform
        try:
            result = compile(recorder)
        except Exception:
            self._run(dockerfile, recorder.lookup(target, self._contexts, failed=True))
            raise
        self._run(dockerfile, recorder.lookup(target, self._contexts, failed=False))
        error = self.linter.error()
        if error is not None:
            raise error
        return result
