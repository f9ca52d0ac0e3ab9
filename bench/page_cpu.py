"""CPU a web request costs, in-process, split into Engine.search and everything around it.

Drives the real Flask app (test client, caches off) through bench/load.py's request mix and
measures each request's thread CPU time, and the part of it spent inside `Engine.search`
(timed around the app's one engine): the rest is the web's own cost (parameters,
snippets and cards, facets, links, templates, JSON, Flask). CPU time, not wall time, so
the figure holds up on a shared machine better than latency does (still: report the
load average, and compare trees back to back).

`--stages` also splits each request into the stages of a search page (query parsing and
translation, scoring, true counts, reranks, facets, hits with snippets and footnotes,
did-you-mean, cards, facet lists, template, JSON, WSGI): each stage's function is
wrapped with a thread-CPU timer and a stage's own time excludes the stages nested in it.
The wrapping costs a little itself (a few microseconds a call), so the stage figures add up
to slightly more than a run without it. The HTTP server's own part (waitress: parsing,
sockets) is not in a test client's request: bench/load.py's server CPU less this figure.

    .venv/bin/python bench/page_cpu.py                                 # bundled index/
    .venv/bin/python bench/page_cpu.py --index bench/out/speed-index-100000 --rounds 3
    .venv/bin/python bench/page_cpu.py --index bench/out/speed-index-100000 --stages
"""
from __future__ import annotations

import argparse
import collections
import functools
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (stage, "module:attribute" or "module:Class.method"), outermost first; a function is
# wrapped where the code calling it looks it up (a name imported into a module is wrapped
# in that module)
STAGES = [
    ("view: page (params, links, pager)", "web.pages:search"),
    ("view: api", "web.api:search"),
    ("params", "web.pages:search_params"),
    ("params", "web.api:search_params"),
    ("engine: other (setup, plan checks)", "search.engine.engine:Engine.search"),
    ("engine: doc table", "search.engine.doctable:doc_table"),
    ("query parsing and translation", "search.query.builder:QueryBuilder.build"),
    ("  of which translation", "search.query.translation:add_translation"),
    ("did-you-mean", "search.engine.engine:_did_you_mean"),
    ("engine: compile", "search.query:compile"),
    ("order: tiers and counts", "search.engine.results:Ranker.order"),
    ("scoring (top k, dense)", "search.engine.evaluate:Evaluator.top"),
    ("scoring (run: every match)", "search.engine.evaluate:Evaluator.run"),
    ("true counts (word reports)", "search.engine.results:report_words"),
    ("reranks (proximity, coverage)", "search.engine.results:Ranker._rerank"),
    ("facets", "search.engine.results:facets"),
    ("hits: stored fields", "search.engine.evaluate:Evaluator.stored"),
    ("hits: snippets, footnotes", "search.engine.engine:hit_from_stored"),
    ("cards (snippet HTML, footnotes)", "web.pages:_present_hit"),
    ("facet lists (links)", "web.pages:facet_lists"),
    ("views and pager links", "web.pages:_views"),
    ("views and pager links", "web.pages:_pagination"),
    ("template render", "web.pages:render_template"),
    ("JSON", "search.model:SearchResults.to_json"),
    ("JSON", "web.api:jsonify"),
]


class StageClock:
    """Thread-CPU per stage, each stage's own time (nested stages subtracted)."""

    def __init__(self):
        self.own = collections.defaultdict(float)
        self.stack: list[list[float]] = []      # [child time] of each open stage

    def wrap(self, stage: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self.stack.append([0.0])
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.thread_time() - started
                children = self.stack.pop()[0]
                self.own[stage] += spent - children
                if self.stack:
                    self.stack[-1][0] += spent
        return timed

    def install(self) -> None:
        for stage, where in STAGES:
            module_name, attr = where.split(":")
            owner = importlib.import_module(module_name)
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part)
            setattr(owner, name, self.wrap(stage, getattr(owner, name)))


def measure(index: str, rounds: int, stages: bool = False) -> dict:
    from bench.load import request_mix
    from web import create_app

    clock = StageClock() if stages else None
    if clock:
        clock.install()
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
        if n == 1 and clock:
            clock.own.clear()
        for kind, path in mix:
            if kind == "hans":      # the test client keeps cookies: a Cookie header is ignored
                client.set_cookie("script", "hans")
            else:
                client.delete_cookie("script")
            inside[0] = 0.0
            started = time.thread_time()
            status = client.get(path).status_code
            spent = time.thread_time() - started
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            if n:
                total[kind].append(spent * 1000)
                outside[kind].append((spent - inside[0]) * 1000)
    every = [v for vs in total.values() for v in vs]
    every_out = [v for vs in outside.values() for v in vs]
    report = {
        "index": index, "requests": len(every), "load_average": os.getloadavg(),
        "cpu_ms": round(statistics.fmean(every), 2),
        "outside_engine_ms": round(statistics.fmean(every_out), 2),
        "by_kind": {k: {"cpu_ms": round(statistics.fmean(total[k]), 2),
                        "outside_engine_ms": round(statistics.fmean(outside[k]), 2)}
                    for k in total},
    }
    if clock:
        own = {stage: 1000 * s / len(every) for stage, s in clock.own.items()}
        own["WSGI, Flask, test client (the rest)"] = sum(every) / len(every) - sum(own.values())
        report["stages_ms"] = {k: round(v, 3) for k, v in own.items()}
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--rounds", type=int, default=5, help="times through the request mix")
    ap.add_argument("--stages", action="store_true", help="split each request into stages")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    sys.path.append(str(ROOT))       # bench.load; `search` and `web` as PYTHONPATH gives them
    report = measure(args.index, args.rounds, args.stages)
    print(f"{report['requests']} requests: {report['cpu_ms']} ms CPU a request, "
          f"{report['outside_engine_ms']} ms of it outside Engine.search (load average "
          + " ".join(f"{x:.1f}" for x in report["load_average"]) + ")")
    for kind, figures in report["by_kind"].items():
        print(f"  {kind:9s} {figures['cpu_ms']:7.2f} ms, outside {figures['outside_engine_ms']:6.2f}")
    if "stages_ms" in report:
        print("stages, ms a request (own time):")
        for stage, ms in sorted(report["stages_ms"].items(), key=lambda kv: -kv[1]):
            print(f"  {ms:7.3f}  {stage}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
