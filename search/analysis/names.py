"""The corpus's own names, for jieba's lexicon: what the authors mark as one term.

Text in 「」, 『』 and 《》 is a name or a title the author wants read as one unit
(信心建立措施, 中俄睦鄰友好合作條約); jieba would often split it. The indexer adds these,
folded, to the segmenter's lexicon (``Lexicon``), together with the Chinese sides of the
glossary's glossed pairs (``search.glossary.glossary_names``, which mines parenthetical
glosses: another source of names, kept with the rest of the glossary's mining).
"""
from __future__ import annotations

import re

from search.analysis.folding import CJK_CHARS, fold

_NAME_RE = re.compile(r"[「《『]([^」》』\n]{2,20})[」》』]")
_ALL_CJK = re.compile(rf"[{CJK_CHARS}]+")


def mine_names(texts) -> set[str]:
    """Folded 2-20-character CJK names quoted in 「」/『』/《》 in `texts`.

    >>> sorted(mine_names(["透過「信心建立措施」（CBMs）與《中俄睦鄰友好合作條約》"]))
    ['中俄睦邻友好合作条约', '信心建立措施']
    """
    names = set()
    for text in texts:
        for m in _NAME_RE.finditer(text):
            name = fold(m.group(1))
            if 2 <= len(name) <= 20 and _ALL_CJK.fullmatch(name):
                names.add(name)
    return names
