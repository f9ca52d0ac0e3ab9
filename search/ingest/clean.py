"""Character-level cleanup shared by every input format.

PDF fonts leave CJK *compatibility* ideographs (U+F900-U+FAFF, U+2F800-U+2FA1F) where the
author typed the ordinary unified character: they look identical but never match a query, so
they are mapped to the unified character (their canonical decomposition).  Private-use code
points are font-specific glyphs (bullets, logos) with no meaning outside the font: dropped.
Everything here is one `str.translate`, so it is cheap enough for the 100k-passage benchmark.

Full-width/half-width folding is *not* done here: display keeps the author's punctuation and
the analyzer folds for matching.
"""
from __future__ import annotations

import re
import unicodedata


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in ((0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for cp in range(lo, hi):
            ch = chr(cp)
            unified = unicodedata.normalize("NFC", ch)
            if unified != ch:
                table[cp] = unified
    for cp in range(0xE000, 0xF900):          # BMP private use area
        table[cp] = None
    for cp in list(range(0x00, 0x09)) + [0x0B, 0x0E, 0x0F] + list(range(0x10, 0x20)) + [0x7F]:
        table[cp] = None                      # control characters (keep \t \n \r \f)
    table[0x0C] = "\n"                        # form feed: a page break is a line break
    table[0xFEFF] = None                      # stray BOM / zero-width no-break space
    table[0x00AD] = None                      # soft hyphen
    table[0x200B] = None                      # zero-width space
    table[0x00A0] = " "                       # no-break space: plain space for layout
    table[0x3000] = " "                       # ideographic space: layout, not content
    return table


TABLE = _build_table()
_SUPPLEMENTARY_PUA = re.compile("[\U000F0000-\U0010FFFF]")
# a C-speed scan first: most passages need no translation at all
_NEEDS_WORK = re.compile("[" + "".join(
    re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "")
    for lo, hi in ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x7F), (0xA0, 0xA0),
                   (0xAD, 0xAD), (0x200B, 0x200B), (0x3000, 0x3000), (0xE000, 0xFAFF),
                   (0xFEFF, 0xFEFF), (0x2F800, 0x2FA1F), (0xF0000, 0x10FFFF))) + "]")


def clean_chars(text: str) -> str:
    """Unify compatibility ideographs, drop private-use glyphs and control characters.

    >>> clean_chars("\\uf9b5\\ue000中\\U0002f800")
    '例中丽'
    """
    if not _NEEDS_WORK.search(text):
        return text
    text = text.translate(TABLE)
    if _SUPPLEMENTARY_PUA.search(text):
        text = _SUPPLEMENTARY_PUA.sub("", text)
    return text

