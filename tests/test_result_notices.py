"""True notices (issue 13): a stop word is ignored (said once, quietly), a word that matched
only through an expansion, only in notes, only in titles, or nowhere each gets its own line;
the no-result page offers one-word searches only for words that match something."""
from __future__ import annotations

import re
from html import unescape

from search.analysis import fold


def notices_of_page(html: str) -> list[str]:
    found = re.findall(r'<p class="(?:word-notice[^"]*|unmatched|stopped muted)">(.*?)</p>',
                       html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", f)).split()) for f in found]


def test_a_stop_word_is_ignored_not_reported_missing(seed_engine, client, cli, seed_index):
    results = seed_engine.search("arms sales to China")
    assert results.notices() == ["ignored common words: to"]
    assert results.unmatched == []
    assert any("to" in h.text.split() for h in results.hits)       # it is in the text...
    page = client.get("/search", query_string={"q": "arms sales to China"}).text
    assert notices_of_page(page) == ["Ignored common words: to"]  # ...and said once, quietly
    assert "No passage contains" not in page and "no passage contains" not in page
    out = cli("search", "the", "--index", seed_index).output
    assert out.splitlines()[:2] == ["no passages match 'the'", "ignored common words: the"]
    assert "no match for" not in out and "no passage contains" not in out
    page = client.get("/search", query_string={"q": "the"}).text
    assert "Only common words, which are not searched" in page
    assert "matched nothing" not in page


def test_a_word_found_only_through_its_expansion(seed_engine, client):
    results = seed_engine.search("导弹")
    assert results.total > 0 and results.unmatched == []
    assert results.notices() == ["「导弹」 itself occurs nowhere: matched through 飛彈 "
                                 "(cross-strait)"]
    assert all("飛彈" in h.text for h in results.hits)
    page = client.get("/search", query_string={"q": "导弹"}).text
    assert notices_of_page(page) == [results.notices()[0]]
    assert "showing passages for the other words" not in page      # there are no others


def test_words_found_only_in_footnotes(seed_engine, client, cli, seed_index):
    for word, also in (("普京", "; also matched through 普欽 (cross-strait)"),
                       ("Acquisitions", "")):
        results = seed_engine.search(word, translate=False)
        assert results.notices() == [f"「{word}」 occurs only in footnotes{also}"], word
        assert results.unmatched == []
        in_notes = [h for h in results.hits
                    if fold(word) in fold(" ".join(n.text for n in h.footnotes))]
        assert in_notes and not any(fold(word) in fold(h.text) for h in results.hits)
    out = cli("search", "Acquisitions", "--index", seed_index).output
    assert "\n「Acquisitions」 occurs only in footnotes\n" in out


def test_a_word_found_only_in_titles(seed_engine, seed_article_id):
    word = "發展與影響"            # the 2006 article's title, in none of the passages
    texts = [p.text for a in ("000_b276265bf07c8e54", "004_c926736664f9ed5b")
             for p in seed_engine.article(a).passages]
    assert not any(word in t for t in texts)
    results = seed_engine.search(word)
    assert results.notices() == [f"「{word}」 occurs only in titles and section headings"]
    assert results.every_word == 0
    assert results.count_line().startswith(f"no passage matches 「{word}」 · ")


def test_a_word_found_nowhere(seed_engine, client):
    results = seed_engine.search("中俄 zzqqxx")
    assert results.unmatched == ["zzqqxx"]
    assert results.notices() == ["no passage contains 「zzqqxx」"]
    assert results.every_word == 0 and results.count_line().startswith(
        "no passage matches every word · ")
    page = client.get("/search", query_string={"q": "中俄 zzqqxx"}).text
    assert notices_of_page(page) == ["no passage contains 「zzqqxx」: showing passages for "
                                     "the other words. Search for 中俄 only"]


def test_no_one_word_searches_for_words_that_match_nothing(client):
    page = unescape(client.get("/search", query_string={"q": '"zzqqxx" "yyqqww"'}).text)
    assert "No passages match" in page
    assert "Search one word" not in page
    # a query with no results whose words partly match: only the matching ones are offered
    page = unescape(client.get("/search", query_string={"q": '+戰略模糊 +zzqqxx 中俄'}).text)
    assert "No passages match" in page
    offered = re.findall(r'<a class="chip" href="[^"]*">([^<]*)</a>', page)
    assert "zzqqxx" not in offered and "+zzqqxx" not in offered
