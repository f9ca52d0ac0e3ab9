"""Cite and follow in a real browser: the Cite link and the copy button, BibTeX/RIS/CSV
exports as downloads, the "Follow this search" feed, related passages, page markers in the
article's margin, and the cited-sources pages; the same without JavaScript (copy buttons
aside)."""
from __future__ import annotations

import re

import feedparser
import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402

GBT_PASSAGE = "蔡明彥. 俄中軍事合作關係的發展與影響[J]. 俄羅斯學報, 2006(5): 14-15."
CHICAGO_NOTE = "蔡明彥，〈俄中軍事合作關係的發展與影響〉，《俄羅斯學報》，第五期（2006年12月），頁14-15。"


def _results(page, base, query):
    page.goto(base + "/search?q=" + query)
    expect(page.locator("li.result").first).to_be_visible()


def _card(page, passage_id):
    return page.locator("li.result").filter(
        has=page.locator(f'a.cite[href="/cite/{passage_id.replace("#", "%23")}"]'))


def test_cite_a_result_and_copy_it(browser, live_server, shots):
    ctx = browser.new_context(viewport={"width": 1100, "height": 860})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _results(page, live_server, "和平使命 聯合軍演")
    card = _card(page, "004_c926736664f9ed5b#p36")
    expect(card.locator(".cite-links .pages")).to_have_text("pp. 14–15")
    card.get_by_role("link", name="Cite").click()
    page.wait_for_url(re.compile(r"/cite/004_c926736664f9ed5b%23p36$"))
    expect(page.locator("h1")).to_have_text("Cite this passage")
    expect(page.locator("#gbt7714-passage")).to_have_text(GBT_PASSAGE)
    expect(page.locator("#chicago-passage")).to_have_text(CHICAGO_NOTE)
    copy = page.locator('button.copy[data-copy="chicago-passage"]')
    expect(copy).to_be_visible()
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == CHICAGO_NOTE
    shots(page, "cite", full_page=True)
    assert errors == []
    ctx.close()


def test_export_downloads(page, live_server):
    _results(page, live_server, "和平使命")
    with page.expect_download() as info:
        page.locator("p.follow").get_by_role("link", name="BibTeX").click()
    download = info.value
    assert download.suggested_filename == "defsearch-results.bib"
    text = open(download.path(), encoding="utf-8").read()
    assert "@article{004_c926736664f9ed5b," in text and "pages = {1--20}" in text
    with page.expect_download() as info:
        page.locator("p.follow").get_by_role("link", name="CSV").click()
    assert info.value.suggested_filename == "defsearch-results.csv"
    assert open(info.value.path(), encoding="utf-8").read().startswith("rank,passage_id,")
    page.goto(live_server + "/articles/004_c926736664f9ed5b")
    with page.expect_download() as info:
        page.locator(".doc-head .cite-links").get_by_role("link", name="RIS").click()
    assert info.value.suggested_filename == "004_c926736664f9ed5b.ris"
    assert open(info.value.path(), encoding="utf-8").read().startswith("TY  - JOUR\n")


def test_follow_this_search(page, live_server):
    _results(page, live_server, "北約")
    link = page.get_by_role("link", name="Follow this search (Atom feed)")
    expect(link).to_have_attribute("type", "application/atom+xml")
    href = link.get_attribute("href")
    resp = page.request.get(live_server + href)
    assert resp.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(resp.body())
    assert not feed.bozo and feed.feed.title == "defsearch: 北約" and feed.entries
    page.goto(feed.entries[0].link)                        # an entry opens its passage
    expect(page.locator(":target")).to_have_class(re.compile(r"\bpara\b"))


def test_related_passages(page, live_server, shots):
    _results(page, live_server, "和平使命 聯合軍演")
    _card(page, "004_c926736664f9ed5b#p36").get_by_role("link", name="Related passages").click()
    expect(page.locator("h1")).to_have_text("Passages like this one")
    related = page.locator("ol.related-list li.result")
    expect(related.first).to_be_visible()
    for link in related.locator(".rtitle a").all():        # other articles only
        assert "004_c926736664f9ed5b" not in link.get_attribute("href")
    shots(page, "related")
    page.get_by_role("link", name="Include this article").click()
    expect(page.locator("ol.related-list")).to_contain_text("俄中軍事合作關係的發展與影響")


def test_article_margin_pages_and_cited_sources(page, live_server, shots):
    page.goto(live_server + "/articles/004_c926736664f9ed5b#p36")
    mark = page.locator("#page-15")
    expect(mark).to_have_text("p. 15")
    expect(mark).to_be_in_viewport()
    box, para = mark.bounding_box(), page.locator("#p36").bounding_box()
    assert box["x"] >= para["x"] + para["width"] - 2        # in the margin, right of the text
    shots(page, "article-pages")
    note = page.locator("#fn-41")
    note.get_by_role("link", name="cited by 2 passages").click()
    page.wait_for_url(re.compile(r"/cited/themilitarypowerofthepeoplesrepublicofchina2005$"))
    expect(page.locator(".work-page .counts")).to_contain_text(
        "Cited in 1 article, 3 notes, 2 passages")
    page.get_by_role("link", name="← Cited sources").click()
    expect(page.locator("h1")).to_have_text("Cited sources")
    expect(page.locator("ol.works li").first).to_contain_text("cited in 1 article · 3 notes")
    shots(page, "cited-sources")
    page.get_by_label("Sources whose title, author or venue contains").fill("Military Balance")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("ol.works li")).to_have_count(1)
    expect(page.locator("ol.works li")).to_contain_text("The Military Balance 1991/1992")


def test_cite_and_follow_without_javascript(browser, live_server):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(live_server + "/search?q=和平使命")
    page.locator("li.result").first.get_by_role("link", name="Cite").click()
    expect(page.locator("#gbt7714-passage")).to_be_visible()
    expect(page.locator("button.copy").first).to_be_hidden()  # the text is there to select
    page.go_back()
    page.locator("li.result").first.get_by_role("link", name="Related passages").click()
    expect(page.locator("h1")).to_have_text("Passages like this one")
    page.goto(live_server + "/cited")
    page.get_by_label("Sources whose title, author or venue contains").fill("熊光楷")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("ol.works li")).to_contain_text("國際戰略與新軍事變革")
    ctx.close()
