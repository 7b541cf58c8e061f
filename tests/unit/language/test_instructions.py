"""Typed instructions: flags, validation and expansion, table-driven."""

from __future__ import annotations

import pytest

from frontend.language import (
    Add,
    Arg,
    ArgPair,
    Copy,
    DockerfileError,
    Env,
    EnvExpander,
    From,
    Healthcheck,
    KeyValue,
    Lexer,
    Onbuild,
    Run,
    Shell,
    parse_dockerfile,
)


def one(line: str) -> object:
    return parse_dockerfile("FROM scratch\n" + line + "\n").instructions[1]


def test_from() -> None:
    f = parse_dockerfile("FROM --platform=$P ${B} AS Build\n").instructions[0]
    assert isinstance(f, From)
    assert (f.base, f.stage_name, f.platform) == ("${B}", "build", "$P")
    ex = EnvExpander(Lexer(), {"P": "linux/arm64", "B": "alpine"})
    g = f.expand(ex)
    assert (g.base, g.platform, g.stage_name) == ("alpine", "linux/arm64", "build")
    # "AS" compared as Go's strings.EqualFold (U+017F, long s, folds to s)
    f = parse_dockerfile("FROM alpine a\u017f Build\n").instructions[0]
    assert isinstance(f, From) and f.stage_name == "build"


def test_run_flags_and_mounts() -> None:
    r = one(
        "RUN --mount=type=cache,target=/c,id=x,sharing=private,mode=0755,uid=1 "
        "--mount=type=secret,id=s,required --mount=type=tmpfs,target=/t,size=64m "
        "--mount=target=/b,from=stage,rw --network=host --security=insecure "
        "--device=vendor.com/gpu=all,required echo hi"
    )
    assert isinstance(r, Run)
    assert [m.from_ for m in r.mounts] == ["", "", "", "stage"]  # what the parser reads
    cache, secret, tmpfs, bind = r.expand(EnvExpander(Lexer(), {})).mounts
    assert (cache.type, cache.target, cache.cache_id, cache.sharing, cache.mode, cache.uid) == (
        "cache", "/c", "x", "private", 0o755, 1,
    )  # fmt: skip
    assert not cache.readonly
    assert secret.type == "secret" and secret.required and secret.readonly
    assert tmpfs.size_limit == 64 * 1024 * 1024 and not tmpfs.readonly
    assert bind.type == "bind" and bind.from_ == "stage" and not bind.readonly
    assert (r.network, r.security) == ("host", "insecure")
    assert r.devices[0].name == "vendor.com/gpu=all" and r.devices[0].required
    assert r.command.prepend_shell and r.command.args == ("echo hi",)


MOUNT_ERRORS = [
    # checked when the step is built (the reference's parseMount with an expander)
    ("--mount=type=nope,target=/x", 'unsupported mount type "nope"'),
    ("--mount=type=bnd,target=/x", "did you mean bind?"),
    ("--mount=target=/x,bogus=1", "unexpected key 'bogus' in 'bogus=1'"),
    ("--mount=target=/x,targte=1", "did you mean target?"),
    ("--mount=target=/x,mode=0755", 'mode not allowed for "bind" type mounts'),
    ("--mount=type=tmpfs,target=/x,uid=1", 'uid not allowed for "tmpfs" type mounts'),
    ("--mount=type=bind,target=/x,sharing=shared", "invalid cache sharing set for bind mount"),
    ("--mount=type=cache,target=/x,sharing=nope", 'unsupported sharing value "nope"'),
    ("--mount=type=cache,target=/x,sharing=sahred", "(did you mean shared?)"),
    ("--mount=type=secret,from=x,id=a", "secret mount should not have a from"),
    ("--mount=type=secret,id=a,sharing=shared", "secret mount should not define sharing"),
    ("--mount=type=secret", "invalid secret mount. one of source, target required"),
    ("--mount=type=secret,env=E", "invalid secret mount. one of source, target required"),
    ("--mount=type=secret,source=a,id=b", "both source and id can't be set"),
    ("--mount=target=/x,required", "unexpected key 'required' for mount type 'bind'"),
    ("--mount=target=/x,ro=maybe", "invalid value for ro: maybe"),
    ("--mount=type=cache,target=/x,uid=-1", "invalid value -1 for uid"),
    ("--mount=type=cache,target=/x,mode=0o700", "invalid value 0o700 for mode"),
    ("--mount=type=cache,target=/x,size=1m", "unexpected key 'size' for mount type 'cache'"),
    ("--mount=size=1m,type=tmpfs,target=/x", "unexpected key 'size' for mount type 'bind'"),
    ("--mount=target", "invalid field 'target' must be a key=value pair"),
    # Go's %q (strconv.Quote): printable non-ASCII kept, control characters escaped
    # (a flag's UTF-8 bytes are read as Latin-1 characters: é is "Ã©")
    ("--mount=type=\u00e9\x07,target=/x", 'unsupported mount type "\u00c3\u00a9\\a"'),
]


