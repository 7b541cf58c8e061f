"""SOURCE_DATE_EPOCH from the Dockerfile's global ARG and from what a value names
(``context``, a named context, a source-only stage): the reference's ``epoch.go``
(its errors, the state it dates, the progress names) and its integration tests
(dockerfile_source_date_epoch_test.go)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from frontend import llb
from frontend.compiler import ContextSource, NamedContext
from frontend.compiler.envlist import EnvList
from frontend.compiler.epoch import epoch_value, with_epoch_value
from frontend.dockerui.epoch import single_source
from frontend.language.errors import DockerfileError

from .util import Compiled, RecordingResolver, compile_text, lines

TM = 1445412480  # 2015-10-21T07:28:00Z


@dataclass
class Dater:
    """An epoch resolver recording each state's single source and log name."""

    answer: int | None = None
    calls: list[tuple[str, dict[str, str], str]] = field(default_factory=list)

    def __call__(self, state: llb.State, log_name: str) -> int | None:
        src = single_source(state, None)
        assert src is not None
        self.calls.append((src[0], src[1], log_name))
        return self.answer


def build(text: str, dater: Dater | None = None, **opts: Any) -> Compiled:
    return compile_text(text, RecordingResolver(), epoch_resolver=dater, **opts)


def run_env(c: Compiled, fragment: str) -> list[str]:
    return list(c.exec_by_cmd(fragment).meta.env)


# -- the value: build arg, else the global ARG's default ------------------------------


def test_value_is_the_build_arg_else_a_non_empty_global_arg() -> None:
    env = EnvList().set("SOURCE_DATE_EPOCH", "7")
    assert epoch_value({"SOURCE_DATE_EPOCH": ""}, env) == ""
    assert epoch_value({}, env) == "7"
    assert epoch_value({}, EnvList().set("SOURCE_DATE_EPOCH", "")) is None
    assert epoch_value({}, EnvList()) is None


def test_resolved_value_replaces_the_arg_and_nothing_removes_it() -> None:
    env = EnvList().set("A", "1").set("SOURCE_DATE_EPOCH", "context")
    args, out = with_epoch_value({"SOURCE_DATE_EPOCH": "context", "B": "2"}, env, "5")
    assert args == {"SOURCE_DATE_EPOCH": "5", "B": "2"} and dict(out) == {
        "A": "1",
        "SOURCE_DATE_EPOCH": "5",
    }
    args, out = with_epoch_value({"SOURCE_DATE_EPOCH": "context"}, env, "")
    assert args == {} and dict(out) == {"A": "1"}


def test_dockerfile_default_dates_the_build() -> None:
    c = build(lines(f"ARG SOURCE_DATE_EPOCH={TM}", "FROM busybox", "RUN true"))
    assert c.result.epoch == TM
    assert c.image["history"][-1]["created"] == "2015-10-21T07:28:00Z"


def test_build_arg_overrides_the_dockerfile_default() -> None:
    c = build(
        lines("ARG SOURCE_DATE_EPOCH=1", "FROM scratch"), build_args={"SOURCE_DATE_EPOCH": "2"}
    )
    assert c.result.epoch == 2


def test_dockerfile_default_invalid_is_the_references_error() -> None:
    text = lines("ARG SOURCE_DATE_EPOCH=not-a-timestamp", "FROM scratch", "COPY Dockerfile .")
    for dater in (None, Dater()):
        with pytest.raises(DockerfileError) as info:
            build(text, dater)
        assert info.value.message == "invalid SOURCE_DATE_EPOCH: not-a-timestamp"
        assert info.value.location is None


def test_a_number_is_never_resolved() -> None:
    dater = Dater(answer=9)
    c = build(lines("FROM scratch"), dater, build_args={"SOURCE_DATE_EPOCH": "+0012"})
    assert c.result.epoch == 12 and dater.calls == []


# -- context ---------------------------------------------------------------------------


def test_context_local_resolves_the_local_source_and_unsets_the_arg() -> None:
    dater = Dater(answer=None)
    c = build(
        lines("FROM busybox", "ARG SOURCE_DATE_EPOCH", "RUN echo $SOURCE_DATE_EPOCH"),
        dater,
        build_args={"SOURCE_DATE_EPOCH": "context"},
        session_id="sess",
    )
    assert c.result.epoch is None
    [(ident, attrs, log)] = dater.calls
    assert ident == "local://context"
    assert attrs["local.session"] == "sess" and "local.followpaths" not in attrs
    assert log == "[internal] resolve main build context metadata"
    # nothing dated: SOURCE_DATE_EPOCH is no build arg any more
    assert not any(e.startswith("SOURCE_DATE_EPOCH=") for e in run_env(c, "echo"))
    assert "created" not in c.image["history"][-1]


