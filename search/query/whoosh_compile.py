"""QueryPlan -> whoosh.query tree: the execute side of the Whoosh backend.

The tree's shape is what `search.engine.evaluate.Evaluator` scores term-at-a-time (an Or of Terms
is a sum of weighted terms, which MaxScore prunes); phrases, prefixes and ranges are run by
Whoosh itself. Another backend compiles the same plan to its own query language.
"""
from __future__ import annotations

from whoosh import query as wq

from search import ranking
from search.query.plan import (PHRASE_FIELD, TOKEN_FIELDS, Alternative, AnyMatch, DateFilter,
                               FieldMatch, Lookup, PhraseMatch, QueryPlan, TextFilter, Token,
                               TranslationSet, ValueFilter, WordMatch)

# Whoosh 2.7.4's NumericRange on the 32-bit `datenum` field matches *every* document when a
# bound is 0 or above ~5*10^7 (its tiered range terms go wrong there), so an open-ended
# year range must not reach those values. Dates are clamped to years 1000-2999.
MIN_DATENUM, MAX_DATENUM = 10000000, 29991231

EVERY_PASSAGE = ("kind", "p")      # a term every passage holds: "all but the excluded"


def compile(plan: QueryPlan) -> wq.Query | None:    # noqa: A001 - the backend's verb
    """The Whoosh query of `plan`; None when the plan has nothing to search."""
    if not plan.searchable:
        return None
    required = [_all(_parts(m)) for m in plan.required]
    optional = [q for m in plan.optional for q in _parts(m)]
    excluded = [_all(_parts(m)) for m in plan.excluded]
    if optional:
        opt = optional[0] if len(optional) == 1 else wq.Or(
            optional, scale=ranking.COORD_SCALE)
    else:
        opt = None
    if required:
        main = _all(required)
        if opt is not None:
            main = wq.AndMaybe(main, opt)
    elif opt is not None:
        main = opt
    else:
        main = wq.Term(*EVERY_PASSAGE)
    if plan.filters:
        main = wq.And([main] + [_filter(f) for f in plan.filters])
    if excluded:
        main = wq.AndNot(main, excluded[0] if len(excluded) == 1 else wq.Or(excluded))
    return main


def filter_query(plan: QueryPlan) -> wq.Query | None:
    """The plan's filters alone (what the meaning vectors' candidates must pass)."""
    return _all([_filter(f) for f in plan.filters]) if plan.filters else None


def exclusion_query(plan: QueryPlan) -> wq.Query | None:
    excluded = [_all(_parts(m)) for m in plan.excluded]
    return _any(excluded) if excluded else None


def _all(queries: list) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _any(queries: list) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _parts(match) -> list:
    """The queries a match adds to the query: several for a plain word (each token, its
    alternatives, its bigrams: optional clauses of their own), one for anything else."""
    if isinstance(match, WordMatch):
        return ([_token(t) for t in match.tokens] + [_alternative(a) for a in match.alternatives]
                + [_lookup(b) for b in match.bigrams])
    if isinstance(match, PhraseMatch):
        return [_phrase(match)]
    if isinstance(match, AnyMatch):
        return [_any([_any(_parts(m)) for m in match.members])]
    if isinstance(match, Alternative):
        return [_alternative(match)]
    if isinstance(match, TranslationSet):
        return [_translation(match)]
    if isinstance(match, FieldMatch):
        return [wq.ConstantScoreQuery(_all([wq.Term(match.field, t) for t in match.tokens]),
                                      match.score)]
    return [_filter(match)]


def _translation(tset: TranslationSet) -> wq.Query:
    """One clause per synonym set: an Or of its candidates' weighted Terms (a sum of
    weighted terms, which MaxScore prunes)."""
    return _any([_lookup(lk) for c in tset.candidates for lk in c.lookups])


def _lookup(lookup: Lookup) -> wq.Term:
    return wq.Term(lookup.field, lookup.text, boost=lookup.weight)


def _token(token: Token) -> wq.Query:
    unit = _any([_lookup(x) for x in token.lookups])
    if token.alternatives:
        unit = wq.Or([unit] + [_alternative(a) for a in token.alternatives])
    return unit


def _phrase(match: PhraseMatch) -> wq.Query:
    if len(match.tokens) == 1:
        tok = match.tokens[0]
        q = wq.Or([wq.Term(f, tok) for f in TOKEN_FIELDS]
                  + ([wq.Prefix(PHRASE_FIELD, tok)] if match.prefix else []))
    else:
        q = wq.Phrase(PHRASE_FIELD, match.tokens, slop=match.slop)
    q.boost = match.weight
    if match.alternatives:
        return wq.Or([q] + [_alternative(a) for a in match.alternatives])
    return q


def _alternative(alt: Alternative) -> wq.Query:
    if len(alt.tokens) == 1:
        q = wq.Or([wq.Term(f, alt.tokens[0]) for f in TOKEN_FIELDS])
    else:
        q = wq.Phrase(PHRASE_FIELD, alt.tokens)
    q.boost = alt.weight
    return q


def _filter(flt) -> wq.Query:
    if isinstance(flt, TextFilter):
        q = _all([_any([wq.Term(flt.field, t) for t in word]) for word in flt.words])
        return q if flt.scored else wq.ConstantScoreQuery(q, 0.0)
    if isinstance(flt, ValueFilter):
        return wq.ConstantScoreQuery(_any([wq.Term(flt.field, v) for v in flt.values]), 0.0)
    if isinstance(flt, DateFilter):
        return date_query(flt.lo, flt.hi)
    raise TypeError(f"not a plan filter: {flt!r}")


def date_query(lo: int, hi: int) -> wq.Query:
    """A non-scoring filter on `datenum` (YYYYMMDD) for lo..hi, bounds clamped to the range
    the index can answer; an empty range matches nothing."""
    lo, hi = max(lo, MIN_DATENUM), min(hi, MAX_DATENUM)
    if lo > hi:
        return wq.NullQuery
    return wq.ConstantScoreQuery(wq.NumericRange("datenum", lo, hi), 0.0)
