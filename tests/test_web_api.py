"""The JSON API: schema, filters, errors as JSON, the same results as `defsearch search --json`."""
from __future__ import annotations

import json

import pytest


def test_api_index_lists_endpoints(client):
    data = client.get("/api").get_json()
    assert "/api/search" in data["endpoints"] and "/api/articles/<id>" in data["endpoints"]


def test_api_search_schema(client):
    resp = client.get("/api/search?q=中俄&limit=3")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    data = resp.get_json()
    assert list(data)[:2] == ["query", "total"] and "results" in data   # + the CLI's extras
    assert data["query"] == "中俄" and data["total"] >= len(data["results"]) > 0
    assert len(data["results"]) <= 3
    for r in data["results"]:
        assert list(r)[:10] == ["passage_id", "article_id", "title", "section", "date",
                                "score", "text", "snippet", "footnotes", "venue"]
        for n in r["footnotes"]:
            assert list(n) == ["label", "text", "urls", "marks"]
    assert "<mark>" in "".join(r["snippet"] for r in data["results"])


def test_api_search_matches_cli_json(cli, client, seed_index):
    result = cli("search", "--index", seed_index, "--json", "中俄")
    if result.exit_code != 0 or not result.output.strip().startswith("{"):
        pytest.skip(f"`defsearch search --json` not available: {result.output[:200]}")
    cli = json.loads(result.output)
    api = client.get("/api/search?q=中俄").get_json()
    assert api["total"] == cli["total"]
    assert [r["passage_id"] for r in api["results"]] == [r["passage_id"] for r in cli["results"]]


def test_open_ended_year_range(client):
    dates = {r["date"][:4] for r in
             client.get("/api/search?q=中國&from=2020&limit=50").get_json()["results"]}
    assert dates and all(d >= "2020" for d in dates)


def test_filters_are_applied(client):
    all_hits = client.get("/api/search?q=中國").get_json()["total"]
    none = client.get("/api/search?q=中國&from=1900&to=1901").get_json()["total"]
    assert all_hits > 0 and none == 0


@pytest.mark.parametrize("query,status", [("", 400), ("q=中俄&page=x", 400),
                                          ("q=中俄&limit=1000", 400), ("q=" + "x" * 500, 400)])
def test_api_errors_are_json(client, query, status):
    resp = client.get("/api/search?" + query)
    assert resp.status_code == status
    body = resp.get_json()
    assert body["status"] == status and body["error"]


def test_api_article(client, seed_article_id):
    aid = seed_article_id
    data = client.get(f"/api/articles/{aid}").get_json()
    assert data["id"] == aid and data["passages"] and "footnotes" in data
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404 and "no article" in missing.get_json()["error"].lower()


def test_api_query_error_is_the_query_message_as_json(client):
    resp = client.get("/api/search", query_string={"q": "year:abc"})
    assert resp.status_code == 400
    assert resp.get_json() == {"error": "cannot read year:abc: use year:2005 or "
                                        "year:2005..2010", "status": 400}
