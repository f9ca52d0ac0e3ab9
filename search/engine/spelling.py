""""Did you mean": a query word the index does not hold, replaced by the closest word it does.

Suggestions come only from the index's own vocabulary (the `body` terms: jieba words, the
lexicon's names, the glossary's Chinese terms, English stems) and the glossary's terms that
the index holds, never from a general dictionary: a suggestion always finds passages. A word
is a candidate for correction when the index does not hold it as typed: a Latin word with no
posting (`Lavrof`), a CJK word with a character bigram no passage has (`戰略模湖`: 模湖). The
replacement is shown as a passage spells it (`Lavrov`, `戰略模糊` for a Traditional query),
found by folding the passage text (`fold` keeps offsets).

Edit distance: one edit for words of up to five characters, two beyond (Latin); one
substituted character (CJK, same length). Among candidates at the least distance the most
frequent wins. Only terms sharing the first character are scanned (the term table is sorted,
so that is one prefix walk); a typo in the first letter is not corrected.
"""
from __future__ import annotations

import re

from search.analysis import CJK_CHARS, english_term, fold

_CJK = re.compile(f"[{CJK_CHARS}]")
_LATIN_WORD = re.compile(r"[a-z]{3,}")
_NUMBER = re.compile("[0-9零〇一二两三四五六七八九十百千万亿]")
MAX_SCANNED = 20000            # terms looked at per word: bounded work on a large index
CACHE_LIMIT = 10000            # folded words whose replacement a generation remembers


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours is one edit), or
    limit + 1 once it must exceed `limit`.

    >>> edit_distance("lavrof", "lavrov", 2), edit_distance("gorbachov", "gorbachev", 2)
    (1, 1)
    >>> edit_distance("teh", "the", 2), edit_distance("nato", "treaty", 2)
    (1, 3)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def did_you_mean(words: list[str], searcher, glossary=None,
                 cache: dict | None = None) -> dict[str, str]:
    """{typed word: replacement} for the query words the index does not hold and can
    correct; empty when every word is found or none has a close neighbour. `cache`: a dict
    kept with the searcher's index generation (its terms never change), remembering each
    folded word's replacement or None: a name the index lacks costs a term walk once."""
    found = {}
    for word in dict.fromkeys(words):
        folded = fold(word).strip()
        if cache is not None and folded in cache:
            surface = cache[folded]
        else:
            surface = _correction(folded, searcher, glossary)
            if cache is not None:
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[folded] = surface
        if surface:
            found[word] = surface
    return found


def _correction(folded: str, searcher, glossary) -> str | None:
    """The replacement of one folded query word as a passage spells it, or None."""
    if _CJK.search(folded):
        # a number is not a typo: 第九條 meets 第9條 through its unit (analysis.numbers)
        if len(folded) >= 3 and not _NUMBER.search(folded) \
                and _missing_bigram(folded, searcher):
            best = _cjk_candidate(folded, searcher, glossary)
        else:
            return None
    elif _LATIN_WORD.fullmatch(folded) and not searcher.doc_frequency(
            "body", english_term(folded)):
        best = _latin_candidate(folded, searcher)
    else:
        return None
    if not best:
        return None
    surface = _surface(best, searcher, latin=not _CJK.search(folded))
    return surface if surface and fold(surface) != folded else None


def _missing_bigram(folded: str, searcher) -> bool:
    runs = [r for r in re.findall(f"[{CJK_CHARS}]+", folded)]
    return any(not searcher.doc_frequency("grams", r[i:i + 2])
               for r in runs for i in range(len(r) - 1))


def _prefix_terms(searcher, prefix: str):
    reader = searcher.reader()
    for n, term in enumerate(reader.expand_prefix("body", prefix)):
        if n >= MAX_SCANNED:
            return
        yield term.decode("utf-8") if isinstance(term, bytes) else term


def _latin_candidate(folded: str, searcher) -> str | None:
    stem = english_term(folded)
    limit = 1 if len(folded) <= 5 else 2
    # a term whose length is more than `limit` from both the word's and its stem's is
    # beyond reach: skipped before the distance is computed (most of a prefix walk)
    shortest = min(len(folded), len(stem)) - limit
    longest = max(len(folded), len(stem)) + limit
    best = None
    for term in _prefix_terms(searcher, folded[0]):
        if not shortest <= len(term) <= longest or not term.isascii() or not term.isalpha():
            continue
        d = edit_distance(folded, term, limit)
        if d and stem != folded:
            d = min(d, edit_distance(stem, term, limit))
        if d > limit:
            continue
        key = (d, -searcher.doc_frequency("body", term))
        if best is None or key < best[0]:
            best = (key, term)
    return best[1] if best else None


def _cjk_candidate(folded: str, searcher, glossary) -> str | None:
    def one_substitution(term: str) -> bool:
        return len(term) == len(folded) and sum(a != b for a, b in zip(term, folded)) == 1

    pool = {t for t in _prefix_terms(searcher, folded[0]) if one_substitution(t)}
    if glossary is not None:
        pool |= {t for t in glossary.lexicon() if one_substitution(t)
                 and not _missing_bigram(t, searcher)}
    ranked = sorted((-_phrase_frequency(t, searcher), t) for t in pool)
    return ranked[0][1] if ranked and ranked[0][0] < 0 else None


def _phrase_frequency(term: str, searcher) -> int:
    df = searcher.doc_frequency("body", term)
    if df:
        return df
    return min(searcher.doc_frequency("grams", term[i:i + 2]) for i in range(len(term) - 1))


def _surface(term: str, searcher, latin: bool) -> str | None:
    """`term` as a passage holding it spells it (its own script and capitals)."""
    from whoosh import query as wq

    q = wq.Term("body", term) if searcher.doc_frequency("body", term) else \
        wq.Phrase("grams", [term[i:i + 2] for i in range(len(term) - 1)])
    for hit in searcher.search(q, limit=3):
        text = hit.get("text", "")
        folded = fold(text)
        if latin:
            for m in re.finditer(r"[a-z]+", folded):
                if english_term(m.group()) == term or m.group() == term:
                    return text[m.start():m.end()]
        else:
            at = folded.find(term)
            if at >= 0:
                return text[at:at + len(term)]
    return term if latin else None
