"""The decoded copy of a segment's posting lists (`search.decoded_postings`) gives the
postings Whoosh's own matcher gives, and lives and dies with its segment.

Searches read a list from the copy when its segment has one, so a wrong offset, a list
written across the wrong run parts or a deleted passage kept would silently change every
ranking; these compare the copy with Whoosh's one-posting-at-a-time matcher on segments
the indexer's writer wrote (with spilled runs and lists cut into parts), with deletions,
and after updates that merge segments away.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh import index

from search import whoosh_internals
from search.decoded_postings import DATA, INDEX, open_decoded
from search.index import writer as writer_module
from search.index.schema import build_schema, codec
from search.index.update import update_index
from search.index.writer import FastSegmentWriter
from search.whoosh_internals import posting_arrays
from tests.test_segwriter import _docs
from tests.test_whoosh_internals import _public


def _compare_every_list(reader) -> int:
    """Assert every term's postings read through `posting_arrays` equal the matcher's;
    return how many lists came from a decoded copy (int32 views)."""
    decoded = 0
    for field in reader.indexed_field_names():
        for term in reader.lexicon(field):
            found = posting_arrays(reader, field, term)
            ids, weights = found
            if ids.dtype == np.int32:
                decoded += 1
                assert weights.dtype == np.float32
            got = list(zip(ids.tolist(), weights.astype(np.float64).tolist()))
            assert got == _public(reader, field, term), (field, term)
    return decoded


def _codec(blocklimit: int):
    """The index's codec, with `blocklimit` postings a block (the corpus's lists are
    short: 4 gives lists of many blocks)."""
    from whoosh.codec.whoosh3 import W3Codec

    ours = codec()
    return ours if blocklimit == 128 else W3Codec(blocklimit=blocklimit,
                                                  inlinelimit=ours._inlinelimit)


def _build(folder: Path, docs, limitmb=128, blocklimit=4):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = FastSegmentWriter(ix, codec=_codec(blocklimit), limitmb=limitmb)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return index.open_dir(str(folder))


# the index's blocks of 128 / blocks of 4 / blocks of 4 from spilled runs, long lists in
# 5-posting parts
@pytest.mark.parametrize("blocklimit,limitmb,chunk_postings",
                         [(128, 128, None), (4, 128, None), (4, 0.05, 5)])
def test_decoded_lists_are_the_postings_whoosh_reads(engine_corpus, tmp_path, monkeypatch,
                                                     blocklimit, limitmb, chunk_postings):
    if chunk_postings:
        monkeypatch.setattr(writer_module, "_RUN_CHUNK_POSTINGS", chunk_postings)
    ix = _build(tmp_path / "ix", _docs(engine_corpus), limitmb=limitmb,
                blocklimit=blocklimit)
    (segment,) = ix._segments()
    assert segment.is_compound()
    for ext in (DATA, INDEX):            # beside the compound file, not packed into it
        assert (tmp_path / "ix" / segment.make_filename(ext)).is_file()
    assert not list((tmp_path / "ix").glob("decoding-*"))
    with ix.reader() as reader:
        assert _compare_every_list(reader) > 200


def test_deleted_passages_are_left_out_of_decoded_lists(engine_corpus, tmp_path):
    docs = _docs(engine_corpus)
    ix = _build(tmp_path / "ix", docs)
    with ix.reader() as reader:
        common = max(((f, t) for f in ("body", "grams") for t in reader.lexicon(f)),
                     key=lambda ft: reader.doc_frequency(*ft))
        before = posting_arrays(reader, *common)[0]
    writer = ix.writer()
    gone = [docs[n]["pid"] for n in (0, 1, len(docs) // 2, len(docs) - 1)]
    for pid in gone:
        writer.delete_by_term("pid", pid)
    writer.commit(merge=False)
    with ix.reader() as reader:
        assert reader.has_deletions()
        assert _compare_every_list(reader) > 200
        after = posting_arrays(reader, *common)[0]
        assert after.dtype == np.int32 and 0 < len(after) < len(before)


def test_a_damaged_decoded_copy_is_not_read(engine_corpus, tmp_path):
    ix = _build(tmp_path / "ix", _docs(engine_corpus))
    (segment,) = ix._segments()
    data = tmp_path / "ix" / segment.make_filename(DATA)
    assert open_decoded(str(tmp_path / "ix"), segment) is not None
    with open(data, "r+b") as fh:
        fh.truncate(data.stat().st_size - 4)
    assert open_decoded(str(tmp_path / "ix"), segment) is None
    with ix.reader() as reader:            # decoded from the postings file instead
        assert _compare_every_list(reader) == 0


def test_searches_rank_the_same_without_the_decoded_copies(engine_index, monkeypatch):
    from search.engine.engine import Engine

    queries = ["中俄軍事合作", "Su-27", "missile defense", "戰略 夥伴", "arms sales to China"]
    with_copies = Engine(engine_index)
    ranked = {q: [(h.passage_id, h.score) for h in with_copies.search(q, limit=30).hits]
              for q in queries}
    monkeypatch.setattr(whoosh_internals, "READ_DECODED", False)
    without = Engine(engine_index)
    for q in queries:
        assert [(h.passage_id, h.score) for h in without.search(q, limit=30).hits] == \
            ranked[q], q
    assert any(ranked.values())


def test_updates_keep_each_decoded_copy_with_its_segment(corpus_copy, tmp_path):
    """Every generation's decoded copies belong to one of its segments (a merged-away
    segment's go with it), and what the index serves is still every posting."""
    target = tmp_path / "index"
    update_index(corpus_copy, target, procs=1)
    files = sorted(p for p in corpus_copy.rglob("*") if p.is_file())
    for step, path in enumerate(files[:3]):
        path.write_text(path.read_text(encoding="utf-8") + f"\n\nAddendum {step}.\n",
                        encoding="utf-8") if path.suffix in (".txt", ".md") else path.unlink()
        update_index(corpus_copy, target, procs=1)
        gen = (target / "CURRENT").read_text().strip()
        folder = target / gen
        segments = {p.stem for p in folder.glob("*.seg")}
        copies = {p.stem for p in folder.glob("*" + DATA)} | \
            {p.stem for p in folder.glob("*" + INDEX)}
        assert copies <= segments, (step, copies - segments)
        assert not list(folder.glob("decoding-*"))
        ix = index.open_dir(str(folder))
        with ix.reader() as reader:
            _compare_every_list(reader)
