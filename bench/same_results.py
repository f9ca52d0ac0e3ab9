#!/usr/bin/env python3
"""The same results before and after a speed-up: searches recorded by one tree, checked by another.

    .venv/bin/python bench/same_results.py --index bench/out/speed-index-100000 --record F.json
    (other tree) .venv/bin/python bench/same_results.py --index ... --check F.json

For the keyword, question and cross-language queries of bench/speed.py (`--queries` each,
half as many cross-language): `Engine.search` (total, every-word and some-word counts,
each hit's passage id, score as `repr` (every bit), snippet, word reports, notices, did
you mean), page 2 with facets, `Engine.rank`'s top 20, and for the first 20 queries match
all, sort newest and grouping. `--check` exits 1 and names the first query that differs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.speed import cross_language_queries, keyword_queries, question_queries  # noqa


def results(index: str, n: int) -> list[dict]:
    from search.engine.engine import Engine

    engine = Engine(index)
    queries = keyword_queries(n) + question_queries(n) + cross_language_queries(n // 2)
    out = []
    for q in queries:
        r = engine.search(q, limit=10)
        f = engine.search(q, limit=10, facets=True, page=2)
        out.append({"q": q, "total": r.total, "every": r.every_word, "some": r.some_words,
                    "hits": [(h.passage_id, repr(h.score), h.snippet) for h in r.hits],
                    "words": [repr(w) for w in r.words], "notices": r.notices(),
                    "did_you_mean": r.did_you_mean,
                    "page2": [(h.passage_id, repr(h.score)) for h in f.hits],
                    "facets": repr(f.facets),
                    "rank": [(p, repr(s)) for p, s in engine.rank(q, limit=20)]})
    for q in queries[:20]:
        for options in ({"match": "all"}, {"sort": "newest"}, {"group": True}):
            r = engine.search(q, limit=10, **options)
            out.append({"q": q, "options": repr(options), "total": r.total,
                        "hits": [(h.passage_id, repr(h.score)) for h in r.hits]})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", type=int, default=60)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record")
    group.add_argument("--check")
    args = ap.parse_args(argv)
    got = results(args.index, args.queries)
    if args.record:
        Path(args.record).write_text(json.dumps(got, ensure_ascii=False, indent=0))
        print(f"recorded {len(got)} searches in {args.record}")
        return 0
    want = json.loads(Path(args.check).read_text())
    got = json.loads(json.dumps(got, ensure_ascii=False))       # tuples as lists
    for a, b in zip(want, got):
        if a != b:
            print(f"differs: {a['q']!r} {a.get('options', '')}")
            return 1
    if len(want) != len(got):
        print(f"{len(got)} searches, {len(want)} recorded")
        return 1
    print(f"{len(got)} searches: the same as recorded (scores bit for bit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
