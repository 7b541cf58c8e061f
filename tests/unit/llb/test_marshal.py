"""frontend.llb marshalling: structure, digests (from independently built pb messages)."""

from __future__ import annotations

import io

from frontend import llb
from frontend.llb.marshal import serialize_op
from frontend.pb import ops_pb2
from tests.unit.compiler.test_lesson import LESSON10_DIGESTS
from tests.unit.llb.wire import dig, go_bytes

AMD64 = llb.Platform("linux", "amd64")
PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def ops_of(d: llb.Definition) -> list[ops_pb2.Op]:
    parsed = ops_pb2.Definition.FromString(d.to_bytes())
    return [ops_pb2.Op.FromString(b) for b in getattr(parsed, "def")]


def expected_image(ref: str, attrs: dict[str, str] | None = None) -> ops_pb2.Op:
    op = ops_pb2.Op(platform=ops_pb2.Platform(OS="linux", Architecture="amd64"))
    op.source.identifier = ref
    op.source.attrs.update(attrs or {})
    op.constraints.SetInParent()
    return op


def test_lesson_file_matches_reference_digests() -> None:
    """Digest prefixes the reference's converter (1.26, d2l-offline) gives this file."""

    def img(r: str) -> llb.State:
        return llb.image(r, platform=AMD64)

    def sh(st: llb.State, cmd: str) -> llb.State:
        return st.run(["/bin/sh", "-c", cmd], env=[PATH]).root

    def cp(dst: llb.State, src: llb.State, a: str, b: str) -> llb.State:
        return dst.file(
            llb.copy(
                src,
                a,
                b,
                follow_symlinks=True,
                dir_contents_only=True,
                create_dest_path=True,
                allow_wildcard=True,
                allow_empty_wildcard=True,
            )
        )

    build = sh(img("alpine"), "apk add figlet")
    poster1 = sh(build, 'echo -e "keep calm\\nand\\ncontainerize" | figlet > poster')
    union = sh(cp(img("busybox"), poster1, "poster", "poster1"), "cat poster1 >> poster")
    final = cp(img("busybox"), union, "poster", "poster")
    d = llb.marshal(final, default_platform=AMD64)
    prefixes = [llb.digest_of(b)[7:15] for b in d.ops]
    # the same file the compiler test compiles from its text (one list of the facts)
    assert prefixes == LESSON10_DIGESTS
    ops = ops_of(d)
    assert ops[0] == expected_image("docker-image://docker.io/library/busybox:latest")
    terminal = ops[-1]
    assert not terminal.HasField("constraints") and terminal.WhichOneof("op") is None
    assert terminal.inputs[0].digest == d.digests[-1] and terminal.inputs[0].index == 0


def test_image_source_op_bytes_and_metadata() -> None:
    st = llb.image(
        "alpine:3.15",
        platform=AMD64,
        constraints=llb.Constraints.of(custom_name="[1/1] FROM alpine"),
    )
    d = llb.marshal(st)
    exp = expected_image("docker-image://docker.io/library/alpine:3.15")
    assert d.ops[0] == go_bytes(exp)
    md = d.pb.metadata[dig(exp)]
    assert dict(md.caps) == {"source.image": True}
    assert dict(md.description) == {"llb.customname": "[1/1] FROM alpine"}
    # terminal op: constraints + platform, plus meta.description because a name is set
    tmd = d.pb.metadata[llb.digest_of(d.ops[-1])]
    assert dict(tmd.caps) == {"constraints": True, "platform": True, "meta.description": True}
    # Definition.Source is present even without source maps, as Go sets it
    assert d.pb.HasField("Source")


def test_pull_resolve_mode_adds_cap_default_adds_nothing() -> None:
    d = llb.marshal(llb.image("busybox", resolve_mode="pull"), default_platform=AMD64)
    op = ops_of(d)[0]
    assert dict(op.source.attrs) == {"image.resolvemode": "pull"}
    assert "source.image.resolvemode" in d.pb.metadata[d.digests[0]].caps
    d2 = llb.marshal(llb.image("busybox"), default_platform=AMD64)
    assert dict(ops_of(d2)[0].source.attrs) == {}


def test_default_platform_applies_when_unset() -> None:
    arm = llb.Platform("linux", "arm", "v7")
    d = llb.marshal(llb.image("busybox"), default_platform=arm)
    assert ops_of(d)[0].platform == ops_pb2.Platform(OS="linux", Architecture="arm", Variant="v7")


def test_deterministic_and_deduplicated() -> None:
    def graph() -> llb.State:
        a = llb.image("busybox", platform=AMD64)
        b = llb.image("busybox", platform=AMD64)  # a distinct but equal op
        x = a.run(["true"], env=[PATH]).root
        return x.file(llb.copy(b, "/bin/sh", "/sh"))

    d1 = llb.marshal(graph()).to_bytes()
    d2 = llb.marshal(graph()).to_bytes()
    assert d1 == d2
    ops = ops_of(llb.marshal(graph()))
    digests = [dig(o) for o in ops]
    assert len(digests) == len(set(digests)) == 4  # busybox once, exec, file, terminal


def test_ignore_cache_and_progress_group_metadata() -> None:
    st = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            ignore_cache=True,
            progress_group=llb.ProgressGroup("g1", "group", weak=True),
            caps=["exec.meta.setsdefaultpath"],
        ),
    )
    d = llb.marshal(st)
    md = d.pb.metadata[d.digests[0]]
    assert md.ignore_cache
    assert md.progress_group == ops_pb2.ProgressGroup(id="g1", name="group", weak=True)
    assert set(md.caps) == {"source.image", "exec.meta.setsdefaultpath"}
    tmd = d.pb.metadata[llb.digest_of(d.ops[-1])]
    assert set(tmd.caps) == {"constraints", "platform", "meta.ignorecache"}
    # metadata never changes the digest
    plain = llb.marshal(llb.image("busybox", platform=AMD64))
    assert plain.digests == d.digests


