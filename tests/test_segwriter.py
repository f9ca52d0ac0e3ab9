"""The lean segment writer writes what Whoosh's own writer writes, and the indexer's
workers split, report and survive bad documents."""
from __future__ import annotations

import pytest
from whoosh import index
from whoosh.writing import SegmentWriter

from search.index.documents import passage_docs
from search.index.update import _ingest, corpus_files, update_index
from search.index.schema import build_schema, codec
from search.engine.engine import Engine
from search.index.workers import split_jobs
from search.index import writer as writer_module
from search.index.writer import FastSegmentWriter


def _docs(corpus):
    root, files = corpus_files(corpus)
    return [doc for rel, path in files.items() for article in _ingest(path, root)
            for doc in passage_docs(article, rel)]


def _build(folder, writer_class, docs, **kwargs):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = writer_class(ix, codec=codec(), **kwargs)
    for doc in docs:
        writer.add_document(**doc)
    runs = writer.pool
    writer.commit()
    return index.open_dir(str(folder)), runs


def _postings(reader, field, term):
    m = reader.postings(field, term)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight(), m.value()))
        m.next()
    return out


# all in memory / spilled to runs / spilled, each long posting list cut into 5-posting parts
# (written back a block at a time across the parts)
@pytest.mark.parametrize("limitmb,chunk_postings", [(128, None), (0.05, None), (0.05, 5)])
def test_fast_writer_writes_what_whoosh_writes(engine_corpus, tmp_path, limitmb,
                                               chunk_postings, monkeypatch):
    if chunk_postings:
        monkeypatch.setattr(writer_module, "_RUN_CHUNK_POSTINGS", chunk_postings)
    docs = _docs(engine_corpus)
    whoosh_ix, _ = _build(tmp_path / "whoosh", SegmentWriter, docs)
    fast_ix, pool = _build(tmp_path / "fast", FastSegmentWriter, docs, limitmb=limitmb)
    if limitmb < 1:
        assert pool.spilled > 3          # the small budget did spill runs
    assert not list((tmp_path / "fast").glob("*.run"))
    a, b = whoosh_ix.reader(), fast_ix.reader()
    checked = 0
    for field in a.indexed_field_names():
        terms = list(a.lexicon(field))
        assert terms == list(b.lexicon(field)), field
        for term in terms:
            ia, ib = a.term_info(field, term), b.term_info(field, term)
            for stat in ("doc_frequency", "weight", "max_weight", "min_length", "max_length",
                         "min_id", "max_id"):
                assert getattr(ia, stat)() == getattr(ib, stat)(), (field, term, stat)
            assert _postings(a, field, term) == _postings(b, field, term), (field, term)
            checked += 1
        assert a.field_length(field) == b.field_length(field)
        for docnum in range(a.doc_count_all()):
            assert a.doc_field_length(docnum, field) == b.doc_field_length(docnum, field)
    assert list(a.all_stored_fields()) == list(b.all_stored_fields())
    assert checked > 5000


def test_split_jobs_keeps_order_and_balances_cost():
    jobs = list("abcdefgh")
    shares = split_jobs(jobs, [3, 1, 1, 1, 1, 1, 1, 1], 2)
    assert shares == [list("abc"), list("defgh")]     # 5 and 5
    assert sum(split_jobs(jobs, [1] * 8, 3), []) == jobs
    assert split_jobs(jobs[:1], [5], 2) == [["a"]]


def test_a_document_that_fails_analysis_is_skipped_and_reported(corpus_copy, tmp_path,
                                                                 monkeypatch):
    from search.index import update as indexer

    monkeypatch.setattr(indexer, "MP_THRESHOLD", 10)     # in the worker processes too
    real = indexer.passage_docs

    def passage_docs(article, source):
        for doc in real(article, source):
            if doc.get("pid") == "n2":
                doc["body"] = 42          # not text: Whoosh's analysis raises on it
            yield doc

    monkeypatch.setattr(indexer, "passage_docs", passage_docs)
    report = update_index(corpus_copy, tmp_path / "index", procs=2)
    assert any(f.startswith("news.jsonl: n2 not indexed") for f in report.failures)
    engine = Engine(tmp_path / "index")
    assert engine.search("中俄").total > 0
    assert "n2" not in [h.passage_id for h in engine.search("S-300", limit=100).hits]
    assert "n1" in [h.passage_id for h in engine.search("Su-27", limit=100).hits]
