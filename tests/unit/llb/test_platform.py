"""Platforms: containerd's Parse, Normalize, Format and FormatAll (llb.platform)."""

from __future__ import annotations

import pytest

from frontend.llb.platform import Platform, host_platform

HOST_ARCH = host_platform().architecture


@pytest.mark.parametrize(
    ("spec", "raw", "normal"),
    [
        # Parse drops arm's default v7 and keeps arm64's v8; Normalize does the opposite
        ("linux/arm", Platform("linux", "arm"), Platform("linux", "arm", "v7")),
        ("linux/arm/v7", Platform("linux", "arm", "v7"), Platform("linux", "arm", "v7")),
        ("linux/arm64/v8", Platform("linux", "arm64", "v8"), Platform("linux", "arm64")),
        ("linux/arm64/8", Platform("linux", "arm64", "v8"), Platform("linux", "arm64")),
        ("linux/aarch64/9.0", Platform("linux", "arm64", "v9"), Platform("linux", "arm64", "v9")),
        ("Linux/X86_64/v1", Platform("linux", "amd64"), Platform("linux", "amd64")),
        ("armhf", Platform("linux", "arm"), Platform("linux", "arm", "v7")),
        ("macos/arm64", Platform("darwin", "arm64"), Platform("darwin", "arm64")),
        ("windows", Platform("windows", HOST_ARCH), Platform("windows", HOST_ARCH)),
        (
            "windows(10.0.17763+b+a+a)/amd64",
            Platform("windows", "amd64", os_version="10.0.17763", os_features=("b", "a", "a")),
            Platform("windows", "amd64", os_version="10.0.17763", os_features=("a", "b")),
        ),
        (
            "windows(1%2B2+x%29)/amd64",
            Platform("windows", "amd64", os_version="1+2", os_features=("x)",)),
            Platform("windows", "amd64", os_version="1+2", os_features=("x)",)),
        ),
    ],
)
def test_parse_raw_and_normalised(spec: str, raw: Platform, normal: Platform) -> None:
    assert Platform.parse_raw(spec) == raw
    assert Platform.parse(spec) == normal == raw.normalized()


@pytest.mark.parametrize(
    ("platform", "formatted", "all_"),
    [
        (Platform("linux", "arm", "v7"), "linux/arm/v7", "linux/arm/v7"),
        (Platform("windows", "amd64", os_version="1.2.3"), "windows/amd64", "windows(1.2.3)/amd64"),
        (
            Platform("windows", "amd64", os_version="1+2", os_features=("b", "a", "b", "")),
            "windows/amd64",
            "windows(1%2B2+a+b)/amd64",
        ),
        (Platform("linux", "arm64", os_features=("f",)), "linux/arm64", "linux(+f)/arm64"),
        (Platform("", "amd64"), "unknown", "unknown"),
    ],
)
def test_format_and_format_all(platform: Platform, formatted: str, all_: str) -> None:
    assert str(platform) == formatted
    assert platform.format_all() == all_


def test_format_all_round_trips() -> None:
    p = Platform("windows", "amd64", os_version="10.0(x)/y%", os_features=("w+1",))
    assert Platform.parse(p.format_all()) == p


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("linux/*", '"linux/*": wildcards not yet supported: invalid argument'),
        (
            "li nux/amd64",
            '"li nux" is an invalid OS component of "li nux/amd64": OSAndVersion specifier '
            'component must match "^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)((?:\\\\+'
            '[A-Za-z0-9_.%-]+)*)\\\\))?$": invalid argument',
        ),
        (
            "linux/a@b",
            '"a@b" is an invalid component of "linux/a@b": platform specifier component '
            'must match "^[A-Za-z0-9_.-]+$": invalid argument',
        ),
        (
            "linux/",
            '"" is an invalid component of "linux/": platform specifier component '
            'must match "^[A-Za-z0-9_.-]+$": invalid argument',
        ),
        ("nonsense", '"nonsense": unknown operating system or architecture: invalid argument'),
        ("linux/a/b/c", '"linux/a/b/c": cannot parse platform specifier: invalid argument'),
        (
            "linux(1%zz)/amd64",
            '"linux(1%zz)/amd64" has an invalid OS version "1%zz": invalid URL escape "%zz"',
        ),
        ("linuxé/amd64", '"linuxé" is an invalid OS component of "linuxé/amd64"'),
    ],
)
def test_parse_errors_are_containerds(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Platform.parse_raw(spec)
    assert str(info.value).startswith(message)
