"""The reference's ``dockerfile_check_test.go``, case by case, for the rules decided
without an engine (``testBaseImagePlatformMismatch`` needs a registry: its message is
in ``test_compile_rules``; the ``.dockerignore`` of the ``CopyIgnoredFile`` cases is
read by the suite harness's small matcher). Dockerfiles, expected rules, messages,
lines, URLs and counts are the suite's (its Unix variants); each case runs as a build
(progress stream) and as the lint subrequest (``warntype=unmarshal``)."""

from __future__ import annotations

import pytest

from dockerui.checks.suite import Case, W, check

DESC_DEFINITION = (
    "Comment for build stage or argument should follow the format: "
    "`# <arg/stage name> <description>`. If this is not intended to be a description "
    "comment, add an empty line or comment between the instruction and the comment."
)
URL_DEFINITION = "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/"
DESC_SECRETS = "Sensitive data should not be used in the ARG or ENV commands"
URL_SECRETS = "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/"
DESC_UNDEFINED_VAR = "Variables should be defined before their use"
URL_UNDEFINED_VAR = "https://docs.docker.com/go/dockerfile/rule/undefined-var/"
DESC_FROM_AS = "The 'as' keyword should match the case of the 'from' keyword"
URL_FROM_AS = "https://docs.docker.com/go/dockerfile/rule/from-as-casing/"
DESC_STAGE_CASING = "Stage names should be lowercase"
URL_STAGE_CASING = "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
DESC_CASING = (
    "All commands within the Dockerfile should use the same casing (either upper or lower)"
)
URL_CASING = "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/"
DESC_JSON = (
    "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related "
    "to OS signals"
)
URL_JSON = "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/"
DESC_MAINTAINER = (
    "The MAINTAINER instruction is deprecated, use a label instead to define an image author"
)
URL_MAINTAINER = "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/"
DESC_UNDEFINED_ARG = "FROM command must use declared ARGs"
URL_UNDEFINED_ARG = "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/"
DESC_WORKDIR = (
    "Relative workdir without an absolute workdir declared within the build can have "
    "unexpected results if the base image changes"
)
URL_WORKDIR = "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/"
DESC_LEGACY = "Legacy key/value format with whitespace separator should not be used"
URL_LEGACY = "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/"
DESC_REDUNDANT = (
    "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the "
    "default behavior"
)
URL_REDUNDANT = "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/"
DESC_DEFAULT_ARG = "Default value for global ARG results in an empty or invalid base image name"
URL_DEFAULT_ARG = "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/"
DESC_CONST = "FROM --platform flag should not use a constant value"
URL_CONST = "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/"
DESC_PROTO = "Protocol in EXPOSE instruction should be lowercase"
URL_PROTO = "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/"
DESC_EXPOSE_FORMAT = (
    "IP address and host-port mapping should not be used in EXPOSE instruction. This will "
    "become an error in a future release"
)
URL_EXPOSE_FORMAT = "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/"


def definition(detail: str, line: int) -> W:
    return W("InvalidDefinitionDescription", DESC_DEFINITION, URL_DEFINITION, detail, line)


def secret(detail: str, line: int) -> W:
    return W("SecretsUsedInArgOrEnv", DESC_SECRETS, URL_SECRETS, detail, line)


def undefined_var(detail: str, line: int) -> W:
    return W("UndefinedVar", DESC_UNDEFINED_VAR, URL_UNDEFINED_VAR, detail, line)


def from_as(detail: str, line: int) -> W:
    return W("FromAsCasing", DESC_FROM_AS, URL_FROM_AS, detail, line)


def casing(detail: str, line: int) -> W:
    return W("ConsistentInstructionCasing", DESC_CASING, URL_CASING, detail, line)


def json_args(detail: str, line: int) -> W:
    return W("JSONArgsRecommended", DESC_JSON, URL_JSON, detail, line)


def maintainer(line: int) -> W:
    return W(
        "MaintainerDeprecated",
        DESC_MAINTAINER,
        URL_MAINTAINER,
        "Maintainer instruction is deprecated in favor of using label",
        line,
    )


