"""Bridge the languages: a glossary mined from the corpus's own glosses, a user glossary,
and cross-Strait vocabulary, turned into query expansions.

    >>> g = Glossary.build(articles, user_tsv=corpus_root / "glossary.tsv")   # index time
    >>> g.save(index_dir)
    >>> g = Glossary.load(index_dir)                                          # query time
    >>> [x.term for x in g.expansions("Lavrov")]
    ['拉夫羅夫']

Modules: `mining` (pairs from parenthetical glosses), `user` (corpus/glossary.tsv),
`cross_strait` (OpenCC Taiwan phrases + search/data/cross_strait.tsv), `core` (the
Glossary object and the expansion policy), `folding` (lookup keys). Format of the user file:
docs/glossary.md.
"""
from search.glossary.core import FILENAME, Expansion, Glossary, GlossaryEntry, Mining
from search.glossary.indexing import (glossary_digest, glossary_names, pair_names,
                                      update_glossary)
from search.glossary.mining import MinedPair, mine_pairs

__all__ = ["FILENAME", "Expansion", "Glossary", "GlossaryEntry", "MinedPair", "mine_pairs",
           "update_glossary", "glossary_digest", "glossary_names", "Mining", "pair_names"]
