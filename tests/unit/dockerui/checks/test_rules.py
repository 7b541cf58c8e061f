"""The rule table of syntax 1.26 (``linter/ruleset.go``) and each rule's message."""

from __future__ import annotations

import pytest

from frontend.dockerui.checks import rules as R

# (name, kebab URL part or "", experimental), in the reference's order
TABLE = [
    ("StageNameCasing", "stage-name-casing", False),
    ("FromAsCasing", "from-as-casing", False),
    ("NoEmptyContinuation", "no-empty-continuation", False),
    ("ConsistentInstructionCasing", "consistent-instruction-casing", False),
    ("DuplicateStageName", "duplicate-stage-name", False),
    ("ReservedStageName", "reserved-stage-name", False),
    ("JSONArgsRecommended", "json-args-recommended", False),
    ("MaintainerDeprecated", "maintainer-deprecated", False),
    ("UndefinedArgInFrom", "undefined-arg-in-from", False),
    ("WorkdirRelativePath", "workdir-relative-path", False),
    ("UndefinedVar", "undefined-var", False),
    ("MultipleInstructionsDisallowed", "multiple-instructions-disallowed", False),
    ("LegacyKeyValueFormat", "legacy-key-value-format", False),
    ("InvalidBaseImagePlatform", "", False),
    ("RedundantTargetPlatform", "redundant-target-platform", False),
    ("SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env", False),
    ("InvalidDefaultArgInFrom", "invalid-default-arg-in-from", False),
    ("FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed", False),
    ("CopyIgnoredFile", "copy-ignored-file", False),
    ("InvalidDefinitionDescription", "invalid-definition-description", True),
    ("ExposeProtoCasing", "expose-proto-casing", False),
    ("ExposeInvalidFormat", "expose-invalid-format", False),
]

DESCRIPTIONS = {
    "StageNameCasing": "Stage names should be lowercase",
    "FromAsCasing": "The 'as' keyword should match the case of the 'from' keyword",
    "NoEmptyContinuation": "Empty continuation lines will become errors in a future release",
    "ConsistentInstructionCasing": (
        "All commands within the Dockerfile should use the same casing (either upper or lower)"
    ),
    "DuplicateStageName": "Stage names should be unique",
    "ReservedStageName": "Reserved words should not be used as stage names",
    "JSONArgsRecommended": (
        "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related "
        "to OS signals"
    ),
    "MaintainerDeprecated": (
        "The MAINTAINER instruction is deprecated, use a label instead to define an image author"
    ),
    "UndefinedArgInFrom": "FROM command must use declared ARGs",
    "WorkdirRelativePath": (
        "Relative workdir without an absolute workdir declared within the build can have "
        "unexpected results if the base image changes"
    ),
    "UndefinedVar": "Variables should be defined before their use",
    "MultipleInstructionsDisallowed": (
        "Multiple instructions of the same type should not be used in the same stage"
    ),
    "LegacyKeyValueFormat": "Legacy key/value format with whitespace separator should not be used",
    "InvalidBaseImagePlatform": "Base image platform does not match expected target platform",
    "RedundantTargetPlatform": (
        "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the "
        "default behavior"
    ),
    "SecretsUsedInArgOrEnv": "Sensitive data should not be used in the ARG or ENV commands",
    "InvalidDefaultArgInFrom": (
        "Default value for global ARG results in an empty or invalid base image name"
    ),
    "FromPlatformFlagConstDisallowed": "FROM --platform flag should not use a constant value",
    "CopyIgnoredFile": "Attempting to Copy file that is excluded by .dockerignore",
    "InvalidDefinitionDescription": (
        "Comment for build stage or argument should follow the format: `# <arg/stage name> "
        "<description>`. If this is not intended to be a description comment, add an empty "
        "line or comment between the instruction and the comment."
    ),
    "ExposeProtoCasing": "Protocol in EXPOSE instruction should be lowercase",
    "ExposeInvalidFormat": (
        "IP address and host-port mapping should not be used in EXPOSE instruction. This will "
        "become an error in a future release"
    ),
}


def test_table() -> None:
    assert len(R.RULES) == 22
    assert [r.name for r in R.RULES] == [name for name, _, _ in TABLE]
    for rule, (name, kebab, experimental) in zip(R.RULES, TABLE, strict=True):
        url = f"https://docs.docker.com/go/dockerfile/rule/{kebab}/" if kebab else ""
        assert (rule.name, rule.url, rule.experimental, rule.deprecated) == (
            name,
            url,
            experimental,
            False,
        )
        assert rule.description == DESCRIPTIONS[name]
        assert R.RULES_BY_NAME[name] is rule


