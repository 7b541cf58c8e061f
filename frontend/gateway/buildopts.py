"""What BuildKit hands a gateway frontend besides the connection: its build options.

Owned step: ``frontend.gateway`` (inputs). BuildKit passes every frontend option as
an environment variable ``BUILDKIT_FRONTEND_OPT_<i>=<key>=<value>`` (index order is
random; the key ends at the first ``=``), plus ``BUILDKIT_SESSION_ID``,
``BUILDKIT_WORKERS`` (JSON) and ``BUILDKIT_EXPORTEDPRODUCT``.

:func:`parse_env` turns such a mapping into a :class:`BuildOpts` (the reference's
``client.BuildOpts``): the raw ``key -> value`` options, the session, the workers
and the product. What the options mean to a Dockerfile build is
:mod:`frontend.dockerui.config`'s business, not the protocol's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from frontend.records import field, record

if TYPE_CHECKING:
    from frontend.llb.platform import Platform

__all__ = ["BuildOpts", "BuildkitVersion", "WorkerInfo", "parse_env", "parse_opts"]

OPT_PREFIX: Final = "BUILDKIT_FRONTEND_OPT_"
ENV_SESSION_ID: Final = "BUILDKIT_SESSION_ID"
ENV_WORKERS: Final = "BUILDKIT_WORKERS"
ENV_PRODUCT: Final = "BUILDKIT_EXPORTEDPRODUCT"


@record(frozen=True, slots=True)
class BuildkitVersion:
    """A worker's BuildKit version (``BUILDKIT_WORKERS``' ``buildkitVersion``)."""

    package: str = ""
    version: str = ""
    revision: str = ""


@record(frozen=True, slots=True)
class WorkerInfo:
    """One worker of ``BUILDKIT_WORKERS``: its id, labels, platforms and version."""

    id: str
    labels: Mapping[str, str]
    platforms: tuple[Platform, ...]
    buildkit_version: BuildkitVersion = BuildkitVersion()


@record(frozen=True, slots=True)
class BuildOpts:
    """Everything BuildKit told the frontend: ``opts`` holds the raw options."""

    opts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    session_id: str = ""
    workers: tuple[WorkerInfo, ...] = ()
    exported_product: str = ""

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.opts.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.opts


# -- from the environment -----------------------------------------------------------


def _pick(obj: Mapping[str, Any], *names: str) -> Any:
    """The first of ``names`` present in ``obj`` (BuildKit writes lowercase JSON keys,
    e.g. ``id``, ``platforms``, ``buildkitVersion``; Go field names are accepted too)."""
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _parse_workers(text: str) -> tuple[WorkerInfo, ...]:
    """``BUILDKIT_WORKERS``; like the reference, unreadable JSON means no workers."""
    if not text:
        return ()
    try:
        data = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(data, list):
        return ()
    from frontend.llb.platform import Platform

    workers: list[WorkerInfo] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        version = _pick(item, "buildkitVersion", "BuildkitVersion") or {}
        if not isinstance(version, dict):
            version = {}
        platforms = _pick(item, "platforms", "Platforms") or []
        labels = _pick(item, "labels", "Labels") or {}
        workers.append(
            WorkerInfo(
                id=str(_pick(item, "id", "ID") or ""),
                labels=MappingProxyType({str(k): str(v) for k, v in labels.items()}),
                platforms=tuple(Platform.from_json(p) for p in platforms if isinstance(p, dict)),
                buildkit_version=BuildkitVersion(
                    package=str(_pick(version, "package", "Package") or ""),
                    version=str(_pick(version, "version", "Version") or ""),
                    revision=str(_pick(version, "revision", "Revision") or ""),
                ),
            )
        )
    return tuple(workers)


def parse_opts(env: Mapping[str, str]) -> dict[str, str]:
    """The raw options from ``BUILDKIT_FRONTEND_OPT_<i>`` variables."""
    items: list[tuple[int, str, str]] = []
    for name, value in env.items():
        if not name.startswith(OPT_PREFIX):
            continue
        suffix = name[len(OPT_PREFIX) :]
        index = int(suffix) if suffix.isdigit() else -1
        key, _, val = value.partition("=")
        items.append((index, key, val))
    # deterministic: a key given twice keeps the value of the highest index
    return {key: val for _, key, val in sorted(items)}


def parse_env(env: Mapping[str, str]) -> BuildOpts:
    """:class:`BuildOpts` from an environment mapping (e.g. ``os.environ``)."""
    return BuildOpts(
        opts=MappingProxyType(parse_opts(env)),
        session_id=env.get(ENV_SESSION_ID, ""),
        workers=_parse_workers(env.get(ENV_WORKERS, "")),
        exported_product=env.get(ENV_PRODUCT, ""),
    )
