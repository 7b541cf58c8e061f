"""The OCI image config a build produces (part of pipeline step 3, the compiler).

Owned step: the image config JSON the reference writes — the base image's config
(``created`` dropped), each instruction's change to ``config`` and its ``history``
entry (the Go formatting of history strings lives in ``frontend.gocompat``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from typing import Any

from frontend.gocompat import go_duration, go_list
from frontend.gocompat import go_json as _go_json
from frontend.llb import Platform
from frontend.llb.exec import DEFAULT_PATH

HISTORY_COMMENT = "buildkit.dockerfile.v0"


class ImageConfig:
    """A mutable OCI image config (a JSON object) owned by one stage while it compiles."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # where each key first is in ``config["Env"]``, for the list it was built from
        # (and its length): ENV edits in place without scanning the list each time
        self._env_index: tuple[list[Any], int, dict[str, int]] | None = None

    # -- construction -------------------------------------------------------------

    @classmethod
    def empty(cls, platform: Platform) -> ImageConfig:
        """What ``FROM scratch`` starts from: platform, layers rootfs, PATH (not on
        Windows: left to the OS, as the reference does) and ``/``."""
        data: dict[str, Any] = {"architecture": platform.architecture, "os": platform.os}
        if platform.os_version:
            data["os.version"] = platform.os_version
        if platform.os_features:
            data["os.features"] = list(platform.os_features)
        if platform.variant:
            data["variant"] = platform.variant
        config: dict[str, Any] = {"WorkingDir": "/"}
        if platform.os != "windows":
            config = {"Env": [f"PATH={DEFAULT_PATH}"], **config}
        data["config"] = config
        data["rootfs"] = {"type": "layers"}
        return cls(data)

    @classmethod
    def from_json(cls, raw: bytes, *, keep_created: bool = False) -> ImageConfig:
        """The base image's config as the reference reads it: only the fields of the
        OCI image config (plus Docker's Healthcheck, OnBuild, Shell) survive; others
        (``comment``, ``container_config``, ``docker_version``, the Docker-only
        container fields) are dropped, and so is ``created`` unless ``keep_created``
        (the untouched base image config the exporter is given keeps it)."""
        data = json.loads(raw) if raw else {}
        if not isinstance(data, dict):
            raise ValueError("image config is not a JSON object")
        data = canonical_image(data)
        if not keep_created:
            data.pop("created", None)
        data.setdefault("config", {})
        return cls(data)

    def clone(self) -> ImageConfig:
        """An independent copy. History entries are never changed once added, so the
        copy shares them: only the list is copied (a deep copy made a chain of n
        stages cost O(n^2) dicts in time and memory)."""
        data = {
            k: list(v) if k == "history" and isinstance(v, list) else copy.deepcopy(v)
            for k, v in self.data.items()
        }
        return ImageConfig(data)

    def to_json(self) -> bytes:
        """The config JSON with Go's field order, omitted empty fields and escaping."""
        return go_json(canonical_image(self.data))

    # -- accessors ----------------------------------------------------------------

    @property
    def config(self) -> dict[str, Any]:
        cfg: dict[str, Any] = self.data.setdefault("config", {})
        return cfg

    @property
    def os(self) -> str:
        return str(self.data.get("os", "") or "")

    @property
    def env(self) -> list[str]:
        env = self.config.get("Env") or []
        return [str(e) for e in env]

    @property
    def shell(self) -> list[str]:
        return [str(s) for s in self.config.get("Shell") or []]

    @property
    def has_layers(self) -> bool:
        """False for an image with no layers at all (treated as scratch)."""
        diff_ids = (self.data.get("rootfs") or {}).get("diff_ids") or []
        if diff_ids:
            return True
        history = self.data.get("history") or []
        return any(not h.get("empty_layer") for h in history)

    @property
    def platform(self) -> Platform | None:
        """The platform the config names, or None without both os and architecture."""
        os_name = str(self.data.get("os") or "")
        arch = str(self.data.get("architecture") or "")
        if not os_name or not arch:
            return None
        return Platform(
            os_name,
            arch,
            str(self.data.get("variant") or ""),
            str(self.data.get("os.version") or ""),
        )

    # -- the edits instructions make (``config`` keys stay private to this class) -------

    def _env_positions(self) -> tuple[list[Any], dict[str, int]]:
        env = self.config.get("Env")
        if not isinstance(env, list):
            env = list(env or [])
            self.config["Env"] = env
        cached = self._env_index
        if cached is not None and cached[0] is env and cached[1] == len(env):
            return env, cached[2]
        index: dict[str, int] = {}
        for i, item in enumerate(env):
            index.setdefault(str(item).partition("=")[0], i)
        self._env_index = (env, len(env), index)
        return env, index

    def has_env(self, key: str) -> bool:
        if not self.config.get("Env"):
            return False  # (no lookup table, and no empty Env written into the config)
        return key in self._env_positions()[1]

    def set_env(self, key: str, value: str) -> None:
        """Replace ``key`` in place, else append (the config keeps its order)."""
        env, index = self._env_positions()
        i = index.get(key)
        if i is not None:
            env[i] = f"{key}={value}"
        else:
            index[key] = len(env)
            env.append(f"{key}={value}")
        self._env_index = (env, len(env), index)

    @property
    def workdir(self) -> str:
        return str(self.config.get("WorkingDir") or "")

    @workdir.setter
    def workdir(self, path: str) -> None:
        self.config["WorkingDir"] = path

    @property
    def user(self) -> str:
        return str(self.config.get("User") or "")

    @user.setter
    def user(self, user: str) -> None:
        self.config["User"] = user

    def set_cmd(self, args: Sequence[str]) -> None:
        """CMD: the arguments, marked escaped (as the reference does on Linux)."""
        self.config["Cmd"] = list(args)
        self.config["ArgsEscaped"] = True

    def set_entrypoint(self, args: Sequence[str], *, keep_cmd: bool) -> None:
        """ENTRYPOINT: drops the base's CMD unless the stage set one (``keep_cmd``)."""
        self.config["Entrypoint"] = list(args)
        if not keep_cmd:
            self.config.pop("Cmd", None)

    def set_shell(self, shell: Sequence[str]) -> None:
        self.config["Shell"] = list(shell)

    def set_labels(self, labels: Iterable[tuple[str, str]]) -> None:
        """Add or replace labels, in order."""
        current = self.config.get("Labels") or {}
        for key, value in labels:
            current[key] = value
        self.config["Labels"] = current

    def set_author(self, author: str) -> None:
        self.data["author"] = author

    def add_exposed_ports(self, ports: Iterable[str]) -> None:
        """Expose ``ports`` (``80/tcp``), in the order given."""
        exposed = self.config.get("ExposedPorts") or {}
        for port in ports:
            exposed[port] = {}
        self.config["ExposedPorts"] = exposed

    def add_volumes(self, volumes: Iterable[str]) -> None:
        current = self.config.get("Volumes") or {}
        for volume in volumes:
            current[volume] = {}
        self.config["Volumes"] = current

    def set_stop_signal(self, signal: str) -> None:
        self.config["StopSignal"] = signal

    def set_healthcheck(
        self, test: Sequence[str], durations: Sequence[tuple[str, int]], retries: int
    ) -> None:
        """HEALTHCHECK: the test and the set (non-zero) durations, in nanoseconds, by
        their config name (``Interval``, ``Timeout``, ...), and the retries."""
        hc: dict[str, Any] = {"Test": list(test)}
        for key, ns in durations:
            if ns:
                hc[key] = ns
        if retries:
            hc["Retries"] = retries
        self.config["Healthcheck"] = hc

    @property
    def onbuild(self) -> list[str]:
        """The ONBUILD triggers, as stored."""
        return [str(t) for t in self.config.get("OnBuild") or []]

    def add_onbuild(self, expression: str) -> None:
        triggers = self.config.get("OnBuild") or []
        triggers.append(expression)
        self.config["OnBuild"] = triggers

    def clear_onbuild(self) -> None:
        self.config.pop("OnBuild", None)

    def clear_config(self) -> None:
        """No config at all (an image the engine gave no config for)."""
        self.config.clear()

    def add_history(
        self, created_by: str, *, empty_layer: bool, created: str | None = None
    ) -> None:
        """Append a history entry; ``created`` (SOURCE_DATE_EPOCH's time) when given,
        else the exporter fills in the build time."""
        entry: dict[str, Any] = {"created_by": created_by, "comment": HISTORY_COMMENT}
        if created:
            entry = {"created": created, **entry}
        if empty_layer:
            entry["empty_layer"] = True
        self.data.setdefault("history", []).append(entry)
        if self.data["history"] is None:
            self.data["history"] = [entry]

    def set_platform(self, platform: Platform) -> None:
        """The requested target platform on the result (the reference's
        ``finalizeResultImage``): OS and architecture; the variant and OS version when
        given or when the OS or architecture changed; the OS features when given."""
        same = self.os == platform.os and self.data.get("architecture") == platform.architecture
        self.data["os"] = platform.os
        self.data["architecture"] = platform.architecture
        if platform.variant or not same:
            self.data["variant"] = platform.variant
        if platform.os_version or not same:
            self.data["os.version"] = platform.os_version
        if platform.os_features:
            self.data["os.features"] = list(platform.os_features)

    def normalize_platform(self) -> None:
        """containerd's ``Normalize`` of the config's platform (as the reference leaves
        every result's)."""
        current = Platform(
            self.os,
            str(self.data.get("architecture") or ""),
            str(self.data.get("variant") or ""),
            str(self.data.get("os.version") or ""),
            tuple(str(f) for f in self.data.get("os.features") or ()),
        )
        p = current.normalized()
        if p == current:
            return
        self.data["os"] = p.os
        self.data["architecture"] = p.architecture
        self.data["variant"] = p.variant
        self.data["os.features"] = list(p.os_features)


