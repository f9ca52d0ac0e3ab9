"""Cross-Strait vocabulary: mainland and Taiwan words for the same thing.

Two sources, merged into one symmetric table of folded keys:
- OpenCC's Taiwan phrase tables (`opencc/dictionary/TWPhrases.txt`, `TWPhrasesRev.txt`,
  about a thousand lines, mostly computing terms and place names): 軟件/軟體, 激光/鐳射,
  意大利/義大利 ... minus ambiguous and everyday words (see `search/data/cross_strait_skip.txt`);
- our defense list `search/data/cross_strait.tsv` (导弹/飛彈, 激光/雷射, 航母/航艦 ...).

The table is built lazily, once per process, on the first lookup (~10 ms); lookups are one
dict access on a folded key. Nothing here imports jieba or builds an OpenCC converter.
"""
from __future__ import annotations

import os
from importlib import resources

from search.glossary.folding import key as fold_key

_TABLE: dict[str, list[str]] | None = None

WEIGHT = 0.8


def _opencc_dir() -> str:
    import opencc
    return os.path.join(os.path.dirname(opencc.__file__), "dictionary")


def _data_lines(name: str):
    text = resources.files("search").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _read_pairs(path: str, reverse: bool) -> list[tuple[str, list[str]]]:
    out = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2:
                    continue
                left, rights = parts[0], parts[1].split(" ")
                if reverse:                       # TWPhrasesRev: taiwan -> mainland...
                    out.extend((r, [left]) for r in rights)
                else:
                    out.append((left, rights))
    except OSError:                               # an OpenCC build without the tables
        pass
    return out


def opencc_pairs() -> list[tuple[str, str]]:
    """(mainland, taiwan) pairs from OpenCC's tables after the ambiguity filters."""
    d = _opencc_dir()
    raw = _read_pairs(os.path.join(d, "TWPhrases.txt"), False) + \
        _read_pairs(os.path.join(d, "TWPhrasesRev.txt"), True)
    skip = {fold_key(w) for w in _data_lines("cross_strait_skip.txt")}
    mainland = {fold_key(m) for m, _ in raw}
    taiwan = {fold_key(t) for _, ts in raw for t in ts}
    both_sides = mainland & taiwan                # 文件: a mainland word and a Taiwan word
    pairs: list[tuple[str, str]] = []
    seen = set()
    for m, ts in raw:
        km = fold_key(m)
        kts = [fold_key(t) for t in ts]
        if km in kts:                             # maps to itself: ambiguous
            continue
        for t, kt in zip(ts, kts):
            if len(km) < 2 or len(kt) < 2 or km in skip or kt in skip:
                continue
            if km in both_sides or kt in both_sides:
                continue
            if (km, kt) not in seen:
                seen.add((km, kt))
                pairs.append((m, t))
    return pairs


def defense_lines() -> list[list[str]]:
    """The lines of search/data/cross_strait.tsv: [mainland, taiwan, other taiwan...]."""
    return [[p.strip() for p in line.split("\t") if p.strip()]
            for line in _data_lines("cross_strait.tsv")]


def defense_pairs() -> list[tuple[str, str]]:
    """(mainland, taiwan) pairs of search/data/cross_strait.tsv (one-way marks removed)."""
    return [(parts[0], t.lstrip(">")) for parts in defense_lines() for t in parts[1:]]


def _build() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}

    def add(a: str, b: str) -> None:
        ka, kb = fold_key(a), fold_key(b)
        if ka == kb:
            return
        lst = table.setdefault(ka, [])
        if b not in lst and all(fold_key(x) != kb for x in lst):
            lst.append(b)

    for parts in defense_lines():                 # every term of a line meets every other,
        for a in parts:                           # except that a ">term" is only a target
            for b in parts:
                if a is not b and not a.startswith(">"):
                    add(a, b.lstrip(">"))
    for m, t in opencc_pairs():
        add(m, t)
        add(t, m)
    return table


def table() -> dict[str, list[str]]:
    global _TABLE
    if _TABLE is None:
        _TABLE = _build()
    return _TABLE


def partners(folded_key: str) -> list[str]:
    """Cross-Strait partners (display form) of an already folded key; [] when none."""
    return table().get(folded_key, [])
