"""Facets, sorting and grouping (issue 13): counts over the whole result set by year, venue,
author, language and article; choosing one filters to exactly that many passages; sort by
date; one result per article with its other passages counted; authors on the cards."""
from __future__ import annotations

import json
import re
from html import unescape

from markupsafe import escape

from web.render import convert

QUERY = "中俄 軍事"


def api(client, **params):
    resp = client.get("/api/search", query_string={"q": QUERY, **params})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_facets_count_the_whole_result_set_not_the_page(client):
    data = api(client, limit=1)
    f, total = data["facets"], data["total"]
    assert len(data["results"]) == 1 and total > 10
    assert sum(v["count"] for v in f["year"]) + f["undated"] == total
    assert sum(v["count"] for v in f["article"]) == total
    assert sum(v["count"] for v in f["lang"]) == total
    assert [v["value"] for v in f["year"]] == sorted(v["value"] for v in f["year"])
    assert {v["value"] for v in f["lang"]} == {"zh-Hant", "en"}
    assert f["lang"][0]["label"] == "Traditional Chinese"


def test_choosing_a_facet_value_gives_exactly_its_count(client):
    f = api(client)["facets"]
    for name, param in (("venue", "venue"), ("author", "author"), ("article", "article"),
                        ("lang", "lang")):
        for value in f[name]:
            narrowed = api(client, **{param: value["value"]})
            assert narrowed["total"] == value["count"], (name, value)
    for year in f["year"]:
        narrowed = api(client, **{"from": year["value"], "to": year["value"]})
        assert narrowed["total"] == year["count"]


def test_a_value_with_no_hits_is_not_offered(client):
    data = api(client, lang="en")
    assert [v["value"] for v in data["facets"]["lang"]] == ["en"]
    assert all(v["count"] > 0 for name in ("year", "venue", "author", "article")
               for v in data["facets"][name])
    page = unescape(client.get("/search", query_string={"q": QUERY, "lang": "en"}).text)
    assert "Traditional Chinese</a>" not in page


def test_the_page_offers_pick_lists_and_chips_instead_of_text_boxes(client):
    page = client.get("/search", query_string={"q": QUERY}).text
    assert 'name="venue" type="text"' not in page and 'placeholder="article id"' not in page
    f = api(client)["facets"]
    venue = f["venue"][0]
    html = unescape(page)
    m = re.search(r'<section class="facet facet-venue">.*?</section>', html, re.S)
    assert m and f'{venue["label"]}</a> <span class="count">{venue["count"]}</span>' in m.group(0)
    link = re.search(r'<a href="([^"]+)"[^>]*>' + re.escape(venue["label"]), m.group(0))
    chosen = client.get(link.group(1)).text
    assert "venue=" in link.group(1)
    narrowed = api(client, venue=venue["value"])
    assert narrowed["total"] == venue["count"]
    assert f'<p class="count"><strong>{narrowed["count"]}</strong>' in unescape(chosen)
    assert 'aria-label="Remove the venue filter"' in chosen
    # the year histogram: one bar per year, its count in its label
    years = re.findall(r'aria-label="(\d{4}) \((\d+)\)"', page)
    assert [(y["value"], str(y["count"])) for y in f["year"]] == years


def test_the_cli_prints_the_same_facets(cli, seed_index, client):
    out = cli("search", QUERY, "--index", seed_index, "--facets").output
    f = api(client)["facets"]
    years = " · ".join(f"{v['value']} ({v['count']})" for v in f["year"])
    assert f"\n  year: {years}\n" in out
    authors = " · ".join(f"{v['value']} ({v['count']})" for v in f["author"])
    assert f"\n  author: {authors}\n" in out
    assert "facets of the" not in cli("search", QUERY, "--index", seed_index).output
    data = json.loads(cli("search", QUERY, "--index", seed_index, "--json", "--facets").output)
    assert data["facets"] == f


def test_sort_newest_and_oldest_over_every_page(client, cli, seed_index):
    total = api(client)["total"]
    newest = [r["date"] for r in api(client, sort="newest", limit=50)["results"]] + \
        [r["date"] for r in api(client, sort="newest", limit=50, page=2)["results"]]
    assert len(newest) == total and newest == sorted(newest, reverse=True)
    oldest = [r["date"] for r in api(client, sort="oldest", limit=50)["results"]]
    assert oldest == sorted(oldest) and api(client, sort="oldest")["sort"] == "oldest"
    out = cli("search", QUERY, "--index", seed_index, "--sort", "newest", "--limit", 3).output
    assert out.count("(2021-04-01)") == 3
    page = client.get("/search", query_string={"q": QUERY, "sort": "oldest"}).text
    assert '<strong aria-current="true">Oldest</strong>' in page
    assert re.findall(r'<time datetime="([^"]+)"', page)[0] == min(oldest)
    bad = client.get("/api/search", query_string={"q": QUERY, "sort": "best"})
    assert bad.status_code == 400 and "sort= must be relevance" in bad.get_json()["error"]


