"""Named build contexts (``--build-context``) through the compiler's hook
(``CompileOptions.named_context``), without a daemon.  The expected ops are what the
reference frontend gave on the test-bed engine for the same Dockerfiles (see the
parity cases ``named-context*``)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from frontend import llb
from frontend.compiler import ContextSource, LocalContext, NamedContext
from frontend.compiler.sources import context_name, follow_paths
from frontend.language.errors import DockerfileError

from .util import AMD64, PATH, Compiled, RecordingResolver, compile_text, image_config, lines

BUSYBOX = "docker.io/library/busybox:latest"
ARM64 = llb.Platform("linux", "arm64")


@dataclass
class FakeContexts:
    """The gateway side of the hook: ``given`` maps a context name (``NAME`` or
    ``NAME::os/arch``) to what loading it gives; records lookups and loads."""

    given: dict[str, NamedContext]
    lookups: list[tuple[str, str]] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    fail: dict[str, Exception] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, name: str, platform: llb.Platform) -> ContextSource | None:
        with self._lock:
            self.lookups.append((name, str(platform)))
        for key in (f"{name}::{platform}", name):
            if key in self.given:
                return ContextSource(key, lambda key=key: self._load(key))  # type: ignore[misc]
        return None

    def _load(self, key: str) -> NamedContext:
        with self._lock:
            self.loads.append(key)
        if key in self.fail:
            raise self.fail[key]
        return self.given[key]


def local_ctx(name: str = "extra", excludes: tuple[str, ...] = ()) -> NamedContext:
    return NamedContext(
        local=LocalContext(
            local_name=name,
            session_id="sess",
            shared_key_hint=f"context:{name}",
            exclude_patterns=excludes,
            custom_name=f"[context {name}] load from client",
        )
    )


def image_ctx(ref: str, key: str, config: dict[str, Any] | None = None) -> NamedContext:
    state = llb.image(
        ref, platform=AMD64, constraints=llb.Constraints.of(custom_name=f"[context {key}] {ref}")
    )
    return NamedContext(state=state, config=json.dumps(config or image_config()).encode())


def compile_with(text: str, contexts: FakeContexts, **opts: Any) -> Compiled:
    return compile_text(text, RecordingResolver(), named_context=contexts, **opts)


def locals_(c: Compiled) -> list[dict[str, str]]:
    return [
        {"id": s.identifier, **dict(s.attrs)}
        for s in c.sources()
        if s.identifier.startswith("local://") and s.identifier != "local://context"
    ]


# -- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("docker.io/library/alpine:latest", "alpine"),
        ("alpine", "alpine"),
        ("alpine:3.15", "alpine:3.15"),
        ("docker.io/library/alpine:3.15", "alpine:3.15"),
        ("docker.io/user/app:latest", "user/app"),
        ("ghcr.io/o/app:1", "ghcr.io/o/app:1"),
        ("extra", "extra"),
    ],
)
def test_context_name_is_the_familiar_name_without_latest(name: str, short: str) -> None:
    assert context_name(name) == short


def test_follow_paths() -> None:
    assert follow_paths({"/b", "/a/x"}) == ["a/x", "b"]
    assert follow_paths({"/b", "/"}) == []
    assert follow_paths(set()) == []


# -- local contexts ------------------------------------------------------------------


def test_copy_from_local_context_follows_the_copied_paths() -> None:
    ctxs = FakeContexts({"extra": local_ctx(excludes=("sub/f",))})
    c = compile_with(
        lines("FROM busybox", "COPY --from=extra named.txt /named.txt", "RUN cat /named.txt"),
        ctxs,
    )
    assert locals_(c) == [
        {
            "id": "local://extra",
            "local.session": "sess",
            "local.sharedkeyhint": "context:extra",
            "local.excludepatterns": '["sub/f"]',
            "local.followpaths": '["named.txt"]',
        }
    ]
    i = next(k for k, op in enumerate(c.ops) if op.source.identifier == "local://extra")
    assert c.names[i] == "[context extra] load from client"
    assert not c.ops[i].HasField("platform")
    # the stage keeps its stage-0 name (an extra implicit state, as in the reference)
    assert "[stage-0 2/3] COPY --from=extra named.txt /named.txt" in c.names
    assert ctxs.loads == ["extra"]
    assert ("extra", "linux/amd64") in ctxs.lookups


def test_each_mount_use_has_its_own_source_with_its_own_paths() -> None:
    ctxs = FakeContexts({"extra": local_ctx()})
    c = compile_with(
        lines(
            "FROM busybox",
            "RUN --mount=from=extra,target=/x cat /x/named.txt",
            "RUN --mount=from=extra,source=sub,target=/y ls /y",
        ),
        ctxs,
    )
    follows = sorted(d.get("local.followpaths", "") for d in locals_(c))
    assert follows == ["", '["sub"]']
    assert c.exec_by_cmd("ls /y").mounts[1].selector == "/sub"


def test_stage_named_like_a_context_is_the_context() -> None:
    ctxs = FakeContexts({"extra": local_ctx()})
    c = compile_with(
        lines(
            "FROM busybox AS extra",
            "RUN false",
            "FROM busybox",
            "COPY --from=extra named.txt /n",
        ),
        ctxs,
    )
    assert not any("false" in e.meta.args[-1] for e in c.execs())
    assert [d["local.followpaths"] for d in locals_(c)] == ['["named.txt"]']
    assert "[stage-1 2/2] COPY --from=extra named.txt /n" in c.names


def test_from_local_context_counts_the_from_step_and_shares_paths() -> None:
    ctxs = FakeContexts({"extra": local_ctx()})
    c = compile_with(
        lines(
            "FROM extra AS s",
            "COPY main.txt /m",
            "FROM busybox",
            "COPY --from=s named.txt /n",
        ),
        ctxs,
    )
    assert "[s 1/2] COPY main.txt /m" in c.names
    assert [d["local.followpaths"] for d in locals_(c)] == ['["named.txt"]']


def test_run_on_a_local_context_uses_all_of_it() -> None:
    ctxs = FakeContexts({"extra": local_ctx()})
    c = compile_with(lines("FROM extra", "RUN ls"), ctxs)
    assert [d.get("local.followpaths") for d in locals_(c)] == [None]
    assert c.result.base_image is not None
    assert c.config["Env"] == [PATH]
    assert "[1/2] RUN ls" in c.names  # the FROM counts, but has no step of ours
    run = c.execs()[0]
    assert run.meta.env == [PATH]


# -- image contexts ------------------------------------------------------------------


def test_from_image_context_applies_its_config_and_skips_resolving() -> None:
    resolver = RecordingResolver()
    ctxs = FakeContexts(
        {
            "alpine:3.15": image_ctx(
                BUSYBOX, "alpine:3.15", image_config(Env=["A=1", PATH], WorkingDir="/w")
            )
        }
    )
    c = compile_text(
        lines("FROM alpine:3.15 AS base", "RUN pwd", "FROM base", "RUN echo $A"),
        resolver,
        named_context=ctxs,
    )
    assert resolver.refs == []  # the context replaces the image
    assert ("alpine:3.15", "linux/amd64") in ctxs.lookups
    image_ops = [s for s in c.sources() if s.identifier.startswith("docker-image://")]
    assert [s.identifier for s in image_ops] == ["docker-image://" + BUSYBOX]
    assert "image.resolvemode" not in image_ops[0].attrs
    assert "[context alpine:3.15] " + BUSYBOX in c.names
    assert c.exec_by_cmd("pwd").meta.cwd == "/w"
    assert "A=1" in list(c.exec_by_cmd("echo $A").meta.env)
    assert "[base 1/2] RUN pwd" in c.names  # FROM counts, without a step of ours
    assert c.result.base_image is not None
    assert "created" not in c.result.base_image.data


def test_copy_from_normalised_name_matches_the_context() -> None:
    ctxs = FakeContexts({"alpine:3.15": image_ctx(BUSYBOX, "alpine:3.15")})
    c = compile_with(
        lines(
            "FROM busybox",
            "COPY --from=alpine:3.15 /etc/passwd /o",
            "COPY --from=docker.io/library/alpine:3.15 /etc/passwd /h",
            "RUN --mount=from=alpine:3.15,target=/a true",
        ),
        ctxs,
    )
    ids = c.identifiers()
    assert ids == ["docker-image://" + BUSYBOX]  # the base and the context: one op
    assert ctxs.loads == ["alpine:3.15"]


def test_stage_named_like_an_image_context_takes_its_platform_and_config() -> None:
    ctxs = FakeContexts(
        {
            "alpine": image_ctx(
                "docker.io/library/alpine:3.15",
                "alpine",
                {**image_config(Cmd=["/bin/sh"]), "architecture": "arm64"},
            )
        }
    )
    c = compile_with(
        lines("FROM busybox AS alpine", "RUN false", "FROM alpine", "RUN echo hi"), ctxs
    )
    assert "[stage-1 1/1] RUN echo hi" in c.names
    assert not any("false" in e.meta.args[-1] for e in c.execs())
    assert c.config["Cmd"] == ["/bin/sh"]
    assert c.image["architecture"] == "arm64"  # the stage's platform is the image's
    assert c.result.platform == AMD64  # the result's is the target's, as the reference's


def test_platform_specific_context_wins() -> None:
    ctxs = FakeContexts(
        {"extra": local_ctx("plain"), "extra::linux/arm64": local_ctx("forarm")},
    )
    c = compile_with(lines("FROM busybox", "COPY --from=extra a /a"), ctxs, target_platform=ARM64)
    assert [d["id"] for d in locals_(c)] == ["local://forarm"]


def test_scratch_and_context_are_never_looked_up() -> None:
    ctxs = FakeContexts({"scratch": local_ctx(), "context": local_ctx()})
    c = compile_with(lines("FROM scratch AS context", "COPY --from=scratch a /a"), ctxs)
    assert locals_(c) == []
    assert ctxs.loads == []


def test_unreachable_stage_never_loads_its_context() -> None:
    ctxs = FakeContexts({"extra": local_ctx()})
    compile_with(lines("FROM busybox", "COPY --from=extra a /a", "FROM busybox", "RUN true"), ctxs)
    assert ctxs.loads == []


def test_load_error_is_located_at_the_instruction() -> None:
    ctxs = FakeContexts({"extra": local_ctx()}, fail={"extra": RuntimeError("no such dir")})
    with pytest.raises(DockerfileError) as info:
        compile_with(lines("FROM busybox", "RUN true", "COPY --from=extra a /a"), ctxs)
    assert info.value.message == "no such dir"
    assert info.value.location is not None and info.value.location.start_line == 3


def test_without_the_hook_a_name_is_an_image() -> None:
    resolver = RecordingResolver()
    compile_text(lines("FROM busybox", "COPY --from=extra a /a"), resolver)
    assert "docker.io/library/extra:latest" in resolver.refs
