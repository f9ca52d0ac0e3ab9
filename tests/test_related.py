"""Related passages ("more like this"): other articles by default, both languages through
the query translation, on the web, in the API and by `defsearch related`."""
from __future__ import annotations

import json

from search.related import key_terms, related

PAPER = "004_c926736664f9ed5b"
MISSILE = "n3"          # tests/data/engine/news.jsonl: "The United States deployed missile defense…"


def test_related_passages_come_from_other_articles(engine):
    article = engine.article(PAPER)
    passage = article.passages[36]              # 「和平使命 2005」… 聯合軍演
    hits, terms = related(engine, article, passage, limit=5)
    assert terms and 3 <= len(hits) <= 5
    assert all(h.article_id != PAPER for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    same, _ = related(engine, article, passage, limit=5, same_article=True)
    assert any(h.article_id == PAPER for h in same)
    assert all(h.passage_id != passage.id for h in same)


def test_key_terms_are_the_passages_distinctive_words(engine):
    article = engine.article(PAPER)
    terms = key_terms(engine, article.passages[36].text)
    assert "和平" in terms or "使命" in terms
    assert not any(t.isdigit() for t in terms)


def test_an_english_passage_finds_chinese_ones(engine):
    article, passage = _find(engine, MISSILE)
    hits, terms = related(engine, article, passage, limit=5)
    assert "missile" in terms
    assert hits and all(h.lang.startswith("zh") for h in hits[:3])


def test_a_chinese_passage_finds_english_ones(engine):
    """A Chinese commentary passage reaches the paper's English abstract (which has no
    Chinese word in it) through the query translation."""
    article = engine.article("000_b276265bf07c8e54")
    hits, terms = related(engine, article, article.passages[3], limit=10)
    assert all(not t.isascii() for t in terms)
    english = [h.passage_id for h in hits if h.lang == "en"]
    assert f"{PAPER}#p49" in english


def _find(engine, pid):
    from search.cite.lookup import find
    return find(engine, pid)


def test_api_and_page(client):
    data = client.get(f"/api/passages/{PAPER}%23p36/related").get_json()
    assert data["passage_id"] == f"{PAPER}#p36" and data["results"]
    assert all(r["article_id"] != PAPER for r in data["results"])
    assert {"passage_id", "article_id", "title", "section", "lang", "pages", "score",
            "text"} == set(data["results"][0])
    with_own = client.get(f"/api/passages/{PAPER}%23p36/related?same_article=1").get_json()
    assert any(r["article_id"] == PAPER for r in with_own["results"])
    html = client.get(f"/related/{PAPER}%23p36").text
    assert "<h1>Passages like this one</h1>" in html and "other articles only." in html
    assert client.get("/api/passages/nope%23p1/related").status_code == 404
    assert client.get(f"/related/{PAPER}").status_code == 404       # an article, not a passage


def test_cli_related(cli, engine_index):
    result = cli("related", f"{PAPER}#p36", "--index", engine_index, "--json", "--limit", "3")
    data = json.loads(result.output)
    assert len(data["results"]) == 3 and all(r["article_id"] != PAPER for r in data["results"])
    result = cli("related", f"{PAPER}#p36", "--index", engine_index, "--limit", "2")
    assert result.output.startswith(f"2 passages like {PAPER}#p36 (searched: ")
    result = cli("related", PAPER, "--index", engine_index)
    assert result.exit_code != 0 and result.output == (
        f"defsearch: '{PAPER}' is an article: give one of its passages ({PAPER}#p0)\n")
