#!/usr/bin/env python3
"""Cite and follow: what page numbers cost at ingest, and the latency of a citation, a
result-list export, a feed, related passages and the corpus's cited works.

    .venv/bin/python bench/cite.py [--repeat 20]

On the bundled corpus (corpus/, indexed into a temp dir): ingest of each seed with and
without its PageMap (the page numbers' share of ingest), then median wall times of
`styles.cite_all` for a passage, `export.collect` + `export_hits` (BibTeX, CSV) for 中俄,
the Atom feed of 北約 through the web app, `related()` for every passage of the commentary,
and `corpus_works` (all articles' footnotes parsed, as the web does once per generation).
Prints a Markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
ROOT = Path(__file__).resolve().parents[1]


def median_ms(fn, repeat: int) -> float:
    fn()                                    # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from search.cite import export, styles
    from search.cite.works import corpus_works
    from search.engine.engine import Engine
    from search.index.update import update_index
    from search.ingest import ingest_file, pages
    from search.related import related
    from web import create_app

    rows = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        with_pages = median_ms(lambda: ingest_file(path, path.parent), args.repeat)
        build = pages.PageMap.build
        pages.PageMap.build = classmethod(lambda cls, *a: cls())      # no page numbers
        try:
            without = median_ms(lambda: ingest_file(path, path.parent), args.repeat)
        finally:
            pages.PageMap.build = build
        rows.append((f"ingest {path.name} with / without page numbers",
                     f"{with_pages:.1f} / {without:.1f} ms"))

    with tempfile.TemporaryDirectory() as tmp:
        update_index(ROOT / "corpus", Path(tmp) / "index")
        engine = Engine(Path(tmp) / "index")
        paper = engine.article("004_c926736664f9ed5b")
        rows.append(("cite_all (3 styles) for a passage",
                     f"{median_ms(lambda: styles.cite_all(paper, paper.passages[36]), args.repeat):.2f} ms"))
        for fmt in ("bibtex", "csv"):
            def run(fmt=fmt):
                hits, arts, _ = export.collect(engine, "中俄")
                export.export_hits(fmt, hits, arts, "中俄")
            rows.append((f"export 中俄 ({engine.search('中俄').total} passages) as {fmt}",
                         f"{median_ms(run, args.repeat):.1f} ms"))
        client = create_app({"INDEX_DIR": str(Path(tmp) / "index"),
                             "SEARCH_CACHE_SIZE": 0}).test_client()
        rows.append(("GET /feed?q=北約 (no result cache)",
                     f"{median_ms(lambda: client.get('/feed?q=北約'), args.repeat):.1f} ms"))
        commentary = engine.article("000_b276265bf07c8e54")
        times = [median_ms(lambda p=p: related(engine, commentary, p), max(3, args.repeat // 4))
                 for p in commentary.passages]
        rows.append(("related() per passage (commentary, median of 5)",
                     f"{statistics.median(times):.1f} ms"))
        rows.append(("corpus_works (every article's notes)",
                     f"{median_ms(lambda: corpus_works(engine), args.repeat):.1f} ms"))
        engine.close()

    print("| what | time |\n|---|---|")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
