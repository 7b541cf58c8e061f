"""frontend.llb ops: exec mounts, file actions, merge/diff and sources, field by field."""

from __future__ import annotations

import json

import pytest

from frontend import llb
from frontend.pb import ops_pb2
from tests.unit.llb.wire import dig

AMD64 = llb.Platform("linux", "amd64")
AMD64_PB = ops_pb2.Platform(OS="linux", Architecture="amd64")


def last_op(state: llb.State) -> tuple[ops_pb2.Op, llb.Definition]:
    d = llb.marshal(state, default_platform=AMD64)
    return ops_pb2.Op.FromString(d.ops[-2]), d


def image_op(ref: str) -> ops_pb2.Op:
    op = ops_pb2.Op(platform=AMD64_PB)
    op.source.identifier = ref
    op.constraints.SetInParent()
    return op


BUSYBOX = image_op("docker-image://docker.io/library/busybox:latest")
ALPINE = image_op("docker-image://docker.io/library/alpine:latest")


def test_exec_with_every_mount_kind() -> None:
    base = llb.image("busybox", platform=AMD64)
    ctx = llb.image("alpine", platform=AMD64)
    res = base.run(
        ["/bin/sh", "-c", "make"],
        env=["PATH=/bin", "A=1"],
        cwd="/src",
        user="1000:1000",
        hostname="h",
        network=llb.NetMode.NONE,
        security=llb.SecurityMode.INSECURE,
        extra_hosts=[llb.HostIP("db", "10.0.0.2")],
        valid_exit_codes=[0, 1],
        mounts=[
            llb.TmpfsMount("/tmp", size=1024),
            llb.BindMount("/src", ctx, selector="/app", readonly=True),
            llb.CacheMount("/root/.cache", "go-build", llb.CacheSharing.LOCKED),
            llb.BindMount("/out", llb.scratch()),
            llb.SecretMount("/run/secrets/tok", "tok", mode=0o400, optional=True),
            llb.SSHMount(id="default"),
        ],
        secret_env=[llb.SecretEnv("TOKEN", "tok")],
    )
    op, d = last_op(res.root)

    exp = ops_pb2.Op(platform=AMD64_PB)
    exp.inputs.add(digest=dig(BUSYBOX), index=0)
    exp.inputs.add(digest=dig(ALPINE), index=0)
    e = exp.exec
    e.meta.args.extend(["/bin/sh", "-c", "make"])
    e.meta.env.extend(["PATH=/bin", "A=1", "SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0"])
    e.meta.cwd = "/src"
    e.meta.user = "1000:1000"
    e.meta.hostname = "h"
    e.meta.extraHosts.add(Host="db", IP="10.0.0.2")
    e.meta.removeMountStubsRecursive = True
    e.meta.validExitCodes.extend([0, 1])
    e.network = ops_pb2.NONE
    e.security = ops_pb2.INSECURE
    # sorted by destination: / /out /root/.cache /src /tmp, then secrets, then ssh
    e.mounts.add(input=0, dest="/", output=0)
    e.mounts.add(input=-1, dest="/out", output=1)
    e.mounts.add(
        input=-1,
        dest="/root/.cache",
        output=-1,
        mountType=ops_pb2.CACHE,
        cacheOpt=ops_pb2.CacheOpt(ID="go-build", sharing=ops_pb2.LOCKED),
    )
    e.mounts.add(input=1, dest="/src", output=-1, readonly=True, selector="/app")
    e.mounts.add(
        input=-1,
        dest="/tmp",
        output=-1,
        mountType=ops_pb2.TMPFS,
        TmpfsOpt=ops_pb2.TmpfsOpt(size=1024),
    )
    e.mounts.add(
        input=-1,
        dest="/run/secrets/tok",
        mountType=ops_pb2.SECRET,
        secretOpt=ops_pb2.SecretOpt(ID="tok", mode=0o400, optional=True),
    )
    e.mounts.add(
        input=-1,
        dest="/run/buildkit/ssh_agent.0",
        mountType=ops_pb2.SSH,
        SSHOpt=ops_pb2.SSHOpt(ID="default", mode=0o600),
    )
    e.secretenv.add(ID="tok", name="TOKEN")
    exp.constraints.SetInParent()
    assert op == exp
    assert d.digests[-1] == dig(exp)
    assert set(d.pb.metadata[dig(exp)].caps) == {
        "exec.meta.base",
        "exec.meta.network",
        "exec.meta.security",
        "exec.validexitcode",
        "exec.mount.bind",
        "exec.mount.selector",
        "exec.mount.cache",
        "exec.mount.cache.sharing",
        "exec.mount.tmpfs",
        "exec.mount.tmpfs.size",
        "exec.mount.secret",
        "exec.secretenv",
        "exec.mount.ssh",
    }
    # the /out mount is output 1 of the exec; read-only /src is just its source
    out_state = res.mount("/out")
    assert out_state.output is not None and out_state.output.index == 1
    assert res.mount("/src") == llb.State(ctx.output, AMD64)
    with pytest.raises(ValueError):
        res.mount("/tmp")