def undefined_arg(detail: str, line: int) -> W:
    return W("UndefinedArgInFrom", DESC_UNDEFINED_ARG, URL_UNDEFINED_ARG, detail, line)


def legacy(detail: str, line: int) -> W:
    return W("LegacyKeyValueFormat", DESC_LEGACY, URL_LEGACY, detail, line)


def multiple(instruction: str, line: int) -> W:
    return W(
        "MultipleInstructionsDisallowed",
        "Multiple instructions of the same type should not be used in the same stage",
        "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
        f"Multiple {instruction} instructions should not be used in the same stage because "
        "only the last one will be used",
        line,
    )


def default_arg(detail: str, line: int) -> W:
    return W("InvalidDefaultArgInFrom", DESC_DEFAULT_ARG, URL_DEFAULT_ARG, detail, line)


CASES: dict[str, Case] = {}


def case(name: str, c: Case) -> None:
    assert name not in CASES
    CASES[name] = c


# --------------------------------------------------------- testDefinitionDescription
case(
    "DefinitionDescription/0",
    Case(
        """# check=skip=all;experimental=InvalidDefinitionDescription
# foo this is the foo
ARG foo=bar

# base this is the base image
FROM scratch AS base

# version this is the version number
ARG version=latest

# baz this is the baz
ARG foo=baz bar=qux baz=quux
#
ARG bit=bat

# comment for something other than ARG or FROM
COPY Dockerfile .
"""
    ),
)
case(
    "DefinitionDescription/1",
    Case(
        """# check=experimental=InvalidDefinitionDescription
# bar this is the bar
ARG foo=bar
# BasE this is the BasE image
FROM scratch AS base
# definitely a bad comment
ARG version=latest
# definitely a bad comment
ARG foo=baz bar=qux baz=quux
""",
        [
            definition("Comment for ARG should follow the format: `# foo <description>`", 3),
            definition("Comment for FROM should follow the format: `# base <description>`", 5),
            definition("Comment for ARG should follow the format: `# version <description>`", 7),
            definition("Comment for ARG should follow the format: `# <arg_key> <description>`", 9),
        ],
    ),
)


# -------------------------------------------------- testCopyIgnoredFiles (+ ContextRoot)
def ignored(detail: str, line: int) -> W:
    return W(
        "CopyIgnoredFile",
        "Attempting to Copy file that is excluded by .dockerignore",
        "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
        detail,
        line,
    )


_IGNORED = [
    ignored('Attempting to Copy file "Dockerfile" that is excluded by .dockerignore', 3),
    ignored('Attempting to Add file "Dockerfile" that is excluded by .dockerignore', 4),
]
# (the suite's build fails at solve time: the excluded Dockerfile is not in the context)
case(
    "CopyIgnoredFiles/0",
    Case(
        "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        _IGNORED,
        dockerignore="\nDockerfile\n",
    ),
)
case(
    "CopyIgnoredFiles/1",
    Case(
        "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        _IGNORED,
        dockerignore="\nDockerfile\n",
    ),
)
case(
    "CopyIgnoredFiles/2",
    Case(
        "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        dockerignore="\nDockerfile\n",
    ),
)
case(
    "CopyIgnoredFiles/3",
    Case(
        "\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\n"
        "FROM base\nCOPY --from=base /foobar /Dockerfile\n",
        dockerignore="\nfoobar\n",
    ),
)
case(
    "CopyIgnoredFiles/4",
    Case("\nFROM scratch\nCOPY ./Dockerfile .\n", dockerignore="\n**\n!Dockerfile\n"),
)
case(
    "CopyIgnoredFiles/5",
    Case("\nFROM scratch\nCOPY . .\n\t", dockerignore="\n**\n!Dockerfile\n"),
)
case(
    "CopyIgnoredFileContextRoot/dotfiles",
    Case("\nFROM scratch\nCOPY . .\n", dockerignore="\n.*\n"),
)
case(
    "CopyIgnoredFileContextRoot/wildcard",
    Case(
        "\nFROM scratch\nCOPY . .\n",
        [ignored('Attempting to Copy file "." that is excluded by .dockerignore', 3)],
        dockerignore="\n*\n",
    ),
)

