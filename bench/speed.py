#!/usr/bin/env python3
"""Speed: indexing throughput and peak memory, query latency, cold start of the CLI.

    .venv/bin/python bench/speed.py [--sizes pool,100000] [--queries 300] [--reuse]
    .venv/bin/python bench/speed.py --sizes 100000 --reuse --facets-only   # issue 13's row

Per size (the eval pool, 8,571 lines; 100,000 passages = the pool repeated with new ids):
  * `defsearch index --corpus FILE --index DIR --rebuild` in a subprocess: wall time, chars
    of passage text per second, peak memory of the process tree (sum of PSS, sampled every 0.1 s);
  * in-process `Engine.search(q, limit=10)` (snippets, footnotes, true counts and word
    notices included) after a warm-up: p50/p95 for 1-4-word keyword queries (drawn from
    passages with a fixed seed), the same with `facets=True` (as the page and the API ask),
    for question queries (the dev query sets, evenly) and for cross-language questions (the
    xling dev sets xq-en2zh and xq-zh2en, half each; every search translates the query);
and `defsearch search QUERY --index DIR` cold (new process) on the bundled corpus (corpus/).
Writes bench/out/speed.json and prints a Markdown table for docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import (EVAL, OUT, POOL, ROOT, SETS, big_corpus, load_average, log,  # noqa
                          read_jsonl, summary)

DEFSEARCH = str(ROOT / ".venv" / "bin" / "defsearch")


def tree_rss_kib(pid: int) -> int:
    """Proportional set size of `pid` and all its descendants (KiB), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:     # Pss: shared pages (forked workers, page cache of the jieba dict) counted once
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def timed_index(corpus: Path, index_dir: Path) -> dict:
    cmd = [DEFSEARCH, "index", "--corpus", str(corpus), "--index", str(index_dir), "--rebuild"]
    log("$", " ".join(cmd))
    peak = [0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"indexing failed:\n{output}")
    chars = sum(len(item.get("text", "")) for item in read_jsonl(corpus))
    lines = sum(1 for _ in corpus.open(encoding="utf-8"))
    return {"command": " ".join(cmd), "passages": lines, "chars": chars,
            "seconds": round(seconds, 1), "chars_per_s": round(chars / seconds),
            "peak_rss_mib": round(peak[0] / 1024), "load": load_average(),
            "output": output.strip().splitlines()[-2:]}


def keyword_queries(n: int, seed: int = 7, texts: list[str] | None = None) -> list[str]:
    """n keyword queries of 1-4 consecutive words (2-4 Chinese characters or 4+ Latin
    letters) of passages drawn with a fixed seed from `texts` (default: the eval pool)."""
    from search.analysis import WordAnalyzer

    rng = random.Random(seed)
    texts = texts if texts is not None else [item["text"] for item in read_jsonl(POOL)]
    words_an = WordAnalyzer()
    out = []
    while len(out) < n:
        text = rng.choice(texts)
        words = []
        last = None
        for t in words_an(text, chars=True, positions=True):
            if t.pos == last:               # a sub-word of the previous word
                continue
            last = t.pos
            surface = text[t.startchar:t.endchar]
            if (re.fullmatch(r"[\u4e00-\u9fff]{2,4}", surface)
                    or re.fullmatch(r"[A-Za-z]{4,}", surface)):
                words.append(surface)
        if not words:
            continue
        k = rng.randint(1, min(4, len(words)))
        start = rng.randrange(0, len(words) - k + 1)
        out.append(" ".join(dict.fromkeys(words[start:start + k])))
    return out


