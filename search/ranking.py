"""Ranking configuration in one place: BM25F parameters per field and field weights.

The lead tunes these numbers against the dev split (`bench/quality.py`); the query builder
(`search/query.py`) and the searcher (`search/searcher.py`) only read them.

Why field weights are query boosts rather than schema `field_boost`: a boost baked into the
schema is frozen into the index, so every retuning would force a rebuild. Query-time boosts
change with this file alone.
"""
from __future__ import annotations

from whoosh import scoring

# Per-field BM25 parameters. `b` normalises by field length; `k1` saturates term frequency.
BM25 = {
    "default": {"k1": 1.2, "b": 0.75},
    "body": {"k1": 1.2, "b": 0.75},
    "grams": {"k1": 1.2, "b": 0.75},
    "title": {"k1": 1.2, "b": 0.5},
    "section": {"k1": 1.2, "b": 0.5},
    "notes": {"k1": 1.2, "b": 0.75},
    "authors": {"k1": 1.2, "b": 0.3},
}

# Weight of a match in each field for plain query words. `grams` is the character-bigram
# field: it catches words that jieba segmented differently in the passage and the query.
FIELD_WEIGHTS = {
    "body": 1.0,
    "title": 1.5,
    "section": 0.8,
    "notes": 0.3,
    "authors": 0.8,
    "grams": 0.3,
}

# Fields a plain word is looked up in (word-analysed). `grams` is handled separately.
WORD_FIELDS = ("body", "title", "section", "notes", "authors")

# Whoosh's coordination bonus (Or(scale=...), Apple V-Twin "SQR"): None = off. BM25F's sum
# over words already ranks passages matching more of the words higher; Whoosh's CoordMatcher
# divides by (terms - scale) and disables block-max skipping, so it stays off unless tuned.
COORD_SCALE = None

# Glossary alternatives rank a little below the user's own words.
EXPANSION_BOOST = 0.7

# Quoted phrases: boost of the phrase clause.
PHRASE_BOOST = 1.5

# A query word found in more than this share of passages is left out of ranking (it scores
# next to nothing and costs a scan of most postings); it is still highlighted.
MAX_DF_RATIO = 0.3
PRUNE_MIN_DOCS = 5000          # small indexes are fast anyway: never prune there

# Longest query honoured: words beyond this many tokens are dropped (a pasted page).
MAX_QUERY_TOKENS = 64


class FieldBM25F(scoring.BM25F):
    """Whoosh's BM25F with a per-field K1 as well as a per-field B."""

    def __init__(self, params=None):
        params = params or BM25
        default = params.get("default", {"k1": 1.2, "b": 0.75})
        kwargs = {f"{name}_B": p["b"] for name, p in params.items() if name != "default"}
        super().__init__(B=default["b"], K1=default["k1"], **kwargs)
        self._field_K1 = {name: p["k1"] for name, p in params.items() if name != "default"}

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        K1 = self._field_K1.get(fieldname, self.K1)
        return scoring.BM25FScorer(searcher, fieldname, text, B, K1, qf=qf)


def weighting():
    return FieldBM25F(BM25)
