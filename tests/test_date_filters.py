"""Year and date filters, open at either end, agree with a plain filter on passage dates
(Whoosh's NumericRange matches everything for some bounds; query.date_filter clamps them)."""
import pytest

CASES = [(2020, None), (None, 2010), (2000, 2010), (2007, None), (None, 2005), (None, 2006),
         (2006, 2006), (3500, None), (None, 999)]


def year(date):
    return int(date[:4]) if date else None


@pytest.fixture(scope="module")
def all_hits(engine):
    return engine.search("中俄 OR missile OR 軍事", limit=1000).hits


@pytest.mark.parametrize("year_from,year_to", CASES)
def test_year_filters_match_a_plain_filter(engine, all_hits, year_from, year_to):
    expected = {h.passage_id for h in all_hits if year(h.date) is not None
                and (year_from is None or year(h.date) >= year_from)
                and (year_to is None or year(h.date) <= year_to)}
    got = engine.search("中俄 OR missile OR 軍事", limit=1000, year_from=year_from,
                        year_to=year_to)
    assert {h.passage_id for h in got.hits} == expected


@pytest.mark.parametrize("clause,years", [
    ("year:2020..", {2021}), ("year:..2010", {2006}), ("year:2006", {2006}),
    ("date:2021-04", {2021}), ("date:..2006-12-31", {2006}),
])
def test_query_date_clauses_open_at_one_end(engine, clause, years):
    got = engine.search(f"中俄 {clause}", limit=1000)
    assert got.hits and {year(h.date) for h in got.hits} == years
