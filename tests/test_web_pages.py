"""The search page and the article page through Flask's test client, on the seed index
(`app`/`client` in conftest.py)."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest

from web import create_app, render


def test_home_page_has_search_box_and_examples(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.text
    assert 'name="q"' in html and 'role="search"' in html
    assert "Search defense commentaries" in html
    assert "/search?q=" in html                    # example queries are links


def test_search_shows_query_count_time_and_marked_results(client):
    resp = client.get("/search?q=軍事合作")
    assert resp.status_code == 200
    html = resp.text
    assert 'value="軍事合作"' in html               # the query stays in the box
    assert re.search(r"<strong>[\d,]+ passages? match", html)
    assert re.search(r"\d+ ms", html)
    assert "<mark>" in html
    assert 'class="result"' in html
    assert re.search(r'href="/articles/[^"#]+\?q=[^"]*#p\d+"', html)   # result -> passage


def test_root_with_query_redirects_to_search(client):
    resp = client.get("/?q=北約")
    assert resp.status_code == 302
    assert "/search?q=" in resp.headers["Location"]


def test_pagination_keeps_query_and_filters_in_links(client):
    resp = client.get("/search?q=中國&lang=zh-Hant&from=1990&to=2030")
    html = unescape(resp.text)
    assert resp.status_code == 200
    assert 'rel="next"' in html
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    for part in ("q=", "lang=zh-Hant", "from=1990", "to=2030", "page=2"):
        assert part in nxt
    page2 = client.get(nxt).text
    assert 'aria-current="page">2<' in page2
    ids1 = re.findall(r'href="(/articles/[^"]+)"', html)
    ids2 = re.findall(r'href="(/articles/[^"]+)"', unescape(page2))
    assert ids1[0] != ids2[0]


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=99999", "page=-1",
                                   "from=year", "lang=klingon", "from=2020&to=2000"])
def test_bad_parameters_get_a_friendly_400(client, query):
    resp = client.get(f"/search?q=中俄&{query}")
    assert resp.status_code == 400
    html = resp.text
    assert "That search could not run" in html
    assert "Traceback" not in html
    assert 'name="q"' in html                       # the page still lets you search


def test_overlong_query_gets_a_friendly_400(client, app):
    limit = app.config["MAX_QUERY_CHARS"]
    resp = client.get("/search?q=" + "中" * (limit + 1))
    assert resp.status_code == 400
    assert f"the limit is {limit}" in resp.text


def test_script_tag_in_query_is_shown_as_text(client):
    resp = client.get("/search", query_string={"q": '<script>alert("x")</script> 中俄'})
    html = resp.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_no_results_names_the_unmatched_word_and_offers_fewer_words(client):
    resp = client.get("/search", query_string={"q": "中俄 zzqqxyz"})
    html = unescape(resp.text)
    assert resp.status_code == 200
    assert "zzqqxyz" in html
    assert "no passage contains 「zzqqxyz」" in html
    assert 'href="/search?q=%E4%B8%AD%E4%BF%84"' in html      # one click: fewer words


def test_empty_query_shows_the_empty_state(client):
    resp = client.get("/search?q=+++")
    assert resp.status_code == 200
    assert "Search defense commentaries" in resp.text


def test_article_filter_shows_the_article_title_and_a_way_out(client, seed_article_id):
    aid = seed_article_id
    title = client.get(f"/api/articles/{aid}").get_json()["title"]
    html = unescape(client.get(f"/search?q=中國&article={aid}").text)
    assert "Filtered:" in html and title in html
    assert 'aria-label="Remove the article filter"' in html
    hits = client.get(f"/api/search?q=中國&article={aid}&limit=50").get_json()["results"]
    assert hits and {h["article_id"] for h in hits} == {aid}


def test_venue_filter_from_a_result_link(client):
    html = client.get("/search?q=中俄").text
    m = re.search(r'<a class="venue" href="([^"]+)"[^>]*>俄羅斯學報 第五期</a>', html)
    assert m, "each result names its venue as a filter link"
    filtered = unescape(client.get(unescape(m.group(1))).text)
    assert "Filtered:" in filtered and 'aria-label="Remove the venue filter"' in filtered
    hits = client.get("/api/search?q=中俄&limit=50&venue=俄羅斯學報 第五期").get_json()["results"]
    assert hits and {h["venue"] for h in hits} == {"俄羅斯學報 第五期"}
    assert client.get("/api/search?q=中俄&venue=" + "x" * 300).status_code == 400


# --- article page --------------------------------------------------------------------------

def test_article_page_has_header_passages_and_notes(client, seed_article_id):
    aid = seed_article_id
    resp = client.get(f"/articles/{aid}")
    assert resp.status_code == 200
    html = resp.text
    assert "<h1" in html
    assert 'id="p0"' in html
    art = client.get(f"/api/articles/{aid}").get_json()
    assert art["title"] in unescape(html)
    if art["footnotes"]:
        label = art["footnotes"][0]["label"]
        assert f'id="{render.note_anchor(label)}"' in html
        assert 'class="backref"' in html or not any(p["notes"] for p in art["passages"])


def test_article_page_marks_searched_words(client, seed_article_id):
    aid = seed_article_id
    html = client.get(f"/articles/{aid}?q=中俄").text
    assert "<mark>" in html
    assert "Back to results" in html


def test_footnote_markers_link_to_notes_and_back(client):
    # find an article whose passages cite notes
    for q in ("中俄", "軍事合作", "中國"):
        for hit in client.get(f"/api/search?q={q}&limit=50").get_json()["results"]:
            art = client.get(f"/api/articles/{hit['article_id']}").get_json()
            cited = [(p, n) for p in art["passages"] for n in p["notes"]]
            if cited:
                break
        if cited:
            break
    assert cited, "the corpus has footnote markers"
    label = cited[0][1]["label"]
    html = client.get(f"/articles/{art['id']}").text
    anchor = render.note_anchor(label)
    assert f'href="#{anchor}"' in html                     # marker -> note
    ref = re.search(r'<a class="fnlink" href="#%s" id="(ref-[^"]+)"' % re.escape(anchor), html)
    assert ref and f'href="#{ref.group(1)}"' in html        # note -> back to the marker


def test_markup_in_an_article_is_shown_as_text(tmp_path):
    """Corpus text is data: tags in a title or passage are escaped on every page."""
    from search.index.update import update_index
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.jsonl").write_text(json.dumps({
        "id": "evil-1", "title": "<script>alert('t')</script> 北約東擴",
        "text": "北約東擴 <img src=x onerror=alert(1)> 與 <script>alert(2)</script> 中俄軍事合作"},
        ensure_ascii=False) + "\n", encoding="utf-8")
    update_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    page = client.get("/search?q=北約東擴").text
    assert 'class="result"' in page
    for html in (page,
                 client.get("/articles/" + client.get("/api/search?q=北約東擴")
                                    .get_json()["results"][0]["article_id"] + "?q=北約").text):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html and "&lt;img src=x" in html


# --- script toggle -------------------------------------------------------------------------

def test_script_toggle_sets_cookie_and_converts(client):
    resp = client.post("/script", data={"to": "hans", "next": "/search?q=軍事"})
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/search?q=軍事") or "search?q=" in resp.headers["Location"]
    assert "script=hans" in resp.headers["Set-Cookie"]
    html = client.get("/search?q=軍事").text
    body = html.split('class="results"', 1)[1]
    assert "军事" in body and "軍事" not in body.replace('value="軍事"', "")
    assert 'lang="zh-Hans"' in body
    client.post("/script", data={"to": "hant", "next": "/"})
    body = client.get("/search?q=军事").text.split('class="results"', 1)[1]
    assert "軍事" in body


def test_script_toggle_refuses_offsite_redirects(client):
    for target in ("http://evil.example/", "//evil.example/", "/\\evil.example"):
        resp = client.post("/script", data={"to": "hans", "next": target})
        assert resp.headers["Location"] in ("/", "http://localhost/")


def test_script_toggle_with_a_line_break_in_next_goes_home(client):
    """`next=/x%0d%0aSet-Cookie:...` was a 500 (a header value cannot hold a line break)."""
    for query in ("next=/x%0d%0aSet-Cookie:a=b", "next=/search%0aq", "next=/%09/evil.example",
                  "next=/a%00b"):
        resp = client.get(f"/script?to=hans&{query}")
        assert resp.status_code == 303, query
        assert resp.headers["Location"] in ("/", "http://localhost/"), query
        assert all("a=b" not in cookie for cookie in resp.headers.get_all("Set-Cookie"))
