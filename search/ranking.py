"""Ranking configuration in one place: BM25F parameters per field and field weights.

The lead tunes these numbers against the dev split (`bench/quality.py`); the query builder
(`search/query/builder.py`) and the engine (`search/engine/`) only read them.

Why field weights are query boosts rather than schema `field_boost`: a boost baked into the
schema is frozen into the index, so every retuning would force a rebuild. Query-time boosts
change with this file alone.
"""
from __future__ import annotations

from math import log

from whoosh import scoring

# BM25 parameters by the script of the term, tuned on the dev split (docs/benchmarks.md).
# Chinese terms (jieba words and character bigrams) like little saturation and little length
# normalisation (passages of one article are of similar length, a bigram repeats for free);
# English words want the classic values. `idf_power` sharpens IDF: a question's rare name
# (後燕) must outweigh several mid-frequency words (建立, 國家) matched elsewhere.
SCRIPT_PARAMS = {
    "cjk": {"k1": 0.9, "b": 0.4, "idf_power": 1.5},
    "latin": {"k1": 1.2, "b": 0.75, "idf_power": 1.0},
}

# Weight of a match in each field for plain query words (TITLE_WEIGHTS: the title's, by
# the word's script). The passage's `body` already
# holds its article's main title before the text (a passage is read in its context), so
# `title` adds nothing more: a separate title boost ranks every passage of an article alike
# and cost 0.016 MRR on drcd. The rest of the context and the article's metadata are fields
# of their own, below the text: the section path, the other-language title (`title_en`),
# the venue, the authors and their affiliation (a query naming the journal or institute
# ranks that article's passages first), the notes the passage cites (a cited work is found
# through the passage citing it). The dev pool has none of these fields (its passages are
# title + text), so their weights are tuned on the domain set (tests/data/).
# `grams` weights each character bigram of the query (also those spanning two words).
FIELD_WEIGHTS = {
    "body": 1.0,
    "title": 0.0,
    "section": 0.3,
    "title_en": 0.3,
    "notes": 0.5,
    "authors": 0.5,
    "venue": 0.5,
    "affiliation": 0.5,
    "grams": 0.6,
}

# A query word found whole in one of these fields of an article (every token of it) gives
# each of its passages a constant METADATA_SHARE of what the word could score in the text
# (search.query.plan.FieldMatch): the journal, institute or author named in a query.
# The article title of an English word. A Chinese title is shared by every passage of a
# long article and only repeats the body's context (drcd -0.016 with a title weight); the
# English dev abstracts (cran) each have a title of their own naming their topic, and a
# long English query is a description of that topic (cran +0.030, both halves, with squad's
# multi-passage Wikipedia articles unchanged; docs/benchmarks.md, "Issue 12, item 8").
TITLE_WEIGHTS = {"cjk": 0.0, "latin": 0.2}

METADATA_FIELDS = ("venue", "affiliation", "authors", "title_en")
METADATA_SHARE = 0.5

# Fields a plain word is looked up in (word-analysed). `grams` is handled separately.
WORD_FIELDS = ("body", "title", "section", "title_en", "notes", "authors", "venue",
               "affiliation")

# Whoosh's coordination bonus (Or(scale=...), Apple V-Twin "SQR"): None = off. BM25F's sum
# over words already ranks passages matching more of the words higher.
# What setting it does today: `search.query.whoosh_compile` puts it on the Or of the optional
# clauses (the plain words);
# our evaluator (search/engine/evaluate.py) sums an Or's children and does NOT apply the
# scale, so scores do not change; the only effect is that such an Or is no longer a plain
# sum of terms, so MaxScore pruning (search/engine/pruning.py) is off for that query. To
# tune coordination, the evaluator must first implement it (Whoosh's CoordMatcher).
COORD_SCALE = None

