"""Faults: kill -9 one node of the 3-node cluster during a load of searches.

The index has 3 shards and 1 replica: once the cluster reports yellow (the dead node's
shards promoted elsewhere), every search answers with the complete results it gave before
the kill; errors happen only inside the failover window, and are counted. A red index (its
only shard copy on the dead node) gets one clear `defsearch:` line. The node then rejoins and
the index is complete. Ends with the cluster as it began (green, 3 nodes) for later tests.
"""
from __future__ import annotations

import threading
import time

QUERIES = ["中俄軍事合作", "missile defense", "解放軍 海軍", '"軍事合作"', "nuclear deterrence"]
LOAD_SECONDS = 30
KILL_AFTER = 5
VICTIM = 2


def _wait(client, index: str, status: set, nodes: int, seconds: float = 120) -> float:
    """When `index` reported `status` with `nodes` nodes in the cluster."""
    deadline = time.monotonic() + seconds
    h: dict = {}
    while time.monotonic() < deadline:
        try:
            h = client.cluster.health(index=index)
        except Exception:       # noqa: BLE001 - the node asked was the one killed
            h = {}
        if h.get("status") in status and h.get("number_of_nodes") == nodes:
            return time.monotonic()
        time.sleep(0.3)
    raise AssertionError(f"cluster not {status} with {nodes} nodes after {seconds} s: {h}")


def _answers(engine):
    return {q: (r.total, [h.passage_id for h in r.hits])
            for q in QUERIES for r in [engine.search(q, limit=10)]}


def test_killing_a_node_during_searches(os_cluster, os_config, engine_corpus, runner):
    from search.backends.opensearch.client import connect
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster
    from search.cli import main
    from search.errors import DefsearchError

    config = os_config("t-faults")
    report = update_cluster(engine_corpus, config, shards=3, replicas=1)
    red = os_config("t-red")
    update_cluster(engine_corpus, red, shards=1, replicas=0)
    client = connect(config)
    client.indices.put_settings(index=red.index, body={
        "index.routing.allocation.require._name": f"node-{VICTIM}"})
    client.cluster.health(index=red.index, wait_for_status="green",
                          wait_for_no_relocating_shards=True)
    engine = OpenSearchEngine(config)
    before = _answers(engine)
    red_engine = OpenSearchEngine(red)      # a front end already serving the red index
    assert red_engine.search("中俄").hits

    log: list = []              # (start, ok, answers or error, end) of each round
    stop = time.monotonic() + LOAD_SECONDS

    def load():
        mine = OpenSearchEngine(config)
        while time.monotonic() < stop:
            at = time.monotonic()
            try:
                answers = _answers(mine)
                log.append((at, True, answers, time.monotonic()))
            except Exception as err:     # noqa: BLE001 - counted below
                log.append((at, False, str(err), time.monotonic()))
                time.sleep(0.2)
    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(KILL_AFTER)
    killed_at = time.monotonic()
    os_cluster.kill(VICTIM)
    yellow_at = _wait(client, config.index, {"yellow"}, nodes=2)

    out = runner.invoke(main, ["search", "--opensearch", red.where, "中俄"],
                        env={"DEFSEARCH_OPENSEARCH_INDEX": red.index})
    red_errors = []
    for query in ("中俄", "missile defense"):      # statistics cached / to be fetched
        try:
            red_engine.search(query)
        except DefsearchError as err:
            red_errors.append(str(err))
    for t in threads:
        t.join()

    after_yellow = [entry for entry in log if entry[0] > yellow_at]
    errors = [entry for entry in log if not entry[1]]
    print(f"{len(log)} rounds of {len(QUERIES)} searches, {len(errors)} failed, "
          f"failover {yellow_at - killed_at:.1f} s")
    assert after_yellow, "no search ran after the cluster turned yellow"
    assert all(ok and answers == before for _, ok, answers, _ in after_yellow)
    # a failed round was running inside the failover window: it may have started just
    # before the kill (the node died under it), never after the cluster turned yellow
    assert all(end >= killed_at and at <= yellow_at for at, _, _, end in errors)

    assert out.exit_code == 1
    assert out.output.strip().splitlines()[-1] == (
        f"defsearch: OpenSearch at {red.where} cannot answer: some shards of t-red have no "
        "copy (cluster red): bring its nodes back, then search again")
    assert red_errors == [
        f"OpenSearch at {red.where} cannot answer ({doing}): some shards of t-red have no "
        "copy (cluster red): bring its nodes back, then search again"
        for doing in ("counting matches", "reading term statistics")]

    os_cluster.restart(VICTIM)
    _wait(client, config.index, {"green"}, nodes=3, seconds=180)
    assert client.count(index=config.index)["count"] == report.passages + report.articles
    assert _answers(OpenSearchEngine(config)) == before
    client.indices.delete(index=[red.index + "-2*", config.index + "-2*"])
    _wait(client, "_all", {"green"}, nodes=3)
    client.close()
