"""A large build on the cluster: analysed by worker processes, the replica back before the
alias moves (issue 16 item 6's speed-up must not cost a passage or the failover copy)."""
from __future__ import annotations

import json

from search.backends.opensearch.bulk import MP_THRESHOLD


def test_a_build_by_two_workers_indexes_every_passage_and_restores_the_replica(
        os_config, tmp_path):
    from search.backends.opensearch.client import connect
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = MP_THRESHOLD + 100          # enough passages for the worker processes
    for part in range(2):
        (corpus / f"part-{part}.jsonl").write_text("".join(
            json.dumps({"id": f"b{part}-{i}", "title": f"第{i}號報告",
                        "text": f"Report {part}-{i}: 中俄軍事合作 marker{part}x{i} 演習"},
                       ensure_ascii=False) + "\n"
            for i in range(n // 2)), encoding="utf-8")
    config = os_config("t-build")
    report = update_cluster(corpus, config, procs=2)
    assert report.passages == report.indexed_passages == n // 2 * 2
    assert not report.failures

    engine = OpenSearchEngine(config)
    try:
        for part in range(2):       # each worker's share, first and last passage
            for i in (0, n // 2 - 1):
                hits = engine.search(f"marker{part}x{i}").hits
                assert [h.passage_id for h in hits] == [f"b{part}-{i}"]
        assert engine.search("中俄軍事合作").total == n // 2 * 2
    finally:
        engine.close()
    client = connect(config)
    try:
        settings = client.indices.get_settings(index=report.generation)[
            report.generation]["settings"]["index"]
        assert settings["number_of_replicas"] == "1"
        assert settings.get("refresh_interval") in (None, "1s")
        assert settings.get("translog", {}).get("durability", "request") == "request"
        health = client.cluster.health(index=report.generation)
        assert health["status"] == "green" and health["active_shards"] == 6
    finally:
        client.close()
