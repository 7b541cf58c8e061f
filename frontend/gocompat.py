"""Go-compatible formatting: the one home of every rule the reference gets from Go's
standard library and that pyfrontend must reproduce byte for byte.

Owned step: none of the pipeline; a leaf module (imports nothing of ``frontend``) that
the language, the compiler, the LLB library and the Dockerfile layer share:
``encoding/json`` output (``go_json``), ``strconv.Quote`` (``go_quote``), ``fmt``'s
``%q``/``%v`` of string slices, ``time.Duration.String`` (``go_duration``),
``path.Clean`` (``go_clean``), ``strconv.ParseBool`` (``go_parse_bool``),
``strconv.ParseUint``/``ParseInt``/``Atoi`` (``go_parse_uint``, ``go_parse_int``),
``unicode.IsSpace`` (``GO_SPACE``, what ``strings.TrimSpace`` strips), ``path.Base``
(``go_base``) and ``net/url``'s ``Parse``/``URL.String``/``ParseQuery``
(``go_url_parse``, :class:`GoURL`, ``go_parse_query``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Final

from frontend import records
from frontend.records import record

_JSON_ESCAPES: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def go_json(value: object) -> str:
    """Compact JSON as Go's ``json.Marshal`` writes it (``<``, ``>``, ``&``, U+2028 and
    U+2029 escaped; no spaces; map keys in the order given)."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in _JSON_ESCAPES:
        s = s.replace(ch, esc)
    return s


def go_json_strings(items: Sequence[str]) -> str:
    """A JSON array of strings encoded as Go's ``json.Marshal`` does."""
    return go_json(list(items))


_QUOTE_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


def _quote_char(ch: str) -> str:
    esc = _QUOTE_ESCAPES.get(ch)
    if esc is not None:
        return esc
    o = ord(ch)
    if o < 0x20 or o == 0x7F:
        return f"\\x{o:02x}"
    if ch.isprintable():
        return ch
    return f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"