def test_exec_shares_input_between_mounts_of_same_output() -> None:
    base = llb.image("busybox", platform=AMD64)
    res = base.run(["true"], mounts=[llb.BindMount("/a", base, readonly=True)])
    op, _ = last_op(res.root)
    assert len(op.inputs) == 1
    assert [m.input for m in op.exec.mounts] == [0, 0]


def test_exec_on_scratch_and_platform_from_state() -> None:
    arm = llb.Platform("linux", "arm64")
    st = llb.scratch().with_platform(arm)
    op, _ = last_op(st.run(["/x"]).root)
    assert len(op.inputs) == 0
    assert op.exec.mounts[0].input == -1 and op.exec.mounts[0].output == 0
    assert op.platform == ops_pb2.Platform(OS="linux", Architecture="arm64")


def test_file_chain_indices_paths_and_owner() -> None:
    base = llb.image("busybox", platform=AMD64)
    src = llb.image("alpine", platform=AMD64)
    chain = (
        llb.mkdir("app", 0o755, make_parents=True, owner=llb.Chown.parse("app:1000"))
        .mkfile("app/f", 0o644, b"hi", created=5)
        .copy(src, "etc/../etc/", "app/", mode="u+x", include_patterns=["*.conf"])
        .rm("app/f", allow_not_found=True)
    )
    out = base.file(chain, cwd="/work")
    op, d = last_op(out)

    exp = ops_pb2.Op()
    exp.inputs.add(digest=dig(BUSYBOX), index=0)
    exp.inputs.add(digest=dig(ALPINE), index=0)
    f = exp.file
    own = ops_pb2.ChownOpt(
        user=ops_pb2.UserOpt(byName=ops_pb2.NamedUserOpt(name="app", input=0)),
        group=ops_pb2.UserOpt(byID=1000),
    )
    f.actions.add(
        input=0,
        secondaryInput=-1,
        output=-1,
        mkdir=ops_pb2.FileActionMkDir(
            path="/work/app", mode=0o755, makeParents=True, owner=own, timestamp=-1
        ),
    )
    f.actions.add(
        input=2,
        secondaryInput=-1,
        output=-1,
        mkfile=ops_pb2.FileActionMkFile(path="/work/app/f", mode=0o644, data=b"hi", timestamp=5),
    )
    f.actions.add(
        input=3,
        secondaryInput=1,
        output=-1,
        copy=ops_pb2.FileActionCopy(
            src="/etc",
            dest="/work/app/",
            modeStr="u+x",
            include_patterns=["*.conf"],
            timestamp=-1,
        ),
    )
    f.actions.add(
        input=4,
        secondaryInput=-1,
        output=0,
        rm=ops_pb2.FileActionRm(path="/work/app/f", allowNotFound=True),
    )
    exp.constraints.SetInParent()
    assert op == exp
    assert not op.HasField("platform")
    assert dict(d.pb.metadata[dig(exp)].caps) == {"file.base": True}


def test_copy_from_scratch_and_default_mode() -> None:
    out = llb.scratch().file(llb.copy(llb.scratch(), "/", "/"))
    op, _ = last_op(out)
    a = op.file.actions[0]
    assert (a.input, a.secondaryInput, a.output) == (-1, -1, 0)
    assert a.copy.mode == -1 and a.copy.timestamp == -1 and a.copy.dest == "/"


