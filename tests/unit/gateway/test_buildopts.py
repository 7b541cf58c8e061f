"""BuildOpts (the raw options) from BUILDKIT_FRONTEND_OPT_* environments."""

from __future__ import annotations

import json

from frontend.gateway.buildopts import BuildOpts, parse_env
from frontend.llb import Platform


def test_split_on_first_equals_and_ignore_other_env() -> None:
    opts = parse_env(
        {
            "BUILDKIT_FRONTEND_OPT_0": "build-arg:A=x=y",
            "BUILDKIT_FRONTEND_OPT_1": "no-cache",
            "PATH": "/bin",
            "BUILDKIT_SESSION_ID": "s1",
        }
    )
    assert type(opts) is BuildOpts
    assert dict(opts.opts) == {"build-arg:A": "x=y", "no-cache": ""}
    assert opts.get("no-cache") == "" and "no-cache" in opts and "PATH" not in opts
    assert opts.session_id == "s1"


def test_a_key_given_twice_keeps_the_highest_index() -> None:
    opts = parse_env(
        {"BUILDKIT_FRONTEND_OPT_10": "target=b", "BUILDKIT_FRONTEND_OPT_2": "target=a"}
    )
    assert opts.opts == {"target": "b"}


def test_workers_and_product() -> None:
    workers = [{"ID": "w1", "Platforms": [{"architecture": "arm64", "os": "linux"}]}]
    opts = parse_env(
        {"BUILDKIT_WORKERS": json.dumps(workers), "BUILDKIT_EXPORTEDPRODUCT": "docker"}
    )
    assert opts.exported_product == "docker"
    (worker,) = opts.workers
    assert (worker.id, worker.platforms) == ("w1", (Platform("linux", "arm64"),))
    assert parse_env({"BUILDKIT_WORKERS": "{broken"}).workers == ()
    assert parse_env({"BUILDKIT_WORKERS": '{"not": "a list"}'}).workers == ()
