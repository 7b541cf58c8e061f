"""SBOM attestations: the ``attest:sbom`` option and the scan the frontend runs.

Owned step: ``frontend.dockerui`` (attestations). As in the reference (``dockerui``
``config.go``, ``frontend/attestations``, ``frontend/attestations/sbom`` and the
builder's scan): :func:`parse_attests` reads the ``attest:TYPE`` and
``build-arg:BUILDKIT_ATTEST_TYPE`` options (``sbom`` and ``provenance`` only);
:func:`sbom_request` names the scanner image (``generator``, by default
``docker/buildkit-syft-scanner:stable-1``) and its parameters; :func:`create_scanner`
resolves the scanner's config once (for the first build platform) and
:meth:`Scanner.scan` makes, per platform, the run that scans the result (at
``/run/src/core/sbom``) and the extra targets the compiler names (the build context,
the stages that ask for it: ``BUILDKIT_SBOM_SCAN_CONTEXT``/``BUILDKIT_SBOM_SCAN_STAGE``,
at ``/run/src/extras/sbom-NAME``), writing its in-toto statements to ``/run/out/``:
the result's ``Bundle`` attestation of that platform.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from frontend.records import record

if TYPE_CHECKING:
    from frontend import llb
    from frontend.gateway.client import Attestation, GatewayClient, Ref

__all__ = [
    "DEFAULT_GENERATOR",
    "SbomRequest",
    "Scanner",
    "create_scanner",
    "parse_attests",
    "sbom_attestation",
    "sbom_request",
]

DEFAULT_GENERATOR: Final = "docker/buildkit-syft-scanner:stable-1"
DEFAULT_SLSA_VERSION: Final = "v1"
PREDICATE_SPDX: Final = "https://spdx.dev/Document"
CORE_NAME: Final = "sbom"
EXTRA_PREFIX: Final = CORE_NAME + "-"
SRC_DIR: Final = "/run/src/"
OUT_DIR: Final = "/run/out/"
ATTESTATION_BUNDLE: Final = 1  # gateway AttestationKind.Bundle


class AttestError(ValueError):
    """An ``attest:`` option the reference refuses (its words)."""


def parse_attests(opts: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The reference's ``attestations.Parse``: type (lower-cased) -> attributes, the
    defaults (``generator`` for sbom, ``version`` for provenance) overridden by the
    value's CSV ``key=value`` fields; an unknown type is an error."""
    attests: dict[str, str] = {}
    for key in sorted(opts):
        for prefix in ("attest:", "build-arg:BUILDKIT_ATTEST_"):
            if key.startswith(prefix):
                attests[key.removeprefix(prefix).lower()] = opts[key]
    out: dict[str, dict[str, str]] = {}
    for kind, value in attests.items():
        attrs: dict[str, str] = {}
        if kind == "sbom":
            attrs["generator"] = DEFAULT_GENERATOR
        elif kind == "provenance":
            attrs["version"] = DEFAULT_SLSA_VERSION
        if value:
            import csv  # only for an attestation with attributes

            try:
                rows = list(csv.reader([value], strict=True))
            except csv.Error as e:
                raise AttestError(f"failed to parse {kind}: {e}") from None
            for field in rows[0] if rows else []:
                k, _, v = field.partition("=")
                attrs[k] = v
        out[kind] = attrs
    for kind in out:
        if kind not in ("sbom", "provenance"):
            raise AttestError(f"unknown attestation type {json.dumps(kind)}")
    return out


@record(frozen=True, slots=True)
class SbomRequest:
    """``attest:sbom``: the scanner image (normalised, tagged) and its parameters."""

    generator: str
    params: tuple[tuple[str, str], ...] = ()


def sbom_request(opts: Mapping[str, str]) -> SbomRequest | None:
    """The SBOM the build is asked for, or None (the reference's ``Config.SBOM``)."""
    from frontend.llb.reference import InvalidReferenceError, normalize_image_ref

    attrs = parse_attests(opts).get("sbom")
    if attrs is None:
        return None
    generator = ""
    params: list[tuple[str, str]] = []
    for key in sorted(attrs):
        value = attrs[key]
        if key != "generator":
            params.append((key, value))
            continue
        try:
            generator = normalize_image_ref(value)  # TagNameOnly: :latest when untagged
        except InvalidReferenceError as e:
            raise AttestError(f"failed to parse sbom scanner {value}: {e}") from None
    if not generator:
        raise AttestError("sbom scanner cannot be empty")
    return SbomRequest(generator, tuple(params))


