"""Streaming indexing (issue 17): the indexer parks what it read on disk instead of holding
the corpus, so its memory is set by its buffers, not by the corpus; nothing of that is left
behind, whatever happens to the run.

Memory itself is measured by bench/speed.py (peak PSS of the process tree); here, the
property that makes it bounded: while the workers analyse, the indexing process holds no
ingested article.
"""
from __future__ import annotations

import gc
import json

import pytest

from search.index.manifest import current_generation
from search.index.spill import NAME as SPILL
from search.index.update import update_index
from search.model import Article


def _bulk_corpus(dest, files: int = 6, lines: int = 60):
    dest.mkdir()
    words = ["中俄", "軍事合作", "missile", "defense", "無人機", "radar", "預警", "北約"]
    for f in range(files):
        with open(dest / f"bulk-{f}.jsonl", "w", encoding="utf-8") as fh:
            for n in range(lines):
                text = " ".join(words[(n * 5 + k * 3 + f) % len(words)] for k in range(30))
                fh.write(json.dumps({"id": f"b{f}-{n}", "title": f"Bulk {f}-{n % 20}",
                                     "text": text}, ensure_ascii=False) + "\n")
    return dest


def _articles_held() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is Article)


def test_workers_analyse_while_the_indexer_holds_no_article(tmp_path, monkeypatch):
    from search.index import update as indexer

    monkeypatch.setattr(indexer, "MP_THRESHOLD", 10)     # use worker processes here too
    corpus = _bulk_corpus(tmp_path / "corpus")
    before = _articles_held()           # other tests' articles, if any, in this process
    held = []

    def progress(done, total):
        if not held:
            gc.unfreeze()               # the workers are forked: count every object
            held.append(_articles_held())
            gc.freeze()

    report = update_index(corpus, tmp_path / "index", progress=progress, procs=2)
    assert report.passages == 360 and report.articles == 120
    assert held == [before]


def test_a_single_process_build_reads_one_article_at_a_time(tmp_path):
    corpus = _bulk_corpus(tmp_path / "corpus")
    before = _articles_held()
    held, calls = [], [0]

    def progress(done, total):
        calls[0] += 1
        if calls[0] % 15 == 1:          # a sample: counting every object takes a while
            held.append(_articles_held())

    update_index(corpus, tmp_path / "index", progress=progress, procs=1)
    assert held and max(held) <= before + 1


@pytest.mark.parametrize("failing", [False, True])
def test_no_parked_articles_are_left_behind(tmp_path, failing):
    corpus = _bulk_corpus(tmp_path / "corpus", files=3, lines=20)
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    live = current_generation(index_dir)
    (corpus / "new.jsonl").write_text(json.dumps({"id": "n-1", "title": "New",
                                                  "text": "radar 預警"}) + "\n")

    class Boom(Exception):
        pass

    def explode(done, total):
        raise Boom

    if failing:
        with pytest.raises(Boom):
            update_index(corpus, index_dir, progress=explode)
        assert current_generation(index_dir) == live        # the previous index serves
    else:
        report = update_index(corpus, index_dir)
        assert report.added == ["new.jsonl"] and report.passages == 61
    assert not list(index_dir.rglob(SPILL))
    assert not list(index_dir.rglob("*.tmp"))
