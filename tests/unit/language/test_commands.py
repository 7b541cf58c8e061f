"""Instruction types: ``expand`` expands exactly the fields the reference expands."""

from __future__ import annotations

from frontend.language import Copy, EnvExpander, Expose, Lexer, Run, parse_dockerfile


def one(line: str) -> object:
    return parse_dockerfile("FROM scratch\n" + line + "\n").instructions[1]


def test_run_mount_expansion() -> None:
    r = one("RUN --mount=type=cache,target=$T,id=${ID} ls")
    assert isinstance(r, Run)
    assert r.mount_specs == ("type=cache,target=$T,id=${ID}",)
    e = r.expand(EnvExpander(Lexer(), {"T": "/cache", "ID": "k"}))
    assert (e.mounts[0].target, e.mounts[0].cache_id) == ("/cache", "k")


def test_copy_expansion_keeps_from() -> None:
    c = one("COPY --from=$S --chown=$U $SRC $DST")
    assert isinstance(c, Copy)
    e = c.expand(EnvExpander(Lexer(), {"S": "x", "U": "me", "SRC": "a", "DST": "/b"}))
    assert (e.from_, e.chown, e.sources, e.dest) == ("$S", "me", ("a",), "/b")


def test_expose_expands_with_splitting() -> None:
    e = one("EXPOSE $PORTS 22")
    assert isinstance(e, Expose)
    assert e.expand(EnvExpander(Lexer(), {"PORTS": "80 443"})).ports == ("80", "443", "22")


def test_unexpanded_instructions_stay() -> None:
    ex = EnvExpander(Lexer(), {"X": "1"})
    for line in ["RUN echo $X", "CMD $X", "ENTRYPOINT $X", 'SHELL ["$X"]', "HEALTHCHECK CMD $X"]:
        inst = one(line)
        assert inst.expand(ex) == inst  # type: ignore[union-attr]
    for line, attr, value in [
        ("WORKDIR /$X", "path", "/1"),
        ("USER $X", "user", "1"),
        ("STOPSIGNAL $X", "signal", "1"),
        ("VOLUME /$X", "volumes", ("/1",)),
    ]:
        assert getattr(one(line).expand(ex), attr) == value  # type: ignore[union-attr]


def test_volume_expansion_errors_come_before_empty_volumes() -> None:
    # the reference expands every volume, then refuses an empty one (when built)
    import pytest

    from frontend.language import DockerfileError
    from tests.unit.compiler.util import compile_text

    v = one('VOLUME $NOPE k="v w"')
    with pytest.raises(DockerfileError) as info:
        v.expand(EnvExpander(Lexer(), {}))  # type: ignore[union-attr]
    assert info.value.message.startswith('failed to process "k=\\"v": unexpected end')
    assert one("VOLUME $NOPE").expand(EnvExpander(Lexer(), {})).volumes == ("",)  # type: ignore[union-attr]
    with pytest.raises(DockerfileError) as info:
        compile_text("FROM busybox\nVOLUME $NOPE\n")
    assert info.value.message == "VOLUME specified can not be an empty string"
    # white space the reference's TrimSpace keeps (U+001C) is a volume
    assert one("VOLUME \x1c").volumes == ("\x1c",)  # type: ignore[union-attr]


def test_original_keeps_what_go_trimspace_keeps() -> None:
    r = one("RUN echo a\x1c")
    assert r.original == "RUN echo a\x1c"  # type: ignore[union-attr]


def test_excludes_are_not_expanded() -> None:
    # the reference's Copy/AddCommand.Expand leave ExcludePatterns as written
    env = EnvExpander(Lexer(), {"X": "foo"})
    c = one("COPY --exclude=$X --exclude=${U:?no} a b")
    assert c.expand(env).excludes == ("$X", "${U:?no}")  # type: ignore[union-attr]
    a = one("ADD --exclude=$X a b")
    assert a.expand(env).excludes == ("$X",)  # type: ignore[union-attr]


def test_copy_and_add_expand_in_the_references_order() -> None:
    # chown, chmod (checksum), sources, destination, then heredoc contents: the first
    # error is the reference's
    import pytest

    from frontend.language import DockerfileError

    cases = [
        ("COPY --chown=${A:?chown} ${B:?src} ${C:?dst}", "A: chown"),
        ("COPY ${B:?src} ${C:?dst}", "B: src"),
        ("ADD --checksum=${E:?sum} --chmod=${F:?mod} a b", "F: mod"),
    ]
    for line, message in cases:
        with pytest.raises(DockerfileError) as info:
            one(line).expand(EnvExpander(Lexer(), {}))  # type: ignore[union-attr]
        assert info.value.message.endswith(message)
    df = parse_dockerfile("FROM scratch\nCOPY <<EOF ${C:?dst}\n${D:?body}\nEOF\n")
    with pytest.raises(DockerfileError) as info:
        df.instructions[1].expand(EnvExpander(Lexer(), {}))
    assert info.value.message.endswith("C: dst")
