"""`search.whoosh_internals` reads what Whoosh's public API reads.

The engine scores from posting lists decoded whole (each block parsed from the term's
extent) minus the deleted ids; if a Whoosh change (or a wrong block walk) skipped a block
or kept a deleted document, rankings would silently change. These compare each shortcut with Whoosh's own
one-posting-at-a-time matcher on a real index with several blocks and deletions. (The lean
writer's, the pruning's and the update's equivalence tests are in test_segwriter.py,
test_search.py and test_index.py.)
"""
from __future__ import annotations

from whoosh import fields, index
from whoosh import query as wq

from search.whoosh_internals import (inlining_codec, is_block_matcher, posting_arrays,
                                     prefix_terms, term_postings)


def _index(folder, codec=None):
    """300 documents (more than two W3 blocks of 128 for the common word), then 7 of them
    deleted in a second commit that keeps the segment (no merge)."""
    folder.mkdir()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT())
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(codec=codec) if codec else ix.writer()
    for n in range(300):
        words = ["common"] * (1 + n % 3) + (["rare"] if n % 50 == 0 else []) + [f"w{n % 7}"]
        writer.add_document(id=str(n), body=" ".join(words))
    writer.commit()
    writer = ix.writer()
    for n in (0, 1, 127, 128, 129, 200, 299):
        writer.delete_by_term("id", str(n))
    writer.commit(merge=False)
    return ix


def _public(reader, field, text):
    """(id, weight) of a term's live postings, through Whoosh's public matcher."""
    m = reader.postings(field, text)
    out = []
    while m.is_active():
        out.append((m.id(), m.weight()))
        m.next()
    return out


def _through_internals(reader, field, text):
    found = posting_arrays(reader, field, text)
    if found is None:
        return None
    ids, weights = found
    assert str(ids.dtype) == "int64" and str(weights.dtype) == "float64"
    return list(zip(ids.tolist(), weights.tolist()))


def test_decoded_postings_minus_deleted_ids_are_the_live_postings(tmp_path):
    ix = _index(tmp_path / "ix")
    with ix.reader() as reader:
        for text in ("common", "rare", "w3"):
            live = _public(reader, "body", text)
            assert _through_internals(reader, "body", text) == live
        assert len(_public(reader, "body", "common")) == 293
        m, deleted = term_postings(reader, "body", "common")
        assert is_block_matcher(m) and sorted(deleted) == [0, 1, 127, 128, 129, 200, 299]
        assert term_postings(reader, "body", "absent") == (None, ())
        assert posting_arrays(reader, "body", "absent") is None
        assert posting_arrays(reader, "nofield", "common") is None


def test_weights_of_a_block_of_equal_frequencies_read_back_the_same(tmp_path):
    """A block whose postings share one frequency stores it once (a float; all 1.0: None)."""
    folder = tmp_path / "ix"
    folder.mkdir()
    ix = index.create_in(str(folder), fields.Schema(body=fields.TEXT()))
    with ix.writer() as writer:
        for n in range(400):
            writer.add_document(body="twice twice once" + (" many many many" if n < 130 else ""))
    with ix.reader() as reader:
        for text in ("twice", "once", "many"):
            assert _through_internals(reader, "body", text) == _public(reader, "body", text)
        assert {w for _d, w in _public(reader, "body", "twice")} == {2.0}


def test_inlined_postings_read_back_the_same(tmp_path):
    plain = _index(tmp_path / "plain")
    inlined = _index(tmp_path / "inlined", codec=inlining_codec(8))
    with plain.reader() as a, inlined.reader() as b:
        for text in ("common", "rare", "w3"):
            assert _through_internals(b, "body", text) == _public(a, "body", text)
        m, _deleted = term_postings(b, "body", "rare")     # 6 postings: in the term table
        assert not is_block_matcher(m)


def test_prefix_terms_are_the_indexed_terms_with_the_prefix(tmp_path):
    ix = _index(tmp_path / "ix")
    with ix.reader() as reader:
        terms = sorted(t.decode() for t in prefix_terms(wq.Prefix("body", "w"), reader))
    assert terms == [f"w{n}" for n in range(7)]


def test_length_codes_are_each_documents_field_length(tmp_path):
    from search.whoosh_internals import decoded_length, field_length_codes

    ix = _index(tmp_path / "ix")
    with ix.reader() as reader:
        (seg,) = reader.leaf_readers()
        codes = field_length_codes(seg[0], "body")
        assert len(codes) == seg[0].doc_count_all() == 300
        assert [decoded_length(c) for c in codes] == [
            seg[0].doc_field_length(d, "body") or 0 for d in range(300)]
        assert set(field_length_codes(seg[0], "id")) == {0}      # a field without lengths


def test_term_extremes_bound_every_posting(tmp_path):
    from search.whoosh_internals import term_extremes

    for codec in (None, inlining_codec(8)):
        ix = _index(tmp_path / f"ix{codec is None}", codec=codec)
        with ix.reader() as reader:
            (seg,) = reader.leaf_readers()
            r = seg[0]
            for text in ("common", "rare", "w3"):
                top_tf, shortest = term_extremes(r, "body", text)
                postings = _public(r, "body", text)
                assert top_tf == max(w for _d, w in postings)
                assert shortest == min(r.doc_field_length(d, "body") for d, _w in postings)
            assert term_extremes(r, "body", "absent") is None