# The `units` field (search.analysis.units): a counted number (第9条) or a designator (su27,
# also from 蘇愷 27) matched there; a designator's family (su27*: Su-27SM, Su-27UBK for
# Su-27, Su-27 for Su-27SM) weighs DESIGNATOR_FAMILY_WEIGHT: variants are found, below
# exact matches.
UNIT_WEIGHT = 1.0
DESIGNATOR_FAMILY_WEIGHT = 0.5
# In a quoted phrase (search.query.builder: "Su-27 戰機"), the designator's other
# spellings (蘇愷 27, Su 27: the same aircraft) weigh DESIGNATOR_SPELLING_WEIGHT of the
# phrase as typed, its family's variants DESIGNATOR_FAMILY_WEIGHT, both scaled to the
# typed phrase's IDF (a rare spelling does not outrank the typed one by rarity alone):
# the spelling typed first (the domain set's "Su-30 戰機" wants Su-30 戰機 above the
# passage saying 蘇愷 30 戰機 twice: 1.0 cost d60 half its reciprocal rank), then the
# other spellings, then the variants.
DESIGNATOR_SPELLING_WEIGHT = 0.6

# Glossary alternatives rank a little below the user's own words.
EXPANSION_BOOST = 0.7

# Query translation (search/query/translation.py). Scale "unit": a set's best candidate,
# matched in full, is worth TRANSLATION_SHARE of what its source unit's own words could
# score at most (each side's most possible BM25 score); "query": all sets together are
# worth that share of all of the user's words. A set's later candidates weigh their weight
# over the best one's ("each") or split the set's weight in proportion ("share"). Dev split
# figures in docs/benchmarks.md: a larger share finds more cross-language answers and
# costs the monolingual sets (XQuAD's same-article paragraphs in the other language match
# the translation almost as well as the answer matches the question); 0.5 keeps them.
TRANSLATION_SHARE = 0.5
# ... and when a language filter leaves only the other language's passages (an English
# question, `lang:zh`): the user's own words can then match only names and numbers, so the
# translation is the evidence and weighs what its source could (xq-en2zh 0.375 -> 0.50 and
# xq-zh2en 0.53 with the answer's language chosen; docs/benchmarks.md).
TRANSLATION_SHARE_ACROSS = 1.0
TRANSLATIONS_PER_SET = 2
TRANSLATION_SETS = "each"
TRANSLATION_SCALE = "unit"

# Quoted phrases: boost of the phrase clause.
PHRASE_BOOST = 1.5

# A query word found in more than this share of passages is left out of ranking (it scores
# next to nothing and costs a scan of most postings); it is still highlighted.
MAX_DF_RATIO = 0.3
PRUNE_MIN_DOCS = 5000          # small indexes are fast anyway: never prune there

# Longest query honoured: words beyond this many tokens are dropped (a pasted page).
MAX_QUERY_TOKENS = 64


# Proximity rerank (search/proximity.py): how many of BM25's best passages are reranked, and
# the bonus per contiguous query trigram (Chinese) / nearby word pair (English), times the
# lower IDF of its two parts.
PROXIMITY_DEPTH = 30
PROXIMITY_WEIGHTS = {"cjk": 1.0, "latin": 0.5}
# English pairs are of words up to this many content words apart in the query (2: also
# "shock ... boundary" of "shock wave boundary"), so a verbose query's description still
# pairs its key words across an adjective between them.
PROXIMITY_LATIN_SPAN = 2

# Coverage rerank (search/engine/coverage.py): of the same best passages, one lacking a
# share x of the words of a query of 2..COVERAGE_MAX_WORDS words keeps
# 1 - COVERAGE_WEIGHT * x of its score. Chinese or mixed keyword queries only (no word
# longer than COVERAGE_MAX_WORD_CHARS): on questions BM25's own sum ranked better (dev: cran
# -0.018 for every length, squad -0.001 up to 4 words, cmrc-s's even half -0.0007;
# docs/benchmarks.md).
COVERAGE_WEIGHT = 0.5
COVERAGE_MAX_WORDS = 4
COVERAGE_MAX_WORD_CHARS = 10

