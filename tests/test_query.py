"""The query parser: syntax, filters, and malformed input that must never raise a traceback."""
from __future__ import annotations

import pytest

from search.errors import QueryError
from search.query import clean, date_range, parse

MALFORMED = [
    '"', '""', '"unbalanced quote', 'unbalanced" quote', "「未閉合", "OR", "NOT", "-", "+",
    "AND OR NOT", "OR 中俄", "中俄 OR", "NOT NOT 中俄", "- - -", "中俄 -", "((中俄", ")",
    "title:", "title:\"", "author:", ":", "::", "year:", "*", "?", "中俄*", "~2", "^3",
    "中俄 AND", "\x00\x01\x02", "中\x00俄", "\u200b\u200d", "🚀🚀🚀", "中俄 🚀 合作",
    "\ud800", "a" * 5000, "中俄軍事合作" * 900, " ".join(["missile"] * 2000),
    "<script>alert(1)</script>", "\\", "'", "%s%n", "lang:en lang:zh", "article:",
    "title:\"中俄", "-\"戰略模糊\"", "\"  \"", "OR OR OR", "| |", "NOT \"\"",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_give_results_or_one_message(engine, query):
    try:
        results = engine.search(query)
    except QueryError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert results.total >= 0
    for hit in results.hits:
        assert "<script>" not in hit.snippet


@pytest.mark.parametrize("query,message", [
    ("", 'empty query: type a word or a "phrase" to search'),
    ("   ", 'empty query: type a word or a "phrase" to search'),
    ("lang:xx 中俄", "unknown language 'xx': use lang:en, lang:zh, lang:zh-Hant or lang:zh-Hans"),
    ("year:20x5", "cannot read year:20x5: use year:2005 or year:2005..2010"),
    ("year:2010..2005", "year:2010..2005 is an empty range: put the earlier date first"),
    ("date:2021-13", "cannot read date:2021-13: month 1-12, day 1-31"),
])
def test_exact_error_messages(engine, query, message):
    with pytest.raises(QueryError) as err:
        engine.search(query)
    assert str(err.value) == message


def test_parse_shapes():
    kinds = [(c.kind, c.text, c.negated, c.required) for c in parse(
        'missile "strategic ambiguity" -nuclear NOT 核 +中俄')]
    assert kinds == [("word", "missile", False, False),
                     ("phrase", "strategic ambiguity", False, True),
                     ("word", "nuclear", True, False), ("word", "核", True, False),
                     ("word", "中俄", False, True)]
    (group,) = parse("a OR b | c")
    assert group.kind == "or" and [m.text for m in group.members] == ["a", "b", "c"]
    (field,) = parse('title:"中俄 軍事"')
    assert (field.kind, field.fname, field.text) == ("field", "title", "中俄 軍事")
    assert [c.text for c in parse("「戰略模糊」 “dual use”")] == ["戰略模糊", "dual use"]


def test_clean_drops_controls_and_emoji():
    assert clean("中\x00俄 🚀 合作\u200b") == "中 俄 合作"
    assert len(clean("x" * 10000)) == 2000


def test_date_ranges():
    assert date_range("2005..2010", "year") == (20050000, 20109999)
    assert date_range("2021-04") == (20210400, 20210499)
    assert date_range("..2006-12") == (0, 20061299)
    assert date_range("2021-04-01") == (20210401, 20210401)


def test_long_paste_is_capped_but_answers(engine):
    results = engine.search("中俄軍事合作的發展與影響 " * 400)
    assert results.total > 0


def test_unmatched_words_are_reported(engine):
    results = engine.search("中俄 xyzzyplugh")
    assert results.total > 0
    assert results.unmatched == ["xyzzyplugh"]


def test_operators_glued_to_quotes():
    (neg,) = parse('-"戰略模糊"')
    assert (neg.kind, neg.text, neg.negated) == ("phrase", "戰略模糊", True)
    (group,) = parse("SU 27")
    assert group.text == "SU 27"           # a spaced designator stays one word
    assert [c.text for c in parse("-SU 27")] == ["SU", "27"]


def test_a_pasted_text_with_corner_quotes_is_not_a_phrase_query(engine):
    paste = engine.article("000_b276265bf07c8e54").passages[3].text     # has 《》「」, long
    assert len(paste) > 120 and "「" in paste or "《" in paste
    results = engine.search(paste)
    assert results.hits[0].passage_id == "000_b276265bf07c8e54#p3"
    assert [c.kind for c in parse("「戰略模糊」")] == ["phrase"]    # short: still a phrase
