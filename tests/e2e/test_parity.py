"""Cache and config parity with the engine's built-in Dockerfile frontend.

For every corpus entry under ``tests/fixtures/parity/<case>/`` (and every lesson file),
on both engines of the test bed (the classic image store, and the containerd store
where BuildKit offers MergeOp so ``COPY --link`` merges): build it with the engine's
built-in frontend, then with pyfrontend, and check that

1. every instruction step of our build is CACHED (the reference's build produced the
   same cache keys); with ``--no-cache``/``--no-cache-filter`` the named stages' RUN,
   COPY and ADD steps must run again instead;
2. both builds show the same step names;
3. ``docker image inspect`` Config (Env, Cmd, Entrypoint, WorkingDir, User,
   ExposedPorts, Volumes, Labels, StopSignal, Healthcheck, Shell, OnBuild) is equal,
   and so are the rest of the image config and its history (timestamps aside, unless
   SOURCE_DATE_EPOCH fixes them), read from the engine's content store;
4. the definitions the two frontends handed to BuildKit are the same op for op: both
   are read back from the SLSA provenance BuildKit records for each build (see
   ``docs/reference-llb.md`` section 0) and compared as Merkle trees (so the build
   context's per-session digest does not matter), and
5. every op has the same source locations.

Check 1 alone could be fooled by an earlier build of ours; check 4 cannot.  Cases with
``expect_error`` check that both frontends reject the Dockerfile the same way.

The engine's built-in frontend is older (1.7-ish, BuildKit 0.13) than the syntax we
follow (1.26).  Where they differ, ``DIFFERENCES`` lists the case, what is allowed to
differ and why; nothing is skipped.  Features pyfrontend lacks are strict xfails
(``MISSING``).  ``ADD <url>``/``ADD <git url>`` cases use a local HTTP server.

Cases run in two chains side by side, each case with its own tags; images are removed
after each case.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from testbed.harness import LESSON, TOP, BuildResult, TestBed
from testbed.serve import git, serve_directory

PARITY = TOP / "tests" / "fixtures" / "parity"
# where each engine's content store keeps blobs (provenance records, image configs):
# BuildKit's own store on the classic engine, containerd's with the containerd store
BLOBS = {
    "classic": Path(
        os.environ.get(
            "PYFRONTEND_ENGINE_BLOBS",
            "/var/lib/pyfrontend-engine/data/buildkit/content/blobs/sha256",
        )
    ),
    "containerd": Path(
        os.environ.get(
            "PYFRONTEND_ENGINE_CONTAINERD_BLOBS",
            "/var/lib/pyfrontend-engine-containerd/data/containerd/daemon/"
            "io.containerd.content.v1.content/blobs/sha256",
        )
    ),
}
CONFIG_FIELDS = (
    "Env",
    "Cmd",
    "Entrypoint",
    "WorkingDir",
    "User",
    "ExposedPorts",
    "Volumes",
    "Labels",
    "StopSignal",
    "Healthcheck",
    "Shell",
    "OnBuild",
)
ONBUILD_BASE = "pyfrontend-parity/onbuild-base"


@dataclass(frozen=True, slots=True)
class Case:
    """How one corpus entry is built (the same way by both frontends)."""

    name: str
    dockerfile: Path
    context: Path
    target: str | None = None
    build_args: Mapping[str, str] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    # stages whose steps must NOT be cached (built with --no-cache-filter)
    fresh_stages: tuple[str, ...] = ()
    # build this Dockerfile (with the built-in frontend) and tag it ONBUILD_BASE first
    onbuild_base: Path | None = None
    # both frontends must reject the Dockerfile with this in their error
    expect_error: str = ""
    # the Dockerfile has ``{{URL}}`` placeholders for the test's HTTP server
    uses_server: bool = False
    # built for several platforms: only on the containerd store (with the classic one
    # the docker driver refuses multi-platform builds)
    multi_platform: bool = False


@dataclass(frozen=True, slots=True)
class Difference:
    """What the 0.13 built-in frontend does differently from 1.26, for one case."""

    reason: str
    # the built-in frontend rejects the Dockerfile (a 1.26 feature it lacks)
    builtin_fails: bool = False
    # steps (name fragments) that cannot be cached because 1.26 emits another op
    uncached: tuple[str, ...] = ()
    # ops differ (expected for ``uncached`` steps and what depends on them)
    ops_differ: bool = False
    # history ``created_by`` entries (prefixes of ours) that are written differently
    history: tuple[str, ...] = ()
    # step names (progress) differ
    names_differ: bool = False
    # source locations differ
    locations_differ: bool = False
    # pyfrontend refuses it on this engine, its error naming this (a cap BuildKit 0.13
    # lacks, which would make the image silently different: frontend.dockerui.daemoncaps)
    ours_refused: str = ""


_ARG_HISTORY = (
    "1.26 writes an ARG's history entry with the value it resolved to (build arg, "
    "default, or global value: `ARG TAG=latest`); 0.13 writes it as declared (`ARG TAG`)"
)
_ONBUILD_NAMES = (
    "1.26 counts every ONBUILD trigger in the stage's step total and names trigger steps "
    "`[i/n] ONBUILD ...`; 0.13 neither counts nor marks them (same ops, other names)"
)

_EXPOSE_HISTORY = (
    "1.26 writes EXPOSE's history entry as the port list in the order written "
    "(`EXPOSE [80/tcp 8080/tcp]`, TestExportedHistory); 0.13 prints the Go map "
    "(`EXPOSE map[80/tcp:{} 8080/tcp:{}]`)"
)

DIFFERENCES: dict[str, Difference] = {
    "expose": Difference(_EXPOSE_HISTORY, history=("EXPOSE ",)),
    "misc-config": Difference(_EXPOSE_HISTORY, history=("EXPOSE ",)),
    "user-arg-expand": Difference(_EXPOSE_HISTORY, history=("EXPOSE ",)),
    "global-arg-from": Difference(_ARG_HISTORY, history=("ARG ",)),
    "global-arg-override": Difference(_ARG_HISTORY, history=("ARG ",)),
    "global-arg-scope": Difference(_ARG_HISTORY, history=("ARG ",)),
    "platform-flag": Difference(_ARG_HISTORY, history=("ARG ",)),
    "source-date-epoch": Difference(_ARG_HISTORY, history=("ARG ",)),
    "platform-args": Difference(_ARG_HISTORY, history=("ARG ",)),
    "proxy-args": Difference(_ARG_HISTORY, history=("ARG ",)),
    "onbuild": Difference(_ONBUILD_NAMES, names_differ=True),
    "onbuild-stage": Difference(
        _ONBUILD_NAMES + "; and 1.26 locates trigger ops at the FROM line of the stage that "
        "runs them, 0.13 at line 1 (the trigger parsed on its own)",
        names_differ=True,
        locations_differ=True,
    ),
    "mount-secret": Difference(
        "1.26 marks secret mounts as having no input (input: -1); the 0.13 built-in leaves "
        "input/output unset (0), so the ExecOp bytes and cache keys differ",
        uncached=("RUN --mount=type=secret",),
        ops_differ=True,
    ),
    "copy-chmod-symbolic": Difference(
        "1.26 sends a symbolic --chmod as FileActionCopy.modeStr (mode left 0; the Go llb "
        "never declares the cap); the 0.13 built-in drops it (mode -1). A 0.13 engine "
        "ignores modeStr and would apply mode 0: pyfrontend refuses the build there",
        uncached=("COPY --chmod=u+x", "RUN ls -l /symbolic"),
        ops_differ=True,
        ours_refused="COPY --chmod=u+x,g=r requires the BuildKit capability file.copy.modestring",
    ),
    "arg-chain": Difference(
        "1.26 expands each default of a multi-pair ARG after the previous pair is set "
        "(`ARG B=x C=$B` sees B); 0.13 expands the whole instruction first (C sees no B). "
        "The RUN's env differs, and so does the ARG history entry",
        uncached=("RUN echo",),
        ops_differ=True,
        history=("ARG ", "RUN |"),
        names_differ=True,
    ),
    "build-arg-special": Difference(_ARG_HISTORY, history=("ARG ",)),
    "healthcheck-start-interval": Difference(
        "HEALTHCHECK history entry format (see healthcheck)", history=("HEALTHCHECK",)
    ),
    "mount-ssh": Difference(
        "1.26 marks ssh mounts as having no input (input: -1), like secret mounts",
        uncached=("RUN --mount=type=ssh",),
        ops_differ=True,
    ),
    "copy-parents": Difference(
        "COPY --parents is stable in 1.26 (labs-only in the built-in 1.7)", builtin_fails=True
    ),
    "copy-exclude": Difference(
        "COPY --exclude is stable in 1.26 (labs-only in the built-in 1.7)", builtin_fails=True
    ),
    "arg-build-args": Difference(
        _ARG_HISTORY + "; and the RUN prefix (see run-history-args)", history=("ARG ", "RUN |")
    ),
    "run-history-args": Difference(
        "1.26 de-duplicates the `|N K=V` build-arg prefix of RUN history entries; 0.13 "
        "repeats an ARG declared twice",
        history=("RUN |",),
    ),
    "healthcheck": Difference(
        "1.26 writes the HEALTHCHECK history entry with %+v of the config struct; 0.13 "
        "with %v of a pointer (`&{[...] ...}`)",
        history=("HEALTHCHECK",),
    ),
    "healthcheck-shell": Difference(
        "HEALTHCHECK history entry format (see healthcheck)", history=("HEALTHCHECK",)
    ),
    "healthcheck-none": Difference(
        "HEALTHCHECK history entry format (see healthcheck)", history=("HEALTHCHECK",)
    ),
}


def _cases() -> list[Case]:
    special: dict[str, dict[str, Any]] = {
        "arg-build-args": {"build_args": {"A": "cli-a", "B": "cli-b"}},
        "global-arg-from": {"build_args": {"TAG": "latest", "UNUSED_GLOBAL": "from-cli"}},
        "proxy-args": {
            "build_args": {
                "HTTP_PROXY": "http://proxy.invalid:3128",
                "https_proxy": "http://secure.invalid:3129",
            }
        },
        "target-select": {"target": "wanted"},
        "target-middle": {"target": "two"},
        "target-unreachable-image": {"target": "chosen"},
        "no-cache-filter": {"extra": ("--no-cache-filter", "fresh"), "fresh_stages": ("fresh",)},
        "build-arg-special": {
            "build_args": {"MSG": "spaces and $dollar", "QUOTED": 'it\'s "quoted"'}
        },
        "frontend-options": {
            "extra": (
                "--add-host",
                "parity.invalid:10.1.2.3",
                "--shm-size",
                "64m",
                "--ulimit",
                "nofile=1024:2048",
                "--network",
                "none",
            ),
            "build_args": {"BUILDKIT_CACHE_MOUNT_NS": "parity-ns"},
        },
        "source-date-epoch": {"build_args": {"SOURCE_DATE_EPOCH": "1700000000"}},
        "platform-flag": {"extra": ("--platform", "linux/amd64")},
        "multi-platform": {
            "extra": ("--platform", "linux/amd64,linux/arm64"),
            "multi_platform": True,
        },
        "custom-dockerfile-name": {
            "dockerfile": PARITY / "custom-dockerfile-name" / "sub" / "build.Dockerfile"
        },
        "named-context": {
            "extra": ("--build-context", f"extra={PARITY / 'named-context' / 'extra'}")
        },
        "named-context-image": {
            "extra": ("--build-context", "alpine:3.15=docker-image://busybox:latest")
        },
        "label-option": {"extra": ("--label", "via.option=from-cli")},
        "global-arg-override": {"build_args": {"VERSION": "2.0", "IMAGE": "busybox"}},
        "no-cache-all": {"extra": ("--no-cache",), "fresh_stages": ("*",)},
        "onbuild": {"onbuild_base": PARITY / "onbuild" / "base" / "Dockerfile"},
        # the built-in also says "failed to resolve source metadata for ...": see report
        "mount-from-index": {"expect_error": "failed to solve: 0: "},
        "healthcheck-bad-type": {
            "expect_error": 'Unknown type "CMD-SHELL" in HEALTHCHECK (try CMD)'
        },
        "add-http": {"uses_server": True},
        "add-git": {"uses_server": True},
        "dockerignore-copy-excluded": {"expect_error": '"/secret.txt": not found'},
        "error-copy-from-later": {
            "target": "first",
            "expect_error": 'cannot copy from stage "second"',
        },
        "error-circular": {"expect_error": "circular dependency detected on stage: "},
        "error-unknown-target": {
            "target": "nope",
            "expect_error": 'target stage "nope" could not be found',
        },
        "from-stage-exact-case": {"expect_error": 'failed to parse stage name "Build"'},
    }
    out = []
    for folder in sorted(p for p in PARITY.iterdir() if p.is_dir()):
        opts = dict(special.get(folder.name, {}))
        dockerfile = opts.pop("dockerfile", folder / "Dockerfile")
        if dockerfile.is_file():
            out.append(Case(folder.name, dockerfile, folder, **opts))
    for path in sorted(LESSON.glob("Dockerfile.*")):
        name = "lesson-" + path.name.removeprefix("Dockerfile.").replace(".", "-")
        out.append(Case(name, path, LESSON))
    out.append(
        Case(
            "lesson-poster-big-union",
            LESSON / "Dockerfile.poster.big",
            LESSON,
            target="union",
        )
    )
    return out


CASES = {c.name: c for c in _cases()}


# ------------------------------------------------------------------ building


@dataclass(slots=True)
class Side:
    """One build of a case by one frontend."""

    result: BuildResult
    inspect: dict[str, Any] | None = None
    config_blob: dict[str, Any] | None = None
    ops: dict[str, Any] | None = None  # Merkle hash -> op JSON, from the provenance


@dataclass(slots=True)
class Outcome:
    store: str
    case: Case
    ref: Side
    ours: Side
    seconds: float


def _docker(bed: TestBed, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], env=bed.env, capture_output=True, text=True, check=False, timeout=120
    )


def _build_side(bed: TestBed, case: Case, tag: str, *, ours: bool, url: str) -> Side:
    blobs = BLOBS[bed.store]
    dockerfile: Path | str = case.dockerfile
    if case.uses_server:
        dockerfile = case.dockerfile.read_text().replace("{{URL}}", url)
    nonce = uuid.uuid4().hex
    # an undeclared build arg: no effect on the LLB, but it is recorded in the
    # provenance, which lets us find this build's record among everyone else's
    args = {**case.build_args, "PARITY_NONCE": nonce}
    started = time.time()
    result = bed.build(
        dockerfile,
        case.context,
        target=case.target,
        build_args=args,
        syntax=ours,
        tag=tag,
        extra=case.extra,
        timeout=600,
    )
    side = Side(result)
    if not result.ok:
        return side
    done = _docker(bed, "image", "inspect", tag)
    if done.returncode == 0:
        side.inspect = json.loads(done.stdout)[0]
        side.config_blob = _image_config_blob(blobs, str(side.inspect.get("Id", "")))
    side.ops = _provenance_ops(blobs, nonce, started)
    return side


def _read_blob(blobs: Path, digest: str) -> dict[str, Any] | None:
    path = blobs / digest.removeprefix("sha256:")
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _image_config_blob(blobs: Path, image_id: str) -> dict[str, Any] | None:
    """The image config JSON: the image ID is the config's digest on the classic store,
    the manifest's (or index's) on the containerd store."""
    blob = _read_blob(blobs, image_id)
    for _ in range(3):
        if blob is None or "config" not in blob or "mediaType" not in blob:
            if blob is not None and "manifests" in blob:  # an index: its first manifest
                blob = _read_blob(blobs, str(blob["manifests"][0]["digest"]))
                continue
            return blob
        blob = _read_blob(blobs, str(blob["config"]["digest"]))  # a manifest
    return blob


def _provenance_ops(blobs: Path, nonce: str, started: float) -> dict[str, Any] | None:
    """The ops of the definition(s) BuildKit recorded for the build tagged with
    ``nonce`` (one record per platform: their union), keyed by a Merkle hash of op
    content and inputs (so that the two frontends' ops can be compared although the
    context's per-session digest differs)."""
    token = nonce.encode()
    for _ in range(20):
        try:
            entries = list(os.scandir(blobs))
        except OSError:
            return None
        found: dict[str, Any] = {}
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            if st.st_mtime < started - 2 or st.st_size > 8 << 20:
                continue
            try:
                raw = Path(entry.path).read_bytes()
            except OSError:
                continue
            if b'"buildConfig"' not in raw or token not in raw:
                continue
            prov = json.loads(raw)
            meta = (prov.get("metadata") or {}).get("https://mobyproject.org/buildkit@v1#metadata")
            locations = ((meta or {}).get("source") or {}).get("locations") or {}
            for key, node in merkle_ops(prov["buildConfig"]["llbDefinition"], locations).items():
                found.setdefault(key, node)
        if found:
            return found
        time.sleep(0.25)
    return None


def merkle_ops(
    steps: list[dict[str, Any]], locations: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``{merkle hash: {"op": ..., "inputs": [hash:index, ...], "locations": ...}}`` for
    every op except the final bare one; the hash covers op and inputs, not locations."""
    by_id = {s["id"]: s for s in steps}
    memo: dict[str, str] = {}
    out: dict[str, Any] = {}

    def visit(step_id: str) -> str:
        if step_id in memo:
            return memo[step_id]
        step = by_id[step_id]
        inputs = []
        for ref in step.get("inputs") or ():
            sid, _, index = ref.rpartition(":")
            inputs.append(f"{visit(sid)[:12]}:{index}")
        node = {"op": step["op"], "inputs": inputs}
        key = hashlib.sha256(json.dumps(node, sort_keys=True).encode()).hexdigest()
        memo[step_id] = key
        if (step["op"] or {}).get("Op") is not None:
            out[key] = {**node, "locations": (locations or {}).get(step_id)}
        return key

    for s in steps:
        visit(s["id"])
    return out


def _run_case(bed: TestBed, case: Case, url: str) -> Outcome:
    t0 = time.monotonic()
    slug = case.name.replace("_", "-")
    run = uuid.uuid4().hex[:8]  # tags of this run only (another run may build the case)
    ref_tag, our_tag = f"pyfrontend-parity/{slug}:ref-{run}", f"pyfrontend-parity/{slug}:ours-{run}"
    try:
        ref = _build_side(bed, case, ref_tag, ours=False, url=url)
        ours = _build_side(bed, case, our_tag, ours=True, url=url)
    finally:
        bed.remove_image(ref_tag)
        bed.remove_image(our_tag)
    return Outcome(bed.store, case, ref, ours, time.monotonic() - t0)


@pytest.fixture(scope="module")
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local HTTP server for ``ADD <url>`` and ``ADD <git url>`` (the engines run in
    this host's network namespace): ``hello.txt``, ``archive.tar`` and a bare git
    repository ``repo.git`` (tag ``v1``) served with git's dumb HTTP protocol."""
    root = tmp_path_factory.mktemp("parity-http")
    (root / "hello.txt").write_text("served over http\n")
    shutil.copy(PARITY / "add-tar" / "archive.tar", root / "archive.tar")
    work = root.parent / (root.name + "-work")
    work.mkdir()
    (work / "README").write_text("a repository for ADD <git url>\n")
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "README", cwd=work)
    git("commit", "-q", "-m", "first", cwd=work)
    git("tag", "v1", cwd=work)
    git("clone", "-q", "--bare", str(work), str(root / "repo.git"), cwd=root)
    git("update-server-info", cwd=root / "repo.git")
    with serve_directory(root) as url:
        yield url


@pytest.fixture(scope="module", params=["classic", "containerd"])
def outcomes(
    request: pytest.FixtureRequest, http_server: str
) -> Iterator[dict[str, Future[Outcome]]]:
    """For each engine (the classic image store; the containerd store, where BuildKit
    offers MergeOp and COPY --link merges), start every selected case as soon as the
    engine's tests begin; each test waits for its own."""
    store = str(request.param)
    testbed: TestBed = request.getfixturevalue(
        "testbed" if store == "classic" else "testbed_containerd"
    )
    selected = [
        str(item.callspec.params["name"])
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_parity"
        and hasattr(item, "callspec")
        and item.callspec.params.get("outcomes") == store
    ] or ["stage-from"]
    selected = [n for n in selected if store == "containerd" or not CASES[n].multi_platform]
    for name in selected:
        case = CASES[name]
        if case.onbuild_base is not None:
            base = testbed.build(
                case.onbuild_base, case.onbuild_base.parent, syntax=False, tag=ONBUILD_BASE
            )
            assert base.ok, base.describe()
    # two chains of cases run side by side.  Cases whose Dockerfiles share ops (the
    # lesson files do) must not run at the same time: BuildKit reports a shared vertex
    # under the name the first build gave it, which would mix up the step names.
    lesson = [n for n in selected if n.startswith("lesson-")]
    corpus = [n for n in selected if not n.startswith("lesson-")]
    half = max(0, (len(corpus) - len(lesson)) // 2)
    chains = [lesson + corpus[:half], corpus[half:]]
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="parity")
    futures: dict[str, Future[Outcome]] = {n: Future() for n in selected}

    def run_chain(names: list[str]) -> None:
        for n in names:
            fut = futures[n]
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(_run_case(testbed, CASES[n], http_server))
            except BaseException as exc:
                fut.set_exception(exc)

    for chain in chains:
        pool.submit(run_chain, chain)
    try:
        yield futures
    finally:
        for fut in futures.values():
            fut.cancel()  # cases not started yet are skipped by their chain
        pool.shutdown(wait=True)
        testbed.remove_image(ONBUILD_BASE)


# ------------------------------------------------------------------ checks


def _stage_of(name: str) -> str:
    """``[fresh 2/3] RUN ...`` -> ``fresh``."""
    head = name[1 : name.index("]")].split()
    return head[0] if len(head) > 1 else ""


def _history(blob: dict[str, Any] | None) -> list[tuple[str, bool]]:
    return [
        (str(h.get("created_by", "")), bool(h.get("empty_layer")))
        for h in (blob or {}).get("history") or []
    ]


def _locations(entry: Mapping[str, Any] | None) -> list[str]:
    """An op's source locations, order-free.  Known gap (frontend/llb, reported): Go's
    marshaller gives every op an entry, empty for ops without a location (build
    context, inline documents, cache-mount mkdir); ours omits the entry.  Both mean
    "no location", so a missing entry reads as an empty one."""
    return sorted(json.dumps(loc, sort_keys=True) for loc in (entry or {}).get("locations") or [])


def _history_times(blob: dict[str, Any]) -> list[tuple[str, bool]]:
    """``(created, written by the Dockerfile frontend)`` for each history entry."""
    return [
        (str(h.get("created", "")), h.get("comment") == "buildkit.dockerfile.v0")
        for h in blob.get("history") or []
    ]


def _without_times(blob: dict[str, Any]) -> dict[str, Any]:
    out = dict(blob)
    out.pop("created", None)
    out["history"] = [
        {k: v for k, v in h.items() if k != "created"} for h in out.get("history") or []
    ]
    return out


# Features pyfrontend does not have yet: these cases must fail (strict xfail), so that
# whoever implements the feature sees them pass and removes the entry.
MISSING: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=MISSING[n]))
        if n in MISSING
        else n
        for n in sorted(CASES)
    ],
)
def test_parity(outcomes: dict[str, Future[Outcome]], name: str) -> None:
    if name not in outcomes:
        pytest.skip("multi-platform: the docker driver builds it only with the containerd store")
    outcome = outcomes[name].result()
    case, ref, ours = outcome.case, outcome.ref, outcome.ours
    diff = DIFFERENCES.get(name, Difference(""))
    if case.expect_error:
        for side, who in ((ref, "built-in"), (ours, "pyfrontend")):
            assert not side.result.ok, f"{who} built it"
            assert case.expect_error in side.result.text, f"{who}: {side.result.text}"
        return
    if diff.ours_refused:
        # keep the table honest: pyfrontend must really refuse it, saying why
        assert not ours.result.ok, f"pyfrontend now builds {name}: drop ours_refused"
        assert diff.ours_refused in ours.result.text, ours.result.describe()
        return
    assert ours.result.ok, f"pyfrontend failed:\n{ours.result.describe()}"
    if diff.builtin_fails:
        # keep the table honest: the built-in must really fail on it
        assert not ref.result.ok, f"built-in now builds {name}; drop it from DIFFERENCES"
        return
    assert ref.result.ok, f"built-in frontend failed:\n{ref.result.describe()}"

    # 1. every instruction step of ours is CACHED (except the fresh stages' steps); an
    # image source (FROM) is resolved, never reported CACHED, by either frontend
    # A step may be several vertices under one name (ADD <url>: the http or git
    # source, which is fetched and never reported CACHED, and the copy): a step
    # counts as CACHED when one of its vertices is.
    problems = []
    cached_names = {v.name for v in ours.result.instruction_steps if v.cached}
    for v in {v.name: v for v in ours.result.instruction_steps}.values():
        if "] FROM " in v.name:
            continue
        v = replace(v, cached=v.name in cached_names)
        # no-cache marks RUN, COPY and ADD to run again; a WORKDIR's mkdir is not marked
        # but follows a step that ran again: either way
        in_fresh = "*" in case.fresh_stages or _stage_of(v.name) in case.fresh_stages
        if in_fresh and "] WORKDIR " in v.name:
            continue
        expected_fresh = in_fresh and any(f"] {k} " in v.name for k in ("RUN", "COPY", "ADD"))
        allowed = any(f in v.name for f in diff.uncached)
        if expected_fresh and v.cached:
            problems.append(f"cached but --no-cache-filter names its stage: {v.name}")
        if not expected_fresh and not v.cached and not allowed:
            problems.append(f"not CACHED: {v.name}")
    assert not problems, "\n".join(problems) + "\n" + ours.result.describe()

    # 2. the same step names (FROM aside: an image source op is shared with any build
    # running at the same time, whose name for it the progress stream may show)
    ref_names = sorted({v.name for v in ref.result.instruction_steps if "] FROM " not in v.name})
    our_names = sorted({v.name for v in ours.result.instruction_steps if "] FROM " not in v.name})
    if not diff.names_differ:
        assert our_names == ref_names
    if any("--link" in n for n in our_names):
        # MergeOp only where the engine offers it (containerd store): LINK COPY steps
        linked = any("] LINK COPY " in n for n in our_names)
        assert linked == (outcome.store == "containerd"), our_names

    # 3. image config: the inspect fields, then the whole config blob and history
    assert ref.inspect is not None and ours.inspect is not None
    for key in CONFIG_FIELDS:
        assert ours.inspect["Config"].get(key) == ref.inspect["Config"].get(key), key
    if ref.config_blob is not None and ours.config_blob is not None:
        ref_hist, our_hist = _history(ref.config_blob), _history(ours.config_blob)
        assert len(our_hist) == len(ref_hist), (our_hist, ref_hist)
        for mine, theirs in zip(our_hist, ref_hist, strict=True):
            if mine != theirs and any(mine[0].startswith(f) for f in diff.history):
                continue
            assert mine == theirs
        if "SOURCE_DATE_EPOCH" in case.build_args:  # then the times are the epoch's
            assert ours.config_blob.get("created") == ref.config_blob.get("created")
            our_times = _history_times(ours.config_blob)
            ref_times = _history_times(ref.config_blob)
            if outcome.store == "containerd":
                # Observed, engine side: on the containerd store the exporter clamps
                # the *base image's* history times to the epoch for a gateway
                # frontend's result (not for the built-in's), although the config we
                # return keeps them (checked in-process).  Compare our own entries.
                our_times = [t for t, ours_entry in our_times if ours_entry]
                ref_times = [t for t, ours_entry in ref_times if ours_entry]
            assert our_times == ref_times
        mine_cfg, ref_cfg = _without_times(ours.config_blob), _without_times(ref.config_blob)
        mine_cfg.pop("history"), ref_cfg.pop("history")
        if case.fresh_stages or diff.uncached:  # steps ran again: other layer bytes
            mine_cfg.pop("rootfs"), ref_cfg.pop("rootfs")
        assert mine_cfg == ref_cfg

    # 4. op for op, from the provenance records
    if ref.ops is not None and ours.ops is not None and not diff.ops_differ:
        only_ref = [json.dumps(ref.ops[k]) for k in ref.ops.keys() - ours.ops.keys()]
        only_ours = [json.dumps(ours.ops[k]) for k in ours.ops.keys() - ref.ops.keys()]
        assert not only_ref and not only_ours, (
            "ops only in the reference:\n  "
            + "\n  ".join(only_ref)
            + "\nops only in ours:\n  "
            + "\n  ".join(only_ours)
        )
        # 5. the same source locations for every op (as a multiset: when several uses
        # share an op, Go walks a FileOp's inputs in map order, so their order varies)
        for key, node in ours.ops.items() if not diff.locations_differ else ():
            our_locs = _locations(node["locations"])
            assert our_locs == _locations(ref.ops[key]["locations"]), json.dumps(node["op"])


def test_provenance_is_readable(outcomes: dict[str, Future[Outcome]]) -> None:
    """The op-for-op comparison above needs the engine's content store; make its absence
    visible instead of silently comparing nothing."""
    outcome = next(iter(outcomes.values())).result()
    blobs = BLOBS[outcome.store]
    if not os.access(blobs, os.R_OK):
        pytest.skip(f"{blobs} is not readable: op-for-op comparison not done")
    assert outcome.ref.ops is not None and outcome.ours.ops is not None
    assert outcome.ref.config_blob is not None and outcome.ours.config_blob is not None


def test_corpus_size() -> None:
    assert len([c for c in CASES if not c.startswith("lesson-")]) >= 40
