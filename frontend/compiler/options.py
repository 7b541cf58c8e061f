"""What the compiler is asked to do (pipeline step 3 input), and how it resolves images.

Owned step: the compiler's inputs, independent of where they come from (the gateway's
build options, or the ``pyfrontend llb`` command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from frontend.llb import HostIP, Platform, Ulimit

LINUX_AMD64 = Platform("linux", "amd64")


@dataclass(frozen=True, slots=True)
class ResolvedImage:
    """An image's config as the engine resolved it."""

    ref: str  # the reference that was resolved (may be rewritten by a policy)
    digest: str  # manifest digest, or "" when the engine gave none
    config: bytes  # the OCI image config JSON ("" = unknown: an empty config)


class ImageResolver(Protocol):
    """Resolves image configs; called concurrently from several threads."""

    def __call__(self, ref: str, platform: Platform, log_name: str) -> ResolvedImage: ...


def no_resolver(ref: str, platform: Platform, log_name: str) -> ResolvedImage:
    """Without an engine: every image gets an empty config (as the reference's
    converter does with no resolver)."""
    return ResolvedImage(ref, "", b"")


@dataclass(frozen=True, slots=True)
class CompileOptions:
    target: str = ""
    build_args: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    target_platform: Platform = LINUX_AMD64
    build_platform: Platform = LINUX_AMD64
    platform_explicit: bool = False  # --platform given: the image config takes it
    multi_platform: bool = False
    # None: cache everything; () : no cache for all stages; names: those stages
    no_cache: tuple[str, ...] | None = None
    image_resolve_mode: str = "default"  # default | pull | local
    network_mode: str = "default"  # force-network-mode: default | none | host
    hostname: str = ""
    extra_hosts: tuple[HostIP, ...] = ()
    ulimits: tuple[Ulimit, ...] = ()
    shm_size: int = 0
    cgroup_parent: str = ""
    session_id: str = ""
    context_name: str = "context"
    dockerignore: tuple[str, ...] = ()  # exclude patterns for the build context
    llb_caps: frozenset[str] | None = None  # None: assume everything is supported

    def supports(self, cap: str) -> bool:
        return self.llb_caps is None or cap in self.llb_caps

    def is_no_cache(self, stage_name: str | None) -> bool:
        if self.no_cache is None:
            return False
        if not self.no_cache:
            return True
        return bool(stage_name) and (stage_name or "").lower() in {s.lower() for s in self.no_cache}
