""""Did you mean" on the cluster: `search.engine.spelling`'s algorithm over the cluster's
term dictionary.

The Whoosh engine walks the index's sorted `body` terms sharing a word's first character
and keeps the closest (one or two edits, the most frequent at the least distance). A
cluster has no sorted term walk, but Lucene's term suggester (DirectSpellChecker) finds the
terms within two edits of a word that share its first character, which is every term the
walk could pick. `ClusterTerms` answers the few calls `spelling.did_you_mean` makes of a
searcher with the cluster: `expand_prefix` gives the suggester's terms near the query's
words (and their stems), `doc_frequency` the engine's cluster-wide statistics, `search`
the passages that show how a term is spelled. The ranking is then `spelling`'s own, so the
two backends suggest the same words.
"""
from __future__ import annotations

from search.analysis import english_term, fold

SUGGESTIONS = 100       # terms the suggester returns per word: all within two edits, in practice


class ClusterTerms:
    """The searcher `spelling.did_you_mean` reads, for the query words `words`."""

    def __init__(self, engine, live, words):
        self.engine, self.live = engine, live
        self.words = list(dict.fromkeys(fold(w).strip() for w in words if w.strip()))
        self._near: list[str] | None = None

    def doc_frequency(self, field: str, text) -> int:
        return self.engine._with_stats(self.live, lambda df: df(field, text))

    def reader(self):
        return self

    def expand_prefix(self, field: str, prefix: str):
        """The terms near the query's words starting with `prefix`, sorted (a superset of
        what the Whoosh walk could pick: `did_you_mean` measures each one's distance)."""
        return [t for t in self._terms() if t.startswith(prefix)]

    def _terms(self) -> list[str]:
        if self._near is None:
            texts = set()
            for w in self.words:
                texts.add(w)
                if w.isascii():
                    texts.add(english_term(w))
            self._near = self.engine.suggest_terms(self.live, sorted(t for t in texts if t))
            # their statistics in one round, not one request per candidate
            self.engine._with_stats(self.live, lambda df: [df("body", t) for t in self._near])
        return self._near

    def search(self, q, limit: int = 3) -> list[dict]:
        """The stored fields of the first `limit` passages of a Whoosh Term or Phrase."""
        from whoosh import query as wq

        from search.backends.opensearch.mapping import lookup_field

        if isinstance(q, wq.Phrase):
            dsl = {"match_phrase": {q.fieldname: " ".join(q.words)}}
        else:       # scored with its script's BM25, as the Whoosh searcher scores it
            dsl = {"term": {lookup_field(q.fieldname, q.text): q.text}}
        return self.engine.stored_hits(self.live, dsl, limit)