@pytest.mark.parametrize(("flags", "message"), MOUNT_ERRORS)
def test_mount_errors_when_the_step_is_built(flags: str, message: str) -> None:
    run = one(f"RUN {flags} true")  # the parser does not check them
    assert isinstance(run, Run)
    with pytest.raises(DockerfileError) as info:
        run.expand(EnvExpander(Lexer(), {}))
    assert message in info.value.message


RUN_ERRORS = [
    # checked by the parser
    ("--mount=target=/x,from=$S", "'from' doesn't support variable expansion"),
    ('--mount=target=a\\"b', "failed to parse csv mounts"),
    ("--mount=", "failed to parse csv mounts: EOF"),
    ("--network=bridge", 'invalid network mode "bridge"'),
    ("--security=root", 'security "root" is not valid'),
    ("--network=\u00e9\x7f", 'invalid network mode "\u00c3\u00a9\\x7f"'),
    ("--mount", "missing a value on flag: --mount"),
    ("--mout=x", "unknown flag: --mout (did you mean mount?)"),
    ("--network=none --network=host", "duplicate flag specified: --network"),
    ("--device=a,b", "invalid field 'b' must be a key=value pair"),
    # the reference's hook order: devices, mounts, network, security
    ("--network=bad --device=a,b --mount=from=$x", "invalid field 'b' must be a key=value pair"),
    ("--network=bad --mount=from=$x,target=/x", "'from' doesn't support variable expansion"),
]


@pytest.mark.parametrize(("flags", "message"), RUN_ERRORS)
def test_run_errors(flags: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        one(f"RUN {flags} true")
    assert message in info.value.message
    assert info.value.location is not None and info.value.location.start_line == 2


def test_copy_and_add_flags() -> None:
    c = one(
        "COPY --from=build --chown=1:2 --chmod=u+rwx,g=rx --link --parents "
        "--exclude=*.md --exclude=tmp a b /dst/"
    )
    assert isinstance(c, Copy)
    assert (c.from_, c.chown, c.chmod, c.link, c.parents) == (
        "build",
        "1:2",
        "u+rwx,g=rx",
        True,
        True,
    )
    assert c.excludes == ("*.md", "tmp") and c.sources == ("a", "b") and c.dest == "/dst/"
    a = one("ADD --checksum=sha256:x --keep-git-dir --unpack=false --link=false a /d")
    assert isinstance(a, Add)
    assert (a.checksum, a.keep_git_dir, a.unpack, a.link) == ("sha256:x", True, False, False)
    assert isinstance(one("ADD a /d"), Add) and one("ADD a /d").unpack is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("flags", "keep"),
    [
        ("", None),
        ("--keep-git-dir ", True),
        ("--keep-git-dir=true ", True),
        ("--keep-git-dir=false ", False),
    ],
)
def test_add_keep_git_dir_says_whether_it_was_given(flags: str, keep: bool | None) -> None:
    # the reference's *bool: an explicit false conflicts with a URL's ?keep-git-dir=true
    a = one(f"ADD {flags}https://host/r.git /d")
    assert isinstance(a, Add) and a.keep_git_dir is keep


