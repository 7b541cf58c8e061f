"""Docker image reference normalisation (``alpine`` -> ``docker.io/library/alpine:latest``).

Owned step: ``frontend.llb``. Follows the rules of the distribution reference grammar
that BuildKit's ``llb.Image`` applies (normalise the name, add ``latest`` when neither a
tag nor a digest is given).
"""

from __future__ import annotations

import re

from frontend.records import record

DEFAULT_DOMAIN = "docker.io"
_LEGACY_DOMAIN = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
_MAX_NAME = 255

# the distribution reference grammar (Go's regexps: ASCII ``\w``)
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REMOTE = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE_RE = re.compile(rf"((?:{_DOMAIN}/)?{_REMOTE})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_NAME_RE = re.compile(rf"(?:({_DOMAIN})/)?({_REMOTE})", re.ASCII)
_ANCHORED_ID = re.compile(r"[a-f0-9]{64}")
# go-digest: the algorithms BuildKit links, and their hex lengths
_DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}
_DIGEST_ANY = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")


class InvalidReferenceError(ValueError):
    """The string is not a valid image reference."""


@record(frozen=True, slots=True)
class ImageReference:
    """A normalized image reference: domain, path, tag and digest."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        # Go's reference.Name(): a name whose first component only looks like a registry
        # (``public.ecr.aws_docker/...``: ``_`` is no host character) has no domain
        return f"{self.domain}/{self.path}" if self.domain else self.path

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
    """Parse and normalise a reference; tag and digest are kept as given.

    The reference's ``ParseNormalizedNamed``, its checks in its order and its messages
    (``invalid reference format``, ``invalid reference format: repository name
    (library/Foo) must be lowercase``, ...)."""
    if _ANCHORED_ID.fullmatch(ref):
        raise InvalidReferenceError(
            f"invalid repository name ({ref}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = _split_domain(ref)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidReferenceError(
            f"invalid reference format: repository name ({remote}) must be lowercase"
        )
    full = f"{domain}/{remainder}"
    m = _REFERENCE_RE.fullmatch(full)
    if m is None:
        if _REFERENCE_RE.fullmatch(full.lower()):
            raise InvalidReferenceError("repository name must be lowercase")
        raise InvalidReferenceError("invalid reference format")
    name, tag, digest = m.group(1), m.group(2) or "", m.group(3) or ""
    nm = _NAME_RE.fullmatch(name)
    assert nm is not None
    domain, path = nm.group(1) or "", nm.group(2)
    if len(path) > _MAX_NAME:
        raise InvalidReferenceError("repository name must not be more than 255 characters")
    if digest:
        _check_digest(digest)
    return ImageReference(domain, path, tag, digest)


def _split_domain(ref: str) -> tuple[str, str]:
    """The reference's ``splitDockerDomain``: the registry and the rest, the default
    registry's official images under ``library/``."""
    first, sep, rest = ref.partition("/")
    if not sep or (
        "." not in first and ":" not in first and first != "localhost" and first.lower() == first
    ):
        domain, remainder = DEFAULT_DOMAIN, ref
    else:
        domain, remainder = first, rest
    if domain == _LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = _OFFICIAL_PREFIX + remainder
    return domain, remainder


def _check_digest(digest: str) -> None:
    """go-digest's ``Parse``: a known algorithm and a hex value of its length."""
    algorithm, _, encoded = digest.partition(":")
    size = _DIGEST_SIZES.get(algorithm)
    if size is None:
        if not _DIGEST_ANY.fullmatch(digest):
            raise InvalidReferenceError("invalid checksum digest format")
        raise InvalidReferenceError("unsupported digest algorithm")
    if len(encoded) != size:
        raise InvalidReferenceError("invalid checksum digest length")
    if encoded.strip("0123456789abcdef"):
        raise InvalidReferenceError("invalid checksum digest format")


def parse_reference(ref: str) -> tuple[str, str, str]:
    """The reference's ``reference.Parse`` (no normalisation): the name as written,
    the tag and the digest ("" when absent), with its messages."""
    m = _REFERENCE_RE.fullmatch(ref)
    if m is None:
        if not ref:
            raise InvalidReferenceError("repository name must have at least one component")
        if _REFERENCE_RE.fullmatch(ref.lower()):
            raise InvalidReferenceError("repository name must be lowercase")
        raise InvalidReferenceError("invalid reference format")
    name, tag, digest = m.group(1), m.group(2) or "", m.group(3) or ""
    if len(name) > _MAX_NAME:
        raise InvalidReferenceError("repository name must not be more than 255 characters")
    if digest:
        _check_digest(digest)
    return name, tag, digest


def normalize_image_ref(ref: str) -> str:
    """``alpine`` -> ``docker.io/library/alpine:latest``; digests are kept as given."""
    r = parse_normalized(ref)
    if not r.tag and not r.digest:
        r = ImageReference(r.domain, r.path, "latest")
    return str(r)
