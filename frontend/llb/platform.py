"""OCI platforms for LLB ops (``pb.Platform``).

Owned step: ``frontend.llb``.
"""

from __future__ import annotations

import platform as _platform
from dataclasses import dataclass

from frontend.pb import ops_pb2

# Python's machine names -> GOARCH (and the variant containerd normalises to)
_MACHINES: dict[str, tuple[str, str]] = {
    "x86_64": ("amd64", ""),
    "amd64": ("amd64", ""),
    "aarch64": ("arm64", ""),
    "arm64": ("arm64", ""),
    "armv7l": ("arm", "v7"),
    "armv6l": ("arm", "v6"),
    "i386": ("386", ""),
    "i686": ("386", ""),
    "ppc64le": ("ppc64le", ""),
    "s390x": ("s390x", ""),
    "riscv64": ("riscv64", ""),
}


@dataclass(frozen=True, slots=True)
class Platform:
    """An OCI platform, e.g. ``Platform("linux", "arm", "v7")``."""

    os: str
    architecture: str
    variant: str = ""
    os_version: str = ""
    os_features: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Platform:
        """Parse ``os/arch[/variant]`` (no normalisation beyond lower-casing)."""
        parts = spec.lower().split("/")
        if len(parts) < 2 or len(parts) > 3 or not all(parts):
            raise ValueError(f"invalid platform {spec!r}: expected os/arch[/variant]")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else "")

    def __str__(self) -> str:
        s = f"{self.os}/{self.architecture}"
        return f"{s}/{self.variant}" if self.variant else s

    def to_pb(self) -> ops_pb2.Platform:
        p = ops_pb2.Platform(
            OS=self.os,
            Architecture=self.architecture,
            Variant=self.variant,
            OSVersion=self.os_version,
        )
        p.OSFeatures.extend(self.os_features)
        return p


def host_platform() -> Platform:
    """The platform this process runs on, in Go's (GOOS/GOARCH) spelling."""
    machine = _platform.machine().lower()
    arch, variant = _MACHINES.get(machine, (machine, ""))
    return Platform(_platform.system().lower() or "linux", arch, variant)
