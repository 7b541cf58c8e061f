"""The end-to-end test bed: bring the engine and the pyfrontend image up, build
Dockerfiles with ``docker buildx build``, parse ``--progress=rawjson``, run images.

Used by ``tests/e2e/conftest.py`` (as ``testbed.harness``) and ``bench/gateway.py``
(as ``tests.testbed.harness``).  Shell scripts next to this file do the heavy lifting:
``engine.sh`` (engine up/down), ``build-image.sh`` (stand-ins + the image).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent
LESSON = TOP / "tests" / "fixtures" / "lesson"
IMAGE = os.environ.get("PYFRONTEND_IMAGE", "pyfrontend")

# `[stage-0 2/3] RUN ...`, `[build 1/2] FROM ...`: a vertex made from a Dockerfile
# instruction (as opposed to `[internal] ...`, context transfer, export, resolve)
_INSTRUCTION_STEP = re.compile(r"^\[[^\]]*\b\d+/\d+\] ")
_SYNTAX_DIRECTIVE = re.compile(r"^#\s*syntax\s*=", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Vertex:
    """One progress vertex, all rawjson updates for its digest merged."""

    digest: str
    name: str
    cached: bool = False
    started: str | None = None
    completed: str | None = None
    error: str | None = None

    @property
    def is_instruction(self) -> bool:
        return bool(_INSTRUCTION_STEP.match(self.name))


@dataclass(frozen=True, slots=True, repr=False)
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    steps: tuple[Vertex, ...]
    # the client's own text after the JSON stream (error excerpt, ERROR: line)
    text: str = ""
    logs: str = ""  # the vertices' stdout/stderr, in order

    def __repr__(self) -> str:  # short: pytest prints it in every failed assertion
        return f"BuildResult(exit {self.returncode}, {len(self.steps)} vertices)"

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def instruction_steps(self) -> tuple[Vertex, ...]:
        return tuple(v for v in self.steps if v.is_instruction)

    def ran_frontend(self, image: str) -> bool:
        """BuildKit resolved ``image`` (``name`` is ``name:latest``; ``name:tag``) to start
        it as the frontend."""
        ref = image if ":" in image.rsplit("/", 1)[-1] else f"{image}:latest"
        resolved = re.compile(rf"^resolve image config for \S*/{re.escape(ref)}(@\S*)?$")
        return any(resolved.match(v.name) for v in self.steps)

    def step(self, fragment: str) -> Vertex:
        """The one vertex whose name contains ``fragment``."""
        found = [v for v in self.steps if fragment in v.name]
        if len(found) != 1:
            names = "\n  ".join(v.name for v in self.steps)
            raise LookupError(f"{len(found)} vertices contain {fragment!r}; vertices:\n  {names}")
        return found[0]

    def describe(self) -> str:
        """A readable account of the build, for assertion messages."""
        lines = [f"exit {self.returncode}"]
        for v in self.steps:
            state = "ERROR" if v.error else "CACHED" if v.cached else "done" if v.completed else "-"
            lines.append(f"  {state:6} {v.name}" + (f"  ({v.error})" if v.error else ""))
        if self.text.strip():
            lines.append(self.text.rstrip())
        return "\n".join(lines)


def parse_rawjson(stream: str) -> tuple[tuple[Vertex, ...], str, str]:
    """Split ``docker buildx build --progress=rawjson`` stderr into merged vertices
    (in order of first appearance), the plain text around the JSON objects, and the
    vertices' logs.  The stream is a sequence of JSON objects (pretty-printed, one
    after another) each holding some of ``vertexes``, ``statuses``, ``logs``,
    ``warnings``; a vertex is reported again whenever its state changes."""
    decoder = json.JSONDecoder()
    merged: dict[str, Vertex] = {}
    text: list[str] = []
    logs: list[str] = []
    pos = 0
    while pos < len(stream):
        brace = stream.find("{", pos)
        if brace < 0:
            text.append(stream[pos:])
            break
        # a JSON object starts a line; anything else is client text
        if brace > 0 and stream[brace - 1] != "\n":
            eol = stream.find("\n", brace)
            end = len(stream) if eol < 0 else eol + 1
            text.append(stream[pos:end])
            pos = end
            continue
        try:
            obj, end = decoder.raw_decode(stream, brace)
        except json.JSONDecodeError:
            eol = stream.find("\n", brace)
            end = len(stream) if eol < 0 else eol + 1
            text.append(stream[pos:end])
            pos = end
            continue
        text.append(stream[pos:brace])
        pos = end
        if not isinstance(obj, dict):
            continue
        for raw in obj.get("vertexes") or ():
            _merge_vertex(merged, raw)
        for entry in obj.get("logs") or ():
            data = entry.get("data")
            if data:
                logs.append(base64.b64decode(data).decode("utf-8", "replace"))
    plain = "".join(text)
    plain = "\n".join(line for line in plain.splitlines() if line.strip()) + ("\n" if plain else "")
    return tuple(merged.values()), plain, "".join(logs)


@dataclass(frozen=True, slots=True)
class BuildWarning:
    """One ``warnings`` entry of the rawjson stream (a ``client.VertexWarning``)."""

    short: str
    detail: tuple[str, ...]
    url: str
    level: int
    lines: tuple[tuple[int, int], ...]  # (start, end) of each range


def rawjson_warnings(stream: str) -> list[BuildWarning]:
    """The warnings of a ``--progress=rawjson`` stream, in the order reported."""
    decoder = json.JSONDecoder()
    out: list[BuildWarning] = []
    pos = 0
    while (brace := stream.find("{", pos)) >= 0:
        try:
            obj, pos = decoder.raw_decode(stream, brace)
        except json.JSONDecodeError:
            pos = brace + 1
            continue
        if not isinstance(obj, dict):
            continue
        for w in obj.get("warnings") or ():
            out.append(
                BuildWarning(
                    short=base64.b64decode(w.get("short") or "").decode("utf-8", "replace"),
                    detail=tuple(
                        base64.b64decode(d).decode("utf-8", "replace")
                        for d in w.get("detail") or ()
                    ),
                    url=str(w.get("url") or ""),
                    level=int(w.get("level") or 0),
                    lines=tuple(
                        (
                            int(r.get("start", {}).get("line", 0)),
                            int(r.get("end", {}).get("line", 0)),
                        )
                        for r in w.get("range") or ()
                    ),
                )
            )
    return out


def _merge_vertex(merged: dict[str, Vertex], raw: Mapping[str, object]) -> None:
    digest = str(raw.get("digest", ""))
    old = merged.get(digest) or Vertex(digest=digest, name=str(raw.get("name", "")))
    changes: dict[str, object] = {}
    if raw.get("name"):
        changes["name"] = str(raw["name"])
    if raw.get("cached"):
        changes["cached"] = True
    for key in ("started", "completed", "error"):
        if raw.get(key):
            changes[key] = str(raw[key])
    merged[digest] = replace(old, **changes)  # type: ignore[arg-type]


def _answers(host: str) -> bool:
    env = {**os.environ, "DOCKER_HOST": host}
    try:
        done = subprocess.run(
            ["docker", "version", "-f", "{{.Server.Version}}"],
            env=env,
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@dataclass(slots=True)
class TestBed:
    """A running engine with the pyfrontend image; ``close()`` stops the engine if
    ``start()`` had to start it."""

    __test__ = False  # not a pytest test class

    docker_host: str
    image: str = IMAGE
    started_engine: bool = False
    # the engine: classic image store, containerd (MergeOp), or debian12 (docker.io 20.10,
    # BuildKit 0.8)
    store: str = "classic"
    _tmp: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="pyfrontend-e2e-")
    )

    @classmethod
    def start(
        cls, *, build_image: bool = True, log: bool = True, store: str = "classic"
    ) -> TestBed:
        """Bring the test bed up: the engine at $DOCKER_HOST when one answers, else the
        private one (installed and started by engine.sh); then the stand-in images and
        the pyfrontend image from the current tree (build-image.sh). ``store=
        "containerd"`` always uses a private engine with the containerd image store."""
        private = _script_output("engine.sh", "host", store=store)
        wanted = os.environ.get("DOCKER_HOST") or private
        if store != "classic":
            wanted = private
        already = _answers(wanted) or _answers(private)
        host = _script_output("engine.sh", "start", log=log, store=store)
        bed = cls(docker_host=host, started_engine=not already, store=store)
        if build_image:
            try:
                done = subprocess.run(
                    ["bash", str(HERE / "build-image.sh")],
                    env={**bed.env, "PYFRONTEND_IMAGE": bed.image},
                    check=False,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    errors="replace",
                    timeout=1800,
                )
                if log:
                    sys.stderr.write(done.stdout)
                if done.returncode != 0:
                    said = "\n".join(done.stdout.rstrip().splitlines()[-40:])
                    raise TestBedError(f"build-image.sh exited {done.returncode}:\n{said}")
            except BaseException:
                bed.close()
                raise
        return bed

    @classmethod
    def connect(cls) -> TestBed | None:
        """The test bed if an engine already answers (nothing is started), else None."""
        for host in (os.environ.get("DOCKER_HOST"), _script_output("engine.sh", "host")):
            if host and _answers(host):
                return cls(docker_host=host)
        return None

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DOCKER_HOST": self.docker_host,
            "PYFRONTEND_ENGINE_STORE": self.store,
        }

    def close(self) -> None:
        self._tmp.cleanup()
        if self.started_engine:
            subprocess.run(["bash", str(HERE / "engine.sh"), "stop"], env=self.env, check=False)
            self.started_engine = False

    def build(
        self,
        dockerfile: str | bytes | Path,
        context_dir: str | Path,
        *,
        target: str | None = None,
        build_args: Mapping[str, str] | None = None,
        syntax: bool | str = True,
        tag: str | None = None,
        progress: str = "rawjson",
        extra: Sequence[str] = (),
        build_contexts: Mapping[str, str | Path] | None = None,
        timeout: float = 900,
        experimental: bool = False,
    ) -> BuildResult:
        """``docker buildx build`` of ``dockerfile`` (its text or bytes, or a path to it) with the
        context ``context_dir``.

        ``syntax``: True runs the build through pyfrontend (``self.image``); a string names
        another frontend image.  A Dockerfile whose first line is already a
        ``# syntax=`` directive is used as it is; otherwise the frontend is chosen with
        ``--build-arg BUILDKIT_SYNTAX=...``, which leaves line numbers untouched.
        False adds nothing: the engine's built-in frontend builds a file without a
        directive (the reference to compare with).  ``build_contexts``: named contexts
        (``--build-context NAME=VALUE``; a path is a local directory). ``experimental``
        sets ``BUILDX_EXPERIMENTAL=1`` (buildx 0.13's ``--print``, its ``--call``)."""
        if isinstance(dockerfile, Path):
            raw = dockerfile.read_bytes() if dockerfile.is_file() else b""
            text = raw.decode("utf-8", "replace")
            path = dockerfile
        else:
            data = dockerfile if isinstance(dockerfile, bytes) else dockerfile.encode()
            text = data.decode("utf-8", "replace")
            folder = Path(tempfile.mkdtemp(dir=self._tmp.name))
            path = folder / "Dockerfile"
            path.write_bytes(data)
        cmd = ["docker", "buildx", "build", f"--progress={progress}", "-f", str(path)]
        args = dict(build_args or {})
        if syntax and not _SYNTAX_DIRECTIVE.match(text):
            args.setdefault("BUILDKIT_SYNTAX", self.image if syntax is True else str(syntax))
        for key, value in args.items():
            cmd += ["--build-arg", f"{key}={value}"]
        if target:
            cmd += ["--target", target]
        if tag:
            cmd += ["--tag", tag, "--load"]
        for name, value in (build_contexts or {}).items():
            cmd += ["--build-context", f"{name}={value}"]
        cmd += [*extra, str(context_dir)]
        env = {**self.env, "BUILDX_EXPERIMENTAL": "1"} if experimental else self.env
        done = subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",  # the excerpt shows a Dockerfile's bytes as they are
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        if progress == "rawjson":
            steps, plain, logs = parse_rawjson(done.stderr)
        else:
            steps, plain, logs = (), done.stderr, ""
        return BuildResult(done.returncode, done.stdout, done.stderr, steps, plain, logs)

    def run(self, tag: str, *args: str, timeout: float = 120) -> str:
        """``docker run --rm tag args...``: its stdout; raises on a non-zero exit."""
        done = subprocess.run(
            ["docker", "run", "--rm", tag, *args],
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"docker run {tag} {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
            )
        return done.stdout

    def image_config(self, tag: str) -> dict[str, object]:
        """``docker image inspect``'s ``Config`` of ``tag``."""
        out = subprocess.run(
            ["docker", "image", "inspect", "-f", "{{json .Config}}", tag],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        config: dict[str, object] = json.loads(out)
        return config

    def copy_images(self, source: TestBed, *refs: str, timeout: float = 900) -> None:
        """``docker save`` the images ``refs`` from the ``source`` engine and ``docker load``
        them here (an engine with no registry to pull from, e.g. the Debian 12 one)."""
        # `docker save NAME` without a tag saves every tag of NAME: name the one meant
        tagged = [r if ":" in r.rpartition("/")[2] or "@" in r else f"{r}:latest" for r in refs]
        save = subprocess.Popen(["docker", "save", *tagged], env=source.env, stdout=subprocess.PIPE)
        try:
            load = subprocess.run(
                ["docker", "load", "--quiet"],
                env=self.env,
                stdin=save.stdout,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        finally:
            if save.stdout is not None:
                save.stdout.close()
            saved = save.wait(timeout=timeout)
        if saved != 0 or load.returncode != 0:
            raise TestBedError(
                f"copying {' '.join(refs)} to {self.docker_host}: save exit {saved}, "
                f"load exit {load.returncode}: {load.stderr.strip()}"
            )

    def remove_image(self, tag: str) -> None:
        subprocess.run(
            ["docker", "image", "rm", "-f", tag], env=self.env, capture_output=True, check=False
        )


class TestBedError(RuntimeError):
    """A test-bed script failed; the message carries the end of what it said."""

    __test__ = False


def _script_output(script: str, *args: str, log: bool = False, store: str = "classic") -> str:
    """Run a test-bed script; its last stdout line.  Its stderr (progress, and on failure
    the reason: engine.sh's deadline message and the daemon's log lines) is passed on
    when ``log``, and ends the message of the :class:`TestBedError` raised when it fails."""
    cmd = ["bash", str(HERE / script), *args]
    try:
        done = subprocess.run(
            cmd,
            env={**os.environ, "PYFRONTEND_ENGINE_STORE": store},
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            timeout=1800,
        )
    except subprocess.TimeoutExpired as exc:
        raise TestBedError(f"{script} {' '.join(args)} ({store}): no answer in 1800 s") from exc
    if log and done.stderr:
        sys.stderr.write(done.stderr)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        said = "\n".join(done.stderr.rstrip().splitlines()[-40:])
        raise TestBedError(f"{script} {' '.join(args)} ({store}) exited {done.returncode}:\n{said}")
    return lines[-1]
