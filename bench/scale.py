#!/usr/bin/env python3
"""Scale figures for both backends in one run: the eval pool repeated to N passages.

    .venv/bin/python bench/scale.py --passages 100000 [--opensearch URL] [--skip-whoosh]

Without --opensearch it starts its own 3-node cluster (scripts/opensearch-cluster, under
bench/out/scale-cluster) and stops it at the end. For each backend: indexing throughput
(passages/s), peak memory (the indexing process; for OpenSearch also the nodes' resident
memory after indexing), and p50/p95 of keyword and question searches with snippets
(dev queries of drcd-t and squad: the short ones as keyword queries, the long ones as
questions), one client. The issue's 1,000,000 passages need a machine of their own: on a
shared one, keep --passages small. Prints a table, writes bench/out/scale.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, ROOT, big_corpus, load_average, log, peak_rss_mib, \
    read_jsonl, summary  # noqa: E402

SCRIPT = ROOT / "scripts" / "opensearch-cluster"


def queries(n: int) -> dict[str, list[str]]:
    texts = [q["text"] for name in ("drcd-t", "squad")
             for q in read_jsonl(EVAL / f"queries-dev-{name}.jsonl")]
    keyword = [t for t in texts if len(t) <= 12][:n]
    question = [t for t in texts if len(t) > 12][:n]
    return {"keyword": keyword, "question": question}


def timed_searches(engine, texts) -> dict:
    ms = []
    for text in texts:
        t = time.perf_counter()
        engine.search(text, limit=10)
        ms.append((time.perf_counter() - t) * 1000)
    return summary(ms)


def rss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def measured(build, open_engine, qs: dict, **memory) -> dict:
    """Time `build()` (an index report), then each query kind on `open_engine()` after one
    warm-up search; `memory` holds the backend's memory figures, taken after the build."""
    t = time.perf_counter()
    report = build()
    seconds = time.perf_counter() - t
    engine = open_engine()
    out = {"passages": report.passages, "index_s": round(seconds, 1),
           "passages_per_s": round(report.passages / seconds)}
    out.update({name: figure() for name, figure in memory.items()})
    for kind, texts in qs.items():
        engine.search(texts[0])         # warm
        out[kind] = timed_searches(engine, texts)
    return out


def run_whoosh(corpus: Path, qs: dict) -> dict:
    from search.engine.engine import Engine
    from search.index.update import update_index

    index_dir = OUT / "scale-whoosh-index"
    return measured(lambda: update_index(corpus, index_dir, rebuild=True),
                    lambda: Engine(index_dir), qs, peak_rss_mib=lambda: round(
                        max(peak_rss_mib(), peak_rss_mib(children=True)), 1))


def run_opensearch(corpus: Path, qs: dict, config, pids) -> dict:
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster

    return measured(lambda: update_cluster(corpus, config, rebuild=True),
                    lambda: OpenSearchEngine(config), qs,
                    peak_rss_mib=lambda: round(peak_rss_mib(), 1),
                    nodes_rss_mib=lambda: rss_mib(pids))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--opensearch", default=None, help="an existing cluster's URL(s)")
    ap.add_argument("--skip-whoosh", action="store_true")
    args = ap.parse_args(argv)
    from search.backends import resolve

    OUT.mkdir(parents=True, exist_ok=True)
    corpus = big_corpus(args.passages)
    qs = queries(args.queries)
    rows = {}
    if not args.skip_whoosh:
        log("whoosh ...")
        rows["whoosh"] = run_whoosh(corpus, qs)
        log(json.dumps(rows["whoosh"]))
    work = OUT / "scale-cluster"
    pids = []
    if args.opensearch is None:
        started = json.loads(subprocess.run(
            [sys.executable, str(SCRIPT), "start", str(work), "--parent", str(os.getpid())],
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        url, pids = ",".join(started["urls"]), started["pids"]
    else:
        url = args.opensearch
    try:
        config = resolve("opensearch", url, env={"DEFSEARCH_OPENSEARCH_INDEX": "scale"})
        log("opensearch ...")
        rows["opensearch"] = run_opensearch(corpus, qs, config, pids)
        log(json.dumps(rows["opensearch"]))
    finally:
        if args.opensearch is None:
            subprocess.run([sys.executable, str(SCRIPT), "stop", str(work)])
    print(f"{'backend':11} {'passages':>9} {'index s':>8} {'pass/s':>7} {'RSS MiB':>8} "
          f"{'kw p50':>7} {'kw p95':>7} {'q p50':>7} {'q p95':>7}")
    for name, r in rows.items():
        rss = r["peak_rss_mib"] + r.get("nodes_rss_mib", 0)
        print(f"{name:11} {r['passages']:>9} {r['index_s']:>8} {r['passages_per_s']:>7} "
              f"{rss:>8.0f} {r['keyword']['p50_ms']:>7} {r['keyword']['p95_ms']:>7} "
              f"{r['question']['p50_ms']:>7} {r['question']['p95_ms']:>7}")
    (OUT / "scale.json").write_text(json.dumps({"rows": rows, "passages": args.passages,
                                                "load": load_average()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
