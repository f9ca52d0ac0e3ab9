"""Analyst-style queries over the two seed articles: the passage a reader wants first is in
the top 3 (tests/data/domain_queries.jsonl; `bench/quality.py` reports the set's MRR).

Each line: `id`, `kind` (number, designator, name, citation, metadata, topic, phrase, mixed),
`text` as an analyst types it, `want` (the passages that answer it, best first; for a
metadata query every passage of the article), `note`. `failed_before_issue_12` marks the
8 that were not in the top 3 at c5465d2 (issue 12 fixed their classes); a line with `fails`
is a known failure today, with why (strict xfail: once fixed, the mark must go).
"""
import json
from pathlib import Path

import pytest

QUERIES = [json.loads(line) for line in
           (Path(__file__).parent / "data" / "domain_queries.jsonl").open(encoding="utf-8")
           if line.strip()]


def test_the_set_covers_every_kind_with_forty_queries_or_more():
    kinds = {q["kind"] for q in QUERIES}
    assert len(QUERIES) >= 40
    assert {"number", "designator", "name", "citation", "metadata", "topic", "phrase",
            "mixed"} <= kinds


@pytest.mark.parametrize("query", [
    pytest.param(q, id=f"{q['id']}-{q['kind']}", marks=pytest.mark.xfail(
        reason=q["fails"], strict=True) if q.get("fails") else ())
    for q in QUERIES])
def test_the_wanted_passage_is_in_the_top_3(seed_engine, query):
    hits = seed_engine.search(query["text"], limit=3).hits
    got = [h.passage_id for h in hits]
    assert set(got) & set(query["want"]), \
        f"{query['text']!r} ({query['note']}): top 3 {got}, wanted {query['want'][:3]}"
