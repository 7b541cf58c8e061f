"""COPY / ADD -> FileOp, WORKDIR -> mkdir, and the build-context local source."""

from __future__ import annotations

import json

import pytest

from frontend.pb import ops_pb2
from tests.unit.compiler.util import compile_text, lines


def copy_actions(text: str, **opts: object) -> list[ops_pb2.FileAction]:
    c = compile_text(text, **opts)
    return list(c.files()[-1].actions)


@pytest.mark.parametrize(
    ("workdir", "dest", "expected"),
    [
        ("", "poster1", "/poster1"),
        ("/app", ".", "/app/"),
        ("/app", "./", "/app/"),
        ("/w", "b", "/w/b"),
        ("/w", "c/", "/w/c/"),
        ("/w", "./e", "/w/e"),
        ("/w", "/o/", "/o/"),
        ("/w", "/o//p/../q", "/o/q"),
        ("/w", "/", "/"),
    ],
)
def test_copy_destination_rules(workdir: str, dest: str, expected: str) -> None:
    pre = [f"WORKDIR {workdir}"] if workdir else []
    (action,) = copy_actions(lines("FROM alpine", *pre, f"COPY a.txt {dest}"))
    assert action.copy.dest == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("a.txt", "/a.txt"),
        ("./sub/dir/../dir/c.txt", "/sub/dir/c.txt"),
        ("*.txt", "/*.txt"),
        (".", "/"),
        ("sub/", "/sub"),
    ],
)
def test_copy_source_paths(src: str, expected: str) -> None:
    (action,) = copy_actions(lines("FROM alpine", f"COPY {src} /d/"))
    assert action.copy.src == expected


def test_copy_fields_chown_chmod_and_chained_sources() -> None:
    c = compile_text(
        lines("FROM alpine", "COPY --chown=1000:1000 --chmod=644 a.txt sub/ /dst/"),
        session_id="s",
    )
    op = c.of_kind("file")[-1]
    assert len(op.inputs) == 2
    assert c.input_op(op, 1).source.identifier == "local://context"
    a0, a1 = op.file.actions
    assert (a0.input, a0.secondaryInput, a0.output) == (0, 1, -1)
    assert (a1.input, a1.secondaryInput, a1.output) == (2, 1, 0)
    assert (a0.copy.src, a0.copy.dest, a1.copy.src) == ("/a.txt", "/dst/", "/sub")
    for a in (a0, a1):
        assert a.copy.mode == 0o644
        assert a.copy.owner.user.byID == 1000 and a.copy.owner.group.byID == 1000
        assert a.copy.followSymlink and a.copy.dirCopyContents and a.copy.createDestPath
        assert a.copy.allowWildcard and a.copy.allowEmptyWildcard
        assert a.copy.timestamp == -1
        assert not a.copy.attemptUnpackDockerCompatibility
    assert c.history[-1] == "COPY --chown=1000:1000 --chmod=644 a.txt sub/ /dst/ # buildkit"


@pytest.mark.parametrize(
    ("chown", "user", "group"),
    [
        ("nobody:nogroup", ("byName", "nobody"), ("byName", "nogroup")),
        ("1:2", ("byID", 1), ("byID", 2)),
        ("nobody", ("byName", "nobody"), None),
        ("0", ("byID", 0), None),
    ],
)
def test_chown_parsing(
    chown: str, user: tuple[str, object], group: tuple[str, object] | None
) -> None:
    (action,) = copy_actions(lines("FROM alpine", f"COPY --chown={chown} a /a"))
    owner = action.copy.owner
    kind = owner.user.WhichOneof("user")
    assert kind == user[0]
    assert (owner.user.byID if kind == "byID" else owner.user.byName.name) == user[1]
    if group is None:
        assert not owner.HasField("group")
    else:
        gkind = owner.group.WhichOneof("user")
        assert gkind == group[0]
        assert (owner.group.byID if gkind == "byID" else owner.group.byName.name) == group[1]


