"""The matching form of a character (``fold``) and the one class of CJK characters.

Folding is NFKC + lowercase + OpenCC's t2s *character* table, applied per character so it
never changes length: every token's ``startchar``/``endchar`` index the original text
directly, and highlights land on the author's own characters, including the PDF's
compatibility ideographs. (Phrase-level t2s differs on 0.02% of characters of the eval pool
and is 30x slower; jieba only needs Simplified input, not perfect Simplified.)

Every module that asks "is this Chinese?" uses ``CJK_CHARS`` (a regex character-class body):
the analyzer's runs, query building, proximity, snippets and glossary keys all look at
folded text. Glossary mining and the user glossary read text as written, where PDF
compatibility ideographs (U+F900-U+FAFF) are still present: ``UNFOLDED_CJK_CHARS`` is the
same class plus those, i.e. the characters that fold into ``CJK_CHARS``.

>>> fold("聯合軍演 ＳＵ－２７ 夥伴 \\uf9b5")
'联合军演 su-27 伙伴 例'
>>> import re; bool(re.fullmatch(f"[{CJK_CHARS}]+", fold("戰略\\uf9b5")))
True
"""
from __future__ import annotations

import os
import unicodedata

# The characters the analyzer treats as CJK after folding: extension A, the unified block
# and the supplementary ideographic planes (no compatibility ideographs: fold removes them).
CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"
# CJK as written: also the BMP compatibility ideographs (the supplement, U+2F800-U+2FA1F,
# is inside the planes above).
UNFOLDED_CJK_CHARS = CJK_CHARS + "\uf900-\ufaff"

_OPENCC_DICT = os.path.join(os.path.dirname(__import__("opencc").__file__), "dictionary")


def _build_fold_table() -> dict[int, str]:
    """A str.translate table for the BMP: NFKC, then lowercase, then t2s, each applied only
    where it maps one character to one character (length is never changed)."""
    t2s = {}
    with open(os.path.join(_OPENCC_DICT, "TSCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1:
                t2s[key] = values.split(" ")[0]
    table = {}
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        lower = folded.lower()
        if len(lower) == 1:
            folded = lower
        folded = t2s.get(folded, folded)
        if folded != ch:
            table[cp] = folded
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Matching form of ``text``: same length, position by position."""
    return text.translate(_FOLD_TABLE)
