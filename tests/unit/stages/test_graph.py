"""The stage graph: stage naming, bases, edges, target selection and located errors."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError, Lexer, parse_dockerfile
from frontend.stages import (
    BaseImage,
    BaseScratch,
    BaseStage,
    FromRef,
    StageGraph,
    from_refs,
    resolve_graph,
    split_stages,
)


def text(*items: str) -> str:
    return "\n".join(items) + "\n"


def graph(src: str, env: dict[str, str] | None = None, target: str = "") -> StageGraph:
    df = parse_dockerfile(src)
    return resolve_graph(split_stages(df.instructions), env or {}, Lexer("\\"), target)


def error(src: str, env: dict[str, str] | None = None, target: str = "") -> DockerfileError:
    with pytest.raises(DockerfileError) as info:
        graph(src, env, target)
    return info.value


# ------------------------------------------------------------------ splitting


def test_split_keeps_global_args_and_cuts_at_every_from() -> None:
    df = parse_dockerfile(
        text("ARG A=1", "ARG B", "FROM alpine AS One", "RUN x", "FROM one", "RUN y", "RUN z")
    )
    stages = split_stages(df.instructions)
    assert [a.pairs[0].key for a in stages.meta_args] == ["A", "B"]
    assert [s.index for s in stages.stages] == [0, 1]
    assert [len(s.commands) for s in stages.stages] == [1, 2]
    # names are lower-cased (lookups are case-insensitive); unnamed -> stage-<i>
    assert stages.stages[0].name == "one"
    assert stages.stages[1].name is None
    assert [s.display_name for s in stages.stages] == ["one", "stage-1"]
    assert stages.find("ONE") is stages.stages[0]
    assert stages.find("missing") is None
    assert stages.names() == ["one"]


@pytest.mark.parametrize(
    ("src", "message", "line"),
    [
        (text("ARG X", "RUN echo", "FROM alpine"), "no build stage in current context", 2),
        (text("ENV A=1", "FROM alpine"), "no build stage in current context", 1),
        (text("ARG X"), "dockerfile contains no stages to build", 1),
    ],
)
def test_split_errors(src: str, message: str, line: int | None) -> None:
    with pytest.raises(DockerfileError) as info:
        split_stages(parse_dockerfile(src).instructions)
    assert info.value.message == message
    if line is None:
        assert info.value.location is None
    else:
        assert info.value.location is not None and info.value.location.start_line == line


# ------------------------------------------------------------------ bases


def test_bases_image_stage_scratch_and_case_insensitive_names() -> None:
    g = graph(
        text(
            "FROM alpine:3.15 AS Build",
            "FROM build AS second",  # an earlier stage
            "FROM Build",  # FROM matches stage names exactly (lower-cased): an image
            "FROM scratch",
            "FROM second",
            "FROM later",  # not an earlier stage: an image
            "FROM busybox AS later",
        )
    )
    bases = [s.base for s in g.stages]
    assert bases == [
        BaseImage("alpine:3.15"),
        BaseStage(0),
        BaseImage("Build"),
        BaseScratch(),
        BaseStage(1),
        BaseImage("later"),
        BaseImage("busybox"),
    ]
    assert g.target == 6


def test_global_args_expand_in_from_with_defaults_and_platform() -> None:
    src = text(
        "ARG IMG",
        "ARG TAG",
        "FROM ${IMG:-alpine}:${TAG:-3.15} AS a",
        "FROM --platform=$BUILDPLATFORM $IMG AS b",
    )
    g = graph(src, {"IMG": "busybox", "BUILDPLATFORM": "linux/arm64"})
    a, b = g.stages
    assert a.base_name == "busybox:3.15"
    assert a.used_args == frozenset({"IMG"})  # TAG is unset: the default was used
    assert b.base_name == "busybox"
    assert b.platform == "linux/arm64"
    assert b.used_args == frozenset({"IMG", "BUILDPLATFORM"})
    g2 = graph(src, {"BUILDPLATFORM": "linux/amd64", "IMG": "x", "TAG": "1"})
    assert g2.stages[0].base_name == "x:1"
    assert graph(text("FROM ${IMG:-alpine}:${TAG:-3.15}")).stages[0].base_name == "alpine:3.15"


def test_from_expanding_to_a_stage_name_uses_the_stage() -> None:
    g = graph(text("FROM alpine AS base", "FROM $B"), {"B": "base"})
    assert g.stages[1].base == BaseStage(0)


@pytest.mark.parametrize(
    ("src", "env", "message", "line"),
    [
        (text("ARG X", "FROM $X"), {}, "base name ($X) should not be blank", 2),
        (text("FROM alpine", "FROM ${NOPE}"), {}, "base name (${NOPE}) should not be blank", 2),
        (
            text("ARG P", "FROM --platform=$P alpine"),
            {},
            "empty platform value from expression $P",
            2,
        ),
        (
            text("FROM --platform=${P:?no} alpine"),
            {},
            'failed to process arguments for platform : failed to process "${P:?no}": P: no',
            1,
        ),
        (text("FROM alpine", "COPY --from=3 a b"), {}, "invalid stage index 3", 2),
        (text("FROM alpine", "FROM alpine", "COPY --from=2 a b"), {}, "invalid stage index 2", 3),
        (text("FROM alpine", "COPY --from=-1 a b"), {}, "invalid stage index -1", 2),
        (
            text("FROM alpine AS a", "ARG S=a", "COPY --from=$S a b"),
            {},
            "variable expansion is not supported for --from, define a new stage with FROM "
            "using ARG from global scope as a workaround",
            3,
        ),
        (
            text("FROM alpine AS a", "COPY --from=${S} a b"),
            {"S": "a"},
            "variable expansion is not supported for --from, define a new stage with FROM "
            "using ARG from global scope as a workaround",
            2,
        ),
        (
            text("FROM alpine AS a", "COPY --from=b x y", "FROM alpine AS b", "COPY --from=a x y"),
            {},
            "circular dependency detected on stage: a",
            1,
        ),
        (text("FROM alpine AS a", "COPY --from=a x y"), {}, "circular dependency", 1),
        (
            text(
                "FROM alpine AS a",
                "RUN --mount=from=b,target=/m x",
                "FROM alpine AS b",
                "RUN --mount=type=cache,from=a,target=/c x",
            ),
            {},
            "circular dependency detected on stage: a",
            1,
        ),
    ],
)
def test_located_errors(src: str, env: dict[str, str], message: str, line: int) -> None:
    err = error(src, env)
    assert err.message.startswith(message)
    assert err.location is not None
    assert err.location.start_line == line


def test_unknown_target_suggests_the_closest_name() -> None:
    src = text("FROM alpine AS build", "FROM build AS final")
    err = error(src, target="fnal")
    assert err.message == 'target stage "fnal" could not be found (did you mean final?)'
    err = error(src, target="zzzzzz")
    assert err.message == 'target stage "zzzzzz" could not be found'
    # the names are compared case-sensitively, as in the reference
    err = error(src, target="FNAL")
    assert err.message == 'target stage "FNAL" could not be found'


def test_target_is_case_insensitive_and_defaults_to_last() -> None:
    src = text("FROM alpine AS build", "FROM build AS Final", "FROM busybox")
    assert graph(src).target == 2
    assert graph(src, target="FINAL").target == 1
    assert graph(src, target="build").target == 0


# ------------------------------------------------------------------ edges and reachability


LESSON = text(
    "FROM alpine AS build",
    "RUN apk add figlet",
    "FROM build AS poster1",
    "RUN figlet a > poster",
    "FROM build AS poster2",
    "RUN figlet b > poster",
    "FROM busybox AS union",
    "COPY --from=poster1 poster poster1",
    "COPY --from=poster2 poster poster2",
    "FROM busybox",
    "COPY --from=union poster poster",
)


def test_edges_from_copy_and_run_mount() -> None:
    g = graph(
        text(
            "FROM alpine AS a",
            "FROM alpine AS b",
            "FROM alpine AS c",
            "COPY --from=A x y",  # by name, any case
            "COPY --from=1 x y",  # by index
            "COPY --from=a x y",  # duplicate edge kept once
            "COPY --from=nginx x y",  # an image: no stage edge
            "RUN --mount=type=bind,from=b,target=/m --mount=type=secret,id=a x",
            "ONBUILD COPY --from=a x y",
        )
    )
    assert g.stages[2].deps == (0, 1)
    assert g.source("A", g.stages[2].stage.location) == BaseStage(0)
    assert g.source("2", g.stages[2].stage.location) == BaseStage(2)
    assert g.source("nginx", g.stages[2].stage.location) == BaseImage("nginx")


def test_reachable_from_target_and_from_roots() -> None:
    g = graph(LESSON)
    assert g.reachable() == frozenset({0, 1, 2, 3, 4})
    g = graph(LESSON, target="poster2")
    assert g.reachable() == frozenset({0, 2})
    assert g.reachable([1]) == frozenset({0, 1})
    g = graph(LESSON, target="build")
    assert g.reachable() == frozenset({0})


def test_reachable_skips_the_base_of_a_replaced_stage() -> None:
    g = graph(text("FROM alpine AS a", "FROM alpine AS b", "FROM a AS c", "COPY --from=b / /"))
    assert g.reachable() == frozenset({0, 1, 2})
    # c is replaced (a named context stands in): its base a is not needed, b still is
    assert g.reachable(replaced={2}) == frozenset({1, 2})


def test_from_refs_one_scanner_for_copy_mounts_and_onbuild() -> None:
    df = parse_dockerfile(
        text(
            "FROM alpine",
            "COPY --from=a /x /y",
            "RUN --mount=from=b,target=/b --mount=type=cache,from=c,target=/c"
            " --mount=type=tmpfs,from=t,target=/t --mount=type=ssh,from=s"
            " --mount=type=secret,id=x true",
            "ONBUILD COPY --from=o /x /y",
        )
    )
    copy, run, onbuild = df.instructions[1:]
    assert from_refs(df.instructions[0]) == []
    assert from_refs(copy) == [FromRef("a", copy.location, True)]
    refs = from_refs(run)
    # every from= (the parser does not know a mount's type, as the reference's)
    assert [(r.value, r.by_index) for r in refs] == [
        ("b", False), ("c", False), ("t", False), ("s", False),
    ]  # fmt: skip
    assert from_refs(onbuild) == [FromRef("o", onbuild.location, True, onbuild=True)]


def test_tmpfs_from_is_a_graph_edge_an_onbuild_trigger_is_not() -> None:
    # the reference's toCommand: an ONBUILD's --from is a source of the stages built
    # on this one (when they run the trigger), never of the stage that declares it
    g = graph(
        text(
            "FROM alpine AS a",
            "FROM alpine AS b",
            "FROM alpine",
            "ONBUILD COPY --from=a /x /y",
            "RUN --mount=type=tmpfs,from=b,target=/t true",
        )
    )
    assert g.stages[2].deps == (1,)


@pytest.mark.parametrize(
    "trigger",
    [
        "ONBUILD COPY --from=0 /a /b",  # itself: no cycle (the reference accepts it)
        "ONBUILD COPY --from=5 /a /b",  # no such stage: checked only when triggered
        "ONBUILD COPY --from=$x /a /b",  # a variable: likewise
    ],
)
def test_onbuild_from_is_not_checked_in_the_declaring_stage(trigger: str) -> None:
    g = graph(text("FROM alpine", trigger))
    assert g.stages[0].deps == ()


@pytest.mark.parametrize("mount", ["type=secret,id=a", "type=ssh", "type=tmpfs,target=/t"])
def test_a_mount_from_its_own_stage_is_a_cycle_whatever_its_type(mount: str) -> None:
    err = error(text("FROM alpine AS a", f"RUN --mount={mount},from=a true"))
    assert err.message == "circular dependency detected on stage: a"


def test_long_chain_has_no_recursion_limit_problem() -> None:
    lines = ["FROM alpine AS s0"]
    for i in range(1, 3000):
        lines += [f"FROM s{i - 1} AS s{i}", f"COPY --from=s{max(0, i - 2)} /a /b{i}"]
    g = graph(text(*lines))
    assert len(g.reachable()) == 3000


@pytest.mark.parametrize("value", ["²", "1" * 4400, "-" + "1" * 4400, "99999999999999999999"])
def test_from_value_that_is_no_go_int_is_an_image_not_an_index(value: str) -> None:
    g = graph(text("FROM alpine", f"COPY --from={value} a b"))
    assert g.source(value, g.stages[0].stage.location) == BaseImage(value)


def test_copy_from_unicode_digit_is_a_located_error() -> None:
    from tests.unit.compiler.util import compile_text

    with pytest.raises(DockerfileError) as info:
        compile_text(text("FROM alpine", "COPY --from=² a b"))
    # (the flag's bytes read as Latin-1, as the reference: "²" is "Â²")
    assert info.value.message == (
        'failed to parse stage name "Â²": '
        "invalid reference format: repository name (library/Â²) must be lowercase"
    )
    assert info.value.location is not None and info.value.location.start_line == 2


def test_every_stage_platform_is_parsed() -> None:
    # as the reference's buildDispatchStates: unreachable stages too, before the target
    e = error(text("FROM --platform=linux/a@b alpine AS a", "FROM alpine AS b"), target="nope")
    assert e.message == (
        'failed to parse platform linux/a@b: "a@b" is an invalid component of "linux/a@b": '
        'platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument'
    )
    assert e.location is not None and e.location.start_line == 1


def test_platform_errors_suggest_a_close_global_arg() -> None:
    # TestUndeclaredArg: wrapSuggestAny over the expression's unset names
    env = {"BUILDPLATFORM": "linux/amd64", "TARGETARCH": "amd64"}
    e = error(text("FROM --platform=$BULIDPLATFORM busybox"), env)
    assert e.message == (
        "empty platform value from expression $BULIDPLATFORM (did you mean BUILDPLATFORM?)"
    )
    e = error(text("FROM --platform=linux/$TARGETARC busybox"), env)
    assert e.message.startswith("failed to parse platform linux/$TARGETARC: ")
    assert e.message.endswith("invalid argument (did you mean TARGETARCH?)")