def test_normalize_path_keeps_trailing_slash_and_dot() -> None:
    assert llb.normalize_path("/w", "a/b/", True) == "/w/a/b/"
    assert llb.normalize_path("/w", "a/.", True) == "/w/a/."
    assert llb.normalize_path("/", ".", True) == "/"
    assert llb.normalize_path("/", "/.", True) == "/."
    assert llb.normalize_path("/w", "../x", False) == "/x"


def test_merge_and_diff() -> None:
    a = llb.image("busybox", platform=AMD64)
    b = llb.image("alpine", platform=AMD64)
    assert llb.merge([llb.scratch(), a]) is a
    assert llb.merge([llb.scratch()]).is_scratch
    op, d = last_op(llb.merge([a, llb.scratch(), b]))
    exp = ops_pb2.Op()
    exp.inputs.add(digest=dig(BUSYBOX))
    exp.inputs.add(digest=dig(ALPINE))
    exp.merge.inputs.add(input=0)
    exp.merge.inputs.add(input=1)
    exp.constraints.SetInParent()
    assert op == exp
    assert dict(d.pb.metadata[dig(exp)].caps) == {"mergeop": True}

    assert llb.diff(llb.scratch(), b) is b
    op, d = last_op(llb.diff(a, llb.scratch()))
    exp = ops_pb2.Op()
    exp.inputs.add(digest=dig(BUSYBOX))
    exp.diff.lower.input = 0
    exp.diff.upper.input = -1
    exp.constraints.SetInParent()
    assert op == exp
    assert dict(d.pb.metadata[dig(exp)].caps) == {"diffop": True}


def test_local_attrs_and_caps() -> None:
    st = llb.local(
        "context",
        session_id="s1",
        shared_key_hint="context",
        exclude_patterns=["node_modules", "<a&b>"],
        follow_paths=["Dockerfile"],
        differ="none",
    )
    d = llb.marshal(st, default_platform=AMD64)
    op = ops_pb2.Op.FromString(d.ops[0])
    assert not op.HasField("platform")
    assert dict(op.source.attrs) == {
        "local.session": "s1",
        "local.sharedkeyhint": "context",
        "local.excludepatterns": '["node_modules","\\u003ca\\u0026b\\u003e"]',
        "local.followpaths": '["Dockerfile"]',
        "local.differ": "none",
    }
    assert json.loads(op.source.attrs["local.excludepatterns"])[1] == "<a&b>"
    assert set(d.pb.metadata[d.digests[0]].caps) == {
        "source.local",
        "source.local.sessionid",
        "source.local.sharedkeyhint",
        "source.local.excludepatterns",
        "source.local.followpaths",
    }
    unique = ops_pb2.Op.FromString(llb.marshal(llb.local("ctx", unique_id="u")).ops[0])
    assert dict(unique.source.attrs) == {"local.unique": "u"}


def test_http_and_git_sources() -> None:
    d = llb.marshal(
        llb.http("https://x/y.tgz", checksum="sha256:" + "0" * 64, filename="y", perm=0o755, uid=1)
    )
    op = ops_pb2.Op.FromString(d.ops[0])
    assert op.source.identifier == "https://x/y.tgz"
    assert dict(op.source.attrs) == {
        "http.checksum": "sha256:" + "0" * 64,
        "http.filename": "y",
        "http.perm": "0755",
        "http.uid": "1",
    }
    assert "soruce.http.uidgid" in d.pb.metadata[d.digests[0]].caps

    g = ops_pb2.Op.FromString(
        llb.marshal(llb.git("https://github.com/moby/buildkit.git", "v0.13.0", subdir="docs")).ops[
            0
        ]
    )
    assert g.source.identifier == "git://github.com/moby/buildkit.git#v0.13.0:docs"
    assert dict(g.source.attrs) == {
        "git.fullurl": "https://github.com/moby/buildkit.git",
        "git.authtokensecret": "GIT_AUTH_TOKEN",
        "git.authheadersecret": "GIT_AUTH_HEADER",
    }
    s = ops_pb2.Op.FromString(llb.marshal(llb.git("git@github.com:moby/buildkit.git")).ops[0])
    assert s.source.identifier == "git://github.com/moby/buildkit.git"
    assert s.source.attrs["git.mountsshsock"] == "default"


