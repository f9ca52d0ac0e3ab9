"""CPU a web request costs, in-process, split into Engine.search and everything around it.

Drives the real Flask app (test client, caches off) through bench/load.py's request mix and
measures each request's thread CPU time, and the part of it spent inside `Engine.search`
(timed around the app's one engine): the rest is the web's own cost (parameters,
snippets and cards, facets, links, templates, JSON, Flask). CPU time, not wall time, so
the figure holds up on a shared machine better than latency does (still: report the
load average, and compare trees back to back).

    .venv/bin/python bench/page_cpu.py                                 # bundled index/
    .venv/bin/python bench/page_cpu.py --index bench/out/speed-index-100000 --rounds 3
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(index: str, rounds: int) -> dict:
    from bench.load import request_mix
    from web import create_app

    app = create_app({"INDEX_DIR": index, "SEARCH_CACHE_SIZE": 0})
    client = app.test_client()
    engine = app.extensions["defsearch_engine"].get()
    search = engine.search
    inside = [0.0]

    def timed_search(*args, **kwargs):
        started = time.thread_time()
        try:
            return search(*args, **kwargs)
        finally:
            inside[0] += time.thread_time() - started
    engine.search = timed_search

    total, outside = collections.defaultdict(list), collections.defaultdict(list)
    mix = request_mix()
    for n in range(rounds + 1):                 # the first round warms up
        for kind, path in mix:
            headers = {"Cookie": "script=hans"} if kind == "hans" else {}
            inside[0] = 0.0
            started = time.thread_time()
            status = client.get(path, headers=headers).status_code
            spent = time.thread_time() - started
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            if n:
                total[kind].append(spent * 1000)
                outside[kind].append((spent - inside[0]) * 1000)
    every = [v for vs in total.values() for v in vs]
    every_out = [v for vs in outside.values() for v in vs]
    return {
        "index": index, "requests": len(every), "load_average": os.getloadavg(),
        "cpu_ms": round(statistics.fmean(every), 2),
        "outside_engine_ms": round(statistics.fmean(every_out), 2),
        "by_kind": {k: {"cpu_ms": round(statistics.fmean(total[k]), 2),
                        "outside_engine_ms": round(statistics.fmean(outside[k]), 2)}
                    for k in total},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--rounds", type=int, default=5, help="times through the request mix")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    sys.path.append(str(ROOT))       # bench.load; `search` and `web` as PYTHONPATH gives them
    report = measure(args.index, args.rounds)
    print(f"{report['requests']} requests: {report['cpu_ms']} ms CPU a request, "
          f"{report['outside_engine_ms']} ms of it outside Engine.search (load average "
          + " ".join(f"{x:.1f}" for x in report["load_average"]) + ")")
    for kind, figures in report["by_kind"].items():
        print(f"  {kind:9s} {figures['cpu_ms']:7.2f} ms, outside {figures['outside_engine_ms']:6.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
