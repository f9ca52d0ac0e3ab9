"""Web app through Flask's test client, against a real index built from corpus/."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from search.model import Footnote, NoteRef, SnippetWindow
from web import create_app, render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def web_index(tmp_path_factory):
    from search.index.update import update_index
    index_dir = tmp_path_factory.mktemp("web-index")
    update_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture
def app(web_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(web_index)})


@pytest.fixture
def client(app):
    return app.test_client()


def text_of(resp) -> str:
    return resp.get_data(as_text=True)


def first_article_id(client) -> str:
    data = client.get("/api/search?q=中俄").get_json()
    return data["results"][0]["article_id"]


# --- search page ---------------------------------------------------------------------------

def test_home_page_has_search_box_and_examples(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = text_of(resp)
    assert 'name="q"' in html and 'role="search"' in html
    assert "Search defense commentaries" in html
    assert "/search?q=" in html                    # example queries are links


def test_search_shows_query_count_time_and_marked_results(client):
    resp = client.get("/search?q=軍事合作")
    assert resp.status_code == 200
    html = text_of(resp)
    assert 'value="軍事合作"' in html               # the query stays in the box
    assert re.search(r"<strong>[\d,]+</strong> passages?", html)
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
    html = unescape(text_of(resp))
    assert resp.status_code == 200
    assert 'rel="next"' in html
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1)
    for part in ("q=", "lang=zh-Hant", "from=1990", "to=2030", "page=2"):
        assert part in nxt
    page2 = text_of(client.get(nxt))
    assert 'aria-current="page">2<' in page2
    ids1 = re.findall(r'href="(/articles/[^"]+)"', html)
    ids2 = re.findall(r'href="(/articles/[^"]+)"', unescape(page2))
    assert ids1[0] != ids2[0]


def test_open_ended_year_range(client):
    dates = {r["date"][:4] for r in
             client.get("/api/search?q=中國&from=2020&limit=50").get_json()["results"]}
    assert dates and all(d >= "2020" for d in dates)


def test_filters_are_applied(client):
    all_hits = client.get("/api/search?q=中國").get_json()["total"]
    none = client.get("/api/search?q=中國&from=1900&to=1901").get_json()["total"]
    assert all_hits > 0 and none == 0


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=99999", "page=-1",
                                   "from=year", "lang=klingon", "from=2020&to=2000"])
def test_bad_parameters_get_a_friendly_400(client, query):
    resp = client.get(f"/search?q=中俄&{query}")
    assert resp.status_code == 400
    html = text_of(resp)
    assert "That search could not run" in html
    assert "Traceback" not in html
    assert 'name="q"' in html                       # the page still lets you search


def test_overlong_query_gets_a_friendly_400(client, app):
    limit = app.config["MAX_QUERY_CHARS"]
    resp = client.get("/search?q=" + "中" * (limit + 1))
    assert resp.status_code == 400
    assert f"the limit is {limit}" in text_of(resp)


def test_script_tag_in_query_is_shown_as_text(client):
    resp = client.get("/search", query_string={"q": '<script>alert("x")</script> 中俄'})
    html = text_of(resp)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_no_results_names_the_unmatched_word_and_offers_fewer_words(client):
    resp = client.get("/search", query_string={"q": "中俄 zzqqxyz"})
    html = unescape(text_of(resp))
    assert resp.status_code == 200
    assert "zzqqxyz" in html
    assert "matched nothing" in html or "No passage contains" in html
    assert 'href="/search?q=%E4%B8%AD%E4%BF%84"' in html      # one click: fewer words


def test_empty_query_shows_the_empty_state(client):
    resp = client.get("/search?q=+++")
    assert resp.status_code == 200
    assert "Search defense commentaries" in text_of(resp)


# --- article page --------------------------------------------------------------------------

def test_article_page_has_header_passages_and_notes(client):
    aid = first_article_id(client)
    resp = client.get(f"/articles/{aid}")
    assert resp.status_code == 200
    html = text_of(resp)
    assert "<h1" in html
    assert 'id="p0"' in html
    art = client.get(f"/api/articles/{aid}").get_json()
    assert art["title"] in unescape(html)
    if art["footnotes"]:
        label = art["footnotes"][0]["label"]
        assert f'id="{render.note_anchor(label)}"' in html
        assert 'class="backref"' in html or not any(p["notes"] for p in art["passages"])


def test_article_page_marks_searched_words(client):
    aid = first_article_id(client)
    html = text_of(client.get(f"/articles/{aid}?q=中俄"))
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
    html = text_of(client.get(f"/articles/{art['id']}"))
    anchor = render.note_anchor(label)
    assert f'href="#{anchor}"' in html                     # marker -> note
    ref = re.search(r'<a class="fnlink" href="#%s" id="(ref-[^"]+)"' % re.escape(anchor), html)
    assert ref and f'href="#{ref.group(1)}"' in html        # note -> back to the marker


def test_unknown_article_is_a_404_page(client):
    resp = client.get("/articles/no-such-article")
    assert resp.status_code == 404
    html = text_of(resp)
    assert "Article not found" in html and "defsearch" in html


@pytest.mark.parametrize("path", ["/articles/../../etc/passwd", "/articles/..%2F..%2Fetc%2Fpasswd",
                                  "/articles/%2Fetc%2Fpasswd", "/api/articles/../../../etc/passwd"])
def test_article_ids_never_reach_the_filesystem(client, path):
    resp = client.get(path, follow_redirects=True)      # (werkzeug merges "//" first)
    assert resp.status_code == 404
    assert "root:" not in text_of(resp)


def test_unknown_page_is_a_404_in_the_site_look(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    html = text_of(resp)
    assert "Page not found" in html and 'class="brand"' in html


def test_server_error_page_has_no_traceback(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")
    resp = app.test_client().get("/boom")
    assert resp.status_code == 500
    html = text_of(resp)
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_missing_index_says_what_to_run(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})
    resp = app.test_client().get("/search?q=中俄")
    assert resp.status_code == 503
    assert "defsearch index" in text_of(resp)
    api = app.test_client().get("/api/search?q=中俄")
    assert api.status_code == 503 and "defsearch index" in api.get_json()["error"]


# --- script toggle -------------------------------------------------------------------------

def test_script_toggle_sets_cookie_and_converts(client):
    resp = client.post("/script", data={"to": "hans", "next": "/search?q=軍事"})
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/search?q=軍事") or "search?q=" in resp.headers["Location"]
    assert "script=hans" in resp.headers["Set-Cookie"]
    html = text_of(client.get("/search?q=軍事"))
    body = html.split('class="results"', 1)[1]
    assert "军事" in body and "軍事" not in body.replace('value="軍事"', "")
    assert 'lang="zh-Hans"' in body
    client.post("/script", data={"to": "hant", "next": "/"})
    body = text_of(client.get("/search?q=军事")).split('class="results"', 1)[1]
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


# --- JSON API ------------------------------------------------------------------------------

def test_api_search_schema(client):
    resp = client.get("/api/search?q=中俄&limit=3")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    data = resp.get_json()
    assert list(data)[:2] == ["query", "total"] and "results" in data   # + the CLI's extras
    assert data["query"] == "中俄" and data["total"] >= len(data["results"]) > 0
    assert len(data["results"]) <= 3
    for r in data["results"]:
        assert list(r) == ["passage_id", "article_id", "title", "section", "date", "score",
                           "text", "snippet", "footnotes", "venue"]
        for n in r["footnotes"]:
            assert list(n) == ["label", "text", "urls"]
    assert "<mark>" in "".join(r["snippet"] for r in data["results"])


def test_api_search_matches_cli_json(client, web_index):
    from click.testing import CliRunner
    from search.cli import main
    result = CliRunner().invoke(main, ["search", "--index", str(web_index), "--json", "中俄"])
    if result.exit_code != 0 or not result.output.strip().startswith("{"):
        pytest.skip(f"`defsearch search --json` not available: {result.output[:200]}")
    cli = json.loads(result.output)
    api = client.get("/api/search?q=中俄").get_json()
    assert api["total"] == cli["total"]
    assert [r["passage_id"] for r in api["results"]] == [r["passage_id"] for r in cli["results"]]


@pytest.mark.parametrize("query,status", [("", 400), ("q=中俄&page=x", 400),
                                          ("q=中俄&limit=1000", 400), ("q=" + "x" * 500, 400)])
def test_api_errors_are_json(client, query, status):
    resp = client.get("/api/search?" + query)
    assert resp.status_code == status
    body = resp.get_json()
    assert body["status"] == status and body["error"]


def test_api_article(client):
    aid = first_article_id(client)
    data = client.get(f"/api/articles/{aid}").get_json()
    assert data["id"] == aid and data["passages"] and "footnotes" in data
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404 and "no article" in missing.get_json()["error"].lower()


# --- rendering helpers ---------------------------------------------------------------------

def test_render_text_escapes_and_places_markers_and_marks():
    marker = render.MarkerFactory([Footnote("1", "See http://x.example/a?b=1&c=2 .")],
                                  href=lambda l: "#" + render.note_anchor(l))
    html = str(render.render_text("a<b>中俄合作", highlights=[(6, 8)],
                                  notes=[NoteRef("1", 8)], marker=marker))
    assert html.startswith("a&lt;b&gt;中俄<mark>合作</mark><span class=\"fnref\">")
    assert '<a href="http://x.example/a?b=1&amp;c=2"' in html


def test_linkify_makes_urls_links_and_escapes_the_rest():
    html = str(render.linkify("<i>見 https://indsr.org.tw/a。</i>", ["https://extra.example/"]))
    assert "&lt;i&gt;見 " in html
    assert '<a href="https://indsr.org.tw/a" rel="noopener noreferrer">' in html
    assert '<a href="https://extra.example/"' in html


def test_snippet_markers_land_at_their_offsets():
    text = "前文。中俄軍事合作持續，後文。"
    window = SnippetWindow(3, 11, [(5, 7)], cut_before=True, cut_after=True)   # …中俄軍事合作持續…
    marker = render.MarkerFactory([], href=lambda l: "#n")
    html = str(render.snippet_html(text, window, [NoteRef("3", 9)], marker))
    assert html.startswith("…中俄<mark>軍事</mark>合作<span class=\"fnref\">")
    assert "[3]" in html


def test_convert_keeps_markup_safe():
    out = render.convert(render.Markup("<mark>軍事</mark> &amp; 臺灣"), "hans")
    assert str(out) == "<mark>军事</mark> &amp; 台湾"


# --- serve command -------------------------------------------------------------------------

def test_serve_builds_a_missing_index(tmp_path):
    from search.cli.serve import ensure_index
    from search.index.manifest import current_generation
    ensure_index(tmp_path / "idx", CORPUS)
    assert current_generation(tmp_path / "idx").is_dir()


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
    from web import engine as web_engine
    monkeypatch.setattr(web_engine, "REFRESH_EVERY", 0.0)
    client, add_second = _app_on_one_seed(tmp_path)

    def shown(html):
        total = re.search(r"<strong>([\d,]+)</strong> passage", html).group(1)
        took = re.search(r"· (&lt;1|\d+) ms</p>", html).group(1)
        return total, took, re.sub(r"· (&lt;1|\d+) ms</p>", "", html)

    total1, _took, page1 = shown(text_of(client.get("/search?q=中國")))
    total2, took2, page2 = shown(text_of(client.get("/search?q=中國")))
    assert (total2, page2) == (total1, page1) and took2 == "&lt;1"     # served from cache
    client.post("/script", data={"to": "hans", "next": "/"})
    hans = text_of(client.get("/search?q=中國")).split('class="results"', 1)[1]
    assert "中国" in hans and "中國" not in hans                        # one entry per script
    client.post("/script", data={"to": "orig", "next": "/"})
    add_second()
    total3, _took, _page = shown(text_of(client.get("/search?q=中國")))
    assert int(total3.replace(",", "")) > int(total1.replace(",", ""))


def test_defsearch_serve_builds_the_index_then_serves(tmp_path):
    """`defsearch serve` on a fresh checkout: no index yet -> built from the corpus, then
    the page is served (two worker processes here), and SIGTERM stops everything."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "defsearch"
    cmd = [str(exe), "serve", "--port", str(port), "--index", str(tmp_path / "index"),
           "--corpus", str(CORPUS), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=%E4%B8%AD%E4%BF%84",
                                            timeout=5) as resp:
                    assert resp.status == 200 and "<mark>" in resp.read().decode()
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    assert "no index at" in err and "indexing" in err and "serving" in err
    assert proc.returncode is not None


