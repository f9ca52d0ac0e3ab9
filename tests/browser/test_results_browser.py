"""Results a researcher can steer, in a real browser (issue 13): the true count line, facet
pick lists with removable chips kept in the URL, sorting, grouping by article, the whole
passage replacing its snippet, and a tap on a note marker on a phone."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402


def args(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def test_the_count_line_and_the_every_word_switch(page, live_server):
    page.goto(live_server + "/search?q=上海合作組織")
    count = page.locator(".summary .count strong")
    expect(count).to_have_text(re.compile(r"^2 passages match 「上海合作組織」 · \d+ more match "
                                          r"part of it or its title$"))
    page.get_by_role("link", name="Only the 2 passages matching 「上海合作組織」 in full").click()
    page.wait_for_url(re.compile(r"match=all"))
    expect(page.locator("li.result")).to_have_count(2)
    for snippet in page.locator("li.result .snippet").all():
        assert "上海合作組織" in snippet.inner_text()
    expect(count).to_contain_text("(not shown)")
    page.get_by_role("link", name=re.compile(r"^Show all \d+ matching passages$")).click()
    page.wait_for_url(lambda url: "match=all" not in url)
    expect(page.locator("li.result")).to_have_count(10)


def test_facets_pick_a_venue_and_remove_its_chip(page, live_server, shots):
    page.goto(live_server + "/search?q=中俄 軍事")
    facets = page.locator("aside.facets")
    expect(facets).to_be_visible()
    expect(facets.locator(".histogram a")).to_have_count(2)          # 2006 and 2021
    venue = facets.locator(".facet-venue li").first
    name = venue.locator("a").inner_text()
    n = int(venue.locator(".count").inner_text().replace(",", ""))
    shots(page, "facets")
    venue.locator("a").click()
    page.wait_for_url(re.compile(r"venue="))
    assert args(page)["venue"] == [name]
    chip = page.locator(".active-filters .chip", has_text=name)
    expect(chip).to_be_visible()
    expect(page.locator(".summary .count strong")).to_have_text(
        re.compile(rf"^{n} passages match|^{n} passage|^\d+ passages? match every word · \d+"))
    total = page.evaluate("""() => fetch('/api/search?' + location.search.slice(1))
                              .then(r => r.json()).then(d => d.total)""")
    assert total == n
    # the chosen venue stays when the words change
    box = page.get_by_role("searchbox", name="Search passages")
    box.fill("軍事")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=%E8%BB%8D%E4%BA%8B"))
    assert args(page)["venue"] == [name]
    chip.get_by_role("link", name="Remove the venue filter").click()
    page.wait_for_url(lambda url: "venue=" not in url)
    expect(page.locator(".active-filters")).to_have_count(0)


def test_the_year_histogram_narrows_to_one_year(page, live_server):
    page.goto(live_server + "/search?q=中俄 軍事")
    bar = page.locator(".histogram a[aria-label^='2021']")
    label = bar.get_attribute("aria-label")
    n = int(re.search(r"\((\d+)\)", label).group(1))
    bar.click()
    page.wait_for_url(re.compile(r"from=2021&to=2021"))
    expect(page.locator(".active-filters .chip", has_text="2021")).to_be_visible()
    dates = [t.get_attribute("datetime") for t in page.locator("li.result time").all()]
    assert len(dates) == min(n, 10) and all(d.startswith("2021") for d in dates)


def test_sort_by_newest_and_oldest(page, live_server):
    page.goto(live_server + "/search?q=中俄 軍事")
    page.locator(".views .sort").get_by_role("link", name="Oldest").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    expect(page.locator(".views .sort strong")).to_have_text("Oldest")
    dates = [t.get_attribute("datetime") for t in page.locator("li.result time").all()]
    assert dates == sorted(dates) and dates[0].startswith("2006")
    page.locator(".views .sort").get_by_role("link", name="Newest").click()
    page.wait_for_url(re.compile(r"sort=newest"))
    dates = [t.get_attribute("datetime") for t in page.locator("li.result time").all()]
    assert dates == sorted(dates, reverse=True) and dates[0].startswith("2021")


def test_grouping_by_article_keeps_the_count_true(page, live_server, shots):
    page.goto(live_server + "/search?q=中俄 軍事")
    line = page.locator(".summary .count strong").inner_text()
    page.get_by_role("link", name="Group by article").click()
    page.wait_for_url(re.compile(r"group=1"))
    expect(page.locator(".summary .count strong")).to_have_text(line + " · in 2 articles")
    expect(page.locator("li.result")).to_have_count(2)
    more = page.locator("li.result .grouped a").first
    expect(more).to_have_text(re.compile(r"^\d+ more passages from this article$"))
    shots(page, "grouped")
    n = int(more.inner_text().split()[0])
    more.click()
    page.wait_for_url(re.compile(r"article="))
    assert "group" not in args(page)
    expect(page.locator(".summary .count strong")).to_contain_text(re.compile(r"\d"))
    total = page.evaluate("""() => fetch('/api/search?' + location.search.slice(1))
                              .then(r => r.json()).then(d => d.total)""")
    assert total == n + 1
    page.get_by_role("link", name="Remove the article filter").click()
    page.wait_for_url(lambda url: "article=" not in url)


def test_the_whole_passage_replaces_its_snippet(page, live_server):
    page.goto(live_server + "/search?q=軍事合作")
    card = page.locator("li.result", has=page.locator("details.whole .passage p")).first
    snippet = card.locator(".snippet")
    expect(snippet).to_be_visible()
    card.locator("details.whole > summary").click()
    expect(card.locator(".passage p").first).to_be_visible()
    expect(snippet).to_be_hidden()                     # not shown twice
    card.locator("details.whole > summary").click()
    expect(snippet).to_be_visible()


def test_authors_on_the_result_cards(page, live_server):
    page.goto(live_server + "/search?q=武器交易")
    authors = page.locator("li.result .authors").first
    expect(authors).to_have_text("蔡明彥")
    authors.get_by_role("link", name="蔡明彥").click()
    page.wait_for_url(re.compile(r"author="))
    expect(page.locator(".active-filters .chip", has_text="蔡明彥")).to_be_visible()


def test_a_tap_on_a_note_marker_opens_the_note_on_a_phone(browser, live_server, shots):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    try:
        page.goto(live_server + "/search?q=戈巴契夫 新思維")
        assert page.evaluate("matchMedia('(hover: none)').matches")
        marker = page.locator("li.result .snippet .fnref").first
        pop = marker.locator(".fnpop")
        before = page.url
        marker.locator("a.fnlink").tap()
        expect(pop).to_be_visible()
        expect(pop).to_contain_text("Allen Lynch")
        assert page.url == before                       # the first tap opens the note
        box = pop.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        shots(page, "phone-note")
        page.locator(".summary .count").tap()           # ... a tap elsewhere closes it
        expect(pop).to_be_hidden()
        marker.locator("a.fnlink").tap()
        expect(pop).to_be_visible()
        marker.locator("a.fnlink").tap()               # the second goes to the article
        page.wait_for_url(re.compile(r"/articles/.+#fn-1$"))
        expect(page.locator("#fn-1")).to_be_in_viewport()
        page.go_back()                                 # ... and so does the note's link
        marker = page.locator("li.result .snippet .fnref").first
        marker.locator("a.fnlink").tap()
        marker.locator(".fnpop").get_by_role("link", name="Note in the article →").tap()
        page.wait_for_url(re.compile(r"/articles/.+#fn-1$"))
    finally:
        ctx.close()