def test_context_given_as_a_git_state_is_dated_and_stages_see_the_number() -> None:
    dater = Dater(answer=1700000101)
    main = llb.git("https://example.com/repo.git", "main")
    c = build(
        lines("FROM busybox", "ARG SOURCE_DATE_EPOCH", "RUN echo $SOURCE_DATE_EPOCH"),
        dater,
        build_args={"SOURCE_DATE_EPOCH": "context"},
        main_context=main,
    )
    assert c.result.epoch == 1700000101
    [(ident, _, log)] = dater.calls
    assert ident == "git://example.com/repo.git#main"
    assert log == "[internal] resolve main build context metadata"
    assert "SOURCE_DATE_EPOCH=1700000101" in run_env(c, "echo")


def test_context_without_an_engine_sets_no_epoch() -> None:
    c = build(lines("FROM scratch"), None, build_args={"SOURCE_DATE_EPOCH": "context"})
    assert c.result.epoch is None


# -- named contexts ----------------------------------------------------------------------


def _contexts(given: dict[str, NamedContext]) -> Any:
    def lookup(name: str, platform: llb.Platform) -> ContextSource | None:
        ctx = given.get(name)
        return None if ctx is None else ContextSource(name, lambda: ctx)

    return lookup


def test_named_context_http_is_dated_with_its_filename() -> None:
    dater = Dater(answer=1700000601)
    state = llb.http("https://example.com/src.tar", filename="context")
    c = build(
        lines(
            "ARG SOURCE_DATE_EPOCH=mysource",
            "FROM busybox",
            "ARG SOURCE_DATE_EPOCH",
            "RUN echo $SOURCE_DATE_EPOCH",
        ),
        dater,
        named_context=_contexts({"mysource": NamedContext(state=state)}),
    )
    [(ident, attrs, log)] = dater.calls
    assert (ident, attrs["http.filename"]) == ("https://example.com/src.tar", "context")
    assert log == "[internal] resolve SOURCE_DATE_EPOCH named context mysource"
    assert c.result.epoch == 1700000601
    assert "SOURCE_DATE_EPOCH=1700000601" in run_env(c, "echo")


def test_named_context_name_must_be_a_reference() -> None:
    with pytest.raises(DockerfileError) as info:
        build(lines("FROM scratch AS MySrc"), Dater(), build_args={"SOURCE_DATE_EPOCH": "MySrc"})
    assert info.value.message.startswith("invalid context name MySrc: ")


# -- stages ------------------------------------------------------------------------------


def test_stage_http_add_is_dated_as_a_download() -> None:
    dater = Dater(answer=1700000402)
    c = build(
        lines(
            "ARG SOURCE_DATE_EPOCH=mysource",
            "FROM scratch AS mysource",
            "ADD https://example.com/src.tar /",
            "FROM busybox",
            "ARG SOURCE_DATE_EPOCH",
            'RUN echo -n "$SOURCE_DATE_EPOCH" >/epoch',
        ),
        dater,
    )
    [(ident, attrs, log)] = dater.calls
    assert ident == "https://example.com/src.tar"
    assert attrs == {"http.filename": "src.tar"}
    assert log == "[internal] resolve SOURCE_DATE_EPOCH source stage mysource"
    assert c.result.epoch == 1700000402
    assert "SOURCE_DATE_EPOCH=1700000402" in run_env(c, "/epoch")


def test_stage_args_expand_the_url_and_checksum() -> None:
    dater = Dater(answer=1)
    digest = "sha256:" + "ab" * 32
    build(
        lines(
            "ARG SOURCE_DATE_EPOCH=src",
            "ARG HOST=example.com",
            "FROM scratch AS src",
            "ARG FILE=a.tar.gz",
            "ARG SUM",
            "ADD --checksum=$SUM https://${HOST}/$FILE /",
            "FROM scratch",
        ),
        dater,
        build_args={"FILE": "b.tgz", "SUM": digest},
    )
    [(ident, attrs, _)] = dater.calls
    assert ident == "https://example.com/b.tgz"
    assert attrs == {"http.checksum": digest, "http.filename": "b.tgz"}


