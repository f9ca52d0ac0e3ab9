"""True counts (issue 13): passages matching every word and those matching only some, the
same numbers in the CLI, on the page and in /api/search; match all/any; paging past the
end; unknown article ids; the page-size limits of the CLI and the API.

The expected numbers are worked out here from the stored articles (the passage texts),
not copied from a run."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest

from search.analysis import fold

SEEDS = ("000_b276265bf07c8e54", "004_c926736664f9ed5b")


@pytest.fixture(scope="module")
def passages(seed_engine):
    """Every passage of the seed corpus with its article: (passage, article)."""
    return [(p, a) for a in (seed_engine.article(i) for i in SEEDS) for p in a.passages]


def holding(passages, word: str) -> set[str]:
    return {p.id for p, _a in passages if fold(word) in fold(p.text)}


def count_line_of_page(html: str) -> str:
    m = re.search(r'<p class="count"><strong>(.*?)</strong>', html, re.S)
    assert m, "no count line on the page"
    return unescape(m.group(1))


def test_a_word_in_two_passages_is_counted_as_two_not_as_the_corpus(seed_engine, passages):
    results = seed_engine.search("上海合作組織")
    truth = holding(passages, "上海合作組織")
    assert len(truth) == 2
    assert results.every_word == 2
    assert results.total == results.every_word + results.some_words      # nothing lost
    assert results.count_line() == (f"2 passages match 「上海合作組織」 · "
                                    f"{results.some_words} more match part of it or its title")
    # the two are ranked first, and they are the two whose text holds the word
    assert {h.passage_id for h in results.hits[:2]} == truth


def contains(passage, article, word: str) -> bool:
    """The passage's text or a note it cites holds `word` (folded: either script)."""
    notes = [article.footnote(ref.label) for ref in passage.notes]
    return any(fold(word) in fold(t) for t in [passage.text] + [n.text for n in notes if n])


def test_every_word_passages_come_first_and_match_all_shows_only_them(seed_engine, passages):
    query = "中俄 飛彈"
    mixed = seed_engine.search(query, limit=60, expand=False)
    every = mixed.every_word
    truth = {p.id for p, a in passages if contains(p, a, "中俄") and contains(p, a, "飛彈")}
    assert every == len(truth) and 0 < every < mixed.total
    assert {h.passage_id for h in mixed.hits[:every]} == truth
    only = seed_engine.search(query, limit=60, match="all", expand=False)
    assert only.total == every and [h.passage_id for h in only.hits] == \
        [h.passage_id for h in mixed.hits[:every]]
    assert only.count_line().endswith(f"· {mixed.some_words} more match some (not shown)")


@pytest.mark.parametrize("query,test", [
    ("title:軍事", lambda p, a: "軍事" in a.title),
    ("author:蔡明彥", lambda p, a: "蔡明彥" in a.authors),
])
def test_filter_only_queries_count_the_passages_they_hold(seed_engine, passages, query, test):
    results = seed_engine.search(query)
    truth = sum(1 for p, a in passages if test(p, a))
    assert results.total == truth
    assert results.count_line() == f"{truth} passages match"


def test_the_same_count_in_the_cli_the_page_and_the_api(cli, client, seed_index):
    query = "arms sales to China"
    api = client.get("/api/search", query_string={"q": query}).get_json()
    assert api["every_word"] > 0 and api["some_words"] > 0
    assert api["total"] == api["every_word"] + api["some_words"]
    line = api["count"]
    assert line == (f"{api['every_word']} passages match every word · "
                    f"{api['some_words']} more match some")
    out = cli("search", query, "--index", seed_index).output
    assert out.splitlines()[0].startswith(f"'{query}': {line} (page 1 of ")
    page = client.get("/search", query_string={"q": query}).text
    assert count_line_of_page(page) == line
    # the new keys come after the ones clients already read
    keys = list(api)
    assert keys[:8] == ["query", "total", "page", "limit", "results", "expansions",
                        "translations", "unmatched"]
    cli_json = json.loads(cli("search", query, "--index", seed_index, "--json").output)
    assert {k: cli_json[k] for k in ("total", "every_word", "some_words", "count")} == \
        {k: api[k] for k in ("total", "every_word", "some_words", "count")}


def test_the_match_switch_on_the_page_and_the_cli(cli, client, seed_index):
    page = client.get("/search", query_string={"q": "上海合作組織"}).text
    link = re.search(r'<a class="match-all" href="([^"]+)">Only the 2 passages matching '
                     r'「上海合作組織」 in full</a>', page)
    assert link
    only = client.get(unescape(link.group(1))).text
    assert only.count('<li class="result"') == 2
    assert 'class="match-any"' in only
    out = cli("search", "上海合作組織", "--index", seed_index, "--match", "all").output
    assert out.splitlines()[0].startswith(
        "'上海合作組織': 2 passages match 「上海合作組織」 · ")
    assert out.count("score ") == 2


def test_paging_past_the_end_says_where_the_results_end(cli, client, seed_index):
    api = client.get("/api/search", query_string={"q": "中俄", "page": 99}).get_json()
    last = api["last_page"]
    assert api["results"] == [] and last == -(-api["total"] // api["limit"])
    page = client.get("/search", query_string={"q": "中俄", "page": 99}).text
    assert f"page 99 of {last}" not in page
    assert f"There are no results on page 99: the results end on page {last}." in page
    assert f'>Go to page {last}</a>' in page
    out = cli("search", "中俄", "--index", seed_index, "--page", 999).output
    pages = -(-api["total"] // 10)
    assert f"page 999 is past the end: the results end on page {pages} (--page {pages})" in out
    assert "page 999 of" not in out


def test_an_unknown_article_id_is_named(cli, client, seed_index):
    message = ("no article has the id 'nosuch': copy an id from a result's article link, "
               "or search without the article filter")
    out = cli("search", "中俄", "--index", seed_index, "--article", "nosuch")
    assert out.exit_code == 2 and out.output == f"defsearch: {message}\n"
    page = client.get("/search", query_string={"q": "中俄", "article": "nosuch"})
    assert page.status_code == 400 and message in unescape(page.text)
    assert "within the current filters" not in page.text
    api = client.get("/api/search", query_string={"q": "中俄 article:nosuch"})
    assert api.status_code == 400 and api.get_json()["error"] == message


def test_the_limits_of_the_cli_and_the_api_say_each_other(cli, client, seed_index):
    out = cli("search", "中俄", "--index", seed_index, "--limit", 2000)
    assert out.output == ("defsearch: --limit must be between 1 and 1000, not 2000 "
                          "(the web API allows up to 50 a request)\n")
    api = client.get("/api/search", query_string={"q": "中俄", "limit": 100})
    assert api.status_code == 400
    assert api.get_json()["error"] == (
        "limit must be a whole number between 1 and 50 (the API's most results a request; "
        "`defsearch search --limit` takes up to 1000), not '100'; use page= for more.")
    assert len(client.get("/api/search", query_string={"q": "中俄", "limit": 50})
               .get_json()["results"]) == 50
