"""The running app follows `defsearch index`: a new generation is served, and the result and
page caches never serve an old one."""
from __future__ import annotations

import re
from pathlib import Path

from web import create_app

CORPUS = Path(__file__).resolve().parent.parent / "corpus"



def _app_on_one_seed(tmp_path):
    """A client serving an index of the first seed article, and `add_second()`, which adds
    the second seed to the corpus and updates the index under the running app."""
    import shutil
    from search.index.update import update_index
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first, second = sorted(CORPUS.glob("*.txt"))[:2]
    shutil.copy(first, corpus)
    update_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()

    def add_second():
        shutil.copy(second, corpus)
        update_index(corpus, tmp_path / "index")
    return client, add_second


def test_a_rebuilt_index_is_served_without_restart(tmp_path):
    """The engine and the result cache follow `defsearch index` while the app runs."""
    import time
    client, add_second = _app_on_one_seed(tmp_path)
    before = client.get("/api/search?q=中國").get_json()["total"]
    add_second()
    time.sleep(1.1)
    after = client.get("/api/search?q=中國").get_json()["total"]
    assert after > before


def test_a_repeated_search_page_shows_its_own_time_and_follows_the_index(tmp_path,
                                                                           monkeypatch):
    """The rendered page is cached per index generation, URL and script; the time shown is
    the request's own."""
    from search.engine import engine as search_engine
    monkeypatch.setattr(search_engine, "REFRESH_EVERY", 0.0)
    client, add_second = _app_on_one_seed(tmp_path)

    def shown(html):
        line = re.search(r'<p class="count"><strong>([^<]*)</strong>', html).group(1)
        total = str(sum(int(n.replace(",", "")) for n in re.findall(r"[\d,]+", line)))
        took = re.search(r"· (&lt;1|\d+) ms</p>", html).group(1)
        return total, took, re.sub(r"· (&lt;1|\d+) ms</p>", "", html)

    total1, _took, page1 = shown(client.get("/search?q=中國").text)
    total2, took2, page2 = shown(client.get("/search?q=中國").text)
    assert (total2, page2) == (total1, page1) and took2 == "&lt;1"     # served from cache
    client.post("/script", data={"to": "hans", "next": "/"})
    hans = client.get("/search?q=中國").text.split('class="results"', 1)[1]
    assert "中国" in hans and "中國" not in hans                        # one entry per script
    client.post("/script", data={"to": "orig", "next": "/"})
    add_second()
    total3, _took, _page = shown(client.get("/search?q=中國").text)
    assert int(total3.replace(",", "")) > int(total1.replace(",", ""))
