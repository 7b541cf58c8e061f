"""The fuzz engine: seeds, mutators, varied options, the oracle and crash records.

Everything is driven by one ``random.Random(seed)``: the same seed and inputs-count give
the same inputs. A case is a Dockerfile (bytes, or a ``str`` for the Python API) plus
compile options, base-image configs (with ONBUILD triggers) and named contexts. The
oracle runs the pipeline under a per-case time budget (``SIGALRM``); an exception other
than ``DockerfileError`` is a crash, running out of budget a timeout. Crashes are
recorded as JSON in ``tests/fuzz/crashes`` and replayed by the unit tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

TOP = Path(__file__).resolve().parents[2]
CRASHES = Path(__file__).with_name("crashes")

TOKENS: tuple[str, ...] = (
    # instructions
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ARG ",
    "ENV ",
    "LABEL ",
    "EXPOSE ",
    "WORKDIR ",
    "USER ",
    "VOLUME ",
    "CMD ",
    "ENTRYPOINT ",
    "SHELL ",
    "HEALTHCHECK ",
    "STOPSIGNAL ",
    "ONBUILD ",
    "MAINTAINER ",
    "from ",
    "run ",
    # flags
    "--from=",
    "--from=0 ",
    "--mount=type=cache,target=/c ",
    "--mount=type=bind,source=. ",
    "--mount=type=tmpfs,target=/t,size=",
    "--mount=type=secret,id=s,env=S ",
    "--mount=type=ssh ",
    "--mount=from=",
    "--chmod=",
    "--chown=",
    "--link ",
    "--parents ",
    "--exclude=",
    "--checksum=sha256:",
    "--platform=",
    "--network=none ",
    "--security=insecure ",
    "--interval=",
    "--start-period=",
    "--keep-git-dir ",
    "--retries=",
    "uid=",
    "gid=",
    "mode=",
    "sharing=locked,",
    "id=",
    # words and expansions
    " AS ",
    " as ",
    "scratch",
    "busybox",
    "alpine:3.20@sha256:" + "a" * 64,
    "$",
    "${",
    "}",
    "${a}",
    "${a:-b}",
    "${a:+b}",
    "${a#*}",
    "${a##*a*b}",
    "${a%%b}",
    "${a/x/y}",
    "${a//a/b}",
    "${a:?err}",
    "$BUILDPLATFORM",
    "$TARGETPLATFORM",
    "${TARGETARCH}",
    "SOURCE_DATE_EPOCH",
    "[z-a]",
    "[!a]",
    "*",
    "?",
    # heredocs, quoting, escapes, comments, directives
    "<<EOF\n",
    "<<-EOF\n",
    "<<'EOF'\n",
    '<<"EOF"\n',
    "0<<EOF\n",
    "EOF\n",
    "\tEOF\n",
    "'",
    '"',
    "\\",
    "\\\n",
    "\n",
    "\n\n",
    "#",
    "# comment\n",
    "# syntax=docker/dockerfile:1\n",
    "# escape=`\n",
    "# check=skip=all;error=true\n",
    "`",
    "\r\n",
    "\t",
    " ",
    '["a", "b"]',
    '["/bin/sh", "-c", "x"]',
    "[]",
    '["a"] tail',
    "{",
    "=",
    "a=b ",
    "a b",
    # numbers and unusual characters
    "9" * 400,
    "1" * 5000,
    "0-65535",
    "80/tcp",
    "1-6553553/udp",
    "-1",
    "0x10",
    "07777",
    "64a",
    "2²",
    "İ/m",
    "\u00a0",
    "\u202e",
    "\x00",
    "\xff",
    "é",
    "日本",
    "🐳",
    "http://h/x.tgz",
    "https://github.com/o/r.git#v1:sub",
    "git@github.com:o/r.git",
    "https://github.com/o/r/releases/download/v1/x.tgz",
    "c:\\\\windows",
)
PLATFORMS = ("", "linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64", "linux/386")
ARG_POOL: tuple[tuple[str, str], ...] = (
    ("A", "1"),
    ("B", "two words"),
    ("TAG", "latest"),
    ("IMAGE", "busybox"),
    ("SOURCE_DATE_EPOCH", "1700000000"),
    ("SOURCE_DATE_EPOCH", "-1"),
    ("SOURCE_DATE_EPOCH", "18446744073709551616"),
    ("SOURCE_DATE_EPOCH", "context"),
    ("BUILDKIT_CACHE_MOUNT_NS", "ns"),
    ("HTTP_PROXY", "http://p:1"),
    ("TARGETPLATFORM", "linux/arm64"),
    ("BUILDPLATFORM", "x"),
    ("a", "${a}$a"),
    ("VERSION", "9" * 50),
    ("EMPTY", ""),
)
STAGE = re.compile(rb"^\s*FROM\s.*\sAS\s+(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Case:
    """One input: the Dockerfile and everything the compile is given."""

    dockerfile: bytes | str
    target: str = ""
    platform: str = ""
    build_args: dict[str, str] = field(default_factory=dict)
    caps: str = "all"  # all | unknown | none
    no_cache: str = "off"  # off | all | NAME
    base_config: dict[str, Any] = field(default_factory=dict)  # every base image's config
    contexts: dict[str, str] = field(default_factory=dict)  # name -> image | local

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {k: v for k, v in self.__dict__.items() if k != "dockerfile"}
        if isinstance(self.dockerfile, bytes):
            d["dockerfile_b64"] = base64.b64encode(self.dockerfile).decode()
        else:
            d["dockerfile_str"] = self.dockerfile
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Case:
        d = dict(d)
        if "dockerfile_b64" in d:
            df: bytes | str = base64.b64decode(d.pop("dockerfile_b64"))
        else:
            df = d.pop("dockerfile_str")
        return cls(dockerfile=df, **d)


@dataclass
class Outcome:
    kind: str  # ok | error | crash | timeout
    detail: str = ""
    signature: str = ""  # for crashes: exception type and innermost frontend frame


class Timeout(BaseException):
    """The case ran out of its time budget (raised from SIGALRM)."""


def seeds() -> list[bytes]:
    found = [p for p in (TOP / "tests" / "fixtures").rglob("*") if "Dockerfile" in p.name]
    corpus = TOP / "tests" / "golden" / "corpus"
    if corpus.is_dir():
        found += list(corpus.glob("*"))
    files = sorted(p for p in found if p.is_file() and not p.name.endswith(".dockerignore"))
    return [p.read_bytes() for p in files]


def _mutate_text(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    choice = rng.randrange(10)
    tok = rng.choice(TOKENS).encode("utf-8", "surrogatepass")
    pos = rng.randrange(len(data) + 1)
    if choice <= 2:  # insert a token
        return data[:pos] + tok + data[pos:]
    if choice == 3:  # replace a span with a token
        end = min(len(data), pos + rng.randrange(1, 16))
        return data[:pos] + tok + data[end:]
    if choice == 4:  # delete a span
        end = min(len(data), pos + rng.randrange(1, 32))
        return data[:pos] + data[end:]
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    if choice == 5:  # duplicate or drop a line
        if rng.random() < 0.5:
            lines.insert(i, lines[i])
        elif len(lines) > 1:
            del lines[i]
    elif choice == 6:  # swap two lines
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 7:  # splice in a line of another seed
        other = rng.choice(pool).split(b"\n")
        lines.insert(i, rng.choice(other))
    elif choice == 8:  # repeat a token many times (depth, size)
        n = rng.choice((2, 10, 50, 400, 2000))
        return data[:pos] + tok * n + data[pos:]
    else:  # flip a byte
        if data:
            k = rng.randrange(len(data))
            return data[:k] + bytes([rng.randrange(256)]) + data[k + 1 :]
    return b"\n".join(lines)


def _base_config(rng: random.Random) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    if rng.random() < 0.5:
        cfg["Env"] = rng.choice([["PATH=/usr/bin:/bin"], ["A=1", "B=2"], [], ["NOEQ"], ["PATH="]])
    if rng.random() < 0.3:
        cfg["WorkingDir"] = rng.choice(["/app", "", "rel", "/a/../b/"])
    if rng.random() < 0.3:
        cfg["User"] = rng.choice(["1000", "app:app", "", "root"])
    if rng.random() < 0.3:
        cfg["Shell"] = rng.choice([["/bin/bash", "-c"], [], ["cmd", "/S", "/C"]])
    if rng.random() < 0.4:
        cfg["OnBuild"] = rng.sample(
            [
                "RUN echo onbuild",
                "COPY --from=other x y",
                "COPY --from=0 a b",
                "RUN --mount=from=busybox,target=/m true",
                "ONBUILD RUN x",
                "FROM x",
                "ARG Q",
                "BADCMD",
                "COPY --from=${A} a b",
            ],
            rng.randrange(1, 4),
        )
    if rng.random() < 0.2:
        cfg["ExposedPorts"] = {"80/tcp": {}}
    if rng.random() < 0.2:
        cfg["Labels"] = {"a": "b"}
    return {
        "config": cfg,
        "os": "linux",
        "architecture": "amd64",
        "rootfs": {
            "type": "layers",
            "diff_ids": [] if rng.random() < 0.1 else ["sha256:" + "0" * 64],
        },
    }


def cases(seed: int) -> Iterator[Case]:
    """An endless, deterministic stream of cases."""
    rng = random.Random(seed)
    pool = seeds()
    while True:
        data = rng.choice(pool)
        for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
            data = _mutate_text(rng, data, pool)
        stages = [m.decode(errors="replace") for m in STAGE.findall(data)]
        case = Case(dockerfile=data)
        r = rng.random()
        if stages and r < 0.4:
            case.target = rng.choice(stages)
        elif r < 0.45:
            case.target = rng.choice(("nosuch", "Build", "0", "-", ""))
        case.platform = rng.choice(PLATFORMS)
        for k, v in rng.sample(ARG_POOL, rng.randrange(0, 4)):
            case.build_args[k] = v
        case.caps = rng.choice(("all", "all", "unknown", "none"))
        case.no_cache = rng.choice(("off", "off", "all", stages[0] if stages else "x"))
        if rng.random() < 0.5:
            case.base_config = _base_config(rng)
        if rng.random() < 0.2:
            for name in rng.sample(["busybox", "alpine", "base", "src", "scratch"], 2):
                case.contexts[name] = rng.choice(("image", "local"))
        if rng.random() < 0.03:  # the Python API takes str: lone surrogates, any code point
            text = data.decode("utf-8", "replace")
            k = rng.randrange(len(text) + 1)
            case.dockerfile = (
                text[:k] + rng.choice(("\ud800", "\udfff", "\x00", "\U0010ffff")) + text[k:]
            )
        yield case


def run_case(case: Case, budget: float = 2.0) -> Outcome:
    """Run the pipeline on ``case``; the caller's thread must be the main thread."""
    from frontend import llb
    from frontend.compiler import CompileOptions, compile_dockerfile
    from frontend.compiler.options import (
        ContextSource,
        LocalContext,
        NamedContext,
        ResolvedImage,
    )
    from frontend.language import DockerfileError, parse_dockerfile

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Timeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        platform = (
            llb.Platform.parse(case.platform) if case.platform else llb.Platform("linux", "amd64")
        )
        config = json.dumps(case.base_config).encode() if case.base_config else b""

        def resolver(ref: str, p: llb.Platform, log_name: str) -> ResolvedImage:
            digest = "sha256:" + hashlib.sha256(ref.encode()).hexdigest()
            return ResolvedImage(ref, digest, config)

        def lookup(name: str, p: llb.Platform) -> ContextSource | None:
            kind = case.contexts.get(name)
            if kind is None:
                return None
            if kind == "local":
                return ContextSource(name, lambda: NamedContext(local=LocalContext(name)))
            img = llb.image("docker.io/library/busybox:latest", platform=p)
            return ContextSource(name, lambda: NamedContext(state=img, config=config or None))

        caps = {"all": llb.caps.ALL, "unknown": None, "none": frozenset()}[case.caps]
        no_cache: tuple[str, ...] | None = None
        if case.no_cache == "all":
            no_cache = ()
        elif case.no_cache != "off":
            no_cache = (case.no_cache,)
        opts = CompileOptions(
            target=case.target,
            build_args=case.build_args,
            target_platform=platform,
            build_platform=platform,
            platform_explicit=bool(case.platform),
            llb_caps=caps,
            no_cache=no_cache,
            named_context=lookup if case.contexts else None,
        )
        try:
            result = compile_dockerfile(parse_dockerfile(case.dockerfile), opts, resolver)
            result.definition().to_bytes()
            result.image.to_json()
        except DockerfileError as e:
            return Outcome("error", e.message[:200])
        return Outcome("ok")
    except Timeout:
        return Outcome("timeout", f"over {budget} s", "timeout")
    except RecursionError as e:
        return Outcome("crash", repr(e)[:300], _signature(e))
    except Exception as e:  # the oracle: anything but DockerfileError is a crash
        return Outcome("crash", "".join(traceback.format_exception(e))[-2000:], _signature(e))
    except MemoryError as e:
        return Outcome("crash", "MemoryError", _signature(e))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _signature(e: BaseException) -> str:
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if "/frontend/" in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    at = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    return f"{type(e).__name__} at {at}"


def save(case: Case, outcome: Outcome, where: Path = CRASHES) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    record = {"signature": outcome.signature, "case": case.to_json()}
    data = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=True)
    path = where / (hashlib.sha256(data.encode()).hexdigest()[:16] + ".json")
    path.write_text(data + "\n")
    return path


def load(path: Path) -> Case:
    return Case.from_json(json.loads(path.read_text())["case"])
