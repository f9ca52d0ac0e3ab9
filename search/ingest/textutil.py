"""Small text helpers shared by the layout, notes and metadata modules.

"Wide" means East Asian Wide/Fullwidth (CJK ideographs, CJK and full-width punctuation): the
characters between which a line break or a layout space carries no meaning.
"""
from __future__ import annotations

import re
import unicodedata

WIDE_CLASS = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
              "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f"
              "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
_SPACE_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE_CLASS}])[ \t]+(?=[{WIDE_CLASS}])")
_SPACES = re.compile(r"[ \t]{2,}")
TERMINAL = "。！？!?」』”）)…；;：:"
SENTENCE_END = "。！？!?…"


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def width(text: str) -> int:
    """Display width: 2 for a wide character, 1 otherwise."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


def squeeze(text: str) -> str:
    """Drop layout spaces between CJK characters (`前  言`), collapse other runs of spaces.

    >>> squeeze(" 壹、前  言 "), squeeze("（confidence-building  measures, CBMs）")
    ('壹、前言', '（confidence-building measures, CBMs）')
    """
    return _SPACES.sub(" ", _SPACE_BETWEEN_WIDE.sub("", text)).strip()


class Joiner:
    """Joins hard-wrapped lines the way the author wrote them.

    * no space between CJK characters, one space between Latin words;
    * between CJK and a Latin word/number: a space only if the document itself puts spaces
      there (`在 1986 年` in the journal, `2001年簽署` in the commentary);
    * `moderniz-` + `ation` is rejoined, unless the hyphenated compound is written with its
      hyphen elsewhere in the document (`confidence-` + `building`); a hyphen after a capital
      or digit (`Su-` + `27`) is kept.
    """

    def __init__(self, document: str = ""):
        spaced = len(re.findall(f"[{WIDE_CLASS}] [0-9A-Za-z]|[0-9A-Za-z] [{WIDE_CLASS}]",
                                document))
        glued = len(re.findall(f"[{WIDE_CLASS}][0-9A-Za-z]|[0-9A-Za-z][{WIDE_CLASS}]",
                               document))
        self.mixed_space = spaced > glued
        self.document = document.lower()

    def join(self, left: str, right: str) -> str:
        if not left:
            return right
        if not right:
            return left
        a, b = left[-1], right[0]
        if a in "-‐" and len(left) >= 2:
            m = re.search(r"([A-Za-z]+)[-‐]$", left)
            n = re.match(r"[a-z]+", right)
            if m and n and m.group(1)[-1].islower():
                compound = f"{m.group(1)}-{n.group(0)}".lower()
                if compound in self.document:
                    return left + right            # a real hyphenated compound
                return left[:-1] + right           # a word hyphenated at the line end
            return left + right
        wa, wb = is_wide(a), is_wide(b)
        if wa and wb:
            return left + right
        if wa or wb:
            other, wide = (b, a) if wa else (a, b)
            if other.isalnum() and self.mixed_space and not _is_punct(wide):
                return left + " " + right
            return left + right
        if a in "/([“‘" or b in ")]”’,.;:":
            return left + right
        if re.search(r"https?://\S*[/\-_=?&.#%]$", left):
            return left + right                     # a URL wrapped at a line end
        return left + " " + right

    def join_all(self, pieces: list[str]) -> str:
        text = ""
        for piece in pieces:
            text = self.join(text, piece)
        return text
