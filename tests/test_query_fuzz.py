"""Any text typed as a query gives results or one QueryError message, never anything else:
in the engine, in the JSON API and on the page (a 200 or a 400 page, never a 500).

Hypothesis draws queries from the grammar's own pieces (operators, quotes, field prefixes,
ranges) mixed with CJK, Latin, digits, controls and emoji. CI runs a few hundred examples;
`DEFSEARCH_FUZZ_EXAMPLES=20000` runs a long session.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import QueryError

EXAMPLES = int(os.environ.get("DEFSEARCH_FUZZ_EXAMPLES", "300"))
PIECES = ['"', "“", "”", "「", "」", "(", ")", "OR", "|", "NOT", "-", "+", "title:", "author:",
          "venue:", "lang:", "lang:zh", "article:", "year:", "year:2005..", "year:..2010",
          "date:2021-04", "date:2021-01..2021-06-30", "..", ":", "*", "?", "\\", "%", "&",
          "中俄", "軍事合作", "导弹", "Su-27", "SU 27", "S-300", "missile", "the", "a",
          "9999", "0", "-1", "\x00", "\u200b", "\ufeff", "\U0001f680", "\uf9b5", "\u3000",
          "\n", "\t", " ", "　", "x" * 300, "中" * 200]
query_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
                      max_size=12).map("".join)
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@fuzz
@given(text=query_text)
def test_engine_answers_or_says_what_is_wrong(seed_engine, text):
    try:
        results = seed_engine.search(text, limit=5)
    except QueryError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        return
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert hit.passage_id and hit.text


@fuzz
@given(text=query_text)
def test_api_and_page_never_fail(app, text):
    client = app.test_client()
    api = client.get("/api/search", query_string={"q": text, "limit": 3})
    assert api.status_code in (200, 400), (text, api.status_code)
    if api.status_code == 400:
        assert api.get_json()["error"]
    page = client.get("/search", query_string={"q": text})
    assert page.status_code in (200, 400), (text, page.status_code)
    assert b"Traceback" not in page.data
