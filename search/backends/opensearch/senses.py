"""What the query translation's sense selection reads of an index, answered by counts.

`translate.cohere` picks a word's senses by how often they occur together with the other
words' senses: it takes a passage set per candidate (`builder.postings(field, text)`, a
posting list's ids on Whoosh) and only ever asks a set's size and the size of two sets'
intersection. On a cluster a posting list is not read whole; `Passages` stands for the
passages holding all of a few terms, and its size is a count the cluster answers: one
term's is its document frequency, an intersection's a count of the passages holding every
term. Both go through the engine's statistics rounds (`engine._Missing`: unknown values are
recorded, fetched in one `_msearch`, and the step runs again), so the sizes are Whoosh's
exactly and cost one round of counts, cached until the alias moves.
"""
from __future__ import annotations

BOTH = "&"      # the statistics key of an intersection: (BOTH, ((field, term), ...))


class Passages:
    """The passages holding every one of `terms` ((field, term) pairs), sized by `df`."""

    def __init__(self, df, terms):
        self.df = df
        self.terms = frozenset(terms)

    def __and__(self, other):
        if isinstance(other, Passages):
            return Passages(self.df, self.terms | other.terms)
        if not other:
            return frozenset()
        return NotImplemented

    __rand__ = __and__

    def __iter__(self):
        """One true value when not empty: `cohere` asks `any(passages)`."""
        if self:
            yield True

    def __len__(self) -> int:
        if len(self.terms) == 1:
            field, term = next(iter(self.terms))
            return self.df(field, term)
        return self.df(BOTH, tuple(sorted(self.terms)))

    def __bool__(self) -> bool:
        return len(self) > 0


def count_query(terms, lookup_field) -> dict:
    """The query counting the passages holding every one of `terms`."""
    return {"bool": {"filter": [{"term": {lookup_field(f, t): t}} for f, t in terms]}}
