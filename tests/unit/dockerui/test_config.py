"""BuildOptions (the Dockerfile frontend's view of the options) from
BUILDKIT_FRONTEND_OPT_* environments."""

from __future__ import annotations

import json

import pytest

from frontend.compiler import CompileOptions
from frontend.dockerui.config import BuildOptions, CacheImport, OptionError, parse_platform
from frontend.gateway.buildopts import parse_env
from frontend.llb import HostIP, Platform, Ulimit


def options(environ: dict[str, str]) -> BuildOptions:
    return BuildOptions.of(parse_env(environ))


def env(*pairs: str, **extra: str) -> dict[str, str]:
    out = {f"BUILDKIT_FRONTEND_OPT_{i}": p for i, p in enumerate(pairs)}
    out.update(extra)
    return out


def test_split_on_first_equals_and_ignore_other_env() -> None:
    opts = options(
        env("build-arg:A=x=y", "label:k=", "no-cache", PATH="/bin", BUILDKIT_SESSION_ID="s1")
    )
    assert dict(opts.opts) == {"build-arg:A": "x=y", "label:k": "", "no-cache": ""}
    assert opts.build_args == {"A": "x=y"}
    assert opts.labels == {"k": ""}
    assert opts.session_id == "s1"


def test_order_independent() -> None:
    a = options({"BUILDKIT_FRONTEND_OPT_0": "target=a", "BUILDKIT_FRONTEND_OPT_1": "x=1"})
    b = options({"BUILDKIT_FRONTEND_OPT_1": "x=1", "BUILDKIT_FRONTEND_OPT_0": "target=a"})
    assert a == b
    assert a.target == "a"


def test_defaults() -> None:
    opts = options({})
    assert opts.filename == "Dockerfile"
    assert opts.dockerfile_key == "dockerfile"
    assert not opts.force_local_dockerfile
    assert opts.context_key == "context"
    assert opts.target == ""
    assert opts.target_platforms == ()
    assert opts.no_cache is None
    assert not CompileOptions(no_cache=opts.no_cache).is_no_cache("build")
    assert opts.image_resolve_mode == "default"
    assert opts.network_mode == "default" == CompileOptions().network_mode
    assert opts.shm_size == 0
    assert opts.ulimits == ()
    assert opts.add_hosts == ()
    assert opts.multi_platform is False
    assert opts.request_id == ""
    assert opts.cmdline is None
    assert opts.source is None
    opts.validate()


def test_dockerfile_and_context_keys() -> None:
    opts = options(
        env(
            "filename=sub/Dockerfile.dev",
            "dockerfilekey=df2",
            "contextkey=ctxurl",
            "ctxurl=https://example.com/ctx.tar",
            "contextsubdir=app",
            "local-sessionid:df2=other",
            BUILDKIT_SESSION_ID="main",
        ),
    )
    assert opts.filename == "sub/Dockerfile.dev"
    assert opts.dockerfile_key == "df2"
    assert opts.force_local_dockerfile
    assert opts.remote_context == "https://example.com/ctx.tar"
    assert opts.context_subdir == "app"
    assert opts.session_for_local("df2") == "other"
    assert opts.session_for_local("context") == "main"


def test_no_cache() -> None:
    # the option's parsing; which stages it hits is the compiler's one rule
    every = options(env("no-cache=")).no_cache
    assert every == ()
    assert CompileOptions(no_cache=every).is_no_cache("anything")
    some = options(env("no-cache=Build,test")).no_cache
    assert some == ("Build", "test")
    assert CompileOptions(no_cache=some).is_no_cache("build")
    assert not CompileOptions(no_cache=some).is_no_cache("final")


def test_network_mode_in_the_compilers_words() -> None:
    assert options(env("force-network-mode=sandbox")).network_mode == "default"
    assert options(env("force-network-mode=none")).network_mode == "none"
    assert options(env("force-network-mode=host")).network_mode == "host"


def test_platforms() -> None:
    opts = options(env("platform=linux/amd64,linux/arm64/v8,linux/arm"))
    assert opts.target_platforms == (
        Platform("linux", "amd64"),
        Platform("linux", "arm64"),
        Platform("linux", "arm", "v7"),
    )
    assert opts.multi_platform
    assert str(opts.target_platforms[2]) == "linux/arm/v7"
    assert parse_platform("x86_64") == Platform("linux", "amd64")
    assert parse_platform("windows(10.0.17763)/amd64").os_version == "10.0.17763"
    with pytest.raises(OptionError):
        parse_platform("linux//amd64")
    with pytest.raises(OptionError):
        parse_platform("nonsense")


def test_multi_platform_rules() -> None:
    assert options(env("multi-platform=true")).multi_platform
    assert options(env("build-arg:BUILDKIT_MULTI_PLATFORM=1")).multi_platform
    with pytest.raises(OptionError, match="invalid boolean value for multi-platform: maybe"):
        options(env("multi-platform=maybe")).validate()
    with pytest.raises(OptionError, match="conflicting config"):
        _ = options(env("platform=linux/amd64,linux/arm64", "multi-platform=false")).multi_platform


