#!/usr/bin/env python3
"""Scale figures for both backends in one run: the eval pool repeated to N passages.

    .venv/bin/python bench/scale.py --passages 100000 [--opensearch URL] [--skip-whoosh]

Without --opensearch it starts its own 3-node cluster (scripts/opensearch-cluster, under
bench/out/scale-cluster) and stops it at the end. For each backend:
- indexing: wall seconds, passages/s, and the CPU seconds it took (this process and its
  workers; for OpenSearch also the nodes' JVMs): on a shared machine the wall figures
  follow the other sessions' load, the CPU seconds much less;
- peak memory: PSS of the process tree (this process, its workers, and for OpenSearch the
  three nodes), sampled every second through the build and the searches;
- p50/p95 of keyword and question searches with snippets, one client (dev queries of
  drcd-t and squad: the short ones as keyword queries, the long ones as questions); for
  OpenSearch also what the `_msearch` of counts (word reports, the every-word count) costs
  per search: its requests and their milliseconds;
- the web page under 50 clients: `defsearch serve` (2 server processes, --cache 0: every
  request searches) driven by bench/load.py's clients and request mix for --load-seconds.
The corpus is bench.common.big_corpus_dir (files of 10,000 lines, as a real corpus of
many files). Prints a table, writes bench/out/scale-N.json (or --out).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, ROOT, big_corpus_dir, load_average, log, read_jsonl, \
    summary  # noqa: E402

SCRIPT = ROOT / "scripts" / "opensearch-cluster"
CLIENTS = 50


def queries(n: int) -> dict[str, list[str]]:
    texts = [q["text"] for name in ("drcd-t", "squad")
             for q in read_jsonl(EVAL / f"queries-dev-{name}.jsonl")]
    keyword = [t for t in texts if len(t) <= 12][:n]
    question = [t for t in texts if len(t) > 12][:n]
    return {"keyword": keyword, "question": question}


# -- process tree figures (Linux /proc) ---------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def tree(roots) -> list[int]:
    seen, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo += _children(pid)
    return seen


def pss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_s(pids) -> float:
    """utime + stime of `pids` (and of their waited-for children), seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])
        except (OSError, IndexError):
            pass
    return total / tick


class PeakPss:
    """Peak PSS of the trees under `roots`, sampled every second in a thread."""

    def __init__(self, roots):
        self.roots, self.peak, self._stop = list(roots), 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, pss_mib(tree(self.roots)))
            self._stop.wait(1.0)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak)


# -- one backend --------------------------------------------------------------------------

def timed_searches(engine, texts) -> dict:
    ms = []
    for text in texts:
        t = time.perf_counter()
        engine.search(text, limit=10)
        ms.append((time.perf_counter() - t) * 1000)
    return summary(ms)


def measured(build, open_engine, qs: dict, nodes=()) -> dict:
    """Time `build()` (an index report), then each query kind on `open_engine()` after one
    warm-up search; peak PSS over both, of this process's tree and the `nodes`."""
    sampler = PeakPss([os.getpid(), *nodes])
    cpu0 = os.times()
    nodes0 = cpu_s(nodes)
    t = time.perf_counter()
    report = build()
    seconds = time.perf_counter() - t
    cpu1 = os.times()
    own = (cpu1.user + cpu1.system + cpu1.children_user + cpu1.children_system
           - cpu0.user - cpu0.system - cpu0.children_user - cpu0.children_system)
    out = {"passages": report.passages, "index_s": round(seconds, 1),
           "passages_per_s": round(report.passages / seconds),
           "index_cpu_s": round(own, 1), "nodes_cpu_s": round(cpu_s(nodes) - nodes0, 1),
           "load_after_build": load_average()}
    engine = open_engine()
    for kind, texts in qs.items():
        engine.search(texts[0])         # warm
        out[kind] = timed_searches(engine, texts)
    counts = getattr(engine, "count_ms", None)
    if counts is not None:
        out["count_msearch"] = {"searches": sum(len(v) for v in qs.values()),
                                "requests": len(counts), **summary(counts)}
    out["peak_pss_mib"] = sampler.stop()
    return out


def web_load(extra: list[str], corpus: Path, seconds: float, env=None) -> dict:
    """p50/p95 of the web page under CLIENTS clients (bench/load.py's mix), one run."""
    from bench import load

    port = load.free_port()
    cmd = load.defsearch_cmd() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                  "--corpus", str(corpus), "--cache", "0", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    try:
        load.wait_ready(port, proc, timeout=900)
        mix = load.request_mix()
        for _kind, path in mix:
            load.client_once(port, path)
        samples: list = []
        started = time.monotonic()
        load.run_clients(port, mix, CLIENTS, seconds, 0.0, samples, seed=0)
        figures = load.summarise(samples, time.monotonic() - started)
    finally:
        load.stop_server(proc)
    return {k: figures[k] for k in ("requests", "rps", "errors", "p50_ms", "p95_ms")}