# ---------------------------------------------------------------- image JSON schema

# (key, omitted when empty) in the order Go marshals the reference's image structs
_IMAGE_KEYS = (
    ("created", True),
    ("author", True),
    ("architecture", False),
    ("os", False),
    ("os.version", True),
    ("os.features", True),
    ("variant", True),
    ("config", False),
    ("rootfs", False),
    ("history", True),
)
_CONFIG_KEYS = (
    "User",
    "ExposedPorts",
    "Env",
    "Entrypoint",
    "Cmd",
    "Volumes",
    "WorkingDir",
    "Labels",
    "StopSignal",
    "ArgsEscaped",
    "Healthcheck",
    "OnBuild",
    "Shell",
)
_CONFIG_MAPS = ("ExposedPorts", "Volumes", "Labels")
_HEALTHCHECK_KEYS = ("Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries")
_HISTORY_KEYS = ("created", "created_by", "author", "comment", "empty_layer")


def _pick(src: Any, keys: Iterable[str]) -> dict[str, Any]:
    """The non-empty values of ``keys`` in ``src`` (Go's ``omitempty``), in key order."""
    if not isinstance(src, dict):
        return {}
    return {k: src[k] for k in keys if src.get(k) not in (None, "", [], {}, False, 0)}


def canonical_image(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` reduced to the image config schema the reference (de)serialises
    (``DockerOCIImage``): unknown fields dropped, empty optional fields omitted, Go's
    field order."""
    out: dict[str, Any] = {}
    for key, omit_empty in _IMAGE_KEYS:
        value = data.get(key)
        if key == "config":
            cfg = _pick(value, _CONFIG_KEYS)
            for name in _CONFIG_MAPS:  # Go writes a map's keys sorted
                if isinstance(cfg.get(name), dict):
                    cfg[name] = dict(sorted(cfg[name].items()))
            if "Healthcheck" in cfg:
                cfg["Healthcheck"] = _pick(cfg["Healthcheck"], _HEALTHCHECK_KEYS)
            out[key] = cfg
        elif key == "rootfs":
            rootfs = value if isinstance(value, dict) else {}
            out[key] = {"type": rootfs.get("type", ""), "diff_ids": rootfs.get("diff_ids")}
        elif key == "history":
            if value:
                out[key] = [_pick(h, _HISTORY_KEYS) for h in value]
        elif value not in (None, "", [], {}) or not omit_empty:
            out[key] = "" if value is None else value
    return out


def go_json(value: Any) -> bytes:
    """The config JSON as Go's ``json.Marshal`` writes it."""
    return _go_json(value).encode()


def healthcheck_history(
    test: Sequence[str], fields: Sequence[tuple[str, int]], retries: int
) -> str:
    """``HEALTHCHECK %+v`` of the reference's HealthcheckConfig struct."""
    parts = [f"Test:{go_list(test)}"]
    parts += [f"{name}:{go_duration(ns)}" for name, ns in fields]
    parts.append(f"Retries:{retries}")
    return "HEALTHCHECK {" + " ".join(parts) + "}"
