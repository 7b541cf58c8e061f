"""The rules the compiler decides: UndefinedVar, CopyIgnoredFile, InvalidBaseImagePlatform."""

from __future__ import annotations

from dockerui.checks.suite import FakeIgnore
from frontend.dockerui.checks.compile_rules import (
    check_base_image_platform,
    check_copy_source,
    check_undefined_vars,
)
from frontend.dockerui.checks.linter import Linter
from frontend.language.errors import Range
from frontend.llb import Platform

LOC = Range(2, 2)


def messages(linter: Linter) -> list[str]:
    return [w.message for w in linter.warnings]


def test_undefined_vars() -> None:
    linter = Linter()
    check_undefined_vars(
        linter,
        {"foo", "DIR_ASSET", "declared", "BUILDKIT_SBOM_SCAN_STAGE", "PAHT"},
        stage_args=["declared"],
        env_keys=["PATH", "DIR_BINARIES", "DIR_ASSETS"],
        location=LOC,
    )
    assert messages(linter) == [
        "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
        "Usage of undefined variable '$PAHT' (did you mean $PATH?)",
        "Usage of undefined variable '$foo'",
    ]
    assert {w.location for w in linter.warnings} == {LOC}


def test_copy_source() -> None:
    # testCopyIgnoredFiles / testCopyIgnoredFileContextRoot, one source at a time
    cases = [
        ("Dockerfile\n", "Dockerfile", False, 'Attempting to Copy file "Dockerfile"'),
        ("Dockerfile\n", "./Dockerfile", True, 'Attempting to Add file "Dockerfile"'),
        ("foobar\n", "Dockerfile", False, None),
        ("**\n!Dockerfile\n", "./Dockerfile", False, None),  # exclusions: nothing decided
        ("**\n!Dockerfile\n", ".", False, None),
        (".*\n", ".", False, None),  # the root only for "everything" patterns
        ("*\n", ".", False, 'Attempting to Copy file "."'),
        ("**\n", "/", False, 'Attempting to Copy file "/"'),
        ("dir\n", "dir/sub/file", False, 'Attempting to Copy file "dir/sub/file"'),
    ]
    for ignore, src, add, want in cases:
        linter = Linter()
        check_copy_source(linter, src, add=add, location=LOC, matcher=FakeIgnore(ignore))
        got = messages(linter)
        if want is None:
            assert got == [], (ignore, src)
        else:
            assert got == [f"{want} that is excluded by .dockerignore"], (ignore, src)
    linter = Linter()
    check_copy_source(linter, "Dockerfile", add=False, location=LOC, matcher=None)
    assert linter.warnings == ()


def test_base_image_platform() -> None:
    # testBaseImagePlatformMismatch (Unix): the image pulled for arm64 on an amd64 build
    target = "localhost:5000/buildkit/testbaseimageplatform:latest"
    linter = Linter()
    check_base_image_platform(
        linter, target, Platform("linux", "amd64"), Platform("linux", "arm64"), LOC
    )
    [w] = linter.warnings
    assert w.rule_name == "InvalidBaseImagePlatform"
    assert w.description == "Base image platform does not match expected target platform"
    assert w.url == ""
    assert w.short == (
        f'InvalidBaseImagePlatform: Base image {target} was pulled with platform "linux/arm64", '
        'expected "linux/amd64" for current build (line 2)'
    )
    # only OS and architecture count; names are normalised before printing
    same = Linter()
    check_base_image_platform(
        same, "a", Platform("linux", "arm", "v7"), Platform("linux", "arm", "v6"), LOC
    )
    assert same.warnings == ()
    win = Linter()
    check_base_image_platform(
        win,
        "w",
        Platform("windows", "arm64"),
        Platform("windows", "AMD64", os_version="10.0.20348.4171"),
        LOC,
    )
    assert messages(win) == [
        'Base image w was pulled with platform "windows(10.0.20348.4171)/amd64", expected '
        '"windows/arm64" for current build'
    ]