def test_table_is_immutable() -> None:
    with pytest.raises(TypeError):
        R.RULES_BY_NAME["X"] = R.UNDEFINED_VAR  # type: ignore[index]
    with pytest.raises(AttributeError):
        R.UNDEFINED_VAR.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("finding", "rule", "message"),
    [
        (R.stage_name_casing("Bad"), R.STAGE_NAME_CASING, "Stage name 'Bad' should be lowercase"),
        (
            R.from_as_casing("FROM", "as"),
            R.FROM_AS_CASING,
            "'as' and 'FROM' keywords' casing do not match",
        ),
        (R.no_empty_continuation(), R.NO_EMPTY_CONTINUATION, "Empty continuation line"),
        (
            R.consistent_instruction_casing("copy", "uppercase"),
            R.CONSISTENT_INSTRUCTION_CASING,
            "Command 'copy' should match the case of the command majority (uppercase)",
        ),
        (
            R.duplicate_stage_name('a"b'),
            R.DUPLICATE_STAGE_NAME,
            'Duplicate stage name "a\\"b", stage names should be unique',
        ),
        (
            R.reserved_stage_name("scratch"),
            R.RESERVED_STAGE_NAME,
            'Stage name should not use the same name as reserved stage "scratch"',
        ),
        (
            R.json_args_recommended("cmd"),
            R.JSON_ARGS_RECOMMENDED,
            "JSON arguments recommended for cmd to prevent unintended behavior related to OS "
            "signals",
        ),
        (
            R.maintainer_deprecated(),
            R.MAINTAINER_DEPRECATED,
            "Maintainer instruction is deprecated in favor of using label",
        ),
        (
            R.undefined_arg_in_from("X"),
            R.UNDEFINED_ARG_IN_FROM,
            "FROM argument 'X' is not declared",
        ),
        (
            R.undefined_arg_in_from("BULIDPLATFORM", "BUILDPLATFORM"),
            R.UNDEFINED_ARG_IN_FROM,
            "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)",
        ),
        (
            R.workdir_relative_path("app/"),
            R.WORKDIR_RELATIVE_PATH,
            'Relative workdir "app/" can have unexpected results if the base image changes',
        ),
        (R.undefined_var("foo"), R.UNDEFINED_VAR, "Usage of undefined variable '$foo'"),
        (
            R.undefined_var("PAHT", "PATH"),
            R.UNDEFINED_VAR,
            "Usage of undefined variable '$PAHT' (did you mean $PATH?)",
        ),
        (
            R.multiple_instructions_disallowed("CMD"),
            R.MULTIPLE_INSTRUCTIONS_DISALLOWED,
            "Multiple CMD instructions should not be used in the same stage because only the "
            "last one will be used",
        ),
        (
            R.legacy_key_value_format("env"),
            R.LEGACY_KEY_VALUE_FORMAT,
            '"env key=value" should be used instead of legacy "env key value" format',
        ),
        (
            R.invalid_base_image_platform("img", "linux/amd64", "linux/arm64"),
            R.INVALID_BASE_IMAGE_PLATFORM,
            'Base image img was pulled with platform "linux/arm64", expected "linux/amd64" for '
            "current build",
        ),
        (
            R.redundant_target_platform("${TARGETPLATFORM}"),
            R.REDUNDANT_TARGET_PLATFORM,
            "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is "
            "the default behavior",
        ),
        (
            R.secrets_used_in_arg_or_env("ENV", "password"),
            R.SECRETS_USED_IN_ARG_OR_ENV,
            'Do not use ARG or ENV instructions for sensitive data (ENV "password")',
        ),
        (
            R.invalid_default_arg_in_from("busybox:$VERSION"),
            R.INVALID_DEFAULT_ARG_IN_FROM,
            "Default value for ARG busybox:$VERSION results in empty or invalid base image name",
        ),
        (
            R.from_platform_flag_const_disallowed("linux/amd64"),
            R.FROM_PLATFORM_FLAG_CONST_DISALLOWED,
            'FROM --platform flag should not use constant value "linux/amd64"',
        ),
        (
            R.copy_ignored_file("Add", "Dockerfile"),
            R.COPY_IGNORED_FILE,
            'Attempting to Add file "Dockerfile" that is excluded by .dockerignore',
        ),
        (
            R.invalid_definition_description("ARG", "<arg_key>"),
            R.INVALID_DEFINITION_DESCRIPTION,
            "Comment for ARG should follow the format: `# <arg_key> <description>`",
        ),
        (
            R.expose_proto_casing("80/TcP"),
            R.EXPOSE_PROTO_CASING,
            "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase",
        ),
        (
            R.expose_invalid_format("5000:5000"),
            R.EXPOSE_INVALID_FORMAT,
            "EXPOSE instruction should not define an IP address or host-port mapping, found "
            "'5000:5000'",
        ),
    ],
)
def test_messages(finding: R.Finding, rule: R.Rule, message: str) -> None:
    assert finding == R.Finding(rule, message)
