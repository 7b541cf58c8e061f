"""Docker image reference normalisation (``alpine`` -> ``docker.io/library/alpine:latest``).

Owned step: ``frontend.llb``. Follows the rules of the distribution reference grammar
that BuildKit's ``llb.Image`` applies (normalise the name, add ``latest`` when neither a
tag nor a digest is given).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
_LEGACY_DOMAIN = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
_MAX_NAME = 255

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_PATH_RE = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_DOMAIN_RE = re.compile(_DOMAIN)
_REF_RE = re.compile(
    rf"(?P<name>[^:@]+(?::[0-9]+(?=/))?[^:@]*)(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
)
_ANCHORED_ID = re.compile(r"[a-f0-9]{64}")


class InvalidReferenceError(ValueError):
    """The string is not a valid image reference."""


@dataclass(frozen=True, slots=True)
class ImageReference:
    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        return f"{self.domain}/{self.path}"

    def __str__(self) -> str:
        s = self.name
        if self.tag:
            s += ":" + self.tag
        if self.digest:
            s += "@" + self.digest
        return s

    def familiar(self) -> str:
        """The short form Docker prints (``alpine:latest``, ``user/app:1``)."""
        name = self.path if self.domain == DEFAULT_DOMAIN else self.name
        if self.domain == DEFAULT_DOMAIN and name.startswith(_OFFICIAL_PREFIX):
            rest = name[len(_OFFICIAL_PREFIX) :]
            if "/" not in rest:
                name = rest
        s = name
        if self.tag:
            s += ":" + self.tag
        if self.digest:
            s += "@" + self.digest
        return s


def parse_normalized(ref: str) -> ImageReference:
    """Parse and normalise a reference; tag and digest are kept as given."""
    if _ANCHORED_ID.fullmatch(ref):
        raise InvalidReferenceError(
            f"invalid repository name ({ref}), cannot specify 64-byte hexadecimal strings"
        )
    m = _REF_RE.fullmatch(ref)
    if not m:
        raise InvalidReferenceError("invalid reference format")
    name, tag, digest = m.group("name"), m.group("tag") or "", m.group("digest") or ""
    first, sep, rest = name.partition("/")
    if not sep or (
        "." not in first and ":" not in first and first != "localhost" and first.lower() == first
    ):
        domain, path = DEFAULT_DOMAIN, name
    else:
        domain, path = first, rest
        if not _DOMAIN_RE.fullmatch(domain):
            raise InvalidReferenceError("invalid reference format")
    if domain == _LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = _OFFICIAL_PREFIX + path
    if path.lower() != path:
        raise InvalidReferenceError(
            f"invalid reference format: repository name ({path}) must be lowercase"
        )
    if not _PATH_RE.fullmatch(path):
        raise InvalidReferenceError("invalid reference format")
    if len(domain) + 1 + len(path) > _MAX_NAME:
        raise InvalidReferenceError("repository name must not be more than 255 characters")
    return ImageReference(domain, path, tag, digest)


def normalize_image_ref(ref: str) -> str:
    """``alpine`` -> ``docker.io/library/alpine:latest``; digests are kept as given."""
    r = parse_normalized(ref)
    if not r.tag and not r.digest:
        r = ImageReference(r.domain, r.path, "latest")
    return str(r)
