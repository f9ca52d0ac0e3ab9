"""QueryPlan -> OpenSearch query DSL: the execute side of the OpenSearch backend.

The same shape as `search.query.whoosh_compile`: a sum of weighted BM25 terms (bool
`should`), required parts (`must`), exclusions (`must_not`), filters that only restrict
(`filter`). Each term is looked up in the copy of its field scored with its script's k1 and
b (`mapping.lookup_field`). OpenSearch's BM25 (Lucene's LegacyBM25Similarity) is our
`ranking.bm25` but for the IDF: Lucene counts the documents that have the field, Whoosh
(and `ranking.idf`) all documents, and ours has a power. So a term's boost is
weight * ours / Lucene's, both IDFs from the cluster-wide document frequency
`df(field, text)` (0 when not known yet: the engine fetches every missing one in one
request and compiles again) and the document counts.
"""
from __future__ import annotations

from search import ranking
from search.backends.opensearch.mapping import lookup_field
from search.query.plan import (PHRASE_FIELD, TOKEN_FIELDS, Alternative, AnyMatch, DateFilter,
                               FieldMatch, PhraseMatch, QueryPlan, TextFilter, Token, TranslationSet,
                               ValueFilter, WordMatch)

EVERY_PASSAGE = {"term": {"kind": "p"}}


class Compiler:
    def __init__(self, df, doc_count: int, field_docs: dict):
        self.df = df
        self.doc_count = doc_count
        self.field_docs = field_docs        # documents that have each text field

    def compile(self, plan: QueryPlan) -> dict | None:
        """The query of `plan`; None when the plan has nothing to search."""
        if not plan.searchable:
            return None
        must = [self._all(self._parts(m)) for m in plan.required]
        should = [q for m in plan.optional for q in self._parts(m)]
        bool_q: dict = {"filter": [EVERY_PASSAGE]}
        if must:
            bool_q["must"] = must
        if should:
            bool_q["should"] = should
            if not must:
                bool_q["minimum_should_match"] = 1
        if plan.filters:
            scored = [self._filter(f) for f in plan.filters if _scored(f)]
            bool_q["must"] = bool_q.get("must", []) + scored
            bool_q["filter"] += [self._filter(f) for f in plan.filters if not _scored(f)]
        if plan.excluded:
            bool_q["must_not"] = [self._all(self._parts(m)) for m in plan.excluded]
        return {"bool": bool_q}

    # -- parts --------------------------------------------------------------------------

    def term(self, field: str, text: str, weight: float = 1.0) -> dict:
        power = ranking.term_params(text)[2]
        df = self.df(field, text)
        ours = ranking.idf(df, self.doc_count, power)
        lucene = ranking.idf(df, self.field_docs.get(field, self.doc_count))
        boost = weight * ours / lucene if lucene > 0 else 0.0
        return {"term": {lookup_field(field, text): {"value": text, "boost": boost}}}

    def _parts(self, match) -> list:
        if isinstance(match, WordMatch):
            return ([self._token(t) for t in match.tokens]
                    + [self._alternative(a) for a in match.alternatives]
                    + [self.term(b.field, b.text, b.weight) for b in match.bigrams])
        if isinstance(match, PhraseMatch):
            return [self._phrase(match)]
        if isinstance(match, AnyMatch):
            return [self._any([self._any(self._parts(m)) for m in match.members])]
        if isinstance(match, Alternative):
            return [self._alternative(match)]
        if isinstance(match, TranslationSet):
            return [self._any([self.term(lk.field, lk.text, lk.weight)
                               for c in match.candidates for lk in c.lookups])]
        if isinstance(match, FieldMatch):
            # the word whole in a metadata field: a constant share, however common there
            return [{"constant_score": {"filter": self._all([
                {"term": {lookup_field(match.field, t): t}} for t in match.tokens]),
                "boost": match.score}}]
        return [self._filter(match)]

    @staticmethod
    def _all(queries: list) -> dict:
        return queries[0] if len(queries) == 1 else {"bool": {"must": queries}}

    @staticmethod
    def _any(queries: list) -> dict:
        return queries[0] if len(queries) == 1 else \
            {"bool": {"should": queries, "minimum_should_match": 1}}

    def _token(self, token: Token) -> dict:
        unit = [self.term(x.field, x.text, x.weight) for x in token.lookups]
        unit += [self._alternative(a) for a in token.alternatives]
        return self._any(unit)

    def _phrase(self, match: PhraseMatch) -> dict:
        if len(match.tokens) == 1:
            tok = match.tokens[0]
            parts = [self.term(f, tok, match.weight) for f in TOKEN_FIELDS]
            if match.prefix:
                parts.append({"prefix": {lookup_field(PHRASE_FIELD, tok): {
                    "value": tok, "rewrite": "scoring_boolean",
                    "boost": match.weight}}})
            q = self._any(parts)
        else:
            q = self._sequence(match.tokens, match.slop, match.weight)
        if match.alternatives:
            return self._any([q] + [self._alternative(a) for a in match.alternatives])
        return q

    def _alternative(self, alt: Alternative) -> dict:
        if len(alt.tokens) == 1:
            return self._any([self.term(f, alt.tokens[0], alt.weight) for f in TOKEN_FIELDS])
        return self._sequence(alt.tokens, 1, alt.weight)

    @staticmethod
    def _sequence(tokens: list, slop: int, weight: float) -> dict:
        """Tokens in order in PHRASE_FIELD, each within `slop` positions of the one before
        (Whoosh's slop; Lucene's counts the moves of the whole phrase)."""
        field = lookup_field(PHRASE_FIELD, tokens[0])
        return {"match_phrase": {field: {"query": " ".join(tokens),
                                         "slop": (max(slop, 1) - 1) * (len(tokens) - 1),
                                         "boost": weight}}}

    def _filter(self, flt) -> dict:
        if isinstance(flt, TextFilter):
            words = [self._any([self.term(flt.field, t) for t in word]) for word in flt.words]
            return self._all(words)
        if isinstance(flt, ValueFilter):
            return {"terms": {flt.field: list(flt.values)}}
        if isinstance(flt, DateFilter):
            return {"range": {"datenum": {"gte": flt.lo, "lte": flt.hi}}}
        raise TypeError(f"not a plan filter: {flt!r}")


def _scored(flt) -> bool:
    return isinstance(flt, TextFilter) and flt.scored
