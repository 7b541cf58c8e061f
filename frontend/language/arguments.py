"""Instruction arguments: the forms an instruction's text after its name is split by.

Owned step: ``frontend.language`` (argument forms). An instruction line is its name,
its leading ``--flags`` (:func:`extract_flags`) and the rest, which each instruction
splits its own way (the parser's table picks the form): the exec form, a JSON array of
strings (:func:`parse_json_array`, :func:`maybe_json`, :func:`maybe_json_to_list`);
white-space separated words (:func:`whitespace_delimited`); the reference's quote- and
escape-aware word list (:func:`split_words`) and ``key=value`` pairs or the legacy
``key value`` form (:func:`name_val`) of ``ENV``/``LABEL``. Several rules have a fast
path for the common case in front of the general one (checked against each other by
``tests/unit/language/test_fast_paths.py``).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache

from frontend.gocompat import go_quote
from frontend.language.errors import DockerfileError
from frontend.language.shell import _SPACES, SPACE_CHARS, is_space

__all__ = [
    "NON_SPACE_RUN", "extract_flags", "maybe_json", "maybe_json_to_list", "name_val",
    "parse_json_array", "split_command", "split_words", "whitespace_delimited",
]  # fmt: skip

_SEPARATOR_CHARS = "\t\v\f\r "
_WS_SPLIT = re.compile(f"[{_SEPARATOR_CHARS}]+")
NON_SPACE_RUN = re.compile(f"[^{re.escape(SPACE_CHARS)}]+")
_SPACE_RUN = re.compile(f"[{re.escape(SPACE_CHARS)}]+")


def _lstrip(text: str) -> str:
    return text.lstrip(SPACE_CHARS)


def _strip(text: str) -> str:
    return text.strip(SPACE_CHARS)


def extract_flags(line: str, escape: str = "\\") -> tuple[str, list[str]]:
    """Split leading ``--flag`` words from the rest (the reference's
    ``extractBuilderFlags``: quotes and the escape token handled).

    The reference reads the line byte by byte and keeps each byte as a character: a
    flag with non-ASCII text in it holds its UTF-8 bytes as Latin-1 characters
    (``--chown=é`` gives ``--chown=Ã©``), and a byte 0x85 or 0xA0 inside a character
    (``à`` is C3 A0) is white space. So does this."""
    text = line if line.isascii() else line.encode("utf-8").decode("latin-1")
    rest, words = _extract_flags(text, escape)
    if text is not line:
        rest = rest.encode("latin-1").decode("utf-8", "replace")
    return rest, words


def _extract_flags(line: str, escape: str) -> tuple[str, list[str]]:
    words: list[str] = []
    n = len(line)
    pos = 0
    while True:
        m = NON_SPACE_RUN.search(line, pos)
        if m is None:
            return "", words
        pos = m.start()
        if not line.startswith("--", pos):
            return line[pos:], words
        simple = m.group()
        if not ('"' in simple or "'" in simple or escape in simple):
            pos = m.end()
            if pos >= n:
                if simple != "--":
                    words.append(simple)
                return "", words
            if simple == "--":
                return line[pos:], words
            words.append(simple)
            continue
        word: list[str] = []
        blank_ok = False
        quote = ""
        while pos < n:
            ch = line[pos]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == escape:
                    if pos + 1 == n:
                        quote = ""
                    else:
                        pos += 1
                        word.append(line[pos])
                else:
                    word.append(ch)
                pos += 1
                continue
            if is_space(ch):
                break
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
            elif ch == escape:
                if pos + 1 < n:
                    pos += 1
                    word.append(line[pos])
            else:
                word.append(ch)
            pos += 1
        text = "".join(word)
        if pos >= n:
            if text != "--" and (blank_ok or text):
                words.append(text)
            return "", words
        if text == "--":
            return line[pos:], words
        if blank_ok or text:
            words.append(text)


@lru_cache(maxsize=4)
def _word_tokens_re(escape: str) -> re.Pattern[str]:
    """Tokens of a word list: a word whose quotes are closed and whose escape tokens
    each escape a character, a run of white space, or any other single character."""
    e = re.escape(escape)
    sp = re.escape(SPACE_CHARS)
    piece = rf"""[^{sp}'"{e}]|{e}.|"(?:[^"{e}]|{e}.)*"|'[^']*'"""
    return re.compile(rf"((?:{piece})+)|[{sp}]+|(.)", re.DOTALL)


def _split_words_fast(rest: str, escape: str) -> list[str] | None:
    """:func:`split_words` for text without an unclosed quote or a trailing escape
    token (then each word is its text as written), else None."""
    words: list[str] = []
    for m in _word_tokens_re(escape).finditer(rest):
        word, other = m.groups()
        if other is not None:
            return None
        if word is not None:
            words.append(word)
    return words


def split_words(rest: str, escape: str) -> list[str]:
    """The reference's word splitter for ENV/LABEL/ARG (quotes and escapes kept)."""
    if not ("'" in rest or '"' in rest or escape in rest):
        return [w for w in _SPACE_RUN.split(rest) if w]
    fast = _split_words_fast(rest, escape)
    if fast is not None:
        return fast
    return _split_words_general(rest, escape)


def _split_words_general(rest: str, escape: str) -> list[str]:
    words: list[str] = []
    n = len(rest)
    pos = 0
    word: list[str] = []
    in_word = False
    blank_ok = False
    quote = ""
    while pos < n:
        ch = rest[pos]
        if not in_word:
            if is_space(ch):
                pos += 1
                continue
            in_word = True
        if not quote:
            if is_space(ch):
                if blank_ok or word:
                    words.append("".join(word))
                word = []
                blank_ok = False
                in_word = False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        # in a quote
        if ch == quote:
            quote = ""
        if ch == escape and quote != "'":
            if pos + 1 == n:
                pos += 1
                quote = ""
                continue
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


class _NotStringArray(DockerfileError):
    pass


def _reject_constant(name: str) -> object:
    raise ValueError(name)


def _go_number(text: str) -> float:
    """A JSON number as Go decodes it into ``any`` (a float64: out of range is an
    error, which makes the text no JSON array)."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)
    return value


_JSON = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_go_number, parse_int=_go_number
)
# what Go's JSON decoder skips after the value
_JSON_BLANKS = " \t\n\r"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(s: str) -> str:
    """Go's decoding of a ``\\u`` escape that is half a surrogate pair: U+FFFD."""
    return _SURROGATE.sub("\ufffd", s)


def parse_json_array(rest: str) -> list[str] | None:
    """``rest`` as a JSON array of strings, or None when it is not JSON.

    The reference's ``json.Unmarshal``: the whole text is one JSON value (only JSON
    blanks may follow it: ``["echo"] x`` is not JSON), an array. Raises when it is an
    array with something other than strings in it.
    """
    rest = _lstrip(rest)
    if not rest.startswith("["):
        return None
    try:
        value, end = _JSON.raw_decode(rest)
    except (ValueError, RecursionError):
        return None
    if end != len(rest) and rest[end:].strip(_JSON_BLANKS):
        return None
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if not isinstance(item, str):
            raise _NotStringArray(
                "when using JSON array syntax, arrays must be comprised of strings only"
            )
        out.append(_fix_surrogates(item) if "\\u" in rest else item)
    return out


def maybe_json(rest: str) -> tuple[list[str], bool]:
    if rest == "":
        return [], False
    arr = parse_json_array(rest)
    if arr is not None:
        return arr, True
    return [rest], False


def maybe_json_to_list(rest: str) -> tuple[list[str], bool]:
    arr = parse_json_array(rest)
    if arr is not None:
        return arr, True
    return whitespace_delimited(rest), False


def whitespace_delimited(rest: str) -> list[str]:
    if rest == "":
        return []
    return _WS_SPLIT.split(rest)


def name_val(rest: str, key: str, escape: str) -> tuple[list[str], bool]:
    words = split_words(rest, escape)
    if not words:
        return [], False
    if "=" not in words[0]:
        parts = _WS_SPLIT.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileError(f"{key} must have two arguments")
        return [parts[0], parts[1]], True
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise DockerfileError(
                f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value"
            )
        k, _, v = word.partition("=")
        out += [k, v]
    return out, False


def _split_name(text: str) -> list[str]:
    """``text`` (stripped) split at its first run of separators: name and the rest."""
    name, sep, rest = text.partition(" ")
    # one space after a name of letters (the common case) is the whole separator
    if sep and name.isalpha() and rest[0] not in _SEPARATOR_CHARS:
        return [name, rest]
    return _WS_SPLIT.split(text, maxsplit=1)


def split_command(line: str, escape: str = "\\") -> tuple[str, tuple[str, ...], str]:
    """The instruction name, its flags and the rest of ``line`` (``escape`` is the
    file's escape token)."""
    parts = _split_name(line.strip(SPACE_CHARS))
    if len(parts) == 2:
        rest = parts[1]
        if _has_no_flags(rest):
            return parts[0], (), rest
        args, flags = extract_flags(rest, escape)
        return parts[0], tuple(flags), _strip(args)
    return parts[0], (), ""


def _has_no_flags(rest: str) -> bool:
    """Whether ``extract_flags`` would find no flag in ``rest`` and leave it as it is (its
    first word does not start with ``--``, and there is no white space before it)."""
    return rest[:2] != "--" and rest[:1] not in _SPACES and rest != ""
