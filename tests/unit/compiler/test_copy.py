"""COPY / ADD -> FileOp, WORKDIR -> mkdir, and the build-context local source."""

from __future__ import annotations

import json

import pytest

from frontend.language.errors import DockerfileError
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


def test_build_context_excludes_may_be_read_when_the_stages_are_dispatched() -> None:
    # CompileOptions.dockerignore may be what reads the patterns (the gateway reads
    # .dockerignore beside the compilation): asked once, the same attrs
    asked: list[int] = []

    def patterns() -> tuple[str, ...]:
        asked.append(1)
        return ("*.log", "!keep.log")

    text = lines("FROM alpine", "COPY a.txt .", "FROM alpine", "COPY b.txt .")
    lazy = context_attrs(text, session_id="s", dockerignore=patterns)
    assert asked == [1]
    assert lazy == context_attrs(text, session_id="s", dockerignore=("*.log", "!keep.log"))


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


# ------------------------------------------------------------------ ADD: git or download


def add_source(text: str) -> tuple[ops_pb2.SourceOp, set[str], ops_pb2.FileActionCopy]:
    """The source op the last file op copies from, its caps, and the copy."""
    c = compile_text(text)
    op = c.of_kind("file")[-1]
    cp = op.file.actions[-1]
    src = c.input_op(op, cp.secondaryInput)
    digest = op.inputs[cp.secondaryInput].digest
    return src.source, set(c.definition.pb.metadata[digest].caps), cp.copy


@pytest.mark.parametrize(
    ("url", "filename"),
    [
        # a URL of github.com or gitlab.com is a download unless its path ends in .git
        ("https://github.com/o/r/releases/download/v1/x.tgz", "x.tgz"),
        ("https://gitlab.com/o/r/-/archive/v1/r-v1.tar.gz", "r-v1.tar.gz"),
        ("https://host/a%20b.txt?token=1#frag", "a b.txt"),
        ("https://host/r.GIT", "r.GIT"),
        ("https://host/", "__unnamed__"),
        ("https://host/%zz", "__unnamed__"),  # no URL to Go: the name is __unnamed__
    ],
)
def test_add_url_that_is_a_download(url: str, filename: str) -> None:
    src, caps, cp = add_source(lines("FROM alpine", f"ADD {url} /d/"))
    assert src.identifier == url
    assert dict(src.attrs) == {"http.filename": filename}
    assert caps == {"source.http"}
    assert cp.src == "/" + filename


@pytest.mark.parametrize(
    ("url", "identifier", "attrs"),
    [
        ("http://127.0.0.1:3456/.git#v0.0.1", "git://127.0.0.1:3456/.git#v0.0.1", {}),
        ("https://host/r.git#main:sub/../docs", "git://host/r.git#main:docs", {}),
        (
            "https://host/r.git?ref=v1&keep-git-dir=1",
            "git://host/r.git#v1",
            {"git.keepgitdir": "true"},
        ),
        (
            "https://host/r.git?tag=v1&subdir=a/b&checksum=abc",
            "git://host/r.git#refs/tags/v1:a/b",
            {"git.checksum": "abc"},
        ),
        (
            "https://host/r.git?branch=main&submodules=false&fetch-by-commit&commit=abc",
            "git://host/r.git#refs/heads/main",
            {"git.checksum": "abc", "git.skipsubmodules": "true", "git.fetchbycommit": "true"},
        ),
        ("https://host/r.git?mtime=commit", "git://host/r.git", {}),  # ADD ignores mtime
        ("HTTPS://Host/R.git", "git://Host/R.git", {}),
        ("git://host/r", "git://host/r", {}),
    ],
)
def test_add_url_that_is_a_git_repository(url: str, identifier: str, attrs: dict[str, str]) -> None:
    src, caps, cp = add_source(lines("FROM alpine", f"ADD {url} /d/"))
    assert src.identifier == identifier
    remote = url.partition("?")[0].partition("#")[0].replace("HTTPS://", "https://")
    assert dict(src.attrs) == {
        "git.authheadersecret": "GIT_AUTH_HEADER",
        "git.authtokensecret": "GIT_AUTH_TOKEN",
        "git.fullurl": remote,
        **attrs,
    }
    assert "source.git" in caps and "source.http" not in caps
    assert (cp.src, cp.createDestPath) == ("/", True)


