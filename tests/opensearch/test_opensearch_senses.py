"""Query translation on the cluster picks the Whoosh engine's senses and variants.

Sense selection by co-occurrence (`translate.cohere`) reads passage sets, and designator
families (Su-27 -> Su-27SM) the index's terms by prefix; the cluster answers both with
counts and its term suggester (`search.backends.opensearch.senses`, `prefixed_terms`). The
small corpus of tests/test_translation_senses.py, where the wrong senses are the common
ones, indexed into Whoosh and into the cluster.
"""
from __future__ import annotations

import json

import pytest

from tests.test_translation_senses import PASSAGES


@pytest.fixture(scope="module")
def both(tmp_path_factory, os_config):
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster
    from search.engine.engine import Engine
    from search.index.update import update_index

    corpus = tmp_path_factory.mktemp("os-senses") / "corpus"
    corpus.mkdir()
    (corpus / "news.jsonl").write_text("".join(
        json.dumps({"id": pid, "title": title, "text": text}, ensure_ascii=False) + "\n"
        for pid, title, text in PASSAGES), encoding="utf-8")
    update_index(corpus, corpus.parent / "index")
    config = os_config("t-senses")
    update_cluster(corpus, config)
    cluster = OpenSearchEngine(config)
    yield Engine(corpus.parent / "index"), cluster
    cluster.close()


@pytest.mark.parametrize("query", ["team season", "team", "season"])
def test_the_cluster_searches_the_senses_whoosh_searches(both, query):
    whoosh, cluster = both
    assert cluster.search(query).expansions == whoosh.search(query).expansions


def test_the_senses_that_meet_in_passages_lead_on_the_cluster(both):
    _whoosh, cluster = both
    results = cluster.search("team season")
    assert results.expansions[:1] == ["隊 (team)"]      # not the commoner 團體
    assert results.hits[0].passage_id == "s1"


@pytest.mark.parametrize("query", ['"Su-27"', '"Su-27 戰機"'])
def test_a_quoted_designator_also_finds_the_variants_the_cluster_holds(engine, os_engine,
                                                                        query):
    # the corpus holds Su-27SM: a phrase of Su-27 also matches it, as on Whoosh
    assert os_engine.prefixed_terms(os_engine._live, "grams", "su27") == ["su27", "su27sm"]
    whoosh = engine.search(query, explain=True)
    cluster = os_engine.search(query, explain=True)
    line = [x for x in whoosh.explain if x.startswith("phrase designators:")]
    assert '"su27sm' in line[0]
    assert [x for x in cluster.explain if x.startswith("phrase designators:")] == line
    assert cluster.total == whoosh.total
    assert {h.passage_id for h in cluster.hits} == {h.passage_id for h in whoosh.hits}
