"""The highlighter and snippet windows on their own: marks at the author's characters, the
window as data, and its HTML."""
from __future__ import annotations

from search.analysis import english_term
from search.model import SnippetWindow
from search.engine.snippets import Highlighter, merge, snippet_window, to_html


def marked(text, spans):
    return [text[a:b] for a, b in spans]


def test_a_simplified_term_marks_traditional_text_at_its_own_characters():
    text = "中俄軍事合作持續，军事演習"
    assert marked(text, Highlighter(["军事"]).spans(text)) == ["軍事", "军事"]


def test_full_width_and_case_are_folded_without_moving_offsets():
    text = "ＮＡＴＯ與Nato及nato"
    assert marked(text, Highlighter(["nato"]).spans(text)) == [
        "ＮＡＴＯ", "Nato", "nato"]


def test_english_words_match_by_stem_and_hyphenated_parts():
    text = "Missiles, missile-defense and defensive lines."
    spans = Highlighter([english_term("missile"), english_term("defense")]).spans(text)
    assert marked(text, spans) == ["Missiles", "missile", "defense", "defensive"]
    assert marked(text, Highlighter(["missiledefens"]).spans(text)) == ["missile-defense"]


def test_designators_in_any_spelling_but_not_their_prefix():
    text = "Su-27, SU 27 and su27 fly; Su-33 does not, nor does Sue."
    spans = Highlighter(["su27"]).spans(text)
    assert marked(text, spans) == ["Su-27", "SU 27", "su27"]


def test_a_mixed_substring_term_needs_latin_word_edges():
    text = "由nato-led戰機，xnato-led戰機"
    assert marked(text, Highlighter(["nato-led战"]).spans(text)) == ["nato-led戰"]


def test_fallback_terms_mark_only_where_nothing_else_is():
    both = Highlighter(["军演"], fallback=["中"])      # terms come folded (Simplified)
    assert marked("中國軍演", both.spans("中國軍演")) == ["軍演"]
    assert marked("中國", both.spans("中國")) == ["中"]


def test_overlapping_and_touching_marks_merge():
    assert merge([(5, 7), (0, 2), (1, 3), (7, 9)]) == [(0, 3), (5, 9)]
    text = "戰略模糊政策"
    assert Highlighter(["战略模糊", "模糊政策"]).spans(text) == [(0, 6)]


def test_the_window_covers_the_most_marks_and_clips_them():
    text = "甲" * 300 + "軍事" + "乙" * 300
    snip = snippet_window(text, [(300, 302), (0, 1)], size=40)
    assert (snip.start, snip.end) == (292, 332)
    assert snip.marks == [(300, 302)] and snip.cut_before and snip.cut_after
    assert snip.segments(text) == [("甲" * 8, False), ("軍事", True), ("乙" * 30, False)]
    edge = snippet_window(text, [(600, 603)], size=40)   # a mark running past the window
    assert (edge.end, edge.marks, edge.cut_after) == (len(text), [(600, 602)], False)
    short = snippet_window("短", [], size=40)
    assert (short.start, short.end, short.cut_before, short.cut_after) == (0, 1, False, False)


def test_html_is_escaped_marked_and_cut_with_ellipses():
    text = "a<b & c> missile \"x\" end"
    window = SnippetWindow(2, 20, [(9, 16)], cut_before=True, cut_after=True)
    assert to_html(text, window) == "…b &amp; c&gt; <mark>missile</mark> &quot;x&quot;…"
    whole = SnippetWindow(0, len(text), [], False, False)
    assert to_html(text, whole) == "a&lt;b &amp; c&gt; missile &quot;x&quot; end"


def test_every_front_end_shows_the_same_window(engine, engine_index):
    from click.testing import CliRunner

    from search.cli import main
    from web import render

    hit = engine.search("stability balance").hits[0]
    assert hit.passage_id == "n4"
    assert to_html(hit.text, hit.window) == hit.snippet          # the JSON string
    assert "".join(p for p, _ in hit.window.segments(hit.text)) == \
        hit.text[hit.window.start:hit.window.end]
    assert str(render.snippet_html(hit.text, hit.window)) == hit.snippet.replace(
        "&quot;", "&#34;").replace("&#x27;", "&#39;")             # the web page
    out = CliRunner().invoke(main, ["search", "stability balance", "--index",
                                    str(engine_index), "--limit", "1"]).output
    assert "     Russia objected to the missiles, calling them a threat to strategic " \
           "stability & balance <b>." in out                   # the terminal: plain text


def _quadratic_window(text, spans, size):
    """The window as it was chosen before `snippets._Covered`: every span's coverage added
    up over every span."""
    if len(text) <= size:
        return 0, len(text)
    if not spans:
        return 0, size
    best, best_start = -1, 0
    for s, _ in spans:
        start = max(0, min(s - size // 5, len(text) - size))
        covered = sum(min(e, start + size) - max(a, start) for a, e in spans
                      if a < start + size and e > start)
        if covered > best:
            best, best_start = covered, start
    return best_start, best_start + size


def test_the_window_is_the_one_the_quadratic_count_chose():
    from hypothesis import given, settings, strategies as st

    from search.engine.snippets import window

    span = st.tuples(st.integers(0, 700), st.integers(0, 40)).map(lambda p: (p[0], p[0] + p[1]))

    @settings(max_examples=150, deadline=None)
    @given(st.integers(0, 800), st.lists(span, max_size=40), st.booleans(),
           st.sampled_from([40, 240]))
    def check(length, spans, merged, size):
        text = "字" * length
        if merged:
            spans = merge(spans)
        assert window(text, spans, size) == _quadratic_window(text, spans, size)
    check()
