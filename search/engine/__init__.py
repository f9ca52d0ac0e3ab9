"""The query side: a compiled query -> ranked passages -> hits.

=================  ======================================================================
``engine``         ``Engine``: generations (open, refresh, damage checks), search, rank,
                   article
``evaluate``       ``Evaluator``: the query-tree interpreter, term-at-a-time BM25F
``pruning``        MaxScore top-k over a sum of weighted terms, ``top`` (tie order)
``proximity``      the proximity rerank of BM25F's best passages
``snippets``       ``Highlighter``, the snippet window, its HTML
``hits``           a Hit from a passage's stored fields
=================  ======================================================================

Ranking parameters stay in ``search.ranking`` (one file to tune). Whoosh 2.7.4 internals
used here go through ``search.whoosh_internals``.
"""