def test_shared_op_takes_last_name_and_keeps_both_locations() -> None:
    # Go's mergeMetadata overwrites: the op marshalled last names the step (observed on
    # the lesson file: busybox shared by `union` and the last stage shows `[union 1/3]`)
    sm = llb.SourceMap("Dockerfile", b"FROM busybox\nFROM busybox\n", "Dockerfile")
    first = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            custom_name="first", locations=[sm.location([llb.SourceRange.lines(1)])]
        ),
    )
    second = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            custom_name="second", locations=[sm.location([llb.SourceRange.lines(2)])]
        ),
    )
    out = llb.merge([first.run(["a"], env=[PATH]).root, second.run(["b"], env=[PATH]).root])
    d = llb.marshal(out)
    src_digest = d.digests[0]
    assert d.pb.metadata[src_digest].description["llb.customname"] == "second"
    src = d.pb.Source
    assert len(src.infos) == 1
    assert src.infos[0] == ops_pb2.SourceInfo(
        filename="Dockerfile", data=b"FROM busybox\nFROM busybox\n", language="Dockerfile"
    )
    lines = [loc.ranges[0].start.line for loc in src.locations[src_digest].locations]
    assert lines == [1, 2]
    assert all(loc.sourceIndex == 0 for loc in src.locations[src_digest].locations)


def test_source_info_carries_the_definition_that_read_the_file() -> None:
    read = llb.marshal(llb.local("dockerfile", follow_paths=["Dockerfile"])).pb
    sm = llb.SourceMap(
        "Dockerfile",
        b"FROM busybox\n",
        "Dockerfile",
        definition=read.SerializeToString(deterministic=True),
    )
    st = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(locations=[sm.location([llb.SourceRange.lines(1)])]),
    )
    (info,) = llb.marshal(st).pb.Source.infos
    assert info.definition == read
    plain = llb.SourceMap("Dockerfile", b"FROM busybox\n", "Dockerfile")
    st = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(locations=[plain.location([llb.SourceRange.lines(1)])]),
    )
    (info,) = llb.marshal(st).pb.Source.infos
    assert not info.HasField("definition")


def test_scratch_marshals_to_empty_definition() -> None:
    d = llb.marshal(llb.scratch())
    assert d.ops == [] and d.head is None


def _rich_graph() -> llb.State:
    """Ops of every kind of body the marshaller writes in pieces or whole: a FileOp of
    several actions, an exec, a merge; names, progress groups, locations, ignore-cache."""
    sm = llb.SourceMap("Dockerfile", b"FROM busybox\nRUN a\nCOPY x y z /\n", "Dockerfile")
    base = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            custom_name="[1/3] FROM busybox", locations=[sm.location([llb.SourceRange.lines(1)])]
        ),
    )
    ran = base.run(
        ["/bin/sh", "-c", "a"],
        env=[PATH],
        constraints=llb.Constraints.of(
            custom_name="[2/3] RUN a",
            description={"com.docker.dockerfile.v1.command": "RUN a"},
            ignore_cache=True,
            locations=[sm.location([llb.SourceRange.lines(2)])],
        ),
    ).root
    ctx = llb.local("context", session_id="s")
    action = llb.copy(ctx, "/x", "/", create_dest_path=True)
    action = action.copy(ctx, "/y", "/", create_dest_path=True)
    action = action.copy(ctx, "/z", "/", create_dest_path=True)
    copied = ran.file(
        action,
        constraints=llb.Constraints.of(
            custom_name="[3/3] COPY x y z /",
            progress_group=llb.ProgressGroup("g", "copy", weak=True),
            locations=[sm.location([llb.SourceRange.lines(3)])],
        ),
    )
    return llb.merge([copied, base])


def test_the_definition_is_written_a_field_at_a_time_as_protobuf_writes_it() -> None:
    # ``chunks`` writes Definition's three fields itself: a field added to the message
    # would need writing there too
    assert [f.name for f in ops_pb2.Definition.DESCRIPTOR.fields] == ["def", "metadata", "Source"]
    long_step = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            # a description of megabytes is written an entry at a time, between the
            # metadata's fields before it (ignore_cache) and after it (caps, group)
            custom_name="[1/1] RUN " + "x" * (1 << 20),
            description={"com.docker.dockerfile.v1.command": "RUN " + "y" * (1 << 20), "a": "é"},
            ignore_cache=True,
            progress_group=llb.ProgressGroup("g", "group", weak=True),
        ),
    )
    states = (_rich_graph(), llb.scratch(), llb.image("busybox", platform=AMD64), long_step)
    for state in states:
        d = llb.marshal(state)
        whole = d.pb.SerializeToString(deterministic=True)
        assert d.to_bytes() == whole
        out = io.BytesIO()
        d.write_to(out)
        assert out.getvalue() == whole
        assert ops_pb2.Definition.FromString(whole) == d.pb


def test_ops_written_in_pieces_have_the_references_bytes() -> None:
    # a FileOp of several actions is written an action at a time; every op's bytes are
    # still Go's (plain fields, then the body), built here independently
    d = llb.marshal(_rich_graph())
    ops = ops_of(d)
    assert {o.WhichOneof("op") for o in ops} >= {"file", "exec", "merge", "source", None}
    (file_op,) = (o for o in ops if o.WhichOneof("op") == "file")
    assert len(file_op.file.actions) == 3
    for raw, op in zip(d.ops, ops, strict=True):
        assert raw == go_bytes(op)
        assert serialize_op(op) == raw
