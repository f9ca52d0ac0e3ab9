"""Key folding for glossary lookups.

Glossary keys must meet the indexed text the way the analyzer does: `拉夫羅夫`/`拉夫罗夫`,
`Lavrov`/`LAVROV` and compatibility ideographs (U+F900–U+FAFF) must collapse to one key.
`search.analysis.fold` (owned by the lead) is the one definition; until it is importable we
use a local fold with the same semantics: per character NFKC (kept only when it yields one
character, so the fold is length-preserving), lowercase, Traditional -> Simplified from
OpenCC's character table. The table is read lazily once per process (no jieba, no OpenCC
converter objects), so `fold` costs a few µs on a query word.
"""
from __future__ import annotations

import os
import re
import unicodedata

_T2S: dict[str, str] | None = None
_SPACES = re.compile(r"\s+")


def _t2s_table() -> dict[str, str]:
    global _T2S
    if _T2S is None:
        import opencc  # the package directory only; no converter is built
        path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
        table: dict[str, str] = {}
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and len(parts[0]) == 1:
                    first = parts[1].split(" ")[0]
                    if len(first) == 1 and first != parts[0]:
                        table[parts[0]] = first
        _T2S = table
    return _T2S


def _local_fold(text: str) -> str:
    table = _t2s_table()
    out = []
    for ch in text:
        norm = unicodedata.normalize("NFKC", ch)
        if len(norm) != 1:
            norm = ch
        norm = norm.lower()
        if len(norm) != 1:
            norm = ch
        out.append(table.get(norm, norm))
    return "".join(out)


def _pick_fold():
    try:  # the lead's analyzer module, once it exists and exposes fold()
        from search import analysis  # noqa: WPS433
        fold = getattr(analysis, "fold", None)
        if callable(fold):
            return fold
    except Exception:  # not landed yet, or broken mid-edit by a concurrent change
        pass
    return _local_fold


_FOLD = None


def fold(text: str) -> str:
    """Length-preserving NFKC + lowercase + Traditional->Simplified fold of `text`."""
    global _FOLD
    if _FOLD is None:
        _FOLD = _pick_fold()
    return _FOLD(text)


def key(text: str) -> str:
    """A lookup key: folded, with runs of whitespace collapsed to one space and trimmed;
    curly apostrophes and hyphen variants unified so `Moscow’s`/`Moscow's` meet."""
    text = fold(text)
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")
    text = text.replace("–", "-").replace("—", "-")
    return _SPACES.sub(" ", text).strip()
