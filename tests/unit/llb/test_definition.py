"""States made from marshalled definitions (``frontend.llb.definition``, Go's
``DefinitionOp``) and OCI layout sources (``llb.oci_layout``, Go's ``llb.OCILayout``)."""

from __future__ import annotations

import pytest

from frontend import llb
from frontend.llb.definition import NIL_DEFINITION
from frontend.pb import ops_pb2

AMD64 = llb.Platform("linux", "amd64")


def _reader() -> bytes:
    """The definition that read the Dockerfile (a source map carries it)."""
    return llb.marshal(llb.local("dockerfile", session_id="s")).to_bytes()


def _producer() -> llb.Definition:
    dockerfile = llb.SourceMap("Dockerfile", b"FROM busybox\nRUN true\n", "Dockerfile", _reader())
    base = llb.image(
        "busybox",
        platform=AMD64,
        constraints=llb.Constraints.of(
            custom_name="[1/2] FROM busybox",
            locations=[dockerfile.location([llb.SourceRange.lines(1)])],
        ),
    )
    ran = base.run(
        ["/bin/sh", "-c", "true"],
        env=["PATH=/bin"],
        constraints=llb.Constraints.of(
            custom_name="[2/2] RUN true",
            ignore_cache=True,
            locations=[dockerfile.location([llb.SourceRange.lines(2)])],
        ),
    )
    return llb.marshal(ran.root)


def test_a_definition_marshals_back_to_the_same_bytes() -> None:
    produced = _producer()
    again = llb.marshal(llb.definition_state(produced.pb))
    assert again.to_bytes() == produced.to_bytes()


def test_ops_keep_their_bytes_metadata_and_source_when_used() -> None:
    produced = _producer()
    used = llb.scratch().file(llb.copy(llb.definition_state(produced.pb), "/etc", "/etc"))
    out = llb.marshal(used)
    ops = out.ops
    # the producer's ops (all but its terminal op) come first, unchanged
    assert ops[:2] == produced.ops[:2]
    for dgst in produced.digests:
        assert out.pb.metadata[dgst] == produced.pb.metadata[dgst]
        assert out.pb.Source.locations[dgst] == produced.pb.Source.locations[dgst]
    # one source map: the producer's Dockerfile, with its definition
    assert [(i.filename, i.language) for i in out.pb.Source.infos] == [("Dockerfile", "Dockerfile")]
    # the copy reads the head of the producer (the exec's root output)
    copy_op = ops_pb2.Op.FromString(ops[2])
    assert copy_op.inputs[0].digest == produced.head


def test_the_same_source_map_is_listed_once() -> None:
    dockerfile = llb.SourceMap("Dockerfile", b"FROM busybox\n", "Dockerfile")
    loc = dockerfile.location([llb.SourceRange.lines(1)])
    img = llb.image("busybox", platform=AMD64, constraints=llb.Constraints.of(locations=[loc]))
    produced = llb.marshal(img)
    ours = llb.image("alpine", platform=AMD64, constraints=llb.Constraints.of(locations=[loc]))
    merged = llb.merge([llb.definition_state(produced.pb), ours])
    out = llb.marshal(merged)
    assert len(out.pb.Source.infos) == 1


def test_nil_definitions_are_refused_with_the_reference_words() -> None:
    assert NIL_DEFINITION == "invalid nil input definition to definition op"
    with pytest.raises(llb.DefinitionError, match=NIL_DEFINITION):
        llb.definition_state(ops_pb2.Definition())  # no metadata: Go's IsNil
    with pytest.raises(llb.DefinitionError, match=NIL_DEFINITION):
        llb.definition_state(None)


def test_a_definition_without_ops_is_scratch() -> None:
    scratch = llb.marshal(llb.scratch()).pb
    scratch.metadata["sha256:" + "0" * 64].SetInParent()  # not nil
    assert llb.definition_state(scratch).is_scratch


def test_an_op_whose_input_is_missing_is_refused() -> None:
    produced = _producer()
    broken = ops_pb2.Definition()
    broken.CopyFrom(produced.pb)
    del getattr(broken, "def")[0]  # the image the exec runs on
    with pytest.raises(llb.DefinitionError, match="missing input"):
        llb.definition_state(broken)


def test_oci_layout_source_as_go_llb_makes_it() -> None:
    ref = "docker.io/library/base@sha256:" + "ab" * 32
    st = llb.oci_layout(
        ref,
        session_id="sess",
        store_id="ocione",
        platform=AMD64,
        constraints=llb.Constraints.of(custom_name="[context base] OCI load from client"),
    )
    out = llb.marshal(st)
    op = ops_pb2.Op.FromString(out.ops[0])
    assert op.source.identifier == "oci-layout://" + ref
    assert dict(op.source.attrs) == {"oci.session": "sess", "oci.store": "ocione"}
    assert op.platform.OS == "linux" and op.platform.Architecture == "amd64"
    md = out.pb.metadata[out.digests[0]]
    assert dict(md.caps) == {"source.ocilayout": True}
    assert md.description["llb.customname"] == "[context base] OCI load from client"
