"""Dating a source for SOURCE_DATE_EPOCH: the engine's side of the reference's
``resolveSourceDateEpochFromState`` (``dockerfile2llb`` ``epoch.go``).

Owned step: ``frontend.dockerui`` (engine calls for the compiler's
:class:`~frontend.compiler.options.EpochResolver`). The compiler finds the state a
SOURCE_DATE_EPOCH value names (``context``, a named context, a source stage:
:mod:`frontend.compiler.epoch`); :func:`epoch_resolver` dates it as the reference does:

- the state must have exactly one source op (else: no epoch);
- ``ResolveSourceMeta`` on that op (a ``git://`` one asks for the commit object): a
  commit's committer time, else an http source's ``Last-Modified``;
- else, for an http source saved under a file name (``http.filename``): that source
  alone is solved, the file read whole and, when it is a tar archive (plain, gzip, bzip2
  or xz), the newest modification time of its regular files. A file that is no
  archive dates nothing (zstd is not read here: such an archive dates nothing either).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontend import llb
    from frontend.compiler import EpochResolver
    from frontend.gateway.client import GatewayClient

__all__ = ["archive_max_mtime", "commit_time", "epoch_resolver", "single_source"]


def epoch_resolver(client: GatewayClient, caps: frozenset[str] | None) -> EpochResolver:
    """The compiler's :class:`~frontend.compiler.options.EpochResolver` on ``client``;
    ``caps`` are the LLB caps the definitions are marshalled for."""

    def resolve(state: llb.State, log_name: str) -> int | None:
        return date_state(client, state, log_name, caps)

    return resolve


def date_state(
    client: GatewayClient, state: llb.State, log_name: str, caps: frozenset[str] | None
) -> int | None:
    """The unix seconds ``state``'s single source op is dated by (module docstring)."""
    from frontend import llb
    from frontend.gateway.errors import UserError

    op = single_source(state, caps)
    if op is None:
        return None
    identifier, attrs = op
    meta = client.resolve_source_metadata(
        identifier,
        attrs,
        log_name=log_name,
        git_return_object=identifier.startswith("git://"),
    )
    if meta.git_commit_object:
        try:
            return commit_time(meta.git_commit_object)
        except ValueError as e:
            raise UserError(str(e)) from None
    if meta.http_last_modified is not None:
        return meta.http_last_modified
    filename = attrs.get("http.filename", "")
    if not identifier.startswith(("http://", "https://")) or not filename:
        return None
    source = llb.source(identifier, attrs)
    ref = client.solve(llb.marshal(source, caps=caps).pb)
    return archive_max_mtime(client.read_file(ref, filename))


def single_source(
    state: llb.State, caps: frozenset[str] | None
) -> tuple[str, dict[str, str]] | None:
    """The identifier and attributes of the one source op of ``state``'s definition
    (the reference's ``sourceOpFromState``); None when it has none or several."""
    from frontend import llb
    from frontend.pb import ops_pb2

    found: tuple[str, dict[str, str]] | None = None
    for data in getattr(llb.marshal(state, caps=caps).pb, "def"):
        op = ops_pb2.Op()
        op.ParseFromString(data)
        if op.WhichOneof("op") != "source":
            continue
        if found is not None:
            return None
        found = (op.source.identifier, dict(op.source.attrs))
    return found


def commit_time(raw: bytes) -> int | None:
    """The committer time (unix seconds) of a git commit object, as the reference's
    ``gitobject`` reads it; None when the committer line carries no valid time.
    Raises ValueError with the reference's words for what is no commit object."""
    text = raw.decode("utf-8", "replace")
    if not text:
        raise ValueError("invalid empty git object")
    if text.startswith("object "):
        for header in ("object", "type", "tag", "tagger"):
            if not _headers(text).get(header):
                raise ValueError(f"invalid tag object: missing {header} header")
        raise ValueError("not a commit object")
    headers = _headers(text)
    for header in ("tree", "author", "committer"):
        if header not in headers:
            raise ValueError(f"invalid commit object: missing {header} header")
    return _actor_time(headers["committer"][0])


def _headers(text: str) -> dict[str, list[str]]:
    """The header lines of a git object (up to the first empty line; a signature's
    continuation lines are not headers)."""
    headers: dict[str, list[str]] = {}
    in_sig = False
    for line in text.split("\n"):
        if line == "":
            break
        if line.startswith(("gpgsig ", "gpgsig-sha256 ")):
            in_sig = True
            continue
        if in_sig:
            if line.startswith(" "):
                continue
            in_sig = False
        key, sep, value = line.partition(" ")
        if sep:
            headers.setdefault(key, []).append(value)
    return headers


def _actor_time(actor: str) -> int | None:
    """``Name <email> 1700000000 +0000`` -> 1700000000 (gitobject's ``parseActor``:
    the text after the last ``>``; None when it is not seconds and a ``+hhmm`` zone)."""
    from frontend.gocompat import go_parse_int

    s = actor.strip()
    start, end = s.rfind("<"), s.rfind(">")
    if start == -1 or end == -1 or end < start:
        return None
    parts = s[end + 1 :].split()
    if len(parts) < 2:
        return None
    seconds = go_parse_int(parts[0])
    tz = parts[1]
    if seconds is None or len(tz) != 5 or tz[0] not in "+-":
        return None
    return seconds


_GZIP = b"\x1f\x8b\x08"
_BZIP2 = b"BZh"
_XZ = b"\xfd7zXZ\x00"
_ZSTD = b"\x28\xb5\x2f\xfd"


def archive_max_mtime(data: bytes) -> int | None:
    """The newest modification time (unix seconds) of the regular files of the tar
    archive ``data`` (compressed or not); None when it has none, or is no archive we
    can read (the reference's ``archiveMaxTimeFromRef`` with ``allowNonArchive``)."""
    import bz2
    import gzip
    import io
    import lzma
    import tarfile

    try:
        if data.startswith(_GZIP):
            data = gzip.decompress(data)
        elif data.startswith(_BZIP2):
            data = bz2.decompress(data)
        elif data.startswith(_XZ):
            data = lzma.decompress(data)
        elif data.startswith(_ZSTD):
            return None
    except (OSError, EOFError, ValueError, lzma.LZMAError):
        return None
    newest: int | None = None
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for member in tar:
                if not member.isreg():
                    continue
                mtime = int(member.mtime // 1)  # Go's Unix(): seconds, floored
                if newest is None or mtime > newest:
                    newest = mtime
    except (tarfile.TarError, OSError, EOFError, ValueError):
        return None
    return newest