def test_article_filter_shows_the_article_title_and_a_way_out(client):
    aid = first_article_id(client)
    title = client.get(f"/api/articles/{aid}").get_json()["title"]
    html = unescape(text_of(client.get(f"/search?q=中國&article={aid}")))
    assert "Filtered:" in html and title in html
    assert 'aria-label="Remove the article filter"' in html
    hits = client.get(f"/api/search?q=中國&article={aid}&limit=50").get_json()["results"]
    assert hits and {h["article_id"] for h in hits} == {aid}


def test_api_index_lists_endpoints(client):
    data = client.get("/api").get_json()
    assert "/api/search" in data["endpoints"] and "/api/articles/<id>" in data["endpoints"]


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
    page = text_of(client.get("/search?q=北約東擴"))
    assert 'class="result"' in page
    for html in (page,
                 text_of(client.get("/articles/" + client.get("/api/search?q=北約東擴")
                                    .get_json()["results"][0]["article_id"] + "?q=北約"))):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html and "&lt;img src=x" in html


def test_pages_forbid_inline_scripts(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_venue_filter_from_a_result_link(client):
    html = text_of(client.get("/search?q=中俄"))
    m = re.search(r'<a class="venue" href="([^"]+)"[^>]*>俄羅斯學報 第五期</a>', html)
    assert m, "each result names its venue as a filter link"
    filtered = unescape(text_of(client.get(unescape(m.group(1)))))
    assert "Filtered:" in filtered and 'aria-label="Remove the venue filter"' in filtered
    hits = client.get("/api/search?q=中俄&limit=50&venue=俄羅斯學報 第五期").get_json()["results"]
    assert hits and {h["venue"] for h in hits} == {"俄羅斯學報 第五期"}
    assert client.get("/api/search?q=中俄&venue=" + "x" * 300).status_code == 400
