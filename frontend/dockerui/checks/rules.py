"""The build-check rules of Dockerfile syntax 1.26, and the message of each.

Owned step: ``frontend.dockerui.checks`` (the rule table). Every rule the reference's
linter knows (``linter/ruleset.go``): its name, description, documentation URL and
whether it is experimental or deprecated; and, per rule, one function that formats its
detail message the way the reference does and returns a :class:`Finding` (the rule and
that message). Where a warning is located and whether it is emitted is decided by the
callers (the ``*_rules`` modules) and :class:`~frontend.dockerui.checks.linter.Linter`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from frontend.gocompat import go_quote
from frontend.records import record

__all__ = [
    "CONSISTENT_INSTRUCTION_CASING",
    "COPY_IGNORED_FILE",
    "DUPLICATE_STAGE_NAME",
    "EXPOSE_INVALID_FORMAT",
    "EXPOSE_PROTO_CASING",
    "FROM_AS_CASING",
    "FROM_PLATFORM_FLAG_CONST_DISALLOWED",
    "INVALID_BASE_IMAGE_PLATFORM",
    "INVALID_DEFAULT_ARG_IN_FROM",
    "INVALID_DEFINITION_DESCRIPTION",
    "JSON_ARGS_RECOMMENDED",
    "LEGACY_KEY_VALUE_FORMAT",
    "MAINTAINER_DEPRECATED",
    "MULTIPLE_INSTRUCTIONS_DISALLOWED",
    "NO_EMPTY_CONTINUATION",
    "REDUNDANT_TARGET_PLATFORM",
    "RESERVED_STAGE_NAME",
    "RULES",
    "RULES_BY_NAME",
    "SECRETS_USED_IN_ARG_OR_ENV",
    "STAGE_NAME_CASING",
    "UNDEFINED_ARG_IN_FROM",
    "UNDEFINED_VAR",
    "WORKDIR_RELATIVE_PATH",
    "Finding",
    "Rule",
]

_DOCS: Final = "https://docs.docker.com/go/dockerfile/rule/"


@record(frozen=True, slots=True)
class Rule:
    """One build check. ``url`` is empty where the reference documents none."""

    name: str
    description: str
    url: str = ""
    experimental: bool = False
    deprecated: bool = False


@record(frozen=True, slots=True)
class Finding:
    """A rule that applies, with its detail message (not yet located or filtered)."""

    rule: Rule
    message: str


def _rule(name: str, kebab: str, description: str, *, experimental: bool = False) -> Rule:
    return Rule(name, description, f"{_DOCS}{kebab}/" if kebab else "", experimental)


STAGE_NAME_CASING: Final = _rule(
    "StageNameCasing", "stage-name-casing", "Stage names should be lowercase"
)
FROM_AS_CASING: Final = _rule(
    "FromAsCasing",
    "from-as-casing",
    "The 'as' keyword should match the case of the 'from' keyword",
)
NO_EMPTY_CONTINUATION: Final = _rule(
    "NoEmptyContinuation",
    "no-empty-continuation",
    "Empty continuation lines will become errors in a future release",
)
CONSISTENT_INSTRUCTION_CASING: Final = _rule(
    "ConsistentInstructionCasing",
    "consistent-instruction-casing",
    "All commands within the Dockerfile should use the same casing (either upper or lower)",
)
DUPLICATE_STAGE_NAME: Final = _rule(
    "DuplicateStageName", "duplicate-stage-name", "Stage names should be unique"
)
RESERVED_STAGE_NAME: Final = _rule(
    "ReservedStageName",
    "reserved-stage-name",
    "Reserved words should not be used as stage names",
)
JSON_ARGS_RECOMMENDED: Final = _rule(
    "JSONArgsRecommended",
    "json-args-recommended",
    "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related "
    "to OS signals",
)
MAINTAINER_DEPRECATED: Final = _rule(
    "MaintainerDeprecated",
    "maintainer-deprecated",
    "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
)
UNDEFINED_ARG_IN_FROM: Final = _rule(
    "UndefinedArgInFrom", "undefined-arg-in-from", "FROM command must use declared ARGs"
)
WORKDIR_RELATIVE_PATH: Final = _rule(
    "WorkdirRelativePath",
    "workdir-relative-path",
    "Relative workdir without an absolute workdir declared within the build can have "
    "unexpected results if the base image changes",
)
UNDEFINED_VAR: Final = _rule(
    "UndefinedVar", "undefined-var", "Variables should be defined before their use"
)
MULTIPLE_INSTRUCTIONS_DISALLOWED: Final = _rule(
    "MultipleInstructionsDisallowed",
    "multiple-instructions-disallowed",
    "Multiple instructions of the same type should not be used in the same stage",
)
LEGACY_KEY_VALUE_FORMAT: Final = _rule(
    "LegacyKeyValueFormat",
    "legacy-key-value-format",
    "Legacy key/value format with whitespace separator should not be used",
)
INVALID_BASE_IMAGE_PLATFORM: Final = _rule(  # the reference documents no URL for it
    "InvalidBaseImagePlatform",
    "",
    "Base image platform does not match expected target platform",
)
REDUNDANT_TARGET_PLATFORM: Final = _rule(
    "RedundantTargetPlatform",
    "redundant-target-platform",
    "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the "
    "default behavior",
)
SECRETS_USED_IN_ARG_OR_ENV: Final = _rule(
    "SecretsUsedInArgOrEnv",
    "secrets-used-in-arg-or-env",
    "Sensitive data should not be used in the ARG or ENV commands",
)
INVALID_DEFAULT_ARG_IN_FROM: Final = _rule(
    "InvalidDefaultArgInFrom",
    "invalid-default-arg-in-from",
    "Default value for global ARG results in an empty or invalid base image name",
)
FROM_PLATFORM_FLAG_CONST_DISALLOWED: Final = _rule(
    "FromPlatformFlagConstDisallowed",
    "from-platform-flag-const-disallowed",
    "FROM --platform flag should not use a constant value",
)
COPY_IGNORED_FILE: Final = _rule(
    "CopyIgnoredFile",
    "copy-ignored-file",
    "Attempting to Copy file that is excluded by .dockerignore",
)
INVALID_DEFINITION_DESCRIPTION: Final = _rule(
    "InvalidDefinitionDescription",
    "invalid-definition-description",
    "Comment for build stage or argument should follow the format: "
    "`# <arg/stage name> <description>`. If this is not intended to be a description "
    "comment, add an empty line or comment between the instruction and the comment.",
    experimental=True,
)
EXPOSE_PROTO_CASING: Final = _rule(
    "ExposeProtoCasing",
    "expose-proto-casing",
    "Protocol in EXPOSE instruction should be lowercase",
)
EXPOSE_INVALID_FORMAT: Final = _rule(
    "ExposeInvalidFormat",
    "expose-invalid-format",
    "IP address and host-port mapping should not be used in EXPOSE instruction. This will "
    "become an error in a future release",
)

# in the reference's order (ruleset.go)
RULES: Final[tuple[Rule, ...]] = (
    STAGE_NAME_CASING,
    FROM_AS_CASING,
    NO_EMPTY_CONTINUATION,
    CONSISTENT_INSTRUCTION_CASING,
    DUPLICATE_STAGE_NAME,
    RESERVED_STAGE_NAME,
    JSON_ARGS_RECOMMENDED,
    MAINTAINER_DEPRECATED,
    UNDEFINED_ARG_IN_FROM,
    WORKDIR_RELATIVE_PATH,
    UNDEFINED_VAR,
    MULTIPLE_INSTRUCTIONS_DISALLOWED,
    LEGACY_KEY_VALUE_FORMAT,
    INVALID_BASE_IMAGE_PLATFORM,
    REDUNDANT_TARGET_PLATFORM,
    SECRETS_USED_IN_ARG_OR_ENV,
    INVALID_DEFAULT_ARG_IN_FROM,
    FROM_PLATFORM_FLAG_CONST_DISALLOWED,
    COPY_IGNORED_FILE,
    INVALID_DEFINITION_DESCRIPTION,
    EXPOSE_PROTO_CASING,
    EXPOSE_INVALID_FORMAT,
)
RULES_BY_NAME: Final = MappingProxyType({r.name: r for r in RULES})


# ------------------------------------------------------------------ messages
# One function per rule, named after it: the reference's ``Format`` of that rule.


def stage_name_casing(stage_name: str) -> Finding:
    return Finding(STAGE_NAME_CASING, f"Stage name '{stage_name}' should be lowercase")


def from_as_casing(from_keyword: str, as_keyword: str) -> Finding:
    return Finding(
        FROM_AS_CASING, f"'{as_keyword}' and '{from_keyword}' keywords' casing do not match"
    )


def no_empty_continuation() -> Finding:
    return Finding(NO_EMPTY_CONTINUATION, "Empty continuation line")


def consistent_instruction_casing(command: str, correct_casing: str) -> Finding:
    return Finding(
        CONSISTENT_INSTRUCTION_CASING,
        f"Command '{command}' should match the case of the command majority ({correct_casing})",
    )


def duplicate_stage_name(stage_name: str) -> Finding:
    return Finding(
        DUPLICATE_STAGE_NAME,
        f"Duplicate stage name {go_quote(stage_name)}, stage names should be unique",
    )


def reserved_stage_name(stage_name: str) -> Finding:
    return Finding(
        RESERVED_STAGE_NAME,
        f"Stage name should not use the same name as reserved stage {go_quote(stage_name)}",
    )


def json_args_recommended(instruction: str) -> Finding:
    return Finding(
        JSON_ARGS_RECOMMENDED,
        f"JSON arguments recommended for {instruction} to prevent unintended behavior "
        "related to OS signals",
    )


def maintainer_deprecated() -> Finding:
    return Finding(
        MAINTAINER_DEPRECATED, "Maintainer instruction is deprecated in favor of using label"
    )


def undefined_arg_in_from(arg: str, suggestion: str = "") -> Finding:
    out = f"FROM argument '{arg}' is not declared"
    if suggestion:
        out += f" (did you mean {suggestion}?)"
    return Finding(UNDEFINED_ARG_IN_FROM, out)


def workdir_relative_path(workdir: str) -> Finding:
    return Finding(
        WORKDIR_RELATIVE_PATH,
        f"Relative workdir {go_quote(workdir)} can have unexpected results if the base "
        "image changes",
    )


def undefined_var(name: str, suggestion: str = "") -> Finding:
    out = f"Usage of undefined variable '${name}'"
    if suggestion:
        out += f" (did you mean ${suggestion}?)"
    return Finding(UNDEFINED_VAR, out)


def multiple_instructions_disallowed(instruction: str) -> Finding:
    return Finding(
        MULTIPLE_INSTRUCTIONS_DISALLOWED,
        f"Multiple {instruction} instructions should not be used in the same stage because "
        "only the last one will be used",
    )


def legacy_key_value_format(instruction: str) -> Finding:
    return Finding(
        LEGACY_KEY_VALUE_FORMAT,
        f'"{instruction} key=value" should be used instead of legacy '
        f'"{instruction} key value" format',
    )


def invalid_base_image_platform(image: str, expected: str, actual: str) -> Finding:
    return Finding(
        INVALID_BASE_IMAGE_PLATFORM,
        f"Base image {image} was pulled with platform {go_quote(actual)}, expected "
        f"{go_quote(expected)} for current build",
    )


def redundant_target_platform(platform_var: str) -> Finding:
    return Finding(
        REDUNDANT_TARGET_PLATFORM,
        f"Setting platform to predefined {platform_var} in FROM is redundant as this is the "
        "default behavior",
    )


def secrets_used_in_arg_or_env(instruction: str, key: str) -> Finding:
    return Finding(
        SECRETS_USED_IN_ARG_OR_ENV,
        f"Do not use ARG or ENV instructions for sensitive data ({instruction} {go_quote(key)})",
    )


def invalid_default_arg_in_from(base_name: str) -> Finding:
    return Finding(
        INVALID_DEFAULT_ARG_IN_FROM,
        f"Default value for ARG {base_name} results in empty or invalid base image name",
    )


def from_platform_flag_const_disallowed(platform: str) -> Finding:
    return Finding(
        FROM_PLATFORM_FLAG_CONST_DISALLOWED,
        f"FROM --platform flag should not use constant value {go_quote(platform)}",
    )


def copy_ignored_file(command: str, path: str) -> Finding:
    """``command`` is ``Copy`` or ``Add`` (so written by the reference)."""
    return Finding(
        COPY_IGNORED_FILE,
        f"Attempting to {command} file {go_quote(path)} that is excluded by .dockerignore",
    )


def invalid_definition_description(instruction: str, name: str) -> Finding:
    return Finding(
        INVALID_DEFINITION_DESCRIPTION,
        f"Comment for {instruction} should follow the format: `# {name} <description>`",
    )


def expose_proto_casing(port: str) -> Finding:
    return Finding(
        EXPOSE_PROTO_CASING,
        f"Defined protocol '{port}' in EXPOSE instruction should be lowercase",
    )


def expose_invalid_format(port: str) -> Finding:
    return Finding(
        EXPOSE_INVALID_FORMAT,
        f"EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'",
    )
