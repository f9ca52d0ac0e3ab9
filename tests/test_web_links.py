"""web.links: a page's links built from one url_for per endpoint are url_for's own links."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import url_for

from web.links import links
from web.params import search_url

ODD = ["r2:drcd:1147-5", "seed/中俄 合作", "a b", "100%", "x#y?z=1&w", "+~!$'()*,;=@",
       "Ünïcode", "臺灣/國防-2021", "a%2Fb"]

ROUTES = [("pages.article", "article_id"), ("cite.cite_page", "item_id"),
          ("cite.related_page", "passage_id"), ("static", "filename")]


@pytest.mark.parametrize("script_root", ["", "/prefix"])
def test_path_links_equal_url_for(app, script_root):
    with app.test_request_context("/search", base_url=f"http://localhost{script_root}"):
        for endpoint, name in ROUTES:
            for value in ODD:
                assert links().path(endpoint, value) == url_for(endpoint, **{name: value})
                assert links().path(endpoint, value, q="中俄 & NATO") == \
                    url_for(endpoint, **{name: value}, q="中俄 & NATO")
        for endpoint in ("pages.search", "pages.index", "pages.set_script", "api.index"):
            assert links().plain(endpoint) == url_for(endpoint)


def test_search_urls_are_urlencoded_links(app):
    params = {"q": "中俄 \"戰略模糊\" & +NATO", "page": 3, "lang": "zh-Hant",
              "article": "seed/a b", "venue": "國防 安全%", "author": "蔡 明彥",
              "year_from": 2020, "year_to": 2022, "match": "all", "sort": "newest",
              "group": True, "translate": False}
    with app.test_request_context("/search", base_url="http://localhost/prefix"):
        expected = url_for("pages.search") + "?" + urlencode([
            ("q", params["q"]), ("lang", "zh-Hant"), ("article", "seed/a b"),
            ("venue", "國防 安全%"), ("author", "蔡 明彥"), ("from", 2020), ("to", 2022),
            ("match", "all"), ("sort", "newest"), ("group", "1"), ("translate", "0"),
            ("page", 3)])
        assert search_url(params) == expected
        assert search_url({"q": ""}) == url_for("pages.search")
        assert search_url(params, page=1, venue=None, q="北約") == url_for("pages.search") + \
            "?" + urlencode([("q", "北約"), ("lang", "zh-Hant"), ("article", "seed/a b"),
                             ("author", "蔡 明彥"), ("from", 2020), ("to", 2022),
                             ("match", "all"), ("sort", "newest"), ("group", "1"),
                             ("translate", "0")])


def test_pick_list_links_are_search_urls(app):
    """`search_urls` (one URL built around a placeholder, each value quoted into it) gives
    `search_url`'s own links, also when the query holds the placeholder's text."""
    from web.params import _SLOT, search_urls

    params = {"q": "中俄 & NATO", "page": 3, "lang": "zh-Hant", "article": None,
              "venue": "國防", "author": None, "year_from": 2020, "year_to": None,
              "match": "all", "sort": "newest", "group": True, "translate": False}
    with app.test_request_context("/search"):
        for q in (params["q"], f"x {_SLOT} y"):
            p = {**params, "q": q}
            for names in (["venue"], ["author"], ["article"], ["lang"],
                          ["year_from", "year_to"]):
                url = search_urls(p, names, page=1)
                for value in ODD + [2021, "", None]:
                    assert url(value) == search_url(p, page=1, **dict.fromkeys(names, value))


def test_result_card_links_open_the_article_cite_and_related_pages(client):
    """The links a card shows lead where they say (the article at the passage, its
    citation, related passages)."""
    import re

    page = client.get("/search?q=中俄").get_data(as_text=True)
    card = page[page.index('<li class="result"'):page.index("</li>", page.index('class="result"'))]
    for pattern in (r'href="(/articles/[^"#]+)#p\d+"', r'href="(/cite/[^"]+)"',
                    r'href="(/related/[^"]+)"'):
        href = re.search(pattern, card).group(1).replace("&amp;", "&")
        assert client.get(href).status_code == 200, href
