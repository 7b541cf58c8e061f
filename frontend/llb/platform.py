"""OCI platforms for LLB ops (``pb.Platform``).

Owned step: ``frontend.llb``.
"""

from __future__ import annotations

import platform as _platform
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from frontend.pb import ops_pb2

KNOWN_OS: Final = frozenset(
    {
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    }
)
KNOWN_ARCH: Final = frozenset(
    {
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    }
)


def normalize_os(os_name: str) -> str:
    os_name = os_name.lower()
    return "darwin" if os_name == "macos" else os_name


def normalize_arch(arch: str, variant: str) -> tuple[str, str]:
    arch, variant = arch.lower(), variant.lower()
    if arch in ("i386",):
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        return "arm64", "" if variant in ("8", "v8", "v8.0") else variant
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        if variant in ("", "7"):
            return "arm", "v7"
        if variant in ("5", "6", "8"):
            return "arm", "v" + variant
        return arch, variant
    return arch, variant


_OS_VERSION: Final = re.compile(r"^([^/()]+)\(([^()]*)\)(/.*)?$")


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
        """Parse and normalise a platform specifier as containerd does (``linux/arm64``,
        ``arm64``, ``linux``, ``windows(10.0.17763)/amd64``, ``linux/x86_64`` ->
        ``linux/amd64``). Raises ValueError naming what is wrong."""
        text = spec.strip()
        os_version = ""
        match = _OS_VERSION.match(text)
        if match:  # the OS version sits after the OS, in parentheses
            os_version = match.group(2)
            text = match.group(1) + (match.group(3) or "")
        parts = text.split("/")
        if not text or any(not p for p in parts) or len(parts) > 3:
            raise ValueError(f"{spec!r}: invalid platform")
        for part in parts:
            if not all(c.isalnum() or c in "_-." for c in part):
                raise ValueError(f"{spec!r}: invalid platform")
        if len(parts) == 1:
            word = parts[0].lower()
            if word in KNOWN_OS or word == "macos":
                host = host_platform()
                return cls(normalize_os(word), host.architecture, host.variant, os_version)
            arch, variant = normalize_arch(word, "")
            if arch not in KNOWN_ARCH:
                raise ValueError(
                    f"{spec!r}: unknown operating system or architecture: invalid argument"
                )
            return cls("linux", arch, variant, os_version)
        arch, variant = normalize_arch(parts[1], parts[2] if len(parts) == 3 else "")
        return cls(normalize_os(parts[0]), arch, variant, os_version)

    def to_json(self) -> dict[str, Any]:
        """The OCI JSON form (as in image configs and ``refs.platforms``)."""
        out: dict[str, Any] = {"architecture": self.architecture, "os": self.os}
        if self.os_version:
            out["os.version"] = self.os_version
        if self.os_features:
            out["os.features"] = list(self.os_features)
        if self.variant:
            out["variant"] = self.variant
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Platform:
        return cls(
            os=str(data.get("os", "")),
            architecture=str(data.get("architecture", "")),
            variant=str(data.get("variant", "") or ""),
            os_version=str(data.get("os.version", "") or ""),
            os_features=tuple(str(f) for f in data.get("os.features") or ()),
        )

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
    arch, variant = normalize_arch(_platform.machine() or "amd64", "")
    return Platform(_platform.system().lower() or "linux", arch, variant)
