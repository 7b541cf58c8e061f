"""RUN --mount -> exec mounts: bind, cache, tmpfs, secret, ssh (compiler.mounts)."""

from __future__ import annotations

import pytest

from frontend.language import DockerfileError
from frontend.pb import ops_pb2
from tests.unit.compiler.util import compile_text, lines


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
