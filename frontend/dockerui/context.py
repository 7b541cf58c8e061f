"""The main context: reading the Dockerfile and ``.dockerignore`` the way the
reference frontend does.

Owned step: ``frontend.dockerui`` (the Dockerfile and the main context). The
Dockerfile lives in the local source ``dockerfile`` (or the one named by
``dockerfilekey``, or a frontend input of that name): we solve a ``local://`` source
that follows only the file name, ``<name>.dockerignore`` and (for ``Dockerfile``)
the lowercase ``dockerfile``, then read it. ``<Dockerfile>.dockerignore`` next to it wins over the
context's ``.dockerignore``; the latter is read from the local ``context`` only when
asked for (:func:`read_dockerignore`). The request's frontend inputs
(:func:`main_inputs`) may replace the Dockerfile's source and the main context (the
input ``context``, which then has no ``.dockerignore``).

The tiny LLB for these reads (:func:`local_source_definition`) is made with
:mod:`frontend.llb`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from frontend.gateway.errors import RpcFailure, UserError
from frontend.gocompat import GO_SPACE, go_clean

if TYPE_CHECKING:
    from frontend.dockerui.config import BuildOptions
    from frontend.gateway.client import GatewayClient, Ref
    from frontend.llb import Platform, State
    from frontend.pb import ops_pb2

__all__ = [
    "DockerfileSource",
    "MainInputs",
    "local_source_definition",
    "main_inputs",
    "parse_dockerignore",
    "read_dockerfile",
    "read_dockerignore",
]

DOCKERIGNORE: Final = ".dockerignore"


@dataclass(frozen=True, slots=True)
class DockerfileSource:
    """The Dockerfile's bytes and where they came from."""

    filename: str
    data: bytes
    ref: Ref
    definition: ops_pb2.Definition
    # ``<filename>.dockerignore`` from the same source, when present
    dockerignore: bytes | None = None
    dockerignore_name: str = ""
    # the main build context when it is not the local ``context`` (the frontend
    # input ``context``, scoped to ``contextsubdir``): CompileOptions.main_context
    main_context: State | None = None

    @property
    def digest(self) -> str:
        """Digest of the source op (the step that warnings attach to)."""
        from frontend.llb import digest_of

        return digest_of(getattr(self.definition, "def")[0])


# -- LLB bits ---------------------------------------------------------------------------


def local_source_definition(
    name: str,
    *,
    session_id: str = "",
    shared_key_hint: str = "",
    follow_paths: Sequence[str] = (),
    include_patterns: Sequence[str] = (),
    exclude_patterns: Sequence[str] | None = None,
    differ: str = "",
    custom_name: str = "",
    platform: Platform | None = None,
) -> ops_pb2.Definition:
    """The definition of one ``local://name`` source (built with :mod:`frontend.llb`;
    like Go's llb, a local source carries no platform: ``platform`` only fills in the
    marshalling default)."""
    from frontend import llb

    state = llb.local(
        name,
        session_id=session_id,
        shared_key_hint=shared_key_hint,
        follow_paths=follow_paths,
        include_patterns=include_patterns,
        exclude_patterns=exclude_patterns or (),
        differ=differ,
        constraints=llb.Constraints.of(custom_name=custom_name or None),
    )
    return llb.marshal(state, default_platform=platform).pb


# -- .dockerignore ----------------------------------------------------------------------


