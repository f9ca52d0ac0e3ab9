"""Index build, incremental update, atomic swap, manifest."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from search.index.schema import FORMAT_VERSION
from search.errors import IndexNotFound, IndexOutOfDate
from search.index.update import update_index
from search.index.checksums import write_checksums
from search.index.manifest import current_generation, read_manifest
from search.engine.engine import Engine

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def snapshot(index_dir) -> dict:
    """Everything searchable: stored passages and article records, by id."""
    from whoosh import index

    ix = index.open_dir(str(current_generation(index_dir)))
    with ix.searcher() as s:
        docs = {}
        for fields in s.all_stored_fields():
            docs[fields["pid"]] = (fields.get("text"), fields.get("meta"), fields.get("record"))
    ix.close()
    return docs


def ranking(index_dir, queries=("中俄 軍事合作", "missile defense", '"戰略模糊"', "Su-27")):
    engine = Engine(index_dir)
    out = {q: [(h.passage_id, round(h.score, 3)) for h in engine.search(q, limit=20).hits]
           for q in queries}
    engine.close()
    return out


def test_fresh_build_counts_and_manifest(engine_index):
    gen = current_generation(engine_index)
    manifest = read_manifest(gen)
    assert manifest.format_version == FORMAT_VERSION
    assert set(manifest.files) == {"000_b276265bf07c8e54.txt", "004_c926736664f9ed5b.txt",
                                   "news.jsonl"}
    assert all(len(e.sha256) == 64 for e in manifest.files.values())
    assert manifest.passages == 57 + 7
    assert manifest.libraries["Whoosh"] == "2.7.4"
    assert manifest.analyzer["version"]
    assert "信心建立措施" in manifest.lexicon        # mined from 「」 in news.jsonl


def test_update_with_nothing_changed_writes_nothing(engine_corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(engine_corpus, index_dir)
    gen = current_generation(index_dir).name
    report = update_index(engine_corpus, index_dir)
    assert report.nothing_changed and report.unchanged == 3
    assert current_generation(index_dir).name == gen


def _without_added(files):
    import dataclasses
    return {rel: dataclasses.replace(entry, added="") for rel, entry in files.items()}


def test_incremental_update_equals_fresh_build(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    # add a file, change one, delete one
    shutil.copy(ENGINE_DATA / "extra.jsonl", corpus_copy / "extra.jsonl")
    news = corpus_copy / "news.jsonl"
    lines = news.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("大幅提升制空能力", "提升遠程打擊能力")
    news.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")   # n7 removed
    (corpus_copy / "000_b276265bf07c8e54.txt").unlink()

    report = update_index(corpus_copy, index_dir)
    assert report.added == ["extra.jsonl"]
    assert report.changed == ["news.jsonl"]
    assert report.deleted == ["000_b276265bf07c8e54.txt"]
    assert report.unchanged == 1

    fresh = tmp_path / "fresh"
    update_index(corpus_copy, fresh)
    assert snapshot(index_dir) == snapshot(fresh)
    assert ranking(index_dir) == ranking(fresh)
    # equal but for when each file entered the index (history: the feeds' `updated`)
    assert _without_added(read_manifest(current_generation(index_dir)).files) == \
        _without_added(read_manifest(current_generation(fresh)).files)
    engine = Engine(index_dir)
    assert [h.passage_id for h in engine.search('"遠程打擊"').hits] == ["n1"]
    assert engine.search('"制空能力"').total == 0
    assert engine.search('"降低誤判風險"').total == 0
    assert engine.search('"無人機"', translate=False).total == 1


def test_lexicon_change_reanalyses_everything(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    (corpus_copy / "new.jsonl").write_text(json.dumps(
        {"id": "l1", "title": "t", "text": "所謂「灰色地帶衝突」日益頻繁。"}, ensure_ascii=False)
        + "\n", encoding="utf-8")
    report = update_index(corpus_copy, index_dir)
    assert report.rebuilt and "lexicon changed (+1/-0 names)" in report.reason
    assert report.indexed_passages == 57 + 7 + 1
    assert "灰色地带冲突" in read_manifest(current_generation(index_dir)).lexicon


def test_rebuild_swaps_generation_and_keeps_previous(engine_corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(engine_corpus, index_dir)
    first = current_generation(index_dir).name
    report = update_index(engine_corpus, index_dir, rebuild=True)
    assert report.rebuilt and report.generation != first
    from whoosh import index
    ix = index.open_dir(str(current_generation(index_dir)))
    assert ix.doc_count_all() == ix.doc_count() == 64 + 7   # afresh: nothing deleted
    ix.close()
    names = sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))
    assert names == [first, report.generation]
    update_index(engine_corpus, index_dir, rebuild=True)
    names = sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))
    assert first not in names and len(names) == 2


class Boom(Exception):
    pass


def _explode(done, total):
    raise Boom("injected failure")


@pytest.mark.parametrize("rebuild", [True, False])
def test_failed_update_leaves_previous_index_serving(corpus_copy, tmp_path, rebuild):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    before = snapshot(index_dir)
    gen = current_generation(index_dir).name
    engine = Engine(index_dir)
    assert engine.search("中俄").total > 0
    shutil.copy(ENGINE_DATA / "extra.jsonl", corpus_copy / "extra.jsonl")
    with pytest.raises(Boom):
        update_index(corpus_copy, index_dir, rebuild=rebuild, progress=_explode)
    assert current_generation(index_dir).name == gen
    assert snapshot(index_dir) == before
    assert engine.search("中俄").total > 0
    assert Engine(index_dir).search('"無人機"', translate=False).total == 0
    # the half-written generation is gone and the next run completes
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [gen]
    report = update_index(corpus_copy, index_dir)
    assert report.added == ["extra.jsonl"]
    assert Engine(index_dir).search('"無人機"', translate=False).total == 1


KILLER = """
import os, sys
from search.index.update import update_index
def progress(done, total):
    if done >= 1:
        os._exit(9)          # killed midway: no cleanup, no exception handlers
