"""The build options as the Dockerfile frontend reads them (the reference's
``dockerui`` ``Config``).

Owned step: ``frontend.dockerui`` (build options). :class:`BuildOptions` is the
typed view of the gateway's :class:`~frontend.gateway.buildopts.BuildOpts`: target,
Dockerfile name and local, build args, labels, target and build platforms, no-cache,
cache imports, the RUN settings (network, hosts, ulimits, shm, hostname, cgroup
parent), named-context and local-session options. Accessors parse lazily and raise
:class:`OptionError` with the reference frontend's wording; :meth:`BuildOptions.validate`
checks everything at once, as the reference does before it reads the Dockerfile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from frontend.gateway.buildopts import BuildOpts
from frontend.gateway.client import CacheImport
from frontend.gateway.errors import UserError
from frontend.gocompat import go_parse_bool
from frontend.llb.exec import HostIP, Ulimit
from frontend.llb.platform import Platform, host_platform
from frontend.records import fields, record

if TYPE_CHECKING:
    from frontend.dockerui.sbom import SbomRequest

__all__ = [
    "BuildOptions",
    "CacheImport",
    "OptionError",
    "default_platform",
    "parse_platform",
]

BUILD_ARG_PREFIX: Final = "build-arg:"
# the build arg configuring the build checks (frontend.dockerui.checks.directive)
CHECK_BUILD_ARG: Final = "BUILDKIT_DOCKERFILE_CHECK"
LABEL_PREFIX: Final = "label:"
CONTEXT_PREFIX: Final = "context:"
ATTEST_PREFIX: Final = "attest:"
LOCAL_SESSION_ID_PREFIX: Final = "local-sessionid:"

DEFAULT_DOCKERFILE_NAME: Final = "Dockerfile"
DEFAULT_LOCAL_DOCKERFILE: Final = "dockerfile"
DEFAULT_LOCAL_CONTEXT: Final = "context"  # the main context's local, always this name

# the network mode RUN gets unless forced (the sandbox): CompileOptions' default
NETWORK_DEFAULT: Final = "default"


class OptionError(UserError, ValueError):
    """A frontend option that cannot be used (message as the reference frontend's)."""


# -- value types ------------------------------------------------------------------


# -- platforms (the rules of containerd's platform parser, reimplemented) ----------


def default_platform() -> Platform:
    """The platform of this machine (``linux/<arch>``)."""
    host = host_platform()
    return Platform("linux", host.architecture, host.variant)


def parse_platform(spec: str) -> Platform:
    """Parse and normalise a platform specifier (``linux/arm64``, ``arm64``, ``linux``)."""
    try:
        return Platform.parse(spec)
    except ValueError as e:
        raise OptionError(f"failed to parse target platform {spec}: {e}") from None


# -- the options ------------------------------------------------------------------

_ULIMIT_NAMES: Final = frozenset(
    {
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    }
)


def _csv_fields(value: str) -> list[str]:
    import csv  # only for an option that has a list: not on every build's path

    return next(csv.reader([value], skipinitialspace=False), [])


def _parse_ulimit(text: str) -> Ulimit:
    name, sep, limits = text.partition("=")
    if not sep:
        raise OptionError(f"failed to parse ulimit: invalid ulimit argument: {text}")
    if name not in _ULIMIT_NAMES:
        raise OptionError(f"failed to parse ulimit: invalid ulimit type: {name}")
    values = limits.split(":")
    if len(values) > 2:
        raise OptionError(
            "failed to parse ulimit: too many limit value arguments - "
            f"{limits}, can only have up to two, `soft[:hard]`"
        )
    try:
        soft = int(values[0])
        hard = int(values[1]) if len(values) == 2 else soft
    except ValueError as exc:
        raise OptionError(f"failed to parse ulimit: {exc}") from None
    if soft > hard:
        raise OptionError(
            "failed to parse ulimit: ulimit soft limit must be less than or equal to "
            f"hard limit: {soft} > {hard}"
        )
    return Ulimit(name, soft, hard)


def _prefixed(opts: Mapping[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in sorted(opts.items()) if k.startswith(prefix)}


@record(frozen=True, slots=True)
class BuildOptions(BuildOpts):
    """The gateway's :class:`~frontend.gateway.buildopts.BuildOpts` with typed
    accessors that interpret ``opts`` the way the reference Dockerfile frontend does.
    """

    @classmethod
    def of(cls, build_opts: BuildOpts) -> BuildOptions:
        """The typed view of ``build_opts`` (itself when it already is one)."""
        if isinstance(build_opts, cls):
            return build_opts
        return cls(**{name: getattr(build_opts, name) for name in fields(BuildOpts)})

    # -- where the Dockerfile and the context come from ----------------------------

    @property
    def filename(self) -> str:
        """``filename`` (``-f``): path of the Dockerfile in its local source."""
        return self.opts.get("filename", DEFAULT_DOCKERFILE_NAME)

    @property
    def dockerfile_key(self) -> str:
        """Name of the local source that holds the Dockerfile (``dockerfilekey``)."""
        return self.opts.get("dockerfilekey", DEFAULT_LOCAL_DOCKERFILE)

    @property
    def force_local_dockerfile(self) -> bool:
        """``dockerfilekey`` given: read the Dockerfile from that local, never an input."""
        return "dockerfilekey" in self.opts

    @property
    def context_key(self) -> str:
        """``contextkey``: which option holds a remote (git/http) context URL.

        As in the reference, the main local context is always named ``context``;
        this key only selects the option that is inspected for a remote context.
        """
        return self.opts.get("contextkey", DEFAULT_LOCAL_CONTEXT)

    @property
    def remote_context(self) -> str:
        """The value of the option named by :attr:`context_key` ("" when unset)."""
        return self.opts.get(self.context_key, "")

    @property
    def context_subdir(self) -> str | None:
        return self.opts.get("contextsubdir")

    @property
    def local_session_ids(self) -> dict[str, str]:
        """``local-sessionid:NAME``: a session other than the main one for a local."""
        return _prefixed(self.opts, LOCAL_SESSION_ID_PREFIX)

    def session_for_local(self, name: str) -> str:
        return self.local_session_ids.get(name, self.session_id)

    @property
    def named_contexts(self) -> dict[str, str]:
        """``context:NAME`` -> its value (``docker-image://...``, ``local:...``, ...)."""
        return _prefixed(self.opts, CONTEXT_PREFIX)

    # -- what to build ------------------------------------------------------------

    @property
    def target(self) -> str:
        return self.opts.get("target", "")

    @property
    def build_args(self) -> dict[str, str]:
        return _prefixed(self.opts, BUILD_ARG_PREFIX)

    @property
    def labels(self) -> dict[str, str]:
        return _prefixed(self.opts, LABEL_PREFIX)

    @property
    def attests(self) -> dict[str, str]:
        return _prefixed(self.opts, ATTEST_PREFIX)

    @property
    def sbom(self) -> SbomRequest | None:
        """``attest:sbom`` (or ``build-arg:BUILDKIT_ATTEST_SBOM``): the scanner the
        build runs on its result, or None (:mod:`frontend.dockerui.sbom`)."""
        from frontend.dockerui.sbom import AttestError, sbom_request

        try:
            return sbom_request(self.opts)
        except AttestError as e:
            raise OptionError(str(e)) from None

    @property
    def target_platforms(self) -> tuple[Platform, ...]:
        """``platform``: the requested target platforms (empty = the default)."""
        value = self.opts.get("platform", "")
        if not value:
            return ()
        return tuple(parse_platform(p) for p in value.split(","))

    @property
    def build_platforms(self) -> tuple[Platform, ...]:
        """The first worker's first platform, else this machine's."""
        for worker in self.workers[:1]:
            if worker.platforms:
                return (worker.platforms[0],)
        return (default_platform(),)

    @property
    def multi_platform(self) -> bool:
        """Whether the result must be a per-platform map (reference rules)."""
        multi = len(self.target_platforms) > 1
        value = self.opts.get("build-arg:BUILDKIT_MULTI_PLATFORM") or self.opts.get(
            "multi-platform", ""
        )
        if value:
            flag = go_parse_bool(value)
            if flag is None:
                raise OptionError(f"invalid boolean value for multi-platform: {value}")
            if not flag and multi:
                raise OptionError(
                    "conflicting config: returning multiple target platforms is not allowed"
                )
            multi = flag
        return multi

    @property
    def request_id(self) -> str:
        """``requestid``: a subrequest (``frontend.outline``, ...) or ""."""
        return self.opts.get("requestid", "")

    @property
    def frontend_caps(self) -> tuple[str, ...]:
        """``frontend.caps``: caps the client expects of this frontend."""
        value = self.opts.get("frontend.caps", "")
        return tuple(c for c in value.split(",") if c)

    @property
    def source(self) -> str | None:
        """``source``: the frontend image that runs this build."""
        return self.opts.get("source")

    @property
    def cmdline(self) -> str | None:
        """``cmdline``: set when reached through ``# syntax=`` (never forward it)."""
        return self.opts.get("cmdline")

    # -- caching ------------------------------------------------------------------

    @property
    def no_cache(self) -> tuple[str, ...] | None:
        """``no-cache``: None when unset, () for all stages, else the stage names (which
        stage that hits is the compiler's rule, ``CompileOptions.is_no_cache``)."""
        if "no-cache" not in self.opts:
            return None
        value = self.opts["no-cache"]
        return () if value == "" else tuple(value.split(","))

    @property
    def cache_imports(self) -> tuple[CacheImport, ...]:
        """``cache-imports`` (JSON list of {Type, Attrs}) then legacy ``cache-from``."""
        out: list[CacheImport] = []
        text = self.opts.get("cache-imports", "")
        if text:
            try:
                entries = json.loads(text)
            except ValueError as exc:
                raise OptionError(f"failed to unmarshal cache-imports ({text!r}): {exc}") from None
            if not isinstance(entries, list):
                raise OptionError(f"failed to unmarshal cache-imports ({text!r})")
            for entry in entries:
                if not isinstance(entry, dict):
                    raise OptionError(f"failed to unmarshal cache-imports ({text!r})")
                attrs = entry.get("Attrs") or entry.get("attrs") or {}
                out.append(
                    CacheImport(
                        str(entry.get("Type") or entry.get("type") or ""),
                        MappingProxyType({str(k): str(v) for k, v in attrs.items()}),
                    )
                )
        legacy = self.opts.get("cache-from", "")
        if legacy:
            for ref in legacy.split(","):
                out.append(CacheImport("registry", MappingProxyType({"ref": ref})))
        return tuple(out)

    @property
    def cache_namespace(self) -> str:
        return self.opts.get("build-arg:BUILDKIT_CACHE_MOUNT_NS", "")

    # -- how RUN executes ---------------------------------------------------------

    @property
    def image_resolve_mode(self) -> str:
        """``default``, ``pull`` or ``local`` (the source-op attribute values)."""
        value = self.opts.get("image-resolve-mode", "")
        if value in ("", "default"):
            return "default"
        if value in ("pull", "local"):
            return value
        raise OptionError(f"invalid image-resolve-mode: {value}")

    @property
    def add_hosts(self) -> tuple[HostIP, ...]:
        value = self.opts.get("add-hosts", "")
        if not value:
            return ()
        out: list[HostIP] = []
        for item in _csv_fields(value):
            host, sep, ip = item.lower().partition("=")
            if not sep:
                raise OptionError(
                    f"failed to parse additional hosts: invalid key-value pair {item}"
                )
            import ipaddress  # only here: 1 ms of every build's start-up

            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise OptionError(
                    f"failed to parse additional hosts: failed to parse IP {ip}"
                ) from None
            out.append(HostIP(host, ip))
        return tuple(out)

    @property
    def network_mode(self) -> str:
        """``force-network-mode`` in the compiler's words
        (``CompileOptions.network_mode``): ``default`` (the sandbox, also when given
        as ``sandbox``), ``none`` or ``host``."""
        value = self.opts.get("force-network-mode", "")
        if value in ("", "sandbox"):
            return NETWORK_DEFAULT
        if value in ("none", "host"):
            return value
        raise OptionError(f"invalid netmode {value}")

    @property
    def shm_size(self) -> int:
        value = self.opts.get("shm-size", "")
        if not value:
            return 0
        try:
            return int(value, 10)
        except ValueError:
            raise OptionError(
                f'failed to parse shm size: strconv.ParseInt: parsing "{value}": invalid syntax'
            ) from None

    @property
    def ulimits(self) -> tuple[Ulimit, ...]:
        value = self.opts.get("ulimit", "")
        if not value:
            return ()
        return tuple(_parse_ulimit(item) for item in _csv_fields(value))

    @property
    def hostname(self) -> str:
        return self.opts.get("build-arg:BUILDKIT_SANDBOX_HOSTNAME") or self.opts.get("hostname", "")

    @property
    def cgroup_parent(self) -> str:
        return self.opts.get("cgroup-parent", "")

    # -- checks -------------------------------------------------------------------

    def validate(self) -> None:
        """Parse every option that can be malformed; raise the first problem."""
        for name in (
            "target_platforms",
            "image_resolve_mode",
            "add_hosts",
            "shm_size",
            "ulimits",
            "network_mode",
            "multi_platform",
            "cache_imports",
            "sbom",
        ):
            getattr(self, name)
        if self.opts.get("override-copy-image"):
            raise OptionError('support for "override-copy-image" was removed in BuildKit 0.11')
        if go_parse_bool(self.opts.get("build-arg:BUILDKIT_DISABLE_FILEOP", "")):
            raise OptionError(
                'support for "BUILDKIT_DISABLE_FILEOP" build-arg was removed in BuildKit 0.11'
            )