# --------------------------------------------------------- testSecretsUsedInArgOrEnv
case(
    "SecretsUsedInArgOrEnv/0",
    Case(
        """# check=skip=InvalidDefinitionDescription

FROM scratch
ARG SECRET_PASSPHRASE
ENV SUPER_Secret=foo
ENV password=bar secret=baz
ARG super_duper_secret_token=foo auth=bar
ENV apikey=bar sunflower=foo
ENV git_key=
ENV PUBLIC_KEY=
ARG public_token
ARG SECRET_PASSPHRASE_FILE
ENV password_file=bar secret_File=baz
ARG AUTH_MODULE_VERSION
# check=skip=SecretsUsedInArgOrEnv // allow secret in environment
ENV password=bar
# check=skip=SecretsUsedInArgOrEnv // allow secret in arg
ARG password
# check=skip=all // is local to only this instruction
ENV alternate_password=bar
# check=skip=all // is local to only this instruction
ARG alternate_password
""",
        [
            secret(
                'Do not use ARG or ENV instructions for sensitive data (ARG "SECRET_PASSPHRASE")', 4
            ),
            secret('Do not use ARG or ENV instructions for sensitive data (ENV "SUPER_Secret")', 5),
            secret('Do not use ARG or ENV instructions for sensitive data (ENV "password")', 6),
            secret('Do not use ARG or ENV instructions for sensitive data (ENV "secret")', 6),
            secret('Do not use ARG or ENV instructions for sensitive data (ARG "auth")', 7),
            secret(
                "Do not use ARG or ENV instructions for sensitive data "
                '(ARG "super_duper_secret_token")',
                7,
            ),
            secret('Do not use ARG or ENV instructions for sensitive data (ENV "apikey")', 8),
            secret('Do not use ARG or ENV instructions for sensitive data (ENV "git_key")', 9),
        ],
    ),
)

# ------------------------------------------------------------ testAllTargetUnmarshal
case(
    "AllTargetUnmarshal/0",
    Case(
        """
FROM scratch AS first
COPY $foo .

FROM scratch AS second
COPY $bar .
""",
        [undefined_var("Usage of undefined variable '$bar'", 6)],
        unmarshal=[
            undefined_var("Usage of undefined variable '$foo'", 3),
            undefined_var("Usage of undefined variable '$bar'", 6),
        ],
    ),
)

# --------------------------------------------------------------- testRuleCheckOption
_CHECK_DF = "FROM scratch as base\ncopy Dockerfile .\n"
_FROM_AS_2 = from_as("'as' and 'FROM' keywords' casing do not match", 2)
case("RuleCheckOption/0", Case("#check=skip=all\n" + _CHECK_DF))
case("RuleCheckOption/1", Case("#check=skip=all;error=true\n" + _CHECK_DF))
case(
    "RuleCheckOption/2", Case("#check=skip=ConsistentInstructionCasing,FromAsCasing\n" + _CHECK_DF)
)
case(
    "RuleCheckOption/3",
    Case("#check=skip=ConsistentInstructionCasing,FromAsCasing;error=true\n" + _CHECK_DF),
)
case(
    "RuleCheckOption/4",
    Case("#check=skip=ConsistentInstructionCasing\n" + _CHECK_DF, [_FROM_AS_2]),
)
case(
    "RuleCheckOption/5",
    Case(
        "#check=skip=ConsistentInstructionCasing;error=true\n" + _CHECK_DF,
        [_FROM_AS_2],
        build_err="lint violation found for rules: FromAsCasing",
    ),
)
case(
    "RuleCheckOption/6",
    Case(
        "#check=skip=all\n" + _CHECK_DF,
        [_FROM_AS_2],
        build_err="lint violation found for rules: FromAsCasing",
        attrs={
            "build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=ConsistentInstructionCasing;error=true"
        },
    ),
)
case(
    "RuleCheckOption/7",
    Case(
        "#check=error=true\n" + _CHECK_DF,
        attrs={"build-arg:BUILDKIT_DOCKERFILE_CHECK": "skip=all"},
    ),
)

