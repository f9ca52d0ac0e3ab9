"""The query plan: what one query asks of the index, typed and backend-neutral.

`QueryBuilder.build` (builder.py) turns the user's text into a `QueryPlan`; a backend
executes it (`whoosh_compile.compile` for the Whoosh index; an OpenSearch backend compiles
the same plan to its DSL); hit assembly reads the plan's highlight terms, and the engine its
proximity texts, unmatched-word candidates, expansions and explain lines. Nothing here is a
Whoosh object: field names are the schema's, terms are already analysed (folded, segmented,
stemmed) exactly as the index holds them, weights are the final multipliers.

Scoring: a match's score is the sum of its parts' scores times its weight; a `Lookup` scores
BM25F for its term in its field. Filters only restrict (score 0), except `TextFilter` with
`scored` (title:/author:, which rank passages of better-matching articles first).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# A one-token phrase or glossary alternative is looked up as a character bigram (grams) and
# as a word (body); a phrase of several tokens is a sequence in the grams field, whose
# positions ignore jieba's segmentation.
PHRASE_FIELD = "grams"
TOKEN_FIELDS = ("grams", "body")


@dataclass(frozen=True)
class Lookup:
    """One indexed term in one field; its BM25F score times `weight`."""

    field: str
    text: str
    weight: float = 1.0


@dataclass
class Alternative:
    """A glossary partner searched besides a query term (`term` as the glossary gives it,
    `tokens` as analysed): one token in TOKEN_FIELDS, several as a phrase in PHRASE_FIELD."""

    term: str
    tokens: list[str]
    weight: float
    source: str = ""               # "glossary" | "user" | "cross-strait" | ""

    @property
    def label(self) -> str:
        """How the results page names it ("also searched: 戈尔巴乔夫 (cross-strait)")."""
        return f"{self.term} ({self.source})" if self.source else self.term


@dataclass
class Token:
    """One position of a query word: its main token and jieba's sub-words of it, looked up
    in every weighted word field (any lookup matching counts, their scores add up), plus the
    glossary alternatives of the main token."""

    text: str
    subwords: list[str]
    lookups: list[Lookup]
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass
class WordMatch:
    """A plain query word (`中俄軍事合作`, `missile`): its tokens after pruning, glossary
    alternatives of the whole word, and the character bigrams of its CJK runs (weighted
    lookups in `grams`). Optional: each part is one more optional clause of the query;
    required or excluded: all parts must match."""

    text: str
    tokens: list[Token]
    alternatives: list[Alternative] = field(default_factory=list)
    bigrams: list[Lookup] = field(default_factory=list)


@dataclass
class PhraseMatch:
    """A quoted phrase: `tokens` in sequence in PHRASE_FIELD, each within `slop` positions of
    the one before. A single token is looked up in TOKEN_FIELDS instead, and with `prefix`
    (a CJK character) also as the start of any bigram."""

    text: str
    tokens: list[str]
    slop: int
    weight: float
    prefix: bool = False
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass
class Translated:
    """One translation of a query unit (`search.glossary.translate.Candidate`): `text` as
    searched and shown, its `source` layer and `weight` as the translation gives them,
    `gloss` (the English sense that chose a Chinese translation), and the weighted lookups
    it became: analysed like a query word (body tokens, grams bigrams), each lookup's weight
    already the final multiplier (its share of the set, on the query's common scale)."""

    text: str
    source: str
    weight: float
    gloss: str
    lookups: list[Lookup]
    boost: float = 1.0             # the multiplier of its lookups' field weights


@dataclass
class TranslationSet:
    """The translations of one source unit of the query (`text`, in language `lang`),
    searched as ONE clause (structured query): its candidates share the set's weight, so a
    word with eight senses weighs what a word with one does."""

    text: str
    lang: str                      # of the source unit: "en" | "zh"
    weight: float                  # its best candidate's (the layer's trust)
    candidates: list[Translated]

    def label(self, candidate: Translated) -> str:
        """`武器禁運 (arms embargo)`: a translation with its sense (Chinese) or with the
        Chinese it translates (English)."""
        return f"{candidate.text} ({candidate.gloss or self.text})"


@dataclass
class FieldMatch:
    """A whole query word found in one of the article's own fields (`ranking.
    METADATA_FIELDS`: venue, affiliation, authors, other-language title): a passage holding
    every one of `tokens` in `field` scores the constant `score` (a share of what the word
    could score in the text), so a query naming the journal or institute ranks that
    article's passages first however many passages share the field (its idf, counted per
    passage, is low exactly when the article is long)."""

    text: str
    field: str
    tokens: list[str]
    score: float


@dataclass
class TextFilter:
    """title:/author:/venue: - every word of the value in `field`, each word matching any
    of its tokens (main token first, then sub-words)."""

    field: str                     # "title" | "authors" | "venue"
    words: list[list[str]]
    scored: bool                   # False: restricts only (venue)


@dataclass
class ValueFilter:
    """lang:/article: - the stored keyword `field` equals one of `values`."""

    field: str                     # "lang" | "article_id"
    values: list[str]


@dataclass
class DateFilter:
    """year:/date:/year_from/year_to - the passage's date (YYYYMMDD, `datenum`) in lo..hi;
    0 and 99999999 are the open ends."""

    lo: int
    hi: int


Filter = Union[TextFilter, ValueFilter, DateFilter]


@dataclass
class AnyMatch:
    """`a OR b`: any member matches; members are matches or filters (`title:x OR y`)."""

    members: list["Match"]


Match = Union[WordMatch, PhraseMatch, AnyMatch, Alternative, TranslationSet, FieldMatch,
              TextFilter, ValueFilter, DateFilter]


@dataclass
class QueryWord:
    """A word or phrase the user typed and the tokens it became ([] when nothing was left
    to search), for the notices under the results: which words matched in passage text,
    only in notes or titles, only through an expansion, or nowhere (`search.engine.coverage`).

    `grams`: the word in the `grams` field (passage text alone), as runs of consecutive
    positions (each run a phrase; question words left out split a run); `match`: the
    plan's match for it (a WordMatch or PhraseMatch), None when nothing was left; `stop`:
    nothing was left because every part is an English stop word or a lone letter;
    `over_budget`: not searched, the query's token budget ran out before it; `units`: the
    `units` terms that spell it otherwise (第九條 for 第9條, 蘇愷 27 for su27, a designator's
    family): a counted number typed over several words (`第 9 條`) is ONE QueryWord."""

    text: str
    tokens: list[str]
    grams: list[list[str]] = field(default_factory=list)
    match: object = None
    stop: bool = False
    over_budget: bool = False
    spanning: list = field(default_factory=list)   # glossary Alternatives of a span of words
    units: list[str] = field(default_factory=list)


@dataclass
class QueryPlan:
    """Everything a backend needs to execute one query and hit assembly needs to show it.

    A passage matches when it matches every `required` match and every filter and no
    `excluded` match; `optional` matches only add to the score (a query of optional matches
    alone needs at least one of them). With no match and no filter (`searchable` False)
    there is nothing to run: the query had words, but none survived analysis."""

    text: str                                   # as typed
    normalised: str                             # after `syntax.clean`
    required: list[Match] = field(default_factory=list)
    optional: list[Match] = field(default_factory=list)
    excluded: list[Match] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    highlight: list[str] = field(default_factory=list)    # folded terms / phrases to mark
    # single CJK characters of split words: marked only in a passage where nothing else is
    fallback_highlight: list[str] = field(default_factory=list)
    words: list[QueryWord] = field(default_factory=list)
    proximity: list[str] = field(default_factory=list)    # folded plain words, for rerank
    expansions: list[str] = field(default_factory=list)   # labels of every Alternative
    translations: list[TranslationSet] = field(default_factory=list)   # also in optional
    # source units with a translation in the index (searched in a set or as an alternative)
    translated: list[str] = field(default_factory=list)
    translation_labels: list[str] = field(default_factory=list)   # those of `expansions`
    explain: list[str] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        return bool(self.required or self.optional or self.excluded or self.filters)

    @property
    def has_text(self) -> bool:
        """False when only filters and exclusions are left (every passage they allow)."""
        return bool(self.required or self.optional)
