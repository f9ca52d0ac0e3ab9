"""Related passages ("more like this"): passages on the same subject as one passage, in
other articles and in either language.

The passage's most distinctive words (its words weighted by how often it uses them and how
rare they are in the index, as BM25 weighs them) become an ordinary query, so related
passages are ranked by the engine's own search, with the query translation of
`search.glossary.translate` (a Chinese passage also finds English ones and back) and the
glossary's alternatives. The passage's own article is left out unless asked for.
"""
from __future__ import annotations

import math
import re

from search.model import Article, Hit, Passage

TERMS = 8                   # distinctive words that make the query
_WORD = re.compile(r"^[\w\u3400-\u9fff\uf900-\ufaff][\w\u3400-\u9fff\uf900-\ufaff.\-]*$")


def key_terms(engine, text: str, limit: int = TERMS) -> list[str]:
    """The words of `text` that say most about it, best first (Latin words as written,
    CJK words folded)."""
    from search.analysis import ENGLISH_STOP_WORDS, WordAnalyzer

    counts: dict[str, int] = {}
    written: dict[str, str] = {}
    for token in WordAnalyzer()(text):
        # a Latin word as written (the token is stemmed); a CJK word as its folded token
        # (its offsets may span the whole run), which a query folds to itself
        original = text[token.startchar:token.endchar].strip() if token.text.isascii() \
            else token.text
        if not _useful(token.text, original, ENGLISH_STOP_WORDS):
            continue
        counts[token.text] = counts.get(token.text, 0) + 1
        written.setdefault(token.text, original)
    total = max(1, engine.stats().passages)
    scored = []
    for term, tf in counts.items():
        df = engine.doc_frequency("body", term)
        if df <= 1 and total > 1 and tf == 1:
            continue                # only in this passage: finds nothing else
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        scored.append((tf / (tf + 1.2) * idf, term))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [written[term] for _, term in scored[:limit]]


def _useful(folded: str, original: str, stop_words) -> bool:
    if not original or not _WORD.match(original) or original.isdigit():
        return False
    if original.isascii():
        return len(original) >= 3 and folded not in stop_words and original.lower() not in \
            stop_words
    return len(original) >= 2


def related(engine, article: Article, passage: Passage, limit: int = 5,
            same_article: bool = False) -> tuple[list[Hit], list[str]]:
    """Up to `limit` passages like `passage`, best first, and the words searched."""
    terms = key_terms(engine, passage.text)
    if not terms:
        return [], []
    # deep enough that the passage's own article (tens of passages) cannot crowd out others
    results = engine.search(" ".join(terms), page=1, limit=min(1000, 4 * limit + 200))
    hits = [h for h in results.hits if h.passage_id != passage.id
            and (same_article or h.article_id != article.id)]
    return hits[:limit], terms