def test_grouping_collapses_an_articles_lower_hits(client, cli, seed_index):
    flat = api(client)
    grouped = api(client, group=1)
    per_article = {v["value"]: v["count"] for v in flat["facets"]["article"]}
    ids = [r["article_id"] for r in grouped["results"]]
    assert sorted(ids) == sorted(per_article) and len(set(ids)) == len(ids)
    for r in grouped["results"]:
        assert r["more_in_article"] == per_article[r["article_id"]] - 1
    assert grouped["total"] == flat["total"] and grouped["articles"] == len(per_article)
    assert grouped["count"] == flat["count"] + f" · in {len(per_article)} articles"
    page = unescape(client.get("/search", query_string={"q": QUERY, "group": 1}).text)
    more = re.findall(r'<p class="grouped" lang="en"><a href="([^"]+)">(\d+) more passages '
                      r'from this article</a>', page)
    assert sorted(int(n) for _h, n in more) == sorted(c - 1 for c in per_article.values() if c > 1)
    assert "Show every passage" in page
    href, n = more[0]
    assert "article=" in href and "group" not in href
    out = cli("search", QUERY, "--index", seed_index, "--group").output
    assert re.search(r"\+ \d+ more passages from this article \(--article \S+\)", out)


def test_result_cards_show_the_authors(client):
    data = api(client, author="蔡明彥", limit=1)
    assert data["results"][0]["authors"] == ["蔡明彥"]
    page = client.get("/search", query_string={"q": QUERY, "author": "蔡明彥"}).text
    assert re.search(r'<span class="authors"[^>]*><a href="[^"]*author=[^"]*"[^>]*>蔡明彥</a>',
                     page)
    assert 'aria-label="Remove the author filter"' in page
    unknown = client.get("/api/search", query_string={"q": QUERY, "author": "No One"})
    assert unknown.status_code == 400
    assert unknown.get_json()["error"] == ("no article lists the author 'No One': pick one "
                                           "from the author facet, or search author:WORDS")


def test_the_article_list_is_the_fifty_with_most_passages_ties_by_id(tmp_path):
    """70 articles match; the facet lists 50: most passages first, equal counts in article
    id order, the same list the backend-neutral `facets_of` makes of the counts (the numpy
    tally keeps only the first 50 without ordering all 70)."""
    from search.engine.doctable import doc_table
    from search.engine.engine import Engine
    from search.engine.facets import TOP_VALUES, facets_of
    from search.index.update import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = []
    for n in range(70):                   # article t{n} has 1 + n % 3 passages on radar
        for k in range(1 + n % 3):
            lines.append(json.dumps({"id": f"a{n}-{k}", "title": f"t{n:02d} radar notes",
                                     "text": f"Early warning radar report {n} part {k}."}))
    (corpus / "radar.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    update_index(corpus, tmp_path / "index")
    engine = Engine(tmp_path / "index")
    facets = engine.search("radar", facets=True).facets
    listed = [(v.value, v.count) for v in facets.article]
    assert len(listed) == TOP_VALUES == 50
    threes, twos = sum(n % 3 == 2 for n in range(70)), sum(n % 3 == 1 for n in range(70))
    assert [c for _aid, c in listed] == [3] * threes + [2] * twos + \
        [1] * (50 - threes - twos)
    for count in (3, 2, 1):
        ids = [aid for aid, c in listed if c == count]
        assert ids == sorted(ids)
    gen, s = engine._searcher()
    table = doc_table(gen, s)
    every = set(range(s.doc_count_all()))
    assert facets_of(table.counts(every), table.info).article == facets.article


def test_the_chosen_facet_value_is_marked_and_labels_follow_the_script(client):
    """The pick lists are built in Python (`pages.facet_lists`): the chosen venue, author
    and year are marked for screen readers and styles, labels are shown in the chosen
    script, and the escaping holds."""
    f = api(client)["facets"]
    venue, author, year = f["venue"][0], f["author"][0], f["year"][0]
    page = client.get("/search", query_string={"q": QUERY, "venue": venue["value"]}).text
    venues = re.search(r'<section class="facet facet-venue">.*?</section>', page, re.S).group(0)
    assert venues.count('aria-current="true" class="chosen"') == 1
    assert re.search(r'aria-current="true" class="chosen" lang="zh">' + re.escape(
        str(escape(venue["label"]))) + "</a>", venues)
    page = client.get("/search", query_string={"q": QUERY, "author": author["value"]}).text
    authors = re.search(r'<section class="facet facet-author">.*?</section>', page, re.S)
    assert authors.group(0).count('class="chosen"') == 1
    page = client.get("/search", query_string={"q": QUERY, "from": year["value"],
                                               "to": year["value"]}).text
    assert re.search(r'class="lv\d chosen" title="' + year["value"], page)
    assert page.count(" chosen\"") == 1
    client.set_cookie("script", "hans")
    hans = client.get("/search", query_string={"q": QUERY}).text
    labels = re.findall(r'lang="zh">([^<]+)</a> <span class="count">', hans)
    assert labels and all(label == convert(label, "hans") for label in labels)
    assert any(label != convert(label, "hant") for label in labels)     # Simplified shown
