"""RUN --mount -> exec mounts: bind, cache, tmpfs, secret, ssh (compiler.mounts)."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError
from frontend.pb import ops_pb2
from tests.unit.compiler.util import Compiled, RecordingResolver, compile_text, lines


def mounts(flags: str, pre: str = "") -> tuple[list[ops_pb2.Mount], object]:
    text = lines("FROM alpine AS a", "RUN build", "FROM alpine", *([pre] if pre else []),
                 f"RUN {flags} echo")  # fmt: skip
    c = compile_text(text, session_id="sid")
    return list(c.execs()[-1].mounts), c


def test_cache_mount_defaults_and_options() -> None:
    ms, _ = mounts("--mount=type=cache,target=/root/.cache")
    root, cache = ms
    assert (root.input, root.dest, root.output) == (0, "/", 0)
    assert cache == ops_pb2.Mount(
        input=-1,
        dest="/root/.cache",
        output=-1,
        mountType=ops_pb2.CACHE,
        cacheOpt=ops_pb2.CacheOpt(ID="//root/.cache"),
    )
    ms, _ = mounts("--mount=type=cache,id=x,target=c,sharing=locked", "WORKDIR /w")
    assert ms[1].dest == "/w/c"
    assert ms[1].cacheOpt == ops_pb2.CacheOpt(ID="/x", sharing=ops_pb2.LOCKED)
    ms, _ = mounts("--mount=type=cache,target=/c,sharing=private")
    assert ms[1].cacheOpt.sharing == ops_pb2.PRIVATE


def test_cache_mount_namespace_from_build_arg() -> None:
    c = compile_text(
        lines("FROM alpine", "RUN --mount=type=cache,target=/c x"),
        build_args={"BUILDKIT_CACHE_MOUNT_NS": "ns"},
    )
    assert c.execs()[0].mounts[1].cacheOpt.ID == "ns//c"


def test_cache_mount_uid_gid_mode_prepares_a_directory() -> None:
    ms, c = mounts("--mount=type=cache,target=/c,uid=1000,gid=1001,mode=0700")
    cache = ms[1]
    assert cache.selector == "/cache"
    assert cache.input == 1
    prep = c.named("[internal] setting cache mount permissions")
    assert not prep.inputs  # on scratch
    (action,) = prep.file.actions
    assert (action.input, action.secondaryInput, action.output) == (-1, -1, 0)
    mk = action.mkdir
    assert (mk.path, mk.mode, mk.makeParents, mk.timestamp) == ("/cache", 0o700, False, -1)
    assert mk.owner.user.byID == 1000 and mk.owner.group.byID == 1001
    assert mk.owner.user.WhichOneof("user") == "byID"
    ms, c = mounts("--mount=type=cache,target=/c,uid=5")
    mk = c.named("[internal] setting cache mount permissions").file.actions[0].mkdir
    assert mk.mode == 0o755 and mk.owner.user.byID == 5 and mk.owner.group.byID == 0


def test_bind_mounts_from_stage_and_context() -> None:
    ms, c = mounts(
        "--mount=type=bind,from=a,source=etc/,target=/mnt "
        "--mount=target=/ctx,rw "
        "--mount=type=cache,target=/var/lib,from=a,source=/etc,readonly"
    )
    by_dest = {m.dest: m for m in ms}
    assert list(by_dest) == ["/", "/ctx", "/mnt", "/var/lib"]  # sorted by dest
    ctx, mnt, var = by_dest["/ctx"], by_dest["/mnt"], by_dest["/var/lib"]
    assert (ctx.input, ctx.selector, ctx.readonly, ctx.output) == (1, "", False, -1)
    assert (mnt.input, mnt.selector, mnt.readonly, mnt.output) == (2, "/etc", True, -1)
    assert (var.input, var.selector, var.readonly) == (2, "/etc", True)
    assert var.cacheOpt.ID == "//var/lib"
    op = c.ops[-2]
    assert len(op.inputs) == 3  # root, context, stage a (deduplicated)
    assert c.input_op(op, 1).source.identifier == "local://context"
    assert c.input_op(op, 2).exec.meta.args[-1] == "build"
    # a bind of the whole context needs everything: no followpaths
    assert "local.followpaths" not in c.input_op(op, 1).source.attrs


def test_bind_mount_of_context_subpath_narrows_followpaths() -> None:
    _, c = mounts("--mount=source=src,target=/src")
    (ctx,) = [s for s in c.sources() if s.identifier == "local://context"]
    assert ctx.attrs["local.followpaths"] == '["src"]'


def test_tmpfs_secret_ssh_mounts() -> None:
    ms, c = mounts(
        "--mount=type=secret,id=s "
        "--mount=type=ssh "
        "--mount=type=tmpfs,target=/tmp,size=1m "
        "--mount=type=secret,source=tok,target=/t,required=true,mode=0440,uid=1,gid=2 "
        "--mount=type=ssh,id=key,target=/agent "
        "--mount=type=tmpfs,target=/scratch"
    )
    assert [m.dest for m in ms] == [
        "/",
        "/scratch",
        "/tmp",
        "/run/secrets/s",
        "/t",
        "/run/buildkit/ssh_agent.0",
        "/agent",
    ]
    assert ms[1].mountType == ops_pb2.TMPFS and ms[1].input == -1 and ms[1].output == -1
    assert ms[2].TmpfsOpt.size == 1024 * 1024
    assert ms[3].mountType == ops_pb2.SECRET and ms[3].input == -1
    assert ms[3].secretOpt == ops_pb2.SecretOpt(ID="s", mode=0o400, optional=True)
    assert ms[4].secretOpt == ops_pb2.SecretOpt(ID="tok", uid=1, gid=2, mode=0o440)
    assert ms[5].mountType == ops_pb2.SSH
    assert ms[5].SSHOpt == ops_pb2.SSHOpt(mode=0o600, optional=True)
    assert ms[6].SSHOpt == ops_pb2.SSHOpt(ID="key", mode=0o600, optional=True)
    env = list(c.execs()[-1].meta.env)
    assert env[-1] == "SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0"


def test_secret_as_env() -> None:
    ms, c = mounts("--mount=type=secret,id=tok,env=TOKEN --mount=type=secret,id=f,env=F,target=/f")
    e = c.execs()[-1]
    assert [(s.ID, s.name, s.optional) for s in e.secretenv] == [
        ("tok", "TOKEN", True),
        ("f", "F", True),
    ]
    assert [m.dest for m in ms] == ["/", "/f"]


def test_mount_target_root_is_refused() -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", "RUN --mount=type=bind,target=/ x"))
    assert "invalid mount target" in info.value.message
    assert info.value.location is not None and info.value.location.start_line == 2


def test_tmpfs_size_out_of_int64_is_a_located_error() -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", "RUN --mount=type=tmpfs,target=t,size=9999P x"))
    assert info.value.message == "invalid value for size: 9999P"
    assert info.value.location is not None and info.value.location.start_line == 2


# ------------------------------------------------------------------ paths (convert_runmount.go)


def one_mount(flag: str, *pre: str) -> tuple[ops_pb2.Mount, Compiled]:
    c = compile_text(lines("FROM alpine", *pre, f"RUN {flag} x"))
    (m,) = [m for m in c.execs()[-1].mounts if m.dest != "/"]
    return m, c


def context_follow_paths(c: Compiled) -> str | None:
    (ctx,) = [s for s in c.sources() if s.identifier == "local://context"]
    return ctx.attrs.get("local.followpaths")


@pytest.mark.parametrize(
    ("flag", "pre", "dest", "cache_id"),
    [
        # an absolute target as written (the trailing slash, // and /. kept); the id is
        # the target as written, cleaned
        ("target=/root/.cache/", (), "/root/.cache/", "//root/.cache"),
        ("target=//x/", (), "//x/", "//x"),
        ("target=//", (), "//", "//"),
        ("target=/.", (), "/.", "//"),
        # a relative one joined to the working directory and cleaned; its id is not
        ("target=cache/", ("WORKDIR /src/",), "/src/cache", "/cache"),
        ("target=./a/../cache/", ("WORKDIR /src",), "/src/cache", "/cache"),
        ("target=c", ("WORKDIR a/", "WORKDIR b"), "/a/b/c", "/c"),
    ],
)
def test_cache_mount_target_and_default_id(
    flag: str, pre: tuple[str, ...], dest: str, cache_id: str
) -> None:
    m, _ = one_mount("--mount=type=cache," + flag, *pre)
    assert (m.dest, m.cacheOpt.ID) == (dest, cache_id)


def test_bind_and_tmpfs_targets_keep_their_slash() -> None:
    m, _ = one_mount("--mount=target=/m/")
    assert m.dest == "/m/"
    m, _ = one_mount("--mount=type=tmpfs,target=/t/")
    assert m.dest == "/t/"
    m, _ = one_mount("--mount=target=.", "WORKDIR /w/")
    assert m.dest == "/w"


@pytest.mark.parametrize("flag", ["--mount=target=.", "--mount=type=bind", "--mount=target=a/.."])
def test_mount_target_that_is_the_root_is_refused(flag: str) -> None:
    with pytest.raises(DockerfileError) as info:
        compile_text(lines("FROM alpine", f"RUN {flag} x"))
    assert info.value.message == 'invalid mount target "/"'


@pytest.mark.parametrize(
    ("source", "selector", "follow"),
    [
        ("./patches", "/patches", '["patches"]'),
        ("./patches/../p/", "/p", '["p"]'),
        ("//x/", "/x", '["x"]'),
        (".", "", None),  # the whole context
        ("/", "", None),
    ],
)
def test_bind_source_is_cleaned_in_selector_and_follow_paths(
    source: str, selector: str, follow: str | None
) -> None:
    m, c = one_mount(f"--mount=source={source},target=/m", "COPY a /a")
    assert m.selector == selector
    assert context_follow_paths(c) == (
        follow if follow is None else follow[:1] + '"a",' + follow[1:]
    )


@pytest.mark.parametrize(
    ("flag", "follow"),
    [
        # a mount without from= of type bind or tmpfs reads the context (tmpfs: its
        # source=, by default all of it); cache, secret and ssh ones do not
        ("--mount=type=tmpfs,target=/t", None),
        ("--mount=type=tmpfs,target=/t,source=foo", '["a","foo"]'),
        ("--mount=type=cache,target=/t", '["a"]'),
        ("--mount=type=cache,target=/t,source=foo", '["a"]'),
        ("--mount=type=secret,id=s", '["a"]'),
        ("--mount=type=ssh", '["a"]'),
    ],
)
def test_which_mounts_read_the_build_context(flag: str, follow: str | None) -> None:
    c = compile_text(lines("FROM alpine", "COPY a /a", f"RUN {flag} x"))
    assert context_follow_paths(c) == follow


def test_tmpfs_keeps_its_source_and_readonly() -> None:
    m, c = one_mount("--mount=type=tmpfs,target=/t,source=foo,ro")
    assert (m.mountType, m.input, m.selector, m.readonly) == (ops_pb2.TMPFS, -1, "/foo", True)
    assert "exec.mount.selector" in c.metadata(len(c.ops) - 2).caps


@pytest.mark.parametrize(
    ("flag", "target"),
    [
        ("--mount=from=s,target=/t", "/t"),
        ("--mount=type=cache,from=s,target=c", "c"),
        ("--mount=type=tmpfs,from=s,target=/t", "/t"),
        ("--mount=type=ssh,from=s", ""),
    ],
)
def test_mount_from_a_later_stage_is_refused(flag: str, target: str) -> None:
    text = lines(
        "FROM alpine", f"RUN {flag} x", "FROM alpine AS s", "FROM alpine", "COPY --from=0 a b"
    )
    with pytest.raises(DockerfileError) as info:
        compile_text(text)
    assert info.value.message == (
        f'cannot mount from stage "s" to "{target}", stage needs to be defined before '
        "current command"
    )
    assert info.value.location is not None and info.value.location.start_line == 2


def test_tmpfs_and_ssh_from_an_image_resolve_it() -> None:
    r = RecordingResolver()
    compile_text(
        lines(
            "FROM alpine",
            "RUN --mount=type=tmpfs,from=busybox,target=/t --mount=type=ssh,from=nginx x",
        ),
        resolver=r,
    )
    assert r.refs == [
        "docker.io/library/alpine:latest",
        "docker.io/library/busybox:latest",
        "docker.io/library/nginx:latest",
    ]