@record(frozen=True, slots=True)
class Scanner:
    """A resolved scanner image: what :meth:`scan` runs."""

    ref: str  # as resolved (a policy may rewrite it)
    platform: llb.Platform
    args: tuple[str, ...]
    env: tuple[str, ...]
    workdir: str
    params: tuple[tuple[str, str], ...]

    def scan(
        self,
        name: str,
        core: llb.State,
        extras: Sequence[tuple[str, llb.State]],
        *,
        ignore_cache: bool = False,
    ) -> llb.State:
        """The scan of ``core`` (the result of platform ``name``) and ``extras``: the
        state of the output directory (the reference's scanner ``Run``)."""
        from frontend import llb
        from frontend.gocompat import go_join

        env: dict[str, str] = {}
        for item in self.env:
            k, _, v = item.partition("=")
            env[k] = v
        env["BUILDKIT_SCAN_DESTINATION"] = OUT_DIR
        env["BUILDKIT_SCAN_SOURCE"] = go_join(SRC_DIR, "core", CORE_NAME)
        if extras:
            env["BUILDKIT_SCAN_SOURCE_EXTRAS"] = go_join(SRC_DIR, "extras/")
        for k, v in self.params:
            env["BUILDKIT_SCAN_" + k] = v
        image = llb.image(self.ref, platform=self.platform)
        mounts: list[llb.BindMount | llb.TmpfsMount] = [
            llb.TmpfsMount("/tmp"),
            llb.BindMount(go_join(SRC_DIR, "core", CORE_NAME), core, readonly=True),
        ]
        for key, state in extras:
            dest = go_join(SRC_DIR, "extras", EXTRA_PREFIX + key)
            mounts.append(llb.BindMount(dest, state, readonly=True))
        mounts.append(llb.BindMount(OUT_DIR, llb.scratch()))  # as written: not cleaned
        result = llb.run(
            image,
            self.args,
            env=[f"{k}={v}" for k, v in env.items()],
            cwd=go_join("/", self.workdir),
            mounts=mounts,
            constraints=llb.Constraints.of(
                custom_name=f"[{name}] generating sbom using {self.ref}",
                ignore_cache=ignore_cache,
            ),
        )
        return result.mount(OUT_DIR)


def create_scanner(
    client: GatewayClient,
    request: SbomRequest,
    platform: llb.Platform,
    resolve_mode: str,
) -> Scanner:
    """Resolve the scanner image's config (``sbom.CreateSBOMScanner``): its entrypoint
    and command are the scan's arguments, its environment and working directory the
    scan's."""
    from frontend.gateway.errors import UserError

    res = client.resolve_image_config(
        request.generator, platform=platform, resolve_mode=resolve_mode
    )
    ref = res.ref or request.generator
    try:
        config = json.loads(res.config or b"{}").get("config") or {}
    except (ValueError, AttributeError) as e:
        raise UserError(f"failed to parse the config of scanner {ref}: {e}") from None
    args = tuple(config.get("Entrypoint") or ()) + tuple(config.get("Cmd") or ())
    if not args:
        raise UserError(f"scanner {ref} does not have cmd")
    return Scanner(
        ref=ref,
        platform=platform,
        args=args,
        env=tuple(config.get("Env") or ()),
        workdir=config.get("WorkingDir") or "",
        params=request.params,
    )


def sbom_attestation(ref: Ref) -> Attestation:
    """The attestation a scan's solved output is: a bundle of SPDX statements whose
    core document is ``sbom``."""
    from frontend.gateway.client import Attestation

    return Attestation(
        kind=ATTESTATION_BUNDLE,
        ref=ref,
        metadata=(("reason", b"sbom"), ("sbom-core", CORE_NAME.encode())),
        predicate_type=PREDICATE_SPDX,
    )
