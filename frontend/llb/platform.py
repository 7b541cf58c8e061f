"""OCI platforms for LLB ops (``pb.Platform``).

Owned step: ``frontend.llb``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Final

from frontend.gocompat import go_quote
from frontend.pb import ops_pb2
from frontend.records import record, replace

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
    """containerd's ``normalizeOS``: lower case, ``macos`` is ``darwin``, none is the
    host's."""
    if not os_name:
        return host_platform().os
    os_name = os_name.lower()
    return "darwin" if os_name == "macos" else os_name


def normalize_arch(arch: str, variant: str) -> tuple[str, str]:
    """containerd's ``normalizeArch``: the canonical architecture and variant."""
    arch, variant = arch.lower(), variant.lower()
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        if variant in ("8", "v8", "v8.0"):
            variant = ""
        elif variant in ("9", "9.0", "v9.0"):
            variant = "v9"
        return "arm64", variant
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


# containerd's specifier syntax: os[(version[+feature]...)][/arch[/variant]]
_OS_RE: Final = r"^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$"
_COMPONENT_RE: Final = r"^[A-Za-z0-9_.-]+$"
_OS_PATTERN: Final = re.compile(_OS_RE.removesuffix("$") + r"\Z")
_COMPONENT_PATTERN: Final = re.compile(_COMPONENT_RE.removesuffix("$") + r"\Z")
# what an OS version or feature escapes in a specifier ("%" first)
_OS_OPTION_ESCAPES: Final = (("%", "%25"), ("+", "%2B"), ("(", "%28"), (")", "%29"), ("/", "%2F"))
_HEX: Final = frozenset(b"0123456789abcdefABCDEF")


def _unescape_os_option(value: str) -> str:
    """Go's ``url.PathUnescape`` (applied only to a value holding a ``%``)."""
    if "%" not in value:
        return value
    raw = value.encode()
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == ord("%"):
            if i + 2 >= len(raw) or raw[i + 1] not in _HEX or raw[i + 2] not in _HEX:
                bad = raw[i : i + 3].decode(errors="replace")
                raise ValueError(f"invalid URL escape {go_quote(bad)}")
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode(errors="replace")


def _escape_os_option(value: str) -> str:
    for plain, escaped in _OS_OPTION_ESCAPES:
        value = value.replace(plain, escaped)
    return value


def _invalid(message: str) -> ValueError:
    """containerd's errors wrap ``errdefs.ErrInvalidArgument``."""
    return ValueError(message + ": invalid argument")