update_index(sys.argv[1], sys.argv[2], progress=progress)
"""


def test_killed_update_leaves_previous_index_consistent(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    before = snapshot(index_dir)
    engine = Engine(index_dir)
    shutil.copy(ENGINE_DATA / "extra.jsonl", corpus_copy / "extra.jsonl")
    proc = subprocess.run([sys.executable, "-c", KILLER, str(corpus_copy), str(index_dir)],
                          cwd=Path(__file__).resolve().parents[1], capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    assert snapshot(index_dir) == before
    assert engine.search("中俄").total > 0
    fresh = Engine(index_dir)
    assert fresh.search('"無人機"', translate=False).total == 0
    report = update_index(corpus_copy, index_dir)       # recovers, removes the debris
    assert report.added == ["extra.jsonl"]
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 2
    assert Engine(index_dir).search('"無人機"', translate=False).total == 1


def test_search_during_update_still_answers(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    engine = Engine(index_dir)
    answers = []

    def progress(done, total):
        answers.append(engine.search("中俄").total)

    shutil.copy(ENGINE_DATA / "extra.jsonl", corpus_copy / "extra.jsonl")
    update_index(corpus_copy, index_dir, progress=progress)
    assert answers and all(n > 0 for n in answers)
    assert engine.refresh() is True
    assert engine.search('"無人機"', translate=False).total == 1
    assert engine.stats().passages == 57 + 7 + 2


def test_missing_index_message(tmp_path):
    with pytest.raises(IndexNotFound) as err:
        Engine(tmp_path / "nope")
    assert str(err.value) == f"index not found at {tmp_path / 'nope'}: run `defsearch index` first"


def test_out_of_date_index_message(engine_corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(engine_corpus, index_dir)
    path = current_generation(index_dir) / "manifest.json"
    data = json.loads(path.read_text())
    data["format_version"] = 0
    path.write_text(json.dumps(data))
    write_checksums(path.parent)          # as an older defsearch would have written it
    with pytest.raises(IndexOutOfDate) as err:
        Engine(index_dir)
    assert str(err.value) == "index is out of date: run `defsearch index --rebuild`"
    report = update_index(engine_corpus, index_dir)       # an update rebuilds it
    assert report.rebuilt
    assert Engine(index_dir).search("中俄").total > 0


def test_single_jsonl_file_as_corpus(tmp_path):
    index_dir = tmp_path / "index"
    report = update_index(ENGINE_DATA / "extra.jsonl", index_dir)
    assert report.passages == 2 and report.added == ["extra.jsonl"]
    engine = Engine(index_dir)
    assert [h.passage_id for h in engine.search("drone", translate=False).hits] == ["x2"]
    # and its Chinese translation 無人機, below the passage that says what was typed
    assert [h.passage_id for h in engine.search("drone").hits] == ["x2", "x1"]


def test_bad_lines_are_reported_not_fatal(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text('{"id": "a1", "title": "t", "text": "hello drones"}\n'
                                    'not json\n', encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"")
    report = update_index(corpus, tmp_path / "index")
    assert report.passages == 1
    assert any("a.jsonl:2" in f for f in report.failures)
    assert any("b.txt" in f for f in report.failures)


def test_user_glossary_change_makes_a_new_generation(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    gen = current_generation(index_dir)
    assert (gen / "glossary.json").exists()
    (corpus_copy / "glossary.tsv").write_text("無人機\tdrone\n", encoding="utf-8")
    report = update_index(corpus_copy, index_dir)
    assert report.glossary_changed and not report.nothing_changed
    assert report.indexed_passages == 0
    assert current_generation(index_dir) != gen
    results = Engine(index_dir).search("drone")
    assert any("無人機" in e for e in results.expansions)
    assert update_index(corpus_copy, index_dir).nothing_changed


def test_two_worker_build_equals_single_process_build(engine_corpus, engine_index, tmp_path,
                                                      monkeypatch):
    from search.index import update as indexer

    monkeypatch.setattr(indexer, "MP_THRESHOLD", 10)     # use worker processes here too
    index_dir = tmp_path / "index"
    update_index(engine_corpus, index_dir, procs=2)
    assert snapshot(index_dir) == snapshot(engine_index)
    assert ranking(index_dir) == ranking(engine_index)


def test_failure_with_worker_processes_stops_them_and_keeps_the_index(corpus_copy, tmp_path,
                                                                      monkeypatch):
    import multiprocessing

    from search.index import update as indexer

    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir)
    before = snapshot(index_dir)
    monkeypatch.setattr(indexer, "MP_THRESHOLD", 10)
    running = []

    def fail(done, total):
        running.append(len(multiprocessing.active_children()))
        raise Boom("injected failure")

    with pytest.raises(Boom):
        update_index(corpus_copy, index_dir, rebuild=True, progress=fail, procs=2)
    assert running == [2]                           # two workers were running...
    assert multiprocessing.active_children() == []   # ...and were stopped
    assert snapshot(index_dir) == before
    assert not list(index_dir.glob("gen-*/*.run"))