def test_stage_git_add_is_dated_as_a_repository() -> None:
    dater = Dater(answer=3)
    build(
        lines(
            "ARG SOURCE_DATE_EPOCH=src",
            "FROM scratch AS src",
            "ADD --keep-git-dir https://github.com/moby/buildkit.git?ref=v0.1&subdir=docs /",
            "FROM scratch",
        ),
        dater,
    )
    [(ident, attrs, _)] = dater.calls
    assert ident == "git://github.com/moby/buildkit.git#v0.1:docs"
    assert attrs["git.keepgitdir"] == "true"
    assert attrs["git.fullurl"] == "https://github.com/moby/buildkit.git"


STAGE_ERRORS = [
    (
        ["FROM scratch AS mysource", "COPY Dockerfile /Dockerfile"],
        "SOURCE_DATE_EPOCH stage does not meet source-only requirements: "
        "unsupported copy instruction",
    ),
    (
        ["FROM scratch AS mysource", "ADD https://e.com/a /", "RUN true"],
        "SOURCE_DATE_EPOCH stage does not meet source-only requirements: "
        "unsupported run instruction",
    ),
    (
        ["FROM busybox AS mysource", "ADD https://e.com/a /"],
        "SOURCE_DATE_EPOCH stage must use FROM scratch",
    ),
    (["FROM scratch AS mysource"], "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD"),
    (
        ["FROM scratch AS mysource", "ADD https://e.com/a /", "ADD https://e.com/b /"],
        "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD",
    ),
    (
        ["FROM scratch AS mysource", "ADD https://e.com/a https://e.com/b /"],
        "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD source",
    ),
    (
        ["FROM scratch AS mysource", "ADD <<EOF /a", "x", "EOF"],
        "SOURCE_DATE_EPOCH stage must contain exactly one remote ADD source",
    ),
    (
        ["FROM scratch AS mysource", "ADD src.tar /"],
        "SOURCE_DATE_EPOCH stage source must be a single HTTP(S) or Git ADD",
    ),
    (
        ["FROM scratch AS mysource", "ADD --checksum=md5:00 https://e.com/a /"],
        "unsupported digest algorithm",
    ),
    (
        ["FROM scratch AS mysource", "ADD git@github.com:o/r.git?bogus=1 /"],
        'unexpected query "bogus"',
    ),
]


@pytest.mark.parametrize(("stage", "message"), STAGE_ERRORS)
@pytest.mark.parametrize("engine", [False, True])
def test_stage_errors_are_the_references_at_the_stage(
    stage: list[str], message: str, engine: bool
) -> None:
    text = lines("ARG SOURCE_DATE_EPOCH=mysource", *stage, "FROM scratch")
    with pytest.raises(DockerfileError) as info:
        build(text, Dater() if engine else None)
    assert info.value.message == message
    assert info.value.location is not None and info.value.location.start_line == 2


def test_stage_base_name_is_expanded_without_the_epoch() -> None:
    with pytest.raises(DockerfileError) as info:
        build(
            lines(
                "ARG SOURCE_DATE_EPOCH=s",
                "FROM ${SOURCE_DATE_EPOCH:-busybox} AS s",
                "ADD https://e.com/a /",
            )
        )
    assert info.value.message == "SOURCE_DATE_EPOCH stage must use FROM scratch"


def test_an_http_url_with_a_wrong_git_query_is_a_download() -> None:
    # the reference's isHTTPSource: a git URL whose query is wrong is no git source
    dater = Dater(answer=1)
    build(
        lines(
            "ARG SOURCE_DATE_EPOCH=s",
            "FROM scratch AS s",
            "ADD https://e.com/r.git?x=1 /",
            "FROM scratch",
        ),
        dater,
    )
    assert dater.calls[0][:2] == ("https://e.com/r.git?x=1", {"http.filename": "r.git"})


def test_unknown_value_is_invalid() -> None:
    with pytest.raises(DockerfileError) as info:
        build(lines("FROM scratch AS other"), Dater(), build_args={"SOURCE_DATE_EPOCH": "mysource"})
    assert info.value.message == "invalid SOURCE_DATE_EPOCH: mysource"
