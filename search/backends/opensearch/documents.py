"""An Article as OpenSearch documents: `search.index.documents.passage_docs`, pre-analysed.

The documents are the Whoosh index's (same ids, same stored fields: `hit_from_stored` and
`article_from_stored` read them unchanged); each text field's value is replaced by the
token stream the index's own analyser makes of it, one space between tokens, a
`mapping.GAP` token for each skipped position of a positional field, `mapping.FILLER` for a
field the document lacks or that analyses to nothing.
"""
from __future__ import annotations

from search.backends.opensearch.mapping import FILLER, GAP, POSITIONS, TEXT_FIELDS
from search.index.documents import passage_docs


def token_stream(analyzer, text: str, positions: bool) -> str:
    """`text` as `analyzer` indexes it, space-separated (with GAP tokens for skipped
    positions when `positions`)."""
    out = []
    last = -1
    for t in analyzer(text, positions=positions, mode="index"):
        if not t.text:
            continue
        tok = "".join(t.text.split())       # never split one token in two
        if positions:
            if t.pos > last + 1:
                out.extend([GAP] * (t.pos - last - 1))
            last = max(last, t.pos)
        out.append(tok)
    return " ".join(out)


def cluster_docs(article, source: str, schema):
    """(id, document) for each passage of `article` and its record, analysed by `schema`'s
    analysers (the lexicon's jieba user words included)."""
    for doc in passage_docs(article, source):
        doc_id = doc["pid"]
        for field in TEXT_FIELDS:
            stream = token_stream(schema[field].analyzer, doc[field],
                                  field in POSITIONS) if doc.get(field) else ""
            doc[field] = stream if stream.replace(GAP, "").strip() else FILLER
        yield doc_id, doc
