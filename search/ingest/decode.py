"""Bytes -> text, or a clear reason why not.

Accepted: UTF-8 with or without BOM, UTF-16 with BOM, Big5/CP950. Anything else is reported,
never "decoded" into mojibake: a wrong guess would silently index garbage.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import IngestError

_CONTROL_OK = set("\n\r\t\f")


def _looks_binary(text: str) -> bool:
    """Text files have almost no control characters; binaries decoded by luck have many."""
    if not text:
        return False
    controls = sum(1 for ch in text[:20000] if ch < " " and ch not in _CONTROL_OK)
    return controls > max(2, len(text[:20000]) // 200)


# What text has and bytes paired up at random lack: spaces, line ends, ASCII, punctuation.
_TEXT_SIGNS = re.compile(r"[\s\x21-\x7e\u3000-\u303f\uff01-\uff20\u2010-\u2027]")


def _plausible_utf16(text: str) -> bool:
    """Any even run of bytes after FF FE decodes as UTF-16 (ASCII letters pair up into
    ideographs: b"garbage" is 最牡慢敧): real text has spaces, line ends, ASCII or
    punctuation at least every ~100 characters, and no unassigned or private code points."""
    sample = text[:20000]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    if odd > len(sample) // 200:
        return False
    return len(sample) < 8 or len(_TEXT_SIGNS.findall(sample)) * 100 >= len(sample)


def _plausible_big5(text: str) -> bool:
    """Big5 puts the ~5,400 frequent characters in level 1 (lead bytes 0xA4-0xC6) and
    punctuation in 0xA1-0xA3. Latin-1 or other 8-bit text that happens to decode as Big5
    lands mostly in the rare level 2 instead: that is mojibake, not Chinese."""
    frequent = rare = 0
    for ch in text[:20000]:
        if ch < "\x80":
            continue
        try:
            lead = ch.encode("cp950")[0]
        except UnicodeEncodeError:
            continue
        if 0xA4 <= lead <= 0xC6:
            frequent += 1
        elif lead > 0xA3:
            rare += 1
    return frequent >= 2 * rare


def decode_bytes(data: bytes, path) -> str:
    """Decode `data` read from `path`, raising IngestError with the problem in plain words."""
    if not data.strip():
        raise IngestError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "UTF-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(data) % 2:
            raise IngestError(path, "truncated UTF-16 text (odd number of bytes)")
        text = _strict(data, "utf-16", "UTF-16", path)
        if not _plausible_utf16(text):
            raise IngestError(path, "binary file, not text (starts with a UTF-16 byte-order "
                                    "mark, but what follows is not UTF-16 text)")
        return text
    if b"\x00" in data[:8192]:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > 0.4 * (len(head) // 2) and min(even, odd) < 0.05 * (len(head) // 2):
            raise IngestError(path, "UTF-16 text without a byte-order mark: save it as UTF-8 "
                                    "or as UTF-16 with a BOM")
        raise IngestError(path, "binary file, not text (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            raise IngestError(path, "truncated UTF-8 text (file ends in the middle of a "
                                    "character)") from None
        try:
            text = data.decode("cp950")
        except UnicodeDecodeError:
            text = None
        if text is None or not _plausible_big5(text):
            raise IngestError(
                path, f"cannot decode: not UTF-8 (bad byte at offset {err.start}), "
                      "UTF-16 with BOM or Big5/CP950 text; convert it to UTF-8") from None
    if _looks_binary(text):
        raise IngestError(path, "binary file, not text (control characters)")
    return text


def _strict(data: bytes, codec: str, name: str, path) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise IngestError(path, f"cannot decode as {name} (bad byte at offset {err.start})") \
            from None
    if not text.strip():
        raise IngestError(path, "empty file")
    if _looks_binary(text):
        raise IngestError(path, "binary file, not text (control characters)")
    return text