def test_copy_heredoc_sources() -> None:
    df = parse_dockerfile("FROM a\nCOPY <<-EOF a /d/\n\tx $V\n\tEOF\n")
    c = df.instructions[1]
    assert isinstance(c, Copy)
    assert c.sources == ("a",)
    assert c.contents[0].path == "EOF" and c.contents[0].data == "x $V\n"
    e = c.expand(EnvExpander(Lexer(), {"V": "1"}))
    assert e.contents[0].data == "x 1\n"


COPY_ERRORS = [
    ("COPY a", "COPY requires at least two arguments, but only one was provided"),
    ("ADD a", "ADD requires at least two arguments"),
    ("COPY a <<EOF\nx\nEOF", "COPY cannot accept a heredoc as a destination"),
    ("COPY --link=maybe a b", "expecting boolean value for flag --link, not: maybe"),
    ("COPY --link= a b", "missing a value on flag: --link"),
    ("COPY --checksum=x a b", "unknown flag: --checksum"),
    ("ADD --from=x a b", "unknown flag: --from"),
    ("COPY --chown a b", "missing a value on flag: --chown"),
]


@pytest.mark.parametrize(("line", "message"), COPY_ERRORS)
def test_copy_errors(line: str, message: str) -> None:
    with pytest.raises(DockerfileError, match=message.replace("+", r"\+")):
        one(line)


def test_env_label_arg() -> None:
    env = one('ENV A=1 B="x y" C=a\\ b')
    assert isinstance(env, Env) and not env.legacy
    assert env.pairs == (KeyValue("A", "1"), KeyValue("B", '"x y"'), KeyValue("C", "a\\ b"))
    e = env.expand(EnvExpander(Lexer(), {}))
    assert [p.value for p in e.pairs] == ["1", "x y", "a b"]
    legacy = one("ENV K some value")
    assert (
        isinstance(legacy, Env) and legacy.legacy and legacy.pairs == (KeyValue("K", "some value"),)
    )
    arg = one("ARG A B=1 C=")
    assert isinstance(arg, Arg)
    assert arg.pairs == (ArgPair("A"), ArgPair("B", "1"), ArgPair("C", ""))


def test_healthcheck() -> None:
    flags = "--interval=1m30s --timeout=500ms --start-period=1s --start-interval=2s"
    h = one(f"HEALTHCHECK {flags} --retries=4 CMD ls")
    assert isinstance(h, Healthcheck)
    assert h.test == ("CMD-SHELL", "ls")
    assert (h.interval, h.timeout, h.start_period, h.start_interval, h.retries) == (
        90_000_000_000, 500_000_000, 1_000_000_000, 2_000_000_000, 4,
    )  # fmt: skip
    assert one('HEALTHCHECK CMD ["a", "b"]').test == ("CMD", "a", "b")  # type: ignore[union-attr]
    assert one("healthcheck none").test == ("NONE",)  # type: ignore[union-attr]


