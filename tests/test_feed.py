"""Saved searches as Atom feeds, read with feedparser as a feed reader reads them: valid
Atom, newest first by when the article entered the index, stable ids, and an update that
adds a matching article shows up as new entries only."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import feedparser

from web import create_app

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
COMMENTARY = "000_b276265bf07c8e54"
PAPER = "004_c926736664f9ed5b"


def _parse(client, url):
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(resp.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_feed_of_a_search_is_valid_atom(client, seed_engine):
    feed = _parse(client, "/feed?q=北約")
    assert feed.feed.title == "defsearch: 北約"
    assert feed.feed.links[0].href == "http://localhost/feed?q=%E5%8C%97%E7%B4%84"
    hits = seed_engine.search("北約", limit=100).hits
    assert len(feed.entries) == len(hits)
    entry = feed.entries[0]
    passage = next(h for h in hits if entry.id.endswith(h.passage_id.replace("#", "%23")))
    assert entry.id == "tag:defsearch,2026:passage/" + passage.passage_id.replace("#", "%23")
    assert entry.link == f"http://localhost/articles/{passage.article_id}#p{passage.ordinal}"
    assert entry.summary.startswith(passage.text[:40])
    assert entry.title.startswith(passage.title)


def test_feed_takes_the_search_page_filters(client):
    everything = _parse(client, "/feed?q=北約").entries
    english = _parse(client, "/feed?q=北約&lang=en").entries
    assert english and len(english) < len(everything)
    resp = client.get("/feed?q=北約&from=abc")
    assert resp.status_code == 400
    assert client.get("/feed").status_code == 400


def test_search_page_links_its_feed(client):
    html = client.get("/search?q=北約&lang=zh-Hant").text
    assert ('<a class="feed" type="application/atom+xml" '
            'href="/feed?q=%E5%8C%97%E7%B4%84&amp;lang=zh-Hant">Follow this search (Atom feed)</a>'
            ) in html


def test_an_update_adds_only_the_new_articles_entries(tmp_path, monkeypatch):
    from search.engine import engine as search_engine
    from search.index.update import update_index

    monkeypatch.setattr(search_engine, "REFRESH_EVERY", 0.0)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / f"{COMMENTARY}.txt", corpus)
    update_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    before = _parse(client, "/feed?q=北約")
    assert before.entries and all(COMMENTARY in e.id for e in before.entries)

    time.sleep(1.1)                     # a later second: the new article is newer
    shutil.copy(CORPUS / f"{PAPER}.txt", corpus)
    update_index(corpus, tmp_path / "index")
    after = _parse(client, "/feed?q=北約")

    seen = {e.id: e.updated for e in before.entries}
    new = [e for e in after.entries if e.id not in seen]
    assert new and all(PAPER in e.id for e in new)
    # newest first: the paper's entries come before the commentary's
    assert [PAPER in e.id for e in after.entries] == [True] * len(new) + [False] * len(seen)
    # the entries a reader has seen keep their ids and times; the feed is newer
    assert {e.id: e.updated for e in after.entries if e.id in seen} == seen
    assert min(e.updated for e in new) > max(seen.values())
    assert after.feed.updated == max(e.updated for e in new) > before.feed.updated