def test_run_settings() -> None:
    opts = options(
        env(
            'add-hosts=a=1.2.3.4,"B=::1"',
            "ulimit=nofile=1024:2048,nproc=10",
            "shm-size=65536",
            "force-network-mode=none",
            "hostname=h",
            "cgroup-parent=cg",
            "image-resolve-mode=pull",
        )
    )
    assert opts.add_hosts == (HostIP("a", "1.2.3.4"), HostIP("b", "::1"))
    assert opts.ulimits == (Ulimit("nofile", 1024, 2048), Ulimit("nproc", 10, 10))
    assert opts.shm_size == 65536
    assert opts.network_mode == "none"
    assert opts.hostname == "h"
    assert opts.cgroup_parent == "cg"
    assert opts.image_resolve_mode == "pull"
    opts.validate()
    assert options(env("hostname=h", "build-arg:BUILDKIT_SANDBOX_HOSTNAME=b")).hostname == "b"


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("image-resolve-mode=sometimes", "invalid image-resolve-mode: sometimes"),
        ("force-network-mode=bridge", "invalid netmode bridge"),
        ("add-hosts=nohost", "invalid key-value pair nohost"),
        ("add-hosts=a=300.1.1.1", "failed to parse IP 300.1.1.1"),
        ("ulimit=bogus=1", "invalid ulimit type: bogus"),
        ("ulimit=nofile=5:2", "soft limit must be less than or equal to hard limit: 5 > 2"),
        ("shm-size=1g", "failed to parse shm size"),
        ("platform=linux/amd64,", "failed to parse target platform"),
        ("cache-imports=not json", "failed to unmarshal cache-imports"),
        ("override-copy-image=x", 'support for "override-copy-image" was removed'),
    ],
)
def test_invalid_options(pair: str, message: str) -> None:
    with pytest.raises(OptionError, match=message.replace("(", r"\(")):
        options(env(pair)).validate()


def test_named_contexts_caps_request_and_more() -> None:
    opts = options(
        env(
            "context:base=docker-image://alpine:3.15",
            "context:src=local:src",
            "frontend.caps=moby.buildkit.frontend.contexts+forward",
            "requestid=frontend.outline",
            "cmdline=pyfrontend",
            "source=pyfrontend",
            "attest:sbom=",
            "build-arg:SOURCE_DATE_EPOCH=1700000000",
            "build-arg:BUILDKIT_CACHE_MOUNT_NS=ns",
            'cache-imports=[{"Type":"registry","Attrs":{"ref":"r1"}}]',
            "cache-from=r2",
        )
    )
    assert opts.named_contexts == {"base": "docker-image://alpine:3.15", "src": "local:src"}
    assert opts.frontend_caps == ("moby.buildkit.frontend.contexts+forward",)
    assert opts.request_id == "frontend.outline"
    assert opts.cmdline == "pyfrontend"
    assert opts.source == "pyfrontend"
    assert opts.attests == {"sbom": ""}
    assert opts.cache_namespace == "ns"
    assert opts.cache_imports == (
        CacheImport("registry", {"ref": "r1"}),
        CacheImport("registry", {"ref": "r2"}),
    )


def test_workers_and_product() -> None:
    workers = [
        {
            "ID": "w1",
            "Labels": {"org.mobyproject.buildkit.worker.executor": "oci"},
            "Platforms": [
                {"architecture": "arm64", "os": "linux"},
                {"architecture": "amd64", "os": "linux"},
            ],
            "BuildkitVersion": {"package": "github.com/moby/buildkit", "version": "v0.13.2"},
        }
    ]
    opts = options({"BUILDKIT_WORKERS": json.dumps(workers), "BUILDKIT_EXPORTEDPRODUCT": "docker"})
    assert opts.exported_product == "docker"
    assert opts.workers[0].id == "w1"
    assert opts.workers[0].buildkit_version.version == "v0.13.2"
    assert opts.build_platforms == (Platform("linux", "arm64"),)
    assert options({"BUILDKIT_WORKERS": "{broken"}).workers == ()


def test_workers_as_buildkit_013_writes_them() -> None:
    # captured from dockerd 26.1 (BuildKit 0.13): lowercase keys
    text = (
        '[{"id":"5950fd6d","labels":{"org.mobyproject.buildkit.worker.moby.host-gateway-ip":'
        '"172.17.0.1"},"platforms":[{"architecture":"amd64","os":"linux"},{"architecture":'
        '"amd64","os":"linux","variant":"v2"}],"gcPolicy":null,"buildkitVersion":{"package":'
        '"github.com/moby/buildkit","version":"v0.0.0+unknown-moby","revision":""}}]'
    )
    opts = options({"BUILDKIT_WORKERS": text})
    (worker,) = opts.workers
    assert worker.id == "5950fd6d"
    assert worker.labels["org.mobyproject.buildkit.worker.moby.host-gateway-ip"] == "172.17.0.1"
    assert worker.platforms[1] == Platform("linux", "amd64", "v2")
    assert worker.buildkit_version.version == "v0.0.0+unknown-moby"
    assert opts.build_platforms == (Platform("linux", "amd64"),)


def test_option_error_is_a_user_error() -> None:
    from frontend.gateway.errors import UserError

    with pytest.raises(UserError):
        options(env("force-network-mode=x")).validate()