def test_block_pickles_read_without_unpickling_give_what_pickle_gives():
    """`_blocks_arrays` reads W3 blocks' id deltas and weights from the bytes of
    `pickle.dumps((ids, weights, values), 2)` (how W3 writes a block), all blocks of a
    term at once; a block of a shape it does not know must be unpickled (`_block_shape`
    None, or deltas not all one byte), never read wrong."""
    import pickle
    from array import array

    from search.whoosh_internals import _block_shape, _blocks_arrays, _unpickled_arrays

    positions = [pickle.dumps([n, n + 3], 2)[2:] for n in range(300)]
    shapes = {
        "small deltas": [3] * 200,
        "wide first": [70_000] + [1] * 127,          # BININT, then BININT1
        "two byte first": [300, 400] + [2] * 126,    # BININT2, then BININT1
        "wide inside": [1] * 50 + [300] + [1] * 77,  # one-byte run broken: unpickled
        "short": [5, 1, 1],                          # fewer than 4: unpickled
        "huge": [2**33] + [1] * 10,                  # LONG1: unpickled
    }
    weights = {"all one": None, "one value": 2.0, "one float32": 0.1,
               "each": lambda n: tuple(array("f", [1.5 + (i % 7) / 3 for i in range(n)]))}
    blocks, want_ids, want_weights, shaped = [], [], [], 0
    for name, deltas in shapes.items():
        for wname, wmaker in weights.items():
            w = wmaker(len(deltas)) if callable(wmaker) else wmaker
            for values in (tuple(positions[:len(deltas)]), None, b"\0\0\0\1" * len(deltas)):
                data = pickle.dumps((tuple(deltas), w, values), 2)
                raw_ids, raw_weights = pickle.loads(data)[:2]
                got = _blocks_arrays([(data, len(deltas))])
                assert got[0].tolist() == list(raw_ids)
                plain = _unpickled_arrays([(data, len(deltas))])
                assert plain[0].tolist() == got[0].tolist() and \
                    plain[1].tolist() == got[1].tolist()
                if raw_weights is None:
                    expected = [1.0] * len(deltas)
                elif isinstance(raw_weights, float):     # W3's reader: via array("f")
                    expected = list(array("f", [raw_weights]) * len(deltas))
                else:
                    expected = list(raw_weights)
                assert got[1].tolist() == expected, (name, wname)
                shaped += _block_shape(data, len(deltas)) is not None
                blocks.append((data, len(deltas)))
                want_ids += list(raw_ids)
                want_weights += expected
    assert shaped == 3 * 4 * 3       # the other three shapes are unpickled
    ids, weights_read = _blocks_arrays(blocks)          # every shape in one term
    assert ids.tolist() == want_ids and weights_read.tolist() == want_weights


def test_every_term_of_a_real_index_decodes_as_whoosh_reads_it(engine_index, monkeypatch):
    """Every term of every field of the engine's test index (word fields, `grams` with
    positions, one segment and more): the decoded postings are the matcher's. (Decoded
    from the postings file: the segments' decoded copies are left unread here and
    checked in test_decoded_postings.py.)"""
    from search import whoosh_internals
    from search.index.manifest import current_generation

    monkeypatch.setattr(whoosh_internals, "READ_DECODED", False)

    ix = index.open_dir(str(current_generation(engine_index)))
    with ix.reader() as top:
        readers = [r for r, _offset in top.leaf_readers()]
        terms = 0
        for reader in readers:
            for field in ("body", "grams", "notes", "title", "units", "article_id"):
                if field not in reader.schema:
                    continue
                for btext in reader.lexicon(field):
                    text = reader.schema[field].from_bytes(btext)
                    assert _through_internals(reader, field, text) == \
                        _public(reader, field, text), (field, text)
                    terms += 1
    assert terms > 5000


def test_phrases_found_from_positions_are_whooshs_phrase_matches(engine, corpus_copy,
                                                                 tmp_path):
    """`Evaluator.phrase_among` (positions of the candidates' postings only,
    `term_positions`) finds the passages Whoosh's phrase matcher finds, with a limit too:
    runs of 2-4 bigrams and English stems taken from passages (phrases), the same runs
    reversed (mostly not phrases), on the engine index and on one with several segments
    and deletions."""
    import numpy as np
    from whoosh import query as wq

    from search.analysis import GramAnalyzer
    from search.engine.engine import Engine
    from search.engine.evaluate import Evaluator
    from search.index.update import update_index

    target = tmp_path / "index"
    update_index(corpus_copy, target, procs=1)
    files = sorted(p for p in corpus_copy.rglob("*.txt"))
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n\n中俄軍事合作的新階段。\n",
                        encoding="utf-8")
    update_index(corpus_copy, target, procs=1)          # a changed file: deletions
    grams = GramAnalyzer()
    for eng in (engine, Engine(target)):
        gen, s = eng._searcher()
        ev = Evaluator(s, gen.cache)
        every = np.arange(s.doc_count_all())
        if eng is not engine:
            assert len(s.leaf_searchers()) > 1 and s.reader().has_deletions()
        live = [d for d in every.tolist() if not s.reader().is_deleted(d)]
        runs = []
        for d in live[::3]:
            tokens = [t.text for t in grams(s.stored_fields(d).get("text", ""), mode="index")]
            for n in (2, 3, 4):
                for at in range(0, max(0, len(tokens) - n), 37):
                    runs.append(tokens[at:at + n])
        runs += [list(reversed(r)) for r in runs[::2]]
        assert len(runs) > 100
        found_some = 0
        for run in runs:
            whoosh = sorted(ev.docs_among(wq.Phrase("grams", run), live))
            ours = ev.phrase_among("grams", run, live).ids.tolist()
            assert ours == whoosh, run
            assert ev.phrase_among("grams", run, live, limit=1).ids.tolist() == whoosh[:1]
            found_some += bool(whoosh)
        assert found_some > 50