def go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` (``%q`` of a string): printable characters kept, others
    escaped."""
    return '"' + "".join(_quote_char(ch) for ch in s) + '"'


def go_quote_list(items: Iterable[str]) -> str:
    """``fmt.Sprintf("%q", []string{...})``: ``["a" "b"]``."""
    return "[" + " ".join(go_quote(i) for i in items) + "]"


def go_list(items: Iterable[str]) -> str:
    """``fmt.Sprintf("%v", []string{...})``: ``[a b]``."""
    return "[" + " ".join(items) + "]"


def go_duration(ns: int) -> str:
    """Go's ``time.Duration.String`` of ``ns`` nanoseconds."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        if u < 1_000:
            s = f"{u}ns"
        elif u < 1_000_000:
            s = _frac(u, 1_000) + "µs"
        else:
            s = _frac(u, 1_000_000) + "ms"
    else:
        hours, rem = divmod(u, 3_600_000_000_000)
        minutes, rem = divmod(rem, 60_000_000_000)
        secs = _frac(rem, 1_000_000_000) + "s"
        if hours:
            s = f"{hours}h{minutes}m{secs}"
        elif minutes:
            s = f"{minutes}m{secs}"
        else:
            s = secs
    return "-" + s if neg else s


def _frac(value: int, unit: int) -> str:
    whole, rem = divmod(value, unit)
    if not rem:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + f"{rem:0{digits}d}".rstrip("0")


def go_join(*elems: str) -> str:
    """Go's ``path.Join``: the non-empty elements joined with ``/``, then cleaned (an
    absolute element does not discard the ones before it, unlike ``posixpath.join``)."""
    joined = "/".join(e for e in elems if e)
    return go_clean(joined) if joined else ""


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: the lexically shortest equivalent path (``""`` is ``.``)."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


_TRUE: Final = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE: Final = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def go_parse_bool(value: str) -> bool | None:
    """Go's ``strconv.ParseBool``: None when the text is not a boolean."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


_DIGITS: Final = "0123456789"


def go_parse_uint(text: str, base: int = 10, bits: int = 64) -> int | None:
    """Go's ``strconv.ParseUint(text, base, bits)`` for base 8 or 10: None on a syntax
    error (empty, a sign, any character but the base's ASCII digits) or a range error."""
    if not text or any(c not in _DIGITS[:base] for c in text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > bits:  # more digits than any value of that width has (base >= 2)
        return None
    value = int(digits, base)
    return value if value < 1 << bits else None


def go_parse_int(text: str, bits: int = 64) -> int | None:
    """Go's ``strconv.ParseInt(text, 10, bits)`` (and ``Atoi``, bits 64): an optional
    sign and ASCII digits; None on a syntax or range error."""
    neg = text[:1] == "-"
    magnitude = go_parse_uint(text[1:] if text[:1] in ("+", "-") else text, 10, bits)
    if magnitude is None:
        return None
    limit = 1 << (bits - 1)
    if magnitude > limit or (magnitude == limit and not neg):
        return None
    return -magnitude if neg else magnitude


# unicode.IsSpace, which Go's strings.TrimSpace uses (str.strip() with no argument differs)
GO_SPACE: Final = (
    " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def go_base(path: str) -> str:
    """Go's ``path.Base``: the last element (trailing slashes dropped); ``.`` for the
    empty path, ``/`` for one of slashes only."""
    if path == "":
        return "."
    path = path.rstrip("/")
    path = path[path.rfind("/") + 1 :]
    return path or "/"


# -- net/url ------------------------------------------------------------------------
#
# Go's url.Parse, URL.String, URL.Query and url.ParseQuery, for what the reference
# decides with them: whether an ADD source is a git repository or a download, the
# name of a downloaded file, and the remote a git source fetches. Go works on bytes:
# so do these (text in and out is UTF-8; bytes that are not UTF-8 become surrogates).

_ENC_PATH: Final = 1
_ENC_PATH_SEGMENT: Final = 2
_ENC_HOST: Final = 4
_ENC_ZONE: Final = 8
_ENC_USER_PASSWORD: Final = 16
_ENC_QUERY_COMPONENT: Final = 32
_ENC_FRAGMENT: Final = 64
_ALNUM: Final = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HEX: Final = frozenset(b"0123456789abcdefABCDEF")


def _should_escape(c: int, mode: int) -> bool:
    """Whether byte ``c`` is escaped in the URL part ``mode`` (Go's ``shouldEscape``)."""
    if c in _ALNUM:
        return False
    if mode in (_ENC_HOST, _ENC_ZONE) and c in b"!$&'()*+,;=:[]<>\"":
        return False
    if c in b"-_.~":
        return False
    if c in b"$&+,/:;=?@":
        if mode == _ENC_PATH:
            return c == ord("?")
        if mode == _ENC_PATH_SEGMENT:
            return c in b"/;,?"
        if mode == _ENC_USER_PASSWORD:
            return c in b"@/?:"
        if mode == _ENC_QUERY_COMPONENT:
            return True
        if mode == _ENC_FRAGMENT:
            return False
    return not (mode == _ENC_FRAGMENT and c in b"!()*")


class GoURLError(ValueError):
    """What Go's ``url.Parse`` refuses, with its message (``parse "URL": why``)."""


def _escape(s: str, mode: int) -> str:
    out = bytearray()
    for c in s.encode("utf-8", "surrogateescape"):
        if c == 0x20 and mode == _ENC_QUERY_COMPONENT:
            out += b"+"
        elif _should_escape(c, mode):
            out += b"%%%02X" % c
        else:
            out.append(c)
    return out.decode("ascii")


def _unescape(s: str, mode: int) -> str:
    """Go's ``unescape``; raises ValueError with Go's message for a bad escape or, in
    a host, a character hosts cannot have."""
    b = s.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(b):
        c = b[i]
        if c == 0x25:  # %
            if i + 2 >= len(b) or b[i + 1] not in _HEX or b[i + 2] not in _HEX:
                raise ValueError("invalid URL escape " + go_quote(_text(b[i : i + 3])))
            v = int(b[i + 1 : i + 3], 16)
            if mode == _ENC_HOST and v < 0x80 and b[i : i + 3] != b"%25":
                raise ValueError("invalid URL escape " + go_quote(_text(b[i : i + 3])))
            if (
                mode == _ENC_ZONE
                and b[i : i + 3] != b"%25"
                and v != 0x20
                and _should_escape(v, _ENC_HOST)
            ):
                raise ValueError("invalid URL escape " + go_quote(_text(b[i : i + 3])))
            out.append(v)
            i += 3
            continue
        if c == 0x2B and mode == _ENC_QUERY_COMPONENT:  # +
            out += b" "
        else:
            if mode in (_ENC_HOST, _ENC_ZONE) and c < 0x80 and _should_escape(c, mode):
                raise ValueError(f"invalid character {go_quote(chr(c))} in host name")
            out.append(c)
        i += 1
    return _text(bytes(out))


def _text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _valid_encoded(s: str, mode: int) -> bool:
    for c in s.encode("utf-8", "surrogateescape"):
        if c in b"!$&'()*+,;=:@[]%":
            continue
        if _should_escape(c, mode):
            return False
    return True


@record(frozen=True, slots=True)
class GoUserinfo:
    """A URL's ``user[:password]`` (unescaped); ``password`` None when not set."""

    username: str
    password: str | None = None

    def __str__(self) -> str:
        s = _escape(self.username, _ENC_USER_PASSWORD)
        if self.password is not None:
            s += ":" + _escape(self.password, _ENC_USER_PASSWORD)
        return s


@record(frozen=True, slots=True)
class GoURL:
    """Go's ``url.URL``: ``path`` and ``fragment`` unescaped, ``raw_*`` as written
    when that differs from the default escaping."""

    scheme: str = ""
    opaque: str = ""
    user: GoUserinfo | None = None
    host: str = ""
    path: str = ""
    raw_path: str = ""
    force_query: bool = False
    raw_query: str = ""
    fragment: str = ""
    raw_fragment: str = ""
    omit_host: bool = False

    def escaped_path(self) -> str:
        if self.raw_path and _valid_encoded(self.raw_path, _ENC_PATH):
            try:
                if _unescape(self.raw_path, _ENC_PATH) == self.path:
                    return self.raw_path
            except ValueError:
                pass
        if self.path == "*":
            return "*"
        return _escape(self.path, _ENC_PATH)

    def escaped_fragment(self) -> str:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, _ENC_FRAGMENT):
            try:
                if _unescape(self.raw_fragment, _ENC_FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except ValueError:
                pass
        return _escape(self.fragment, _ENC_FRAGMENT)

    def query(self) -> dict[str, list[str]]:
        """``URL.Query``: the query's values by key (malformed pairs dropped)."""
        return go_parse_query(self.raw_query)[0]

    def __str__(self) -> str:
        out = ""
        if self.scheme:
            out += self.scheme + ":"
        if self.opaque:
            out += self.opaque
        else:
            authority = self.scheme or self.host or self.user is not None
            if authority and not (self.omit_host and not self.host and self.user is None):
                if self.host or self.path or self.user is not None:
                    out += "//"
                if self.user is not None:
                    out += str(self.user) + "@"
                if self.host:
                    out += _escape(self.host, _ENC_HOST)
            path = self.escaped_path()
            if self.omit_host and not self.host and self.user is None and path[:2] == "//":
                out += "%2F"
                path = path[1:]
            if path and not path.startswith("/") and self.host:
                out += "/"
            if not out and ":" in path.partition("/")[0]:
                out += "./"
            out += path
        if self.force_query or self.raw_query:
            out += "?" + self.raw_query
        if self.fragment:
            out += "#" + self.escaped_fragment()
        return out


def go_parse_query(query: str) -> tuple[dict[str, list[str]], str | None]:
    """Go's ``url.ParseQuery``: the values by key (keys in order of appearance) and
    the first error's message, if any (the pairs in error are dropped)."""
    values: dict[str, list[str]] = {}
    err: str | None = None
    for pair in query.split("&") if query else ():
        if ";" in pair:
            err = "invalid semicolon separator in query"
            continue
        if not pair:
            continue
        key, _, value = pair.partition("=")
        try:
            key = _unescape(key, _ENC_QUERY_COMPONENT)
            value = _unescape(value, _ENC_QUERY_COMPONENT)
        except ValueError as e:
            err = err or str(e)
            continue
        values.setdefault(key, []).append(value)
    return values, err


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise ValueError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return "", raw
    return "", raw


def _valid_optional_port(port: str) -> bool:
    if port == "":
        return True
    return port[0] == ":" and all(c in _DIGITS for c in port[1:])


def _parse_host(scheme: str, host: str) -> str:
    open_bracket = host.rfind("[")
    if open_bracket > 0:
        raise ValueError("invalid IP-literal")
    if open_bracket == 0:
        close = host.rfind("]")
        if close < 0:
            raise ValueError("missing ']' in host")
        colon_port = host[close + 1 :]
        if not _valid_optional_port(colon_port):
            raise ValueError(f"invalid port {go_quote(colon_port)} after host")
        colon_port = _unescape(colon_port, _ENC_HOST)
        name = host[1:close]
        zone = name.find("%25")
        if zone >= 0:
            name = _unescape(name[:zone], _ENC_HOST) + _unescape(name[zone:], _ENC_ZONE)
        else:
            name = _unescape(name, _ENC_HOST)
        import ipaddress  # only here: 1 ms of every build's start-up

        try:
            ip = ipaddress.ip_address(name.partition("%")[0])
        except ValueError:
            raise ValueError(f"invalid host: ParseAddr({go_quote(name)}): invalid IP") from None
        if isinstance(ip, ipaddress.IPv4Address):
            raise ValueError("invalid IP-literal")
        return "[" + name + "]" + colon_port
    i = host.find(":")
    if i != -1:
        last = host.rfind(":")
        if last != i and scheme not in ("http", "https"):
            i = last  # only http(s) hosts have the strict colon rule
        colon_port = host[i:]
        if not _valid_optional_port(colon_port):
            raise ValueError(f"invalid port {go_quote(colon_port)} after host")
    return _unescape(host, _ENC_HOST)


_USERINFO_OK: Final = frozenset("-._:~!$&'()*+,;=%@")


def _parse_authority(scheme: str, authority: str) -> tuple[GoUserinfo | None, str]:
    i = authority.rfind("@")
    host = _parse_host(scheme, authority[i + 1 :])
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not all((c.isascii() and c.isalnum()) or c in _USERINFO_OK for c in userinfo):
        raise ValueError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return GoUserinfo(_unescape(userinfo, _ENC_USER_PASSWORD)), host
    username, _, password = userinfo.partition(":")
    return GoUserinfo(
        _unescape(username, _ENC_USER_PASSWORD), _unescape(password, _ENC_USER_PASSWORD)
    ), host


def _parse(raw: str) -> GoURL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise ValueError("net/url: invalid control character in URL")
    if raw == "*":
        return GoURL(path="*")
    scheme, rest = _get_scheme(raw)
    scheme = scheme.lower()
    force_query = False
    raw_query = ""
    if rest.endswith("?") and rest.count("?") == 1:
        force_query, rest = True, rest[:-1]
    else:
        rest, _, raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return GoURL(scheme=scheme, opaque=rest, force_query=force_query, raw_query=raw_query)
        if ":" in rest.partition("/")[0]:
            raise ValueError("first path segment in URL cannot contain colon")
    user: GoUserinfo | None = None
    host = ""
    omit_host = False
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, tail = rest[2:].partition("/")
        rest = slash + tail
        user, host = _parse_authority(scheme, authority)
    elif scheme and rest.startswith("/"):
        omit_host = True
    path = _unescape(rest, _ENC_PATH)
    return GoURL(
        scheme=scheme,
        user=user,
        host=host,
        path=path,
        raw_path="" if _escape(path, _ENC_PATH) == rest else rest,
        force_query=force_query,
        raw_query=raw_query,
        omit_host=omit_host,
    )


def go_url_parse(raw: str) -> GoURL:
    """Go's ``url.Parse``. Raises :class:`GoURLError` with Go's message."""
    u, _, frag = raw.partition("#")
    try:
        url = _parse(u)
    except ValueError as e:
        raise GoURLError(f"parse {go_quote(u)}: {e}") from None
    if not frag:
        return url
    try:
        fragment = _unescape(frag, _ENC_FRAGMENT)
    except ValueError as e:
        raise GoURLError(f"parse {go_quote(raw)}: {e}") from None
    raw_fragment = "" if _escape(fragment, _ENC_FRAGMENT) == frag else frag
    return records.replace(url, fragment=fragment, raw_fragment=raw_fragment)