SIMPLE_ERRORS = [
    ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
    ("HEALTHCHECK FOO ls", 'Unknown type "FOO" in HEALTHCHECK (try CMD)'),
    ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
    ("HEALTHCHECK --interval=10us CMD ls", 'Interval "interval" cannot be less than 1ms'),
    ("HEALTHCHECK --interval=abc CMD ls", "invalid duration"),
    ("HEALTHCHECK --retries=-1 CMD ls", "--retries cannot be negative (-1)"),
    ('HEALTHCHECK "d CMD', 'Unknown type "\\"D" in HEALTHCHECK (try CMD)'),  # Go's %#v
    ("HEALTHCHECK --retries=x --interval=x CMD ls", 'time: invalid duration "x"'),
    ("HEALTHCHECK --retries=x BAD", 'Unknown type "BAD" in HEALTHCHECK (try CMD)'),
    (
        "HEALTHCHECK --retries=99999999999 CMD ls",
        'strconv.ParseInt: parsing "99999999999": value out of range',
    ),
    # thousands of digits: out of range, as in Go (Python's int() refuses them; fuzz)
    ("HEALTHCHECK --retries=" + "9" * 5001 + " CMD ls", "value out of range"),
    ("HEALTHCHECK --retries=-" + "0" * 5000 + "7 CMD ls", "--retries cannot be negative (-7)"),
    ("HEALTHCHECK --retries=\u0665 CMD ls", "invalid syntax"),
    ("HEALTHCHECK --retries=1_0 CMD ls", 'strconv.ParseInt: parsing "1_0": invalid syntax'),
    ("HEALTHCHECK --intervl=1s CMD ls", "did you mean interval?"),
    ("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
    ("SHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form"),
    ("SHELL []", "SHELL requires at least one argument"),
    ("USER", "USER requires exactly one argument"),
    ("WORKDIR", "WORKDIR requires exactly one argument"),
    ("EXPOSE", "EXPOSE requires at least one argument"),
    ("VOLUME", "VOLUME requires at least one argument"),
    ('VOLUME [""]', "VOLUME specified can not be an empty string"),
    ("ARG", "ARG requires at least one argument"),
    ("ARG =x", "ARG names can not be blank"),
    ("ENV", "ENV requires at least one argument"),
    ("ENV =x", "ENV names can not be blank"),
    ("LABEL", "LABEL requires at least one argument"),
    ("MAINTAINER", "MAINTAINER requires exactly one argument"),
    ("STOPSIGNAL", "STOPSIGNAL requires exactly one argument"),
    ("FROM a b", "FROM requires either one or three arguments"),
    ("FROM a AS 1x", 'invalid name for build stage: "1x"'),
    ("FROM a AS \u00e9", 'invalid name for build stage: "\u00e9"'),
    ("ENV a=b c\x01", 'can\'t find = in "c\\x01"'),
    ("FROM --platform a", "missing a value on flag: --platform"),
    ("ONBUILD", "ONBUILD requires at least one argument"),
    ("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
    ("ONBUILD FROM a", "FROM isn't allowed as an ONBUILD trigger"),
    ("ONBUILD MAINTAINER a", "MAINTAINER isn't allowed as an ONBUILD trigger"),
    ("FORM a", "unknown instruction: FORM (did you mean FROM?)"),
    ("XYZZY a", "unknown instruction: XYZZY"),
    ("USER --x=1 a", "unknown flag: --x"),
]


@pytest.mark.parametrize(("line", "message"), SIMPLE_ERRORS)
def test_instruction_errors(line: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        one(line)
    assert message in info.value.message
    assert info.value.location is not None and info.value.location.start_line == 2


def test_onbuild_and_shell() -> None:
    o = one("ONBUILD COPY --from=x a b")
    assert isinstance(o, Onbuild) and isinstance(o.inner, Copy)
    assert o.expression == "COPY --from=x a b"
    s = one('SHELL ["pwsh", "-c"]')
    assert isinstance(s, Shell) and s.shell == ("pwsh", "-c")


def test_shell_or_exec_forms() -> None:
    for line, args, shell in [
        ('CMD ["a", "b"]', ("a", "b"), False),
        ("CMD a  b", ("a  b",), True),
        ("ENTRYPOINT []", (), False),
        ("RUN echo", ("echo",), True),
    ]:
        inst = one(line)
        assert inst.command.args == args and inst.command.prepend_shell is shell  # type: ignore[union-attr]


def test_every_instruction_name_has_a_builder() -> None:
    from frontend.language import instructions as ins

    assert set(ins._BUILDERS) == {name.lower() for name in ins.INSTRUCTION_NAMES}


def test_onbuild_trigger_is_checked_where_it_runs() -> None:
    # the reference does not build the trigger when it reads the ONBUILD
    o = one("ONBUILD RUN --bogus x")
    assert isinstance(o, Onbuild) and o.inner is None and o.expression == "RUN --bogus x"
    o = one("ONBUILD FOO bar")
    assert isinstance(o, Onbuild) and o.inner is None
    from tests.unit.compiler.util import compile_text

    compile_text("FROM busybox AS a\nONBUILD RUN --bogus x\nFROM busybox\n")
    with pytest.raises(DockerfileError) as info:
        compile_text("FROM busybox AS a\nONBUILD RUN --bogus x\nFROM a\n")
    assert info.value.message == "unknown flag: --bogus"