def run_whoosh(corpus: Path, qs: dict, load_s: float) -> dict:
    from search.engine.engine import Engine
    from search.index.update import update_index

    index_dir = OUT / "scale-whoosh-index"
    row = measured(lambda: update_index(corpus, index_dir, rebuild=True),
                   lambda: Engine(index_dir), qs)
    row["web"] = web_load(["--index", str(index_dir)], corpus, load_s)
    return row


def run_opensearch(corpus: Path, qs: dict, config, url: str, pids, load_s: float) -> dict:
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import update_cluster

    class Counted(OpenSearchEngine):
        """The engine, with the time of each `_msearch` of counts kept (measurement)."""
        count_ms: list

        def count(self, live, counts):
            t = time.perf_counter()
            asked = len([k for k in counts.wanted if k not in counts.got])
            super().count(live, counts)
            if asked:
                self.count_ms.append((time.perf_counter() - t) * 1000)

    def engine():
        e = Counted(config)
        e.count_ms = []
        return e

    row = measured(lambda: update_cluster(corpus, config, rebuild=True), engine, qs,
                   nodes=pids)
    row["web"] = web_load(["--backend", "opensearch", "--opensearch", url], corpus, load_s,
                          env={"DEFSEARCH_OPENSEARCH_INDEX": config.index})
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--load-seconds", type=float, default=30.0)
    ap.add_argument("--opensearch", default=None, help="an existing cluster's URL(s)")
    ap.add_argument("--skip-whoosh", action="store_true")
    ap.add_argument("--skip-opensearch", action="store_true")
    ap.add_argument("--out", default=None, help="the JSON figures (default "
                    "bench/out/scale-N.json)")
    args = ap.parse_args(argv)
    from search.backends import resolve

    OUT.mkdir(parents=True, exist_ok=True)
    corpus = big_corpus_dir(args.passages)
    qs = queries(args.queries)
    rows = {"load_at_start": load_average()}
    out = Path(args.out) if args.out else OUT / f"scale-{args.passages}.json"

    def save():
        out.write_text(json.dumps({"rows": rows, "passages": args.passages}, indent=1))
    if not args.skip_whoosh:
        log("whoosh ...")
        rows["whoosh"] = run_whoosh(corpus, qs, args.load_seconds)
        log(json.dumps(rows["whoosh"]))
        save()
    if not args.skip_opensearch:
        work = OUT / "scale-cluster"
        pids = []
        if args.opensearch is None:
            started = json.loads(subprocess.run(
                [sys.executable, str(SCRIPT), "start", str(work), "--port", "19600",
                 "--parent", str(os.getpid())],
                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            url, pids = ",".join(started["urls"]), started["pids"]
        else:
            url = args.opensearch
        try:
            config = resolve("opensearch", url, env={"DEFSEARCH_OPENSEARCH_INDEX": "scale"})
            log("opensearch ...")
            rows["opensearch"] = run_opensearch(corpus, qs, config, url, pids,
                                                args.load_seconds)
            log(json.dumps(rows["opensearch"]))
        finally:
            if args.opensearch is None:
                subprocess.run([sys.executable, str(SCRIPT), "stop", str(work)])
    rows["load_at_end"] = load_average()
    save()
    print(f"load average at start {rows['load_at_start']}, at end {rows['load_at_end']}")
    print(f"{'backend':11} {'passages':>9} {'index s':>8} {'pass/s':>7} {'CPU s':>7} "
          f"{'PSS MiB':>8} {'kw p50':>7} {'kw p95':>7} {'q p50':>7} {'q p95':>7} "
          f"{'web p95':>8} {'web rps':>8}")
    for name in ("whoosh", "opensearch"):
        r = rows.get(name)
        if not r:
            continue
        print(f"{name:11} {r['passages']:>9} {r['index_s']:>8} {r['passages_per_s']:>7} "
              f"{r['index_cpu_s'] + r['nodes_cpu_s']:>7.0f} {r['peak_pss_mib']:>8} "
              f"{r['keyword']['p50_ms']:>7} {r['keyword']['p95_ms']:>7} "
              f"{r['question']['p50_ms']:>7} {r['question']['p95_ms']:>7} "
              f"{r['web']['p95_ms']:>8} {r['web']['rps']:>8}")
    c = rows.get("opensearch", {}).get("count_msearch")
    if c:
        print(f"opensearch _msearch of counts: {c['requests']} requests over "
              f"{c['searches']} searches, p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms, "
              f"mean {c['mean_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
