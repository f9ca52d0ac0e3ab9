"""Key folding for glossary lookups.

Glossary keys must meet the indexed text the way the analyzer does: `拉夫羅夫`/`拉夫罗夫`,
`Lavrov`/`LAVROV` and compatibility ideographs (U+F900–U+FAFF) must collapse to one key, so
`fold` here *is* the analyzer's (`search.analysis.fold`: per character NFKC, lowercase,
Traditional -> Simplified; length-preserving). `key` adds what only lookups need.
"""
from __future__ import annotations

import re

from search.analysis import fold

__all__ = ["fold", "key"]

_SPACES = re.compile(r"\s+")


def key(text: str) -> str:
    """A lookup key: folded, with runs of whitespace collapsed to one space and trimmed;
    curly apostrophes and hyphen variants unified so `Moscow’s`/`Moscow's` meet."""
    text = fold(text)
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")
    text = text.replace("–", "-").replace("—", "-")
    return _SPACES.sub(" ", text).strip()
