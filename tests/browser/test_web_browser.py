"""The search page in a real browser (Debian's chromium via Playwright): type a query, see
highlighted results, open a footnote and follow it to the article's note, toggle the
script, page through results, a no-result search, phone width, no JavaScript."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402


def search(page, base, query):
    page.goto(base + "/")
    box = page.get_by_role("searchbox", name="Search passages")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))


def test_type_a_query_and_see_highlighted_results(page, live_server, shots):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + "/")
    expect(page.get_by_role("searchbox", name="Search passages")).to_be_focused()
    shots(page, "home")
    search(page, live_server, "軍事合作")
    expect(page.get_by_role("searchbox", name="Search passages")).to_have_value("軍事合作")
    results = page.locator("li.result")
    expect(results.first).to_be_visible()
    expect(page.locator(".summary")).to_contain_text(re.compile(r"\d+\s+passages?[\s\S]*\d+ ms"))
    marks = page.locator("li.result .snippet mark")
    expect(marks.first).to_be_visible()
    assert "軍事" in marks.first.inner_text() or "合作" in marks.first.inner_text()
    first = results.first
    expect(first.locator(".rtitle a")).to_have_attribute("href", re.compile(r"/articles/.+#p\d+"))
    expect(first.locator("time")).to_be_visible()
    # a long passage shows a snippet; expand it to the whole passage
    details = page.locator("li.result details.whole").first
    details.locator("summary").click()
    expect(details.locator(".passage")).to_be_visible()
    shots(page, "search-results")
    assert errors == []                     # no script errors, nothing blocked by the CSP


def test_footnote_popup_and_link_to_the_note(page, live_server, shots):
    search(page, live_server, "戈巴契夫 新思維")
    result = page.locator("li.result").first
    marker = result.locator(".fnref").first
    expect(marker).to_be_visible()
    pop = marker.locator(".fnpop")
    expect(pop).to_be_hidden()
    marker.locator("a.fnlink").hover()
    expect(pop).to_be_visible()
    expect(pop).to_contain_text("Allen Lynch")
    shots(page, "footnote-hover")
    for ref in page.locator(".snippet .fnref").all():           # every popup fits the window
        ref.locator("a.fnlink").hover()
        box = ref.locator(".fnpop").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1100
    page.mouse.move(0, 0)
    expect(pop).to_be_hidden()
    # keyboard: focus shows the note too; Escape hides it
    marker.locator("a.fnlink").focus()
    expect(pop).to_be_visible()
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    # click: the note on the article page
    marker.locator("a.fnlink").click()
    page.wait_for_url(re.compile(r"/articles/.+#fn-1$"))
    note = page.locator("#fn-1")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Allen Lynch")
    expect(note).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == "fn-1"
    shots(page, "article-note")
    # and back to where it is cited
    note.locator("a.backref").first.click()
    assert re.fullmatch(r"ref-1-\d+", page.evaluate("location.hash.slice(1)"))
    expect(page.locator(":target")).to_be_in_viewport()


def test_result_opens_the_article_at_the_passage_with_words_marked(page, live_server, shots):
    search(page, live_server, "戈巴契夫")
    link = page.locator("li.result .rtitle a").first
    target = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(r"/articles/"))
    passage = page.locator(f"#{target}")
    expect(passage).to_be_in_viewport()
    expect(passage.locator("mark").first).to_have_text(re.compile("戈巴契夫"))
    expect(page.locator("h1")).to_have_text(re.compile("俄中軍事合作"))
    expect(page.locator(".back")).to_contain_text("Back to results")
    shots(page, "article-passage")
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("dl.docmeta")).to_contain_text("蔡明彥")
    expect(page.locator(".abstract")).to_be_visible()
    shots(page, "article-header")


def test_script_toggle_converts_and_is_remembered(page, live_server, shots):
    search(page, live_server, "軍事合作")
    titles = page.locator("li.result .rtitle a")
    expect(titles.first).to_contain_text("軍事")
    page.get_by_role("button", name=re.compile("简")).click()
    expect(titles.first).to_contain_text("军事")
    expect(page.get_by_role("button", name=re.compile("简"))).to_have_attribute("aria-pressed", "true")
    assert "q=" in page.url                                   # came back to the same search
    shots(page, "simplified")
    titles.first.click()                                       # remembered on the next page
    expect(page.locator("h1")).to_contain_text("军事")
    page.get_by_role("button", name=re.compile("繁")).click()
    expect(page.locator("h1")).to_contain_text("軍事")
    page.get_by_role("button", name=re.compile("原文")).click()
    expect(page.locator("h1")).to_contain_text("軍事")


def test_page_through_results(page, live_server):
    search(page, live_server, "中國")
    first_page = page.locator("li.result .rtitle a").first.get_attribute("href")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    assert page.locator("li.result .rtitle a").first.get_attribute("href") != first_page
    expect(page.locator("ol.results")).to_have_attribute("start", "11")
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url(lambda url: "page=" not in url)
    expect(page.locator(".pager [aria-current=page]")).to_have_text("1")


def test_filters_stay_in_the_url(page, live_server):
    page.goto(live_server + "/search?q=中國")
    page.locator("details.filters > summary").click()
    page.get_by_label("From year").fill("2020")
    page.get_by_label("to", exact=True).fill("2030")
    page.get_by_label("Language").select_option("zh-Hant")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"from=2020"))
    args = parse_qs(urlsplit(page.url).query)
    assert args["lang"] == ["zh-Hant"] and args["q"] == ["中國"] and args["to"] == ["2030"]
    expect(page.get_by_label("From year")).to_have_value("2020")     # the form shows them
    expect(page.locator("li.result").first).to_be_visible()
    for link in page.locator("li.result .rtitle a").all():
        assert "2021" in link.locator("xpath=../..").locator("time").inner_text()


def test_no_result_search_offers_fewer_words(page, live_server, shots):
    # a word that matches nothing is named, and one click searches the other words only
    search(page, live_server, "中俄 zzqqxyz")
    banner = page.locator(".unmatched")
    expect(banner).to_contain_text("zzqqxyz")
    banner.get_by_role("link", name=re.compile("中俄")).click()
    page.wait_for_url(lambda url: "zzqqxyz" not in unquote(url))
    expect(page.get_by_role("searchbox", name="Search passages")).to_have_value("中俄")
    expect(page.locator(".unmatched")).to_have_count(0)
    # nothing at all: the notice says which words matched nothing
    search(page, live_server, "zzqqxyz")
    notice = page.locator(".notice.noresults")
    expect(notice).to_contain_text("matched nothing")
    expect(notice.locator("q.bad")).to_have_text("zzqqxyz")
    # words that match, but not within the filters: one click drops the filters
    page.goto(live_server + "/search?q=中俄&from=1990&to=1995")
    notice = page.locator(".notice.noresults")
    expect(notice).to_be_visible()
    shots(page, "no-results")
    notice.get_by_role("link", name="Search again without filters").click()
    page.wait_for_url(lambda url: "from=" not in url)
    expect(page.locator("li.result").first).to_be_visible()


def test_keyboard_slash_focuses_search_and_tab_reaches_notes(page, live_server):
    page.goto(live_server + "/search?q=" + "戈巴契夫 新思維")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search passages")).to_be_focused()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('fnlink')"):
            break
    else:
        pytest.fail("Tab never reached a footnote marker")
    expect(page.locator(".fnref:focus-within .fnpop")).to_be_visible()


def test_phone_width(browser, live_server, shots):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    try:
        page.goto(live_server + "/search?q=軍事合作")
        expect(page.locator("li.result").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shots(page, "phone")
    finally:
        ctx.close()


def test_basics_work_without_javascript(browser, live_server):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(live_server + "/")
        page.get_by_role("searchbox", name="Search passages").fill("北約")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator("li.result mark").first).to_be_visible()
        page.get_by_role("button", name=re.compile("简")).click()
        expect(page.locator("li.result mark").first).to_have_text(re.compile("北约|NATO", re.I))
        page.locator("li.result details.whole > summary").first.click()
        expect(page.locator("li.result .passage").first).to_be_visible()
    finally:
        ctx.close()


def test_script_in_query_is_text(page, live_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server + "/search?q=" + "<script>alert(1)</script>")
    expect(page.get_by_role("searchbox", name="Search passages")).to_have_value("<script>alert(1)</script>")
    assert dialogs == []


def test_not_found_page_in_the_site_look(page, live_server, shots):
    resp = page.goto(live_server + "/articles/no-such-article")
    assert resp.status == 404
    expect(page.locator(".brand")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Article not found")
