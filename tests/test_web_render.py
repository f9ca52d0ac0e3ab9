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
