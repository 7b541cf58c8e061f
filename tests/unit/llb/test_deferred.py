"""llb.deferred: a state whose op is made when the graph is marshalled."""

from __future__ import annotations

import pytest

from frontend import llb
from frontend.pb import ops_pb2


def _source_attrs(definition: llb.Definition) -> list[dict[str, str]]:
    out = []
    for data in definition.ops:
        op = ops_pb2.Op.FromString(data)
        if op.HasField("source"):
            out.append(dict(op.source.attrs))
    return out


def test_callback_runs_at_marshal_time_and_sees_late_changes() -> None:
    paths: set[str] = set()
    calls: list[int] = []

    def make() -> llb.State:
        calls.append(1)
        return llb.local("context", session_id="s", follow_paths=sorted(paths))

    ctx = llb.deferred(make)
    out = llb.scratch().file(llb.copy(ctx, "/app", "/app"))
    paths.add("app")
    assert calls == []
    definition = llb.marshal(out)
    assert calls == [1]
    assert _source_attrs(definition) == [{"local.session": "s", "local.followpaths": '["app"]'}]
    llb.marshal(out)
    assert calls == [1]  # made once, then kept


def test_deferred_marshals_like_the_state_it_resolves_to() -> None:
    sm = llb.SourceMap("Dockerfile", b"FROM x\n", "Dockerfile")
    constraints = llb.Constraints.of(
        custom_name="load", locations=[sm.location([llb.SourceRange.lines(1)])]
    )

    def build(ctx: llb.State) -> llb.State:
        return llb.scratch().file(llb.copy(ctx, "/", "/"))

    direct = build(llb.image("alpine", constraints=constraints))
    late = build(llb.deferred(lambda: llb.image("alpine", constraints=constraints)))
    assert llb.marshal(late).to_bytes() == llb.marshal(direct).to_bytes()


def test_deferred_keeps_the_inputs_of_its_op() -> None:
    base = llb.image("alpine")
    ran = llb.deferred(lambda: base.run(["true"]).root)
    direct = base.run(["true"]).root
    assert llb.marshal(ran).digests == llb.marshal(direct).digests


def test_uses_share_one_op() -> None:
    ctx = llb.deferred(lambda: llb.local("context"))
    out = llb.merge([llb.scratch().file(llb.copy(ctx, "/a", "/a")), ctx])
    assert len(_source_attrs(llb.marshal(out))) == 1


def test_scratch_and_other_outputs_are_rejected() -> None:
    with pytest.raises(ValueError, match="scratch"):
        llb.marshal(llb.deferred(llb.scratch))
    ran = llb.image("alpine").run(["true"], mounts=[llb.BindMount("/m", llb.image("busybox"))])
    second = ran.mount("/m")
    assert second.output is not None and second.output.index == 1
    with pytest.raises(ValueError, match="output 0"):
        llb.marshal(llb.deferred(lambda: second))


def test_the_callback_is_dropped_once_used() -> None:
    import gc
    import weakref

    class Maker:
        def __call__(self) -> llb.State:
            return llb.local("context")

    maker = Maker()
    gone = weakref.ref(maker)
    out = llb.deferred(maker)
    del maker
    assert gone() is not None
    llb.marshal(out)
    gc.collect()
    assert gone() is None