# Question words carry no topic: they are rare in declarative passages, so their IDF is high
# and they pull in passages that happen to ask something. Dropped from ranking (never from a
# query made only of them). Folded (Simplified) forms.
QUESTION_WORDS = ("为什么", "什么", "甚么", "为何", "哪里", "哪儿", "哪些", "哪个", "哪一", "哪",
                  "谁", "多少", "怎么", "怎样", "如何", "何时", "何处", "何地", "何种", "是否")


def script(text: str) -> str:
    """"latin" for an ASCII term (English word, designator, number), else "cjk"."""
    return "latin" if text.isascii() else "cjk"


def idf(doc_frequency: int, doc_count: int, power: float = 1.0) -> float:
    """Robertson/Lucene IDF (never negative, near 0 for words in most passages) ** power."""
    value = log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))
    return value ** power if power != 1.0 else value


def bm25_factor(idf_value: float, k1: float, boost: float = 1.0) -> float:
    """The per-term part of BM25: idf * (k1 + 1) * query weight."""
    return idf_value * (k1 + 1) * boost


def bm25_length_norm(k1: float, b: float, length: float, avgfl: float) -> float:
    """The per-document part: k1 * ((1 - b) + b * field length / average field length)."""
    return k1 * ((1 - b) + b * length / avgfl)


def bm25(factor: float, tf: float, norm: float) -> float:
    """One term's BM25F contribution to one document, `factor` from `bm25_factor`, `norm`
    from `bm25_length_norm`. The one formula: the evaluator computes these same parts
    (inlining this product in its innermost loop), and Whoosh's `scoring.bm25`, which
    `ScriptBM25F` runs for phrases, is the same expression, idf * tf * (k1 + 1) / (tf + norm),
    with the operations in another order (equal up to float rounding)."""
    return factor * tf / (tf + norm)


def term_params(text) -> tuple[float, float, float]:
    """(k1, b, idf_power) for one indexed term (str or the bytes Whoosh passes)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    p = SCRIPT_PARAMS[script(text)]
    return p["k1"], p["b"], p["idf_power"]


class ScriptBM25F(scoring.BM25F):
    """BM25 with our IDF and per-script k1/b, for the queries Whoosh scores itself (phrases,
    prefixes): the same formula as `search.engine.evaluate` (see `bm25`)."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        power = term_params(text)[2]
        # doc_count, not doc_count_all: a deleted document still in its segment is not
        # one a fresh build would count (see search.index.livestats)
        return idf(parent.doc_frequency(fieldname, text), parent.doc_count(), power)

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        k1, b, _power = term_params(text)
        return scoring.BM25FScorer(searcher, fieldname, text, b, k1, qf=qf)


def weighting():
    return ScriptBM25F()

# Meaning vectors (search.semantic, an index built with --semantic). The fused score of a
# candidate is (1 - w) * words / best words + w * meaning, meaning its similarity (plus the
# cross-language bonus) scaled between the SEMANTIC_DEPTH-th nearest and the nearest. The
# weight w and the bonus of a passage in the query's other language are per query language
# (a mixed query between them by its share of Chinese): English questions need more of
# both, as the encoder holds them closer to English text. Tuned on the dev pools, both
# halves (docs/benchmarks.md, "Meaning vectors").
SEMANTIC_WEIGHT = {"zh": 0.35, "en": 0.45}
SEMANTIC_CROSS = {"zh": 0.12, "en": 0.25}
SEMANTIC_DEPTH = 100
# ... at full weight from this many query words (tokens) up, half for one less, none for
# one or two (a query none of whose words is in the index is found by meaning alone at any
# length)
SEMANTIC_FULL_FROM = 4
# A passage holding no query word is shown (and counted: "N more are close in meaning")
# only from this similarity (language-centred cosine, no bonus) up.
SEMANTIC_CLOSE = 0.25
