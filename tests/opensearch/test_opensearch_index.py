"""`defsearch index` against the cluster: per-file updates, --rebuild, one writer, kills."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import json
from pathlib import Path

from search.backends.opensearch import store


def _live(config):
    from search.backends.opensearch.client import connect

    client = connect(config)
    try:
        return store.live_index(client, config.index), client.indices.get(
            index=f"{config.index}-2*", allow_no_indices=True)
    finally:
        client.close()


def test_an_update_reads_only_what_changed_and_moves_the_alias(os_config, corpus_copy):
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster

    config = os_config("t-update")
    first = update_cluster(corpus_copy, config)
    assert first.rebuilt and first.passages > 50
    again = update_cluster(corpus_copy, config)
    assert again.nothing_changed and again.generation == first.generation

    txt = sorted(corpus_copy.glob("*.txt"))[0]
    txt.write_text(txt.read_text("utf-8") + "\n\nQuokkaprotocol 在此段落中首次出現。\n", "utf-8")
    (corpus_copy / "news.jsonl").unlink()
    (corpus_copy / "new.jsonl").write_text(json.dumps(
        {"id": "wombat-1", "title": "Wombat doctrine", "date": "2024-01-02", "lang": "en",
         "text": "The wombat doctrine of layered air defence."}) + "\n", "utf-8")
    report = update_cluster(corpus_copy, config)
    assert (report.added, report.changed, report.deleted) == \
        (["new.jsonl"], [txt.name], ["news.jsonl"])
    assert report.indexed_passages < first.passages      # not everything again
    live, indexes = _live(config)
    assert live == report.generation != first.generation
    assert list(indexes) == [live]                       # the previous one is gone
    engine = OpenSearchEngine(config)
    assert engine.search("Quokkaprotocol").total == 1
    assert [h.passage_id for h in engine.search("wombat doctrine").hits][:1] == ["wombat-1"]
    assert engine.stats().passages == report.passages


def test_rebuild_builds_a_new_index_and_swaps_the_alias(os_config, engine_corpus):
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster

    config = os_config("t-rebuild")
    first = update_cluster(engine_corpus, config)
    engine = OpenSearchEngine(config)
    before = [h.passage_id for h in engine.search("中俄軍事合作").hits]
    rebuilt = update_cluster(engine_corpus, config, rebuild=True)
    assert rebuilt.rebuilt and rebuilt.reason == "--rebuild"
    assert rebuilt.generation != first.generation
    assert _live(config) == (rebuilt.generation, {rebuilt.generation: _live(config)[1][
        rebuilt.generation]})
    time.sleep(1.1)         # the engine looks at the alias at most once a second
    assert [h.passage_id for h in engine.search("中俄軍事合作").hits] == before
    assert engine.live_generation() == rebuilt.generation


def test_a_second_writer_gets_one_clear_line(os_config, engine_corpus, runner):
    from search.backends.opensearch.client import connect
    from search.backends.opensearch.indexer import _ensure_meta
    from search.backends.opensearch.lock import ClusterLock
    from search.cli import main

    config = os_config("t-lock")
    client = connect(config)
    _ensure_meta(client, config.index)
    with ClusterLock(client, config.index, config.where) as held:
        out = runner.invoke(main, ["index", "--corpus", str(engine_corpus), "--opensearch",
                                   config.where],
                            env={"DEFSEARCH_OPENSEARCH_INDEX": config.index})
    assert out.exit_code == 1
    assert out.output.strip().splitlines()[-1] == (
        f"defsearch: another `defsearch index` ({held.owner}) is updating t-lock in "
        f"OpenSearch at {config.where}: wait for it to finish (a writer silent for 60 s "
        "is taken over)")
    client.close()


def _big_corpus(path, passages=4000):
    path.mkdir()
    with open(path / "wire.jsonl", "w", encoding="utf-8") as f:
        for i in range(passages):
            f.write(json.dumps({"id": f"wire-{i}", "title": f"Wire {i // 20}",
                                "date": "2023-05-01", "lang": "zh",
                                "text": f"第{i}則：解放軍海軍與俄羅斯海軍在東海舉行聯合演習，"
                                        f"雙方驅逐艦編隊進行防空與反潛科目訓練。"},
                               ensure_ascii=False) + "\n")
    return path


def test_an_update_killed_midway_leaves_the_alias_on_the_previous_index(
        os_config, engine_corpus, tmp_path):
    from search.backends.opensearch.client import connect
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster
    from search.backends.opensearch.lock import LOCK_ID

    config = os_config("t-killed")
    first = update_cluster(engine_corpus, config)
    engine = OpenSearchEngine(config)
    before = engine.search("中俄軍事合作")
    env = {**os.environ, "DEFSEARCH_OPENSEARCH_URL": config.where,
           "DEFSEARCH_OPENSEARCH_INDEX": config.index}
    defsearch = str(Path(sys.executable).parent / "defsearch")
    proc = subprocess.Popen([defsearch, "index", "--rebuild",
                             "--corpus", str(_big_corpus(tmp_path / "big"))], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    client = connect(config)
    while time.monotonic() < deadline and proc.poll() is None:
        names = client.indices.get(index=f"{config.index}-2*", allow_no_indices=True)
        if len(names) > 1 and client.count(index=[n for n in names
                                                   if n != first.generation][0])["count"]:
            break       # the new index is being filled
        client.indices.refresh(index=f"{config.index}-2*")
        time.sleep(0.2)
    assert proc.poll() is None, "the update finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert store.live_index(client, config.index) == first.generation
    after = engine.search("中俄軍事合作")
    assert [h.passage_id for h in after.hits] == [h.passage_id for h in before.hits]
    assert after.total == before.total

    # its lock is left behind: the next writer waits, then takes it over once it is stale
    lock = client.get(index=store.meta_index(config.index), id=LOCK_ID)["_source"]
    client.index(index=store.meta_index(config.index), id=LOCK_ID,
                 body={**lock, "heartbeat": time.time() - 61}, refresh=True)
    report = update_cluster(engine_corpus, config)
    assert report.nothing_changed
    assert list(client.indices.get(index=f"{config.index}-2*")) == [first.generation]
    client.close()
