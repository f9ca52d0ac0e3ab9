"""The physical index's settings and mappings: pre-analysed text, per-script BM25.

Every text field holds the token stream our own analysers produced (`documents.py`), space
separated, so OpenSearch only splits on whitespace: Traditional/Simplified folding, jieba
words and sub-words, bigrams, stems and designators are exactly the Whoosh index's. A
position the analyser skipped (a stop word) is an `GAP` token that a stop filter drops,
keeping the position gap, so phrases in `grams` match as they do in Whoosh.

BM25's k1 and b differ by the script of the term (`search.ranking.SCRIPT_PARAMS`), and
OpenSearch sets a similarity per field: each text field is indexed twice with the same
tokens, `field` with the CJK similarity and `field.l` with the Latin one. Both copies have
the same length and document frequencies, so a CJK term is looked up in `field` and a Latin
term in `field.l` and each scores with its own parameters. The IDF power is a query-time
boost (`compile.py`).
"""
from __future__ import annotations

from search import ranking

GAP = "\u2063"          # invisible separator: never a token of our analysers
# The value of a text field a document lacks (article records lack them all). Whoosh
# averages a field's length over every document and counts every document in the IDF;
# Lucene only over the documents that have the field. With this one never-searched token in
# each missing field, every document has every field, so the two agree (up to one token per
# filler in the average).
FILLER = "\u2064"
LATIN = "l"             # the sub-field scored with the Latin similarity
TEXT_FIELDS = ("body", "grams", "title", "section", "notes", "authors", "venue", "title_en",
               "affiliation", "units")
POSITIONS = ("grams",)  # the only field phrases are run on (search.query.plan.PHRASE_FIELD)
KEYWORDS = ("kind", "pid", "article_id", "aid", "source", "lang")
SOURCE_EXCLUDES = list(TEXT_FIELDS)     # token streams: searched, never shown

SHARDS = 3
REPLICAS = 1


def similarity_name(script: str) -> str:
    return f"defsearch_{script}"


def index_body(shards: int = SHARDS, replicas: int = REPLICAS) -> dict:
    """The create-index request body of one physical index."""
    sims = {similarity_name(s): {"type": "BM25", "k1": p["k1"], "b": p["b"]}
            for s, p in ranking.SCRIPT_PARAMS.items()}

    def text(field: str) -> dict:
        opts = "positions" if field in POSITIONS else "freqs"
        return {"type": "text", "analyzer": "defsearch_tokens", "index_options": opts,
                "similarity": similarity_name("cjk"),
                "fields": {LATIN: {"type": "text", "analyzer": "defsearch_tokens",
                                   "index_options": opts,
                                   "similarity": similarity_name("latin")}}}

    props = {f: text(f) for f in TEXT_FIELDS}
    props.update({k: {"type": "keyword"} for k in KEYWORDS})
    props["datenum"] = {"type": "integer"}
    return {
        "settings": {
            "number_of_shards": shards, "number_of_replicas": replicas,
            "similarity": sims,
            "analysis": {
                "filter": {"defsearch_gap": {"type": "stop", "stopwords": [GAP],
                                             "ignore_case": False}},
                "analyzer": {"defsearch_tokens": {"type": "custom", "tokenizer": "whitespace",
                                                  "filter": ["defsearch_gap"]}},
            },
        },
        "mappings": {"dynamic": False, "_source": {"excludes": SOURCE_EXCLUDES},
                     "properties": props},
    }


def lookup_field(field: str, text: str) -> str:
    """Where a term of `field` is looked up: the copy scored with its script's BM25."""
    return f"{field}.{LATIN}" if ranking.script(text) == "latin" else field