def test_add_git_checksum_flag_and_keep_git_dir() -> None:
    sha = "0123456789012345678901234567890123456789"
    src, caps, cp = add_source(
        lines(
            "FROM alpine",
            f"ADD --keep-git-dir=true --chown=4242:8484 --checksum={sha} http://h/.git#v2 /k",
        )
    )
    assert src.attrs["git.checksum"] == sha and src.attrs["git.keepgitdir"] == "true"
    assert {"source.git.checksum", "source.git.keepgitdir"} <= caps
    assert cp.owner.user.byID == 4242 and cp.owner.group.byID == 8484
    # --keep-git-dir=false agrees with a URL that says nothing, and keeps no .git
    src, _, _ = add_source(lines("FROM alpine", "ADD --keep-git-dir=false https://h/r.git /k"))
    assert "git.keepgitdir" not in src.attrs


def test_add_git_query_settings_carry_over_to_later_sources() -> None:
    # as in the reference: the query's checksum / keep-git-dir stay set for the
    # sources after the one that has them
    c = compile_text(
        lines("FROM alpine", "ADD https://h/a.git?checksum=abc&keep-git-dir https://h/b.git /d/")
    )
    gits = [s for s in c.sources() if s.identifier.startswith("git://")]
    assert sorted(g.identifier for g in gits) == ["git://h/a.git", "git://h/b.git"]
    for g in gits:
        assert (g.attrs["git.checksum"], g.attrs["git.keepgitdir"]) == ("abc", "true")


@pytest.mark.parametrize(
    ("instruction", "message"),
    [
        (
            "ADD --keep-git-dir=false https://h/r.git?keep-git-dir=true /x",
            "inconsistent keep-git-dir configuration",
        ),
        ("ADD --checksum=abc https://h/r.git?checksum=def /x", 'checksum mismatch "abc" != "def"'),
        ("ADD https://h/r.git?foo=bar /x", 'unexpected query "foo"'),
        ("ADD --checksum=abc https://h/r.git?foo=bar /x", 'unexpected query "foo"'),
        (
            "ADD https://h/r.git?tag=v1#refs/heads/x /x",
            'ref conflicts: "refs/heads/x" vs "refs/tags/v1"',
        ),
        ("COPY https://h/r.git /x", "source can't be a git ref for COPY"),
        ("COPY https://h/f.tgz /x", "source can't be a URL for COPY"),
        ("ADD --checksum=abc ./f /x", "checksum requires HTTP(S) or Git sources"),
        # an scp-like URL with a wrong query is no git URL for the check
        ("ADD --checksum=abc git@h:r.git?foo=bar /x", "checksum requires HTTP(S) or Git sources"),
        (
            "ADD --checksum=a https://h/f https://h/g /x",
            "checksum can't be specified for multiple sources",
        ),
        # a download's checksum is a digest (go-digest's Parse)
        ("ADD --checksum=foobar https://h/f.tgz /x", "invalid checksum digest format"),
        ("ADD --checksum=sha256:abc https://h/f.tgz /x", "invalid checksum digest length"),
        ("ADD --checksum=md5:abc https://h/f.tgz /x", "unsupported digest algorithm"),
        (
            "ADD --checksum=sha256:" + "A" * 64 + " https://h/f.tgz /x",
            "invalid checksum digest format",
        ),
        ("ADD --checksum=Sha256:abc https://h/f.tgz /x", "invalid checksum digest format"),
        ("ADD https://h/r.git?checksum=abc https://h/f.tgz /x", "invalid checksum digest format"),
        # Go's protobuf refuses to marshal a string that is not UTF-8
        ("ADD https://h/%ff.tgz /x", "string field contains invalid UTF-8"),
        ("ADD https://h/%ff.git /x", "string field contains invalid UTF-8"),
    ],
)
def test_add_source_errors(instruction: str, message: str) -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", instruction))
    assert info.value.message == message
    assert info.value.location is not None and info.value.location.start_line == 2


@pytest.mark.parametrize(
    "checksum",
    ["sha256:" + "a" * 64, "sha384:" + "b" * 96, "sha512:" + "c" * 128],
)
def test_add_download_checksum_is_kept(checksum: str) -> None:
    src, caps, _ = add_source(lines("FROM alpine", f"ADD --checksum={checksum} https://h/f /x"))
    assert src.attrs["http.checksum"] == checksum
    assert "source.http.checksum" in caps


def test_add_git_urls_that_are_no_http_url_are_read_from_the_context_too() -> None:
    # the reference records every source that does not start with http:// or https://
    attrs = context_attrs(
        lines("FROM alpine", "ADD git@h:r.git HTTPS://H/R.git https://h/b.git /d/", "COPY a /a"),
        session_id="s",
    )
    assert json.loads(attrs["local.followpaths"]) == ["HTTPS:/H/R.git", "a", "git@h:r.git"]
    # ``//`` is the whole context, as Go's path.Join("/", "//") is "/"
    attrs = context_attrs(lines("FROM alpine", "COPY // /x"), session_id="s")
    assert "local.followpaths" not in attrs