# ------------------------------------------------------------------- testStageName
case(
    "StageName/0",
    Case(
        """
# warning: stage name should be lowercase
#
FROM scratch AS BadStageName

# warning: 'as' should match 'FROM' cmd casing.
#
FROM scratch as base2

FROM scratch AS base3
""",
        [
            W(
                "StageNameCasing",
                DESC_STAGE_CASING,
                URL_STAGE_CASING,
                "Stage name 'BadStageName' should be lowercase",
                4,
            ),
            from_as("'as' and 'FROM' keywords' casing do not match", 8),
        ],
    ),
)
case(
    "StageName/1",
    Case(
        """
# warning: 'AS' should match 'from' cmd casing.
#
from scratch AS base

from scratch as base2
""",
        [from_as("'AS' and 'from' keywords' casing do not match", 4)],
    ),
)

# ----------------------------------------------------------- testNoEmptyContinuation
case(
    "NoEmptyContinuation/0",
    Case(
        """
FROM scratch
# warning: empty continuation line
COPY Dockerfile \\

.
COPY Dockerfile \\
.
""",
        [
            W(
                "NoEmptyContinuation",
                "Empty continuation lines will become errors in a future release",
                "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
                "Empty continuation line",
                6,
            )
        ],
    ),
)

# --------------------------------------------------- testConsistentInstructionCasing
case(
    "ConsistentInstructionCasing/0",
    Case(
        """
# warning: 'FROM' should be either lowercased or uppercased
#
From scratch as base
FROM scratch AS base2
""",
        [casing("Command 'From' should match the case of the command majority (uppercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/1",
    Case(
        """
FROM scratch
# warning: 'copy' should match command majority's casing (uppercase)
copy Dockerfile /foo
COPY Dockerfile /bar
""",
        [casing("Command 'copy' should match the case of the command majority (uppercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/2",
    Case(
        """
# warning: 'frOM' should be either lowercased or uppercased
#
frOM scratch as base
from scratch as base2
""",
        [casing("Command 'frOM' should match the case of the command majority (lowercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/3",
    Case(
        """
from scratch
# warning: 'COPY' should match command majority's casing (lowercase)
COPY Dockerfile /foo
copy Dockerfile /bar
""",
        [casing("Command 'COPY' should match the case of the command majority (lowercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/4",
    Case(
        """
# warning: 'from' should match command majority's casing (uppercase)
#
from scratch
COPY Dockerfile /foo
COPY Dockerfile /bar
COPY Dockerfile /baz
""",
        [casing("Command 'from' should match the case of the command majority (uppercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/5",
    Case(
        """
# warning: 'FROM' should match command majority's casing (lowercase)
#
FROM scratch
copy Dockerfile /foo
copy Dockerfile /bar
copy Dockerfile /baz
""",
        [casing("Command 'FROM' should match the case of the command majority (lowercase)", 4)],
    ),
)
case(
    "ConsistentInstructionCasing/6",
    Case("\nfrom scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n"),
)
case(
    "ConsistentInstructionCasing/7",
    Case("\nFROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n"),
)
case(
    "ConsistentInstructionCasing/8",
    Case("\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n"),
)

# ------------------------------------------------------------ testDuplicateStageName
case(
    "DuplicateStageName/0",
    Case(
        "\nFROM scratch AS b\nFROM scratch AS b\n",
        [
            W(
                "DuplicateStageName",
                "Stage names should be unique",
                "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
                'Duplicate stage name "b", stage names should be unique',
                3,
            )
        ],
    ),
)
case("DuplicateStageName/1", Case("\nFROM scratch AS b1\nFROM scratch AS b2\n"))


# ------------------------------------------------------------- testReservedStageName
def reserved(name: str, line: int) -> W:
    return W(
        "ReservedStageName",
        "Reserved words should not be used as stage names",
        "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
        f'Stage name should not use the same name as reserved stage "{name}"',
        line,
    )


case(
    "ReservedStageName/0",
    Case(
        "\nFROM scratch AS scratch\nFROM scratch AS context\n",
        [reserved("scratch", 2), reserved("context", 3)],
    ),
)
case("ReservedStageName/1", Case("\nFROM scratch\nFROM scratch AS a\n"))

# ------------------------------------------------------------ testJSONArgsRecommended
case(
    "JSONArgsRecommended/0",
    Case(
        "\nFROM scratch\nCMD mycommand\n",
        [
            json_args(
                "JSON arguments recommended for CMD to prevent unintended behavior related to "
                "OS signals",
                3,
            )
        ],
    ),
)
case(
    "JSONArgsRecommended/1",
    Case(
        "\nFROM scratch\nENTRYPOINT mycommand\n",
        [
            json_args(
                "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior "
                "related to OS signals",
                3,
            )
        ],
    ),
)
case(
    "JSONArgsRecommended/2",
    Case('\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nCMD mycommand\n'),
)
case(
    "JSONArgsRecommended/3",
    Case('\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nENTRYPOINT mycommand\n'),
)
case(
    "JSONArgsRecommended/4",
    Case('\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nCMD mycommand\n'),
)
case(
    "JSONArgsRecommended/5",
    Case(
        '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\n'
        "ENTRYPOINT mycommand\n"
    ),
)

# ----------------------------------------------------------- testMaintainerDeprecated
case(
    "MaintainerDeprecated/0",
    Case("\nFROM scratch\nMAINTAINER me@example.org\n", [maintainer(3)]),
)
case(
    "MaintainerDeprecated/1",
    Case('\nFROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n'),
)
case(
    "MaintainerDeprecated/2",
    Case("\nFROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n"),
)
case(
    "MaintainerDeprecated/3",
    Case("\nFROM scratch\n# check=skip=JSONArgsRecommended\nENTRYPOINT mycommand\n"),
)
case(
    "MaintainerDeprecated/4",
    Case("\nFROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n"),
)

# ------------------------------------------------------------ testWarningsBeforeError
case(
    "WarningsBeforeError/0",
    Case(
        "\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n",
        [
            W(
                "StageNameCasing",
                DESC_STAGE_CASING,
                URL_STAGE_CASING,
                "Stage name 'BadStageName' should be lowercase",
                2,
            ),
            maintainer(3),
        ],
        build_err="dockerfile parse error on line 4: unknown instruction: BADCMD",
    ),
)

# ------------------------------------------------------------------ testUndeclaredArg
case("UndeclaredArg/0", Case("\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n"))
case(
    "UndeclaredArg/1",
    Case(
        "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n"
        "COPY Dockerfile .\n"
    ),
)
case("UndeclaredArg/2", Case("\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n"))
case("UndeclaredArg/3", Case("\nARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n"))
case("UndeclaredArg/4", Case("\nARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n"))
case(
    "UndeclaredArg/5",
    Case('\nARG DEBUG=""\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n'),
)
case(
    "UndeclaredArg/6",
    Case(
        "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
        [
            undefined_arg(
                "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)", 2
            )
        ],
        build_err=(
            "empty platform value from expression $BULIDPLATFORM (did you mean BUILDPLATFORM?)"
        ),
    ),
)
case(
    "UndeclaredArg/7",
    Case(
        "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n"
        "COPY Dockerfile .\n\t",
        [undefined_arg("FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)", 4)],
        build_err=(
            'failed to parse platform linux/${MYARCH}: "" is an invalid component of '
            '"linux/": platform specifier component must match "^[A-Za-z0-9_.-]+$": '
            "invalid argument (did you mean MY_ARCH?)"
        ),
    ),
)
case(
    "UndeclaredArg/8",
    Case(
        "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
        [undefined_arg("FROM argument 'version' is not declared", 3)],
    ),
)

# ------------------------------------------------------------ testWorkdirRelativePath
case(
    "WorkdirRelativePath/0",
    Case(
        "\nFROM scratch\nWORKDIR app/\n",
        [
            W(
                "WorkdirRelativePath",
                DESC_WORKDIR,
                URL_WORKDIR,
                'Relative workdir "app/" can have unexpected results if the base image changes',
                3,
            )
        ],
    ),
)
case(
    "WorkdirRelativePath/1",
    Case("\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n"),
)
case(
    "WorkdirRelativePath/2",
    Case("\nFROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n"),
)

# ------------------------------------------------------------------ testUnmatchedVars
case("UnmatchedVars/0", Case("\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n"))
case(
    "UnmatchedVars/1",
    Case("\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n"),
)
case("UnmatchedVars/2", Case("\nFROM alpine\nRUN echo $PATH\n"))
case(
    "UnmatchedVars/3",
    Case(
        "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        [undefined_var("Usage of undefined variable '$foo'", 3)],
    ),
)
case(
    "UnmatchedVars/4",
    Case(
        "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\n"
        "ARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t",
        [undefined_var("Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)", 6)],
    ),
)
case(
    "UnmatchedVars/5",
    Case(
        "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t",
        [undefined_var("Usage of undefined variable '$PAHT' (did you mean $PATH?)", 3)],
    ),
)

# ---------------------------------------------------- testMultipleInstructionsDisallowed
case(
    "MultipleInstructionsDisallowed/0",
    Case(
        """
FROM scratch
ENTRYPOINT ["/myapp"]
ENTRYPOINT ["/myotherapp"]
CMD ["/myapp"]
CMD ["/myotherapp"]
HEALTHCHECK CMD ["/myapp"]
HEALTHCHECK CMD ["/myotherapp"]
""",
        [multiple("ENTRYPOINT", 3), multiple("CMD", 5), multiple("HEALTHCHECK", 7)],
    ),
)
case(
    "MultipleInstructionsDisallowed/1",
    Case(
        """
FROM scratch
ENTRYPOINT ["/myapp"]
CMD ["/myapp"]
HEALTHCHECK CMD ["/myapp"]
COPY <<EOF /a.txt
Hello, World!
EOF
ENTRYPOINT ["/myotherapp"]
CMD ["/myotherapp"]
HEALTHCHECK CMD ["/myotherapp"]
""",
        [multiple("ENTRYPOINT", 3), multiple("CMD", 4), multiple("HEALTHCHECK", 5)],
    ),
)
case(
    "MultipleInstructionsDisallowed/2",
    Case(
        """
FROM scratch AS a
ENTRYPOINT ["/myapp"]
CMD ["/myapp"]
HEALTHCHECK CMD ["/myapp"]

FROM a AS b
ENTRYPOINT ["/myotherapp"]
CMD ["/myotherapp"]
HEALTHCHECK CMD ["/myotherapp"]
"""
    ),
)

# ------------------------------------------------------------ testLegacyKeyValueFormat
_LEGACY_ENV = '"ENV key=value" should be used instead of legacy "ENV key value" format'
_LEGACY_LABEL = '"LABEL key=value" should be used instead of legacy "LABEL key value" format'
case(
    "LegacyKeyValueFormat/0",
    Case(
        "\nFROM scratch\nENV testkey value\nLABEL key value\n",
        [legacy(_LEGACY_ENV, 3), legacy(_LEGACY_LABEL, 4)],
    ),
)
case("LegacyKeyValueFormat/1", Case("\nFROM scratch\nENV testkey=value\nLABEL key=value\n"))
case(
    "LegacyKeyValueFormat/2",
    Case(
        "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n",
        unmarshal=[legacy(_LEGACY_ENV, 3), legacy(_LEGACY_LABEL, 4)],
    ),
)
case(
    "LegacyKeyValueFormat/3",
    Case(
        "\nFROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n"
        "# check=skip=LegacyKeyValueFormat\nLABEL key value\n"
    ),
)


# --------------------------------------------------------- testRedundantTargetPlatform
def redundant(detail: str, line: int) -> W:
    return W("RedundantTargetPlatform", DESC_REDUNDANT, URL_REDUNDANT, detail, line)


case(
    "RedundantTargetPlatform/0",
    Case(
        "\nFROM --platform=$TARGETPLATFORM scratch\n",
        [
            redundant(
                "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is "
                "the default behavior",
                2,
            )
        ],
    ),
)
case(
    "RedundantTargetPlatform/1",
    Case(
        "\nFROM --platform=${TARGETPLATFORM} scratch\n",
        [
            redundant(
                "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this "
                "is the default behavior",
                2,
            )
        ],
    ),
)
case(
    "RedundantTargetPlatform/2",
    Case("\n# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n"),
)

# --------------------------------------------------------- testInvalidDefaultArgInFrom
case(
    "InvalidDefaultArgInFrom/0",
    Case(
        "\nARG VERSION\nFROM busybox:$VERSION\n",
        [
            default_arg(
                "Default value for ARG busybox:$VERSION results in empty or invalid base image "
                "name",
                3,
            )
        ],
        attrs={"build-arg:VERSION": "latest"},
    ),
)
case(
    "InvalidDefaultArgInFrom/1",
    Case(
        "\nARG IMAGE\nFROM $IMAGE\n",
        [
            default_arg(
                "Default value for ARG $IMAGE results in empty or invalid base image name", 3
            )
        ],
        attrs={"build-arg:IMAGE": "busybox:latest"},
    ),
)
case(
    "InvalidDefaultArgInFrom/2",
    Case(
        '\nARG SFX="box:"\nFROM busy${SFX}\n',
        [
            default_arg(
                "Default value for ARG busy${SFX} results in empty or invalid base image name", 3
            )
        ],
        attrs={"build-arg:SFX": "box:latest"},
    ),
)
case(
    "InvalidDefaultArgInFrom/3",
    Case(
        '\nARG VERSION="latest"\nFROM busybox:${VERSION}\n',
        attrs={"build-arg:VERSION": "latest"},
    ),
)
case(
    "InvalidDefaultArgInFrom/4",
    Case(
        '\nARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n',
        attrs={"build-arg:BUSYBOX_VARIANT": "-musl"},
    ),
)
case(
    "InvalidDefaultArgInFrom/5",
    Case(
        "\n\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t",
        attrs={"build-arg:BUSYBOX_VARIANT": "-musl"},
    ),
)

# ------------------------------------------------- testFromPlatformFlagConstDisallowed
case(
    "FromPlatformFlagConstDisallowed/0",
    Case(
        "\nFROM --platform=linux/amd64 scratch\n",
        [
            W(
                "FromPlatformFlagConstDisallowed",
                DESC_CONST,
                URL_CONST,
                'FROM --platform flag should not use constant value "linux/amd64"',
                2,
            )
        ],
    ),
)
case(
    "FromPlatformFlagConstDisallowed/1",
    Case("\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n"),
)
case("FromPlatformFlagConstDisallowed/2", Case("\nFROM --platform=linux/amd64 scratch AS linux\n"))

# -------------------------------------------------------------- testExposeProtoCasing
case(
    "ExposeProtoCasing/0",
    Case(
        "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
        [
            W(
                "ExposeProtoCasing",
                DESC_PROTO,
                URL_PROTO,
                "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase",
                3,
            ),
            W(
                "ExposeProtoCasing",
                DESC_PROTO,
                URL_PROTO,
                "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase",
                3,
            ),
        ],
    ),
)


# ------------------------------------------------------------ testExposeInvalidFormat
def expose_format(port: str) -> W:
    return W(
        "ExposeInvalidFormat",
        DESC_EXPOSE_FORMAT,
        URL_EXPOSE_FORMAT,
        f"EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'",
        3,
    )


case(
    "ExposeInvalidFormat/0",
    Case(
        "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        [
            expose_format("127.0.0.1:80:80"),
            expose_format("[::1]:8080:8080"),
            expose_format("5000:5000"),
        ],
    ),
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_reference_case(name: str) -> None:
    check(CASES[name])


def test_case_count() -> None:
    # every checkLinterWarnings call of the suite but testBaseImagePlatformMismatch's
    assert len(CASES) == 87
