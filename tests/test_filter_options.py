"""The CLI and the web accept the same values for the same filter, with one message each.

`defsearch search --lang/--article/--venue/--year-from/--year-to` and `/search`,
`/api/search` with lang/article/venue/from/to are all checked by
`search.query.filters.search_options`; each message names the option as the front end
spells it (`--lang en`, `lang=en`).
"""
from __future__ import annotations

import json
from html import unescape

import pytest

CLI_NAMES = {"lang": "--lang", "article": "--article", "venue": "--venue",
             "year_from": "--year-from", "year_to": "--year-to"}
WEB_NAMES = {"lang": "lang", "article": "article", "venue": "venue", "year_from": "from",
             "year_to": "to"}

ACCEPTED = [dict(lang="zh"), dict(lang="ZH"), dict(lang="zh-Hant"), dict(lang="zh-hans"),
            dict(lang="en"), dict(lang="tw"), dict(year_from="1"), dict(year_to="999"),
            dict(year_from="2020"), dict(year_from="9999"), dict(year_from="2006",
                                                                 year_to="2006"),
            dict(venue="俄羅斯學報  第五期"), dict(article="000_b276265bf07c8e54"),
            dict(venue="俄羅斯學報")]

UNKNOWN_ARTICLE = ("no article has the id 'no-such-article': copy an id from a result's "
                   "article link, or search without the article filter")

REFUSED = [
    (dict(article="no-such-article"), UNKNOWN_ARTICLE, UNKNOWN_ARTICLE),   # named, issue 13
    (dict(lang="xx"),
     "unknown language 'xx': use --lang en, --lang zh, --lang zh-Hant or --lang zh-Hans",
     "unknown language 'xx': use lang=en, lang=zh, lang=zh-Hant or lang=zh-Hans"),
    (dict(year_from="soon"), "--year-from must be a year like 2010, not 'soon'",
     "from must be a year like 2010, not 'soon'"),
    (dict(year_to="0"), "--year-to must be a year like 2010, not '0'",
     "to must be a year like 2010, not '0'"),
    (dict(year_from="10000"), "--year-from must be a year like 2010, not '10000'",
     "from must be a year like 2010, not '10000'"),
    (dict(year_to="-5"), "--year-to must be a year like 2010, not '-5'",
     "to must be a year like 2010, not '-5'"),
    (dict(year_from="2020", year_to="2000"),
     "year range 2020..2000 is empty: put the earlier year first",
     "year range 2020..2000 is empty: put the earlier year first"),
    (dict(venue="x" * 201),
     "--venue is 201 characters long; the limit is 200: use a shorter part of the name",
     "venue is 201 characters long; the limit is 200: use a shorter part of the name"),
    (dict(article="a" * 201),
     "--article must be an article id: 1 to 200 characters, no control characters",
     "article must be an article id: 1 to 200 characters, no control characters"),
]


def cli_args(options: dict) -> list[str]:
    return [x for k, v in options.items() for x in (CLI_NAMES[k], v)]


def web_args(options: dict) -> dict:
    return {WEB_NAMES[k]: v for k, v in options.items()}


@pytest.mark.parametrize("options", ACCEPTED, ids=lambda o: repr(o)[:40])
def test_accepted_values_give_the_same_results_on_both(cli, client, seed_index, options):
    result = cli("search", "中俄 OR missile", "--index", seed_index, "--json", "--limit", 50,
                 *cli_args(options))
    assert result.exit_code == 0, result.output
    api = client.get("/api/search", query_string={"q": "中俄 OR missile", "limit": 50,
                                                  **web_args(options)})
    assert api.status_code == 200, api.get_json()
    page = client.get("/search", query_string={"q": "中俄 OR missile", **web_args(options)})
    assert page.status_code == 200
    from_cli = json.loads(result.output)
    assert [r["passage_id"] for r in api.get_json()["results"]] == \
        [r["passage_id"] for r in from_cli["results"]]


@pytest.mark.parametrize("options,cli_message,web_message", REFUSED,
                         ids=lambda o: repr(o)[:40] if isinstance(o, dict) else "")
def test_refused_values_get_one_message_on_both(cli, client, seed_index, options,
                                                cli_message, web_message):
    result = cli("search", "中俄", "--index", seed_index, *cli_args(options))
    assert result.exit_code == 2
    assert result.output == f"defsearch: {cli_message}\n"
    api = client.get("/api/search", query_string={"q": "中俄", **web_args(options)})
    assert api.status_code == 400
    assert api.get_json() == {"error": web_message, "status": 400}
    page = client.get("/search", query_string={"q": "中俄", **web_args(options)})
    assert page.status_code == 400
    assert web_message in unescape(page.get_data(as_text=True))


def test_the_library_spells_the_options_as_keywords(engine):
    from search.errors import QueryError
    with pytest.raises(QueryError) as err:
        engine.search("中俄", lang="xx")
    assert str(err.value) == ("unknown language 'xx': use lang:en, lang:zh, lang:zh-Hant "
                              "or lang:zh-Hans")
    with pytest.raises(QueryError) as err:
        engine.search("中俄", year_to=10000)
    assert str(err.value) == "year_to must be a year like 2010, not 10000"