@record(frozen=True, slots=True)
class Platform:
    """An OCI platform, e.g. ``Platform("linux", "arm", "v7")``."""

    os: str
    architecture: str
    variant: str = ""
    os_version: str = ""
    os_features: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Platform:
        """A platform specifier parsed and normalised, as a build's ``platform`` option
        is (``linux/arm`` -> ``linux/arm/v7``, ``x86_64`` -> ``linux/amd64``,
        ``windows(10.0.17763)/amd64`` keeps its OS version). Raises ValueError with
        containerd's message."""
        return cls.parse_raw(spec).normalized()

    @classmethod
    def parse_raw(cls, spec: str) -> Platform:
        """containerd's ``platforms.Parse``, not normalised (what a Dockerfile's ``FROM
        --platform`` gives: ``linux/arm`` has no variant, ``linux/arm64/v8`` keeps its
        ``v8``). A single word is an OS (with the host's architecture) or an
        architecture (of the host's OS)."""
        if "*" in spec:
            raise _invalid(f"{go_quote(spec)}: wildcards not yet supported")
        parts = spec.split("/", 3)
        m = _OS_PATTERN.match(parts[0])
        if m is None:
            raise _invalid(
                f"{go_quote(parts[0])} is an invalid OS component of {go_quote(spec)}: "
                f"OSAndVersion specifier component must match {go_quote(_OS_RE)}"
            )
        try:
            os_version = _unescape_os_option(m.group(2) or "")
        except ValueError as e:
            raise ValueError(
                f"{go_quote(spec)} has an invalid OS version {go_quote(m.group(2))}: {e}"
            ) from None
        features: list[str] = []
        for raw in (m.group(3) or "+")[1:].split("+") if m.group(3) else ():
            raw = raw.strip()
            try:
                if not raw:
                    raise _invalid("empty os feature")
                try:
                    feature = _unescape_os_option(raw)
                except ValueError as e:
                    raise ValueError(f"invalid os feature {go_quote(raw)}: {e}") from None
            except ValueError as e:
                raise ValueError(f"{go_quote(spec)} has invalid OS features: {e}") from None
            if feature:
                features.append(feature)
        for part in parts[1:]:
            if _COMPONENT_PATTERN.match(part) is None:
                raise _invalid(
                    f"{go_quote(part)} is an invalid component of {go_quote(spec)}: "
                    f"platform specifier component must match {go_quote(_COMPONENT_RE)}"
                )
        found = cls(normalize_os(m.group(1)), "", "", os_version, tuple(features))
        if len(parts) == 1:
            host = host_platform()
            if found.os in KNOWN_OS:
                variant = host.variant if host.architecture == "arm" else ""
                return replace(found, architecture=host.architecture, variant=variant)
            arch, variant = normalize_arch(parts[0], "")
            if arch == "arm" and variant == "v7":
                variant = ""
            if arch in KNOWN_ARCH:
                return replace(found, os=host.os, architecture=arch, variant=variant)
            raise _invalid(f"{go_quote(spec)}: unknown operating system or architecture")
        if len(parts) == 2:
            arch, variant = normalize_arch(parts[1], "")
            if arch == "arm" and variant == "v7":
                variant = ""
            return replace(found, architecture=arch, variant=variant)
        if len(parts) == 3:
            arch, variant = normalize_arch(parts[1], parts[2])
            if arch == "arm64" and not variant:
                variant = "v8"
            return replace(found, architecture=arch, variant=variant)
        raise _invalid(f"{go_quote(spec)}: cannot parse platform specifier")

    def normalized(self) -> Platform:
        """containerd's ``platforms.Normalize``: canonical OS, architecture and variant,
        the OS features sorted without duplicates (what an LLB state holds)."""
        arch, variant = normalize_arch(self.architecture, self.variant)
        return Platform(
            normalize_os(self.os),
            arch,
            variant,
            self.os_version,
            tuple(sorted(set(self.os_features))),
        )

    def format_all(self) -> str:
        """containerd's ``platforms.FormatAll``: :meth:`__str__` with the OS version and
        features, ``windows(10.0.17763+win32k)/amd64`` (``TARGETPLATFORM``, a result's
        platform id, the platform of a step name)."""
        version = _escape_os_option(self.os_version)
        features = "+".join(_escape_os_option(f) for f in sorted(set(self.os_features)) if f)
        if not self.os or (not self.os_version and not self.os_features):
            return str(self)
        os_part = self.os
        if version or features:
            os_part += "(" + version + ("+" + features if features else "") + ")"
        return _join(os_part, self.architecture, self.variant)

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
        """containerd's ``platforms.Format``: ``os/arch[/variant]``."""
        if not self.os:
            return "unknown"
        return _join(self.os, self.architecture, self.variant)

    def to_pb(self) -> ops_pb2.Platform:
        p = ops_pb2.Platform(
            OS=self.os,
            Architecture=self.architecture,
            Variant=self.variant,
            OSVersion=self.os_version,
        )
        p.OSFeatures.extend(self.os_features)
        return p


def _join(*parts: str) -> str:
    """Go's ``path.Join`` of platform components (the empty ones left out)."""
    return "/".join(p for p in parts if p)


def host_platform() -> Platform:
    """The platform this process runs on, in Go's (GOOS/GOARCH) spelling (from
    ``os.uname``, what the ``platform`` module reads too, without its 1 ms import)."""
    uname = os.uname()
    arch, variant = normalize_arch(uname.machine or "amd64", "")
    return Platform(uname.sysname.lower() or "linux", arch, variant)