def question_queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    per = max(1, n // len(SETS))
    out = []
    for name in SETS:
        items = read_jsonl(EVAL / f"queries-dev-{name}.jsonl")
        out.extend(item["text"] for item in rng.sample(items, min(per, len(items))))
    return out


def cross_language_queries(n: int, seed: int = 13) -> list[str]:
    """n questions of the cross-language dev sets (English questions with a Chinese answer,
    Chinese ones with an English answer), half each: what query translation costs."""
    rng = random.Random(seed)
    out = []
    for name in ("xq-en2zh", "xq-zh2en"):
        items = read_jsonl(EVAL / "xling" / f"queries-dev-{name}.jsonl")
        out.extend(item["text"] for item in rng.sample(items, min(n // 2, len(items))))
    return out


def latency(index_dir: Path, queries: list[str], **options) -> dict:
    """In-process `Engine.search(q, limit=10, **options)` after a 10-query warm-up (every
    search has the true counts and word notices; `facets=True` adds the facets of the whole
    result set, as the web page and the API ask)."""
    from search.engine.engine import Engine

    engine = Engine(index_dir)
    for q in queries[:10]:                 # warm-up: jieba, length norms, OS cache, doc table
        engine.search(q, **options)
    ms, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        engine.search(q, limit=10, **options)
        ms.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    # CPU time too: on a shared machine the wall time also counts waiting for a core
    cpu_summary = summary(cpu)
    return {**summary(ms), "cpu_p50_ms": cpu_summary["p50_ms"],
            "cpu_p95_ms": cpu_summary["p95_ms"]}


def cold_start(index_dir: Path, query: str, runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([DEFSEARCH, "search", query, "--index", str(index_dir)], cwd=ROOT,
                       check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return {"query": query, **summary(times)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="pool,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--reuse", action="store_true", help="keep existing indexes (no timing)")
    ap.add_argument("--facets-only", action="store_true",
                    help="only the keyword rows, with and without facets (issue 13)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"load_at_start": load_average(), "cpus": os.cpu_count(), "sizes": {}}
    keywords = keyword_queries(args.queries)
    questions = question_queries(args.queries)
    crossing = cross_language_queries(args.queries)
    for size in [s for s in args.sizes.split(",") if s]:
        corpus = POOL if size == "pool" else big_corpus(int(size))
        index_dir = OUT / f"speed-index-{size}"
        row = {}
        if not (args.reuse and index_dir.exists()):
            row["index"] = timed_index(corpus, index_dir)
            log(size, json.dumps(row["index"]))
        row["keyword"] = latency(index_dir, keywords)
        row["keyword_facets"] = latency(index_dir, keywords, facets=True)
        if not args.facets_only:
            row["question"] = latency(index_dir, questions)
            row["cross_language"] = latency(index_dir, crossing)
        row["load"] = load_average()
        log(size, json.dumps({k: row[k] for k in ("keyword", "keyword_facets", "question",
                                                  "cross_language", "load") if k in row}))
        report["sizes"][size] = row
    if args.facets_only:
        (OUT / "speed-facets.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print("| size | keyword p50/p95 ms (true counts) | keyword + facets p50/p95 ms | "
              "CPU ms p50/p95, + facets |")
        print("|---|---|---|---|")
        for size, row in report["sizes"].items():
            k, f = row["keyword"], row["keyword_facets"]
            print(f"| {size} | {k['p50_ms']} / {k['p95_ms']} | {f['p50_ms']} / {f['p95_ms']} "
                  f"| {f['cpu_p50_ms']} / {f['cpu_p95_ms']} |")
        return 0
    bundled = OUT / "speed-index-corpus"
    subprocess.run([DEFSEARCH, "index", "--corpus", str(ROOT / "corpus"), "--index",
                    str(bundled)], cwd=ROOT, check=True, capture_output=True)
    report["cold"] = [cold_start(bundled, q) for q in ("中俄軍事合作", "missile defense")]
    log("cold", json.dumps(report["cold"]))
    report["load_at_end"] = load_average()
    (OUT / "speed.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))

    print("| size | passages | index s | chars/s | peak RSS MiB | keyword p50/p95 ms "
          "| keyword + facets p50/p95 ms | question p50/p95 ms | cross-language p50/p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for size, row in report["sizes"].items():
        ix = row.get("index", {})
        print(f"| {size} | {ix.get('passages', '')} | {ix.get('seconds', '')} | "
              f"{ix.get('chars_per_s', '')} | {ix.get('peak_rss_mib', '')} | "
              f"{row['keyword']['p50_ms']} / {row['keyword']['p95_ms']} | "
              f"{row['keyword_facets']['p50_ms']} / {row['keyword_facets']['p95_ms']} | "
              f"{row.get('question', {}).get('p50_ms', '')} / {row.get('question', {}).get('p95_ms', '')} | "
              f"{row.get('cross_language', {}).get('p50_ms', '')} / "
              f"{row.get('cross_language', {}).get('p95_ms', '')} |")
    for c in report["cold"]:
        print(f"cold `defsearch search {c['query']!r}`: p50 {c['p50_ms']} ms "
              f"(min of {c['n']}: {c['p50_ms']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
