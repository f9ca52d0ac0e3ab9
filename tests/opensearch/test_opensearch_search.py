"""One analyzer, one query language, two backends: the OpenSearch backend answers as Whoosh.

The same corpus indexed into Whoosh (`engine`) and into the 3-node cluster (`os_engine`):
the same passages (the issue's bar: top-10 overlap of 90%, the same best passage), the same
counts, notices, snippets and footnotes. Scores differ slightly: Lucene counts documents and
field lengths per field (Whoosh over all documents) and stores lengths in one byte.
"""
from __future__ import annotations

import json

import pytest

QUERIES = [
    "中俄軍事合作", "中俄军事合作", "missile defense", '"軍事合作"', "Taiwan strait 台海",
    "解放軍 海軍", "nuclear deterrence China", "台灣 國防預算", "戰略 穩定", "arms control",
    "中俄 -美國", "中俄 OR 北約", "lang:en China", "year:2021 中俄", "title:中俄 合作",
    "Su-27", "Lavrov", "拉夫羅夫",
]


def _ids(results):
    return [h.passage_id for h in results.hits]


# Known gaps since issues 12 and 13 landed on the Whoosh side after this backend: the
# `units` field (designator families, counted numbers), the metadata fields (English title,
# affiliation) and every-word-first ordering are not in the cluster yet (issue 16 open).
GAPS = {
    "nuclear deterrence China": "Whoosh finds 'nuclear' in the English-title field",
    "台灣 國防預算": "Whoosh's unmatched words come from its word reports (issue 13)",
    "中俄 -美國": "every-word-first and the coverage rerank order Whoosh's first hit",
    "Su-27": "the designator family (Su-27SM) is looked up in the units field",
}


@pytest.mark.parametrize("query", [
    pytest.param(q, marks=pytest.mark.xfail(strict=True, reason=GAPS[q])) if q in GAPS else q
    for q in QUERIES])
def test_the_same_matches_best_passage_and_notices_as_whoosh(engine, os_engine, query):
    whoosh = engine.search(query, limit=10)
    cluster = os_engine.search(query, limit=10)
    assert cluster.total == whoosh.total
    assert _ids(cluster)[:1] == _ids(whoosh)[:1]
    assert cluster.expansions == whoosh.expansions
    assert cluster.unmatched == whoosh.unmatched


def test_top_ten_overlap_is_at_least_ninety_percent(engine, os_engine):
    shares = []
    for query in QUERIES:
        want = set(_ids(engine.search(query, limit=10)))
        if want:
            shares.append(len(set(_ids(os_engine.search(query, limit=10))) & want) / len(want))
    assert sum(shares) / len(shares) >= 0.9


def test_hits_carry_the_same_snippets_footnotes_and_metadata(engine, os_engine):
    whoosh = engine.search("中俄軍事合作", limit=5).to_json()
    cluster = os_engine.search("中俄軍事合作", limit=5).to_json()
    for key in ("took_ms",):
        whoosh.pop(key, None), cluster.pop(key, None)
    # issue 13's keys are not filled by the cluster yet (issue 16 open): compared apart
    later = ("every_word", "some_words", "articles", "last_page", "words", "count",
             "notices", "facets", "did_you_mean")
    assert cluster["total"] == whoosh["total"]
    for key in later:
        whoosh.pop(key, None), cluster.pop(key, None)
    for r in whoosh["results"] + cluster["results"]:
        r.pop("authors", None), r.pop("more_in_article", None)
    assert whoosh["results"]
    found = {c["passage_id"]: c for c in cluster["results"]}
    for w in whoosh["results"]:
        c = found.get(w["passage_id"])
        if c is None:
            continue
        assert c["score"] == pytest.approx(w["score"], rel=0.1)
        w.pop("score"), c.pop("score")
        assert c == w
    whoosh.pop("results"), cluster.pop("results")
    assert cluster == whoosh


def test_an_article_reads_back_the_same(engine, os_engine):
    aid = engine.search("中俄").hits[0].article_id
    assert os_engine.article(aid) == engine.article(aid)


def test_cli_search_against_the_cluster(runner, cli, os_engine_index, engine_index):
    from search.cli import main

    cluster = runner.invoke(main, ["search", "--opensearch", os_engine_index.where, "--json",
                                   "中俄軍事合作"],
                            env={"DEFSEARCH_OPENSEARCH_INDEX": os_engine_index.index})
    assert cluster.exit_code == 0, cluster.output
    whoosh = cli("search", "--index", engine_index, "--json", "中俄軍事合作")
    got, want = json.loads(cluster.output), json.loads(whoosh.output)
    assert got["results"][0]["passage_id"] == want["results"][0]["passage_id"]
    assert got["total"] == want["total"]


def test_the_web_api_on_the_cluster(os_engine_index, engine_index):
    from web import create_app

    cluster = create_app({"TESTING": True, "BACKEND": os_engine_index}).test_client()
    whoosh = create_app({"TESTING": True, "INDEX_DIR": str(engine_index)}).test_client()
    got = cluster.get("/api/search?q=中俄軍事合作").get_json()
    want = whoosh.get("/api/search?q=中俄軍事合作").get_json()
    assert got["results"][0]["passage_id"] == want["results"][0]["passage_id"]
    assert got["total"] == want["total"]
    page = cluster.get("/search?q=中俄軍事合作")
    assert page.status_code == 200
    assert f"<strong>{want['total']} passages match" in page.get_data(as_text=True)


def test_options_the_cluster_lacks_are_refused_in_one_line(os_engine):
    # issue 13's sort, grouping, match all and author choice are Whoosh-only so far: a
    # clear refusal, never results that silently ignore the choice
    from search.errors import QueryError

    assert os_engine.search("中俄", sort="relevance", match="any").hits
    with pytest.raises(QueryError) as err:
        os_engine.search("中俄", sort="newest", group=True)
    assert str(err.value) == ("sort newest, grouping: not available on the OpenSearch "
                              "backend yet: search without it, or on the Whoosh index")