def parse_dockerignore(data: bytes) -> list[str]:
    """The exclude patterns of a ``.dockerignore`` file, as the reference reads them.

    A UTF-8 BOM is dropped; lines starting with ``#`` are comments; patterns are
    trimmed and cleaned; a leading ``/`` is dropped; ``!`` (negation) is kept.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    patterns: list[str] = []
    for index, raw in enumerate(text.split("\n")):
        line = raw.removesuffix("\r")
        if index == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        pattern = line.strip(GO_SPACE)
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip(GO_SPACE)
        if pattern:
            pattern = go_clean(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if invert else pattern)
    return patterns


# -- reading ----------------------------------------------------------------------------


def _dockerfile_follow_paths(filename: str) -> list[str]:
    paths = [filename, filename + ".dockerignore"]
    if posixpath.basename(filename) == "Dockerfile":
        paths.append(posixpath.join(posixpath.dirname(filename), "dockerfile"))
    return paths


@dataclass(frozen=True, slots=True)
class MainInputs:
    """What the request's frontend inputs say about the Dockerfile and the context
    (the reference's ``initContext``): the ``dockerfile`` input's definition (unless
    ``dockerfilekey`` forces the local one) and the ``context`` input as a state."""

    dockerfile: ops_pb2.Definition | None = None
    context: State | None = None


def frontend_input_states(
    client: GatewayClient, inputs: Mapping[str, ops_pb2.Definition]
) -> dict[str, State]:
    """Every input as a state, as Go's gateway client makes them: one nil input
    (no metadata) fails them all (``invalid nil input definition to definition op``)."""
    from frontend import llb

    states: dict[str, State] = {}
    for name in sorted(inputs):
        try:
            states[name] = llb.definition_state(inputs[name])
        except llb.DefinitionError as e:
            raise UserError(str(e)) from None
    return states


def main_inputs(client: GatewayClient, options: BuildOptions) -> MainInputs:
    """The frontend inputs that replace the local ``dockerfile`` / ``context`` (asked
    only when the daemon has the ``frontend.inputs`` cap, as the reference does);
    the context input is scoped to ``contextsubdir``."""
    from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT

    if not client.caps.frontend.has("frontend.inputs"):
        return MainInputs()
    try:
        inputs = client.inputs()
        states = frontend_input_states(client, inputs)
    except (RpcFailure, UserError) as failure:
        if isinstance(failure, RpcFailure):
            raise failure.wrapped("failed to get frontend inputs") from None
        raise UserError(f"failed to get frontend inputs: {failure}") from None
    dockerfile = None
    if not options.force_local_dockerfile:
        dockerfile = inputs.get(options.dockerfile_key)
    context = states.get(DEFAULT_LOCAL_CONTEXT)
    if context is not None and options.context_subdir is not None:
        context = scope_to_subdir(context, options.context_subdir)
    return MainInputs(dockerfile, context)


def scope_to_subdir(state: State, subdir: str) -> State:
    """The reference's ``scopeToSubDir``: the contents of ``subdir`` of ``state``,
    copied onto scratch."""
    from frontend import llb

    return llb.scratch().file(llb.copy(state, subdir, "/", dir_contents_only=True))


def read_dockerfile(
    client: GatewayClient,
    options: BuildOptions,
    *,
    inputs: MainInputs | None = None,
) -> DockerfileSource:
    """Solve the Dockerfile's source and read it (and ``<name>.dockerignore``); the
    frontend inputs may replace the Dockerfile's source and the main context."""
    filename = options.filename
    local_name = options.dockerfile_key
    if inputs is None:
        inputs = main_inputs(client, options)
    definition: ops_pb2.Definition | None = inputs.dockerfile
    if definition is None:
        definition = local_source_definition(
            local_name,
            session_id=options.session_for_local(local_name),
            shared_key_hint=local_name,
            follow_paths=_dockerfile_follow_paths(filename),
            differ="none",
            custom_name=f"[internal] load build definition from {filename}",
            platform=options.build_platforms[0],
        )
    try:
        ref = client.solve(definition)
    except RpcFailure as failure:
        raise failure.wrapped("failed to resolve dockerfile") from None
    try:
        data = client.read_file(ref, filename)
    except RpcFailure as failure:
        lower = posixpath.join(posixpath.dirname(filename), "dockerfile")
        if posixpath.basename(filename) != "Dockerfile":
            raise failure.wrapped("failed to read dockerfile") from None
        try:
            data = client.read_file(ref, lower)
        except RpcFailure:
            raise failure.wrapped("failed to read dockerfile") from None
    ignore_name = filename + ".dockerignore"
    try:
        ignore: bytes | None = client.read_file(ref, ignore_name)
    except RpcFailure:
        ignore = None
    return DockerfileSource(
        filename=filename,
        data=data,
        ref=ref,
        definition=definition,
        dockerignore=ignore,
        dockerignore_name=ignore_name if ignore is not None else "",
        main_context=inputs.context,
    )


def read_dockerignore(
    client: GatewayClient,
    options: BuildOptions,
    dockerfile: DockerfileSource | None = None,
) -> list[str]:
    """The context's exclude patterns: ``<Dockerfile>.dockerignore`` first, else the
    context's ``.dockerignore`` (a missing file means no patterns). A main context
    that is not the local directory (a frontend input) has none, as in the reference."""
    if dockerfile is not None and dockerfile.main_context is not None:
        return []
    if dockerfile is not None and dockerfile.dockerignore is not None:
        data = dockerfile.dockerignore
        name = dockerfile.dockerignore_name
    else:
        from frontend.dockerui.config import DEFAULT_LOCAL_CONTEXT

        local_name = DEFAULT_LOCAL_CONTEXT
        definition = local_source_definition(
            local_name,
            session_id=options.session_for_local(local_name),
            shared_key_hint=f"{local_name}-{DOCKERIGNORE}",
            follow_paths=[DOCKERIGNORE],
            differ="none",
            custom_name=f"[internal] load {DOCKERIGNORE}",
            platform=options.build_platforms[0],
        )
        ref = client.solve(definition)
        try:
            data = client.read_file(ref, DOCKERIGNORE)
        except RpcFailure:
            data = b""
        name = DOCKERIGNORE
    try:
        return parse_dockerignore(data)
    except Exception as exc:  # pragma: no cover - decoding never fails
        raise UserError(f"failed parsing {name}: {exc}") from None
