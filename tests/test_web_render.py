"""web.render: stored text to safe HTML (escaping, marks, footnote markers, script conversion)."""
from __future__ import annotations

from search.model import Footnote, NoteRef, SnippetWindow
from web import render


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


def test_a_card_says_ocr_and_page_and_escapes_what_the_corpus_holds(app, seed_engine):
    """web.cards builds the card in Python: an OCR passage says so with its page, and a
    title or section holding markup is shown as text."""
    import dataclasses

    from flask import render_template_string

    from web.cards import card, cite_links

    hit = seed_engine.search("中俄").hits[0]
    odd = dataclasses.replace(hit, ocr=True, pages=["3", "4"], title="<b>A & B</b>",
                              section='"x" < y', venue="", date="", authors=[])
    with app.test_request_context("/search?q=中俄"):
        links = str(cite_links(odd))
        assert links.startswith('<p class="cite-links" lang="en"><span class="ocr" title="Read '
                                'by OCR from a page image: it may hold recognition errors">OCR '
                                'text</span> <span class="pages" title="Page in the original">'
                                'pp. 3–4</span>')
        assert f'href="/cite/{odd.passage_id.replace("#", "%23")}">Cite</a>' in links
        assert str(render_template_string("{{ cite_links(hit) }}", hit=odd)) == links
        r = {"hit": odd, "url": "/articles/x#p1", "authors": [], "venue_url": None,
             "article_results": "/search?q=x&article=y", "more_url": None,
             "snippet": render.snippet_html(odd.text, odd.window), "truncated": False,
             "full": None, "footnotes": [], "notes_marked": False}
        html = str(card(r, 3, "orig"))
    assert '<li class="result" id="r3">' in html
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;</a></h2>" in html
    assert '<span class="section" lang="zh-Hant">&#34;x&#34; &lt; y</span>' in html
    assert 'href="/search?q=x&amp;article=y" lang="en">more from this article' in html
    assert "<details" not in html and "<time" not in html and 'class="venue"' not in html