def test_no_chown_no_owner_and_add_unpacks() -> None:
    c = compile_text(lines("FROM alpine", "COPY a /a", "ADD b.tar /b"))
    copy_a, add_b = (f.actions[0].copy for f in c.files())
    assert not copy_a.HasField("owner") and copy_a.mode == -1
    assert add_b.attemptUnpackDockerCompatibility
    assert c.history[-1] == "ADD b.tar /b # buildkit"


def test_copy_into_scratch_has_a_single_input() -> None:
    c = compile_text(lines("FROM scratch", "COPY a /a"))
    op = c.of_kind("file")[-1]
    assert len(op.inputs) == 1
    (action,) = op.file.actions
    assert (action.input, action.secondaryInput, action.output) == (-1, 0, 0)


def test_copy_from_stage_index_and_image() -> None:
    c = compile_text(
        lines(
            "FROM alpine AS a",
            "RUN build",
            "FROM busybox",
            "COPY --from=0 /out /out",
            "COPY --from=nginx:1.25 /etc/nginx /etc/nginx",
        )
    )
    f1, f2 = c.of_kind("file")
    assert c.input_op(f1, 1).exec.meta.args[-1] == "build"
    img = c.input_op(f2, 1)
    assert img.source.identifier == "docker-image://docker.io/library/nginx:1.25"
    assert img.platform.OS == "linux"
    i = c.digests.index(f2.inputs[1].digest)
    assert c.names[i] == "FROM docker.io/library/nginx:1.25"
    locs = c.definition.pb.Source.locations[c.digests[i]].locations
    assert [r.start.line for loc in locs for r in loc.ranges] == [5]


def test_copy_heredoc_makes_an_inline_document() -> None:
    c = compile_text(lines("FROM alpine", "COPY <<EOT /m", "hello", "EOT"))
    doc = c.named("[internal] preparing inline document")
    assert not doc.inputs
    (mk,) = doc.file.actions
    assert (mk.mkfile.path, mk.mkfile.mode, mk.mkfile.data) == ("/EOT", 0o644, b"hello\n")
    assert mk.mkfile.timestamp == -1
    (action,) = c.files()[-1].actions
    cp = action.copy
    assert (cp.src, cp.dest, cp.mode, cp.timestamp) == ("/EOT", "/m", -1, -1)
    assert cp.createDestPath
    assert not (cp.followSymlink or cp.dirCopyContents or cp.allowWildcard)
    assert c.history[-1] == "COPY <<EOT /m # buildkit"
    # no location for the inline document (an empty entry, as the reference's llb
    # writes one for every op); three line ranges for the COPY
    locs = c.definition.pb.Source.locations
    doc = c.digests[c.index_named("[internal] preparing inline document")]
    assert doc in locs and not locs[doc].locations
    copy_locs = locs[c.digests[-2]].locations[0].ranges
    assert [r.start.line for r in copy_locs] == [2, 3, 4]


def test_copy_link_without_mergeop_is_a_plain_copy() -> None:
    plain = compile_text(lines("FROM alpine", "COPY a /a"))
    linked = compile_text(lines("FROM alpine", "COPY --link a /a"), llb_caps=frozenset())
    assert linked.digests[-2:] == plain.digests[-2:]
    assert "merge" not in linked.kinds()


def test_copy_link_with_mergeop_merges_a_layer_on_scratch() -> None:
    c = compile_text(
        lines("FROM alpine AS s", "COPY --link a /a", "FROM s"), llb_caps=frozenset({"mergeop"})
    )
    assert c.kinds().count("merge") == 1
    merge = c.of_kind("merge")[0]
    assert [i.input for i in merge.merge.inputs] == [0, 1]
    layer = c.input_op(merge, 1)
    assert len(layer.inputs) == 1  # only the context: the layer starts from scratch
    assert layer.file.actions[0].input == -1
    names = [n for n in c.names if "COPY" in n]
    assert names == ["[s 2/2] COPY --link a /a", "[s 2/2] LINK COPY --link a /a"]
    # --chmod falls back to a plain copy
    c = compile_text(
        lines("FROM alpine", "COPY --link --chmod=644 a /a"), llb_caps=frozenset({"mergeop"})
    )
    assert "merge" not in c.kinds()