def test_github_path_without_scheme_is_a_local_path() -> None:
    (action,) = copy_actions(lines("FROM alpine", "ADD github.com/o/r /d/"))
    assert action.copy.src == "/github.com/o/r"
    assert action.copy.attemptUnpackDockerCompatibility


# ------------------------------------------------------------------ COPY --parents


@pytest.mark.parametrize(
    ("src", "src_path", "pattern", "required"),
    [
        ("/test/a/b/./c/d", "/test/a/b", "c/d", ["/test/a/b/c/d"]),
        # absolute patterns are kept as written (system.NormalizePath), relative ones
        # joined to / and cleaned
        ("/test/a/b/c/d/.", "/", "test/a/b/c/d/.", ["/test/a/b/c/d"]),
        ("./test/a/b/c/d", "/", "test/a/b/c/d", ["/test/a/b/c/d"]),
        ("/test/a/.//b/../c", "/test/a", "b/../c", ["/test/a/c"]),
        ("/test/a/.///b", "/test/a", "/b", ["/test/a/b"]),  # one slash is trimmed
        ("/test/a/./*/c", "/test/a", "*/c", []),
        ("/test/a/b*/./c", "/test/a/b*", "c", []),
    ],
)
def test_copy_parents_patterns(src: str, src_path: str, pattern: str, required: list[str]) -> None:
    (action,) = copy_actions(lines("FROM alpine", f"COPY --parents {src} /out/"))
    cp = action.copy
    assert (cp.src, list(cp.include_patterns), list(cp.required_paths)) == (
        src_path,
        [pattern],
        required,
    )


# ------------------------------------------------------------------ ONBUILD COPY --from


def test_onbuild_copy_from_its_own_stage_is_no_cycle() -> None:
    c = compile_text(lines("FROM alpine", "ONBUILD COPY --from=0 /a /b"))
    assert c.result.image.data["config"]["OnBuild"] == ["COPY --from=0 /a /b"]


def test_onbuild_copy_from_runs_in_the_child_and_numbers_its_source_as_the_reference() -> None:
    c = compile_text(
        lines(
            "FROM alpine AS base",
            "ONBUILD COPY --from=0 /a /b",
            "ONBUILD COPY --from=helper /h /h",
            "FROM busybox AS helper",
            "FROM base",
        )
    )
    assert "[stage-2 1/2] ONBUILD COPY --from=0 /a /b" in c.names
    # helper is needed only once the triggers are read: the reference has named its
    # FROM once before (in the round it was not needed)
    assert "[helper 2/1] FROM docker.io/library/busybox:latest" in c.names


def test_onbuild_copy_from_variable_fails_where_the_trigger_runs() -> None:
    text = lines("FROM alpine AS a", "ONBUILD COPY --from=$x /a /b", "FROM a")
    with pytest.raises(DockerfileError) as info:
        compile_text(text)
    assert info.value.message.startswith("variable expansion is not supported for --from")
    assert info.value.location is not None and info.value.location.start_line == 3


# ------------------------------------------------------------------ --chmod


@pytest.mark.parametrize(
    ("chmod", "message"),
    [
        # TestCopyInvalidChmod / TestAddInvalidChmod
        (
            "64a",
            "invalid chmod parameter: '64a'. it should be octal string and between 0 and 07777",
        ),
        (
            "10000",
            "invalid chmod parameter: '10000'. it should be octal string and between 0 and 07777",
        ),
        ("u+q", "invalid syntax"),
    ],
)
def test_invalid_chmod_is_refused_where_the_step_runs(chmod: str, message: str) -> None:
    for verb in ("COPY", "ADD"):
        with pytest.raises(DockerfileError) as info:
            compile_text(lines("FROM scratch", f"{verb} --chmod={chmod} foo /"))
        assert info.value.message == message
        assert info.value.location is not None and info.value.location.start_line == 2
    # a stage that is not built is not checked
    compile_text(lines("FROM alpine AS unused", f"COPY --chmod={chmod} foo /", "FROM alpine"))


def test_symbolic_chmod_is_a_mode_string() -> None:
    (action,) = copy_actions(lines("FROM alpine", "COPY --chmod=u+x-w,g=u a /a"))
    assert (action.copy.modeStr, action.copy.mode) == ("u+x-w,g=u", 0)