@pytest.mark.parametrize(
    ("ref", "want"),
    [
        ("alpine", "docker.io/library/alpine:latest"),
        ("alpine:3.15", "docker.io/library/alpine:3.15"),
        ("user/app", "docker.io/user/app:latest"),
        ("index.docker.io/foo", "docker.io/library/foo:latest"),
        ("localhost:5000/foo", "localhost:5000/foo:latest"),
        ("ghcr.io/a/b:1", "ghcr.io/a/b:1"),
        ("busybox@sha256:" + "a" * 64, "docker.io/library/busybox@sha256:" + "a" * 64),
    ],
)
def test_image_reference_normalisation(ref: str, want: str) -> None:
    assert llb.normalize_image_ref(ref) == want


@pytest.mark.parametrize("ref", ["Alpine", "a" * 64, "foo:bar:baz", ""])
def test_invalid_image_references(ref: str) -> None:
    with pytest.raises(llb.InvalidReferenceError):
        llb.normalize_image_ref(ref)


_D64 = "0123456789abcdef" * 4
REFERENCE_ERRORS = [
    # the reference's ParseNormalizedNamed, checked against the reference converter
    ("a:b:c", "invalid reference format"),
    ("-x", "invalid reference format"),
    ("a/b:", "invalid reference format"),
    ("\u00b2", "invalid reference format"),
    ("UPPER", "invalid reference format: repository name (library/UPPER) must be lowercase"),
    ("UPPER:bad!", "invalid reference format: repository name (library/UPPER) must be lowercase"),
    (
        f"UPPER@sha256:{_D64}",
        "invalid reference format: repository name (library/UPPER@sha256) must be lowercase",
    ),
    ("foo.com/Bar", "invalid reference format: repository name (Bar) must be lowercase"),
    ("a@md5:" + "0" * 32, "unsupported digest algorithm"),
    ("a@sha256:" + "0" * 32, "invalid checksum digest length"),
    ("a@sha256:" + "A" * 64, "invalid checksum digest format"),
    ("a/" + "b" * 260, "repository name must not be more than 255 characters"),
    ("a" * 64, f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings"),
]


@pytest.mark.parametrize(("ref", "message"), REFERENCE_ERRORS)
def test_invalid_image_reference_messages(ref: str, message: str) -> None:
    with pytest.raises(llb.InvalidReferenceError) as info:
        llb.parse_normalized(ref)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "ref", ["Foo.com/bar", "x:Tag", "[::1]:5000/a", "ab__c", f"a@sha256:{_D64}"]
)
def test_valid_image_references(ref: str) -> None:
    llb.parse_normalized(ref)


@pytest.mark.parametrize(
    ("spec", "user", "group"),
    [
        # client/llb WithUser: strconv.ParseInt(v, 10, 32), else a name
        ("1000:1000", 1000, 1000),
        ("root", 0, None),
        ("+1", 1, None),
        ("  1", "  1", None),
        ("1_0", "1_0", None),
        ("\u0665", "\u0665", None),
        ("2147483648", "2147483648", None),
        ("-2147483648", -(2**31), None),
    ],
)
def test_chown_parse(spec: str, user: object, group: object) -> None:
    c = llb.Chown.parse(spec)
    assert (c.user, c.group) == (user, group)


def test_a_name_whose_first_component_is_no_host_has_no_domain() -> None:
    # ``_`` is no host character: Go's reference parses the whole name as a path with
    # no domain and prints it as written (the fuzzer found the stray leading "/")
    from frontend.llb.reference import normalize_image_ref, parse_normalized

    ref = parse_normalized("public.ecr.aws_docker/library/alpine:3.20")
    assert (ref.domain, ref.path, ref.tag) == ("", "public.ecr.aws_docker/library/alpine", "3.20")
    assert str(ref) == "public.ecr.aws_docker/library/alpine:3.20"
    assert normalize_image_ref(str(ref)) == "public.ecr.aws_docker/library/alpine:3.20"