def test_workdir_mkdir_owner_and_history() -> None:
    c = compile_text(
        lines(
            "FROM alpine",
            "WORKDIR /app",
            "USER 1000:1000",
            "WORKDIR rel",
            "USER nobody",
            "WORKDIR /n",
            "WORKDIR /",
        )
    )
    mk = [f.actions[0].mkdir for f in c.files()]
    assert [(m.path, m.mode, m.makeParents, m.timestamp) for m in mk] == [
        ("/app", 0o755, True, -1),
        ("/app/rel", 0o755, True, -1),
        ("/n", 0o755, True, -1),
    ]
    assert not mk[0].HasField("owner")
    assert mk[1].owner.user.byID == 1000 and mk[1].owner.group.byID == 1000
    assert mk[2].owner.user.byName.name == "nobody" and not mk[2].owner.HasField("group")
    assert c.config["WorkingDir"] == "/"
    assert c.history == [
        "WORKDIR /app",
        "USER 1000:1000",
        "WORKDIR /app/rel",
        "USER nobody",
        "WORKDIR /n",
        "WORKDIR /",
    ]
    layers = [not h.get("empty_layer") for h in c.image["history"]]
    assert layers == [True, False, True, False, True, False]
    assert not any(c.metadata(i).ignore_cache for i in range(len(c.ops)))


# ------------------------------------------------------------------ build context


def context_attrs(text: str, **opts: object) -> dict[str, str]:
    c = compile_text(text, **opts)
    (ctx,) = [s for s in c.sources() if s.identifier.startswith("local://")]
    i = c.identifiers().index(ctx.identifier)
    op = c.of_kind("source")[i]
    assert not op.HasField("platform")
    return dict(ctx.attrs)


def test_build_context_attrs_followpaths_excludes_session() -> None:
    attrs = context_attrs(
        lines("FROM alpine", "COPY a.txt .", "COPY --chown=1:1 sub/ /dst/", "ADD a.txt /x"),
        session_id="sess-1",
        dockerignore=("*.log", "!keep.log", "<x>"),
    )
    assert attrs == {
        "local.session": "sess-1",
        "local.sharedkeyhint": "context",
        "local.followpaths": '["a.txt","sub"]',
        "local.excludepatterns": '["*.log","!keep.log","\\u003cx\\u003e"]',
    }


def test_build_context_whole_context_has_no_followpaths() -> None:
    attrs = context_attrs(lines("FROM alpine", "COPY a.txt /", "COPY . /src"), session_id="s")
    assert "local.followpaths" not in attrs
    assert "local.excludepatterns" not in attrs


def test_build_context_only_counts_dispatched_stages_and_renames() -> None:
    text = lines("FROM alpine AS unused", "COPY big /big", "FROM alpine", "COPY *.txt /t/")
    attrs = context_attrs(text, session_id="s", context_name="ctx2")
    assert json.loads(attrs["local.followpaths"]) == ["*.txt"]
    assert attrs["local.sharedkeyhint"] == "ctx2"
    c = compile_text(text, session_id="s", context_name="ctx2")
    assert "local://ctx2" in c.identifiers()
    i = [op.source.identifier for op in c.ops].index("local://ctx2")
    assert c.names[i] == "[internal] load build context"


def test_no_context_op_without_a_use() -> None:
    c = compile_text(lines("FROM alpine", "RUN x", "COPY --from=alpine /a /b"), session_id="s")
    assert not any(i.startswith("local://") for i in c.identifiers())
