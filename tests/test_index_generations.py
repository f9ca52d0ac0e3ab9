"""Generation identity: a name is never reused, even after `rm -rf index` and a fresh build,
so a running Engine (and the web caches keyed by generation) always see a new index."""
from __future__ import annotations

import shutil
from pathlib import Path

from search.index.update import _generations, update_index
from search.index.checksums import CHECKSUMS
from search.index.manifest import CURRENT, current_generation
from search.engine.engine import Engine
from web.engine import EngineHolder

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"
SEEDS = Path(__file__).resolve().parents[1] / "corpus"


def seed_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, dest / path.name)
    return dest


def news_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(ENGINE_DATA / "news.jsonl", dest / "news.jsonl")
    return dest


def test_rebuild_from_scratch_never_reuses_a_generation_name(tmp_path):
    corpus = news_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    first = update_index(corpus, index_dir).generation
    shutil.rmtree(index_dir)
    second = update_index(corpus, index_dir).generation
    assert first != second
    assert (index_dir / CURRENT).read_text().strip() == second


def test_engine_follows_an_index_deleted_and_built_again(tmp_path):
    index_dir = tmp_path / "index"
    update_index(seed_corpus(tmp_path / "seeds"), index_dir)
    engine = Engine(index_dir)
    assert engine.stats().articles == 2
    shutil.rmtree(index_dir)
    update_index(news_corpus(tmp_path / "news"), index_dir)
    assert engine.refresh()
    assert engine.stats().articles == 5
    fresh = Engine(index_dir)
    assert [h.passage_id for h in engine.search("中國").hits] == \
        [h.passage_id for h in fresh.search("中國").hits]
    engine.close()
    fresh.close()


def test_web_cache_does_not_answer_from_a_deleted_index(tmp_path):
    index_dir = tmp_path / "index"
    update_index(seed_corpus(tmp_path / "seeds"), index_dir)
    holder = EngineHolder(str(index_dir), cache_size=16)
    before = [h.passage_id for h in holder.search("中國").hits]
    shutil.rmtree(index_dir)
    update_index(news_corpus(tmp_path / "news"), index_dir)
    holder.get().refresh()              # what the holder does once a second
    after = [h.passage_id for h in holder.search("中國").hits]
    fresh = Engine(index_dir)
    assert after == [h.passage_id for h in fresh.search("中國").hits]
    assert after != before
    fresh.close()


def test_generations_sort_by_number_and_cleanup_keeps_live_and_previous(tmp_path):
    corpus = news_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    names = [update_index(corpus, index_dir, rebuild=True).generation for _ in range(3)]
    assert _generations(index_dir) == names[1:]
    assert current_generation(index_dir).name == names[2]


def test_an_index_with_old_style_names_still_opens_and_is_rebuilt_by_the_next_update(tmp_path):
    corpus = news_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    gen = current_generation(index_dir)
    # What defsearch wrote before generation ids and checksums: gen-000009, no checksums
    (gen / CHECKSUMS).unlink()
    gen.rename(index_dir / "gen-000009")
    (index_dir / CURRENT).write_text("gen-000009\n")
    engine = Engine(index_dir)
    assert engine.stats().generation == "gen-000009" and engine.search("中國").hits
    report = update_index(corpus, index_dir)
    assert report.rebuilt
    assert report.reason == ("the index has no checksums (built by an older defsearch): "
                             "rebuilt from scratch")
    assert _generations(index_dir) == ["gen-000009", report.generation]
    assert engine.refresh() and engine.stats().generation == report.generation
    engine.close()


def test_an_update_with_nothing_to_do_removes_a_killed_cleanups_debris(tmp_path):
    # An update killed after its swap but before its cleanup leaves older generations
    # behind; the next update, even one with nothing to do, keeps only live and previous.
    corpus = news_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    (corpus / "news.jsonl").write_text((corpus / "news.jsonl").read_text() + "\n")
    update_index(corpus, index_dir)
    live = current_generation(index_dir).name
    older = _generations(index_dir)[0]
    debris = index_dir / ("gen-000000-" + older.rsplit("-", 1)[1])
    shutil.copytree(index_dir / older, debris)
    assert update_index(corpus, index_dir).nothing_changed
    assert _generations(index_dir) == [older, live]
    assert Engine(index_dir).stats().generation == live
