#!/usr/bin/env python3
"""Speed: indexing throughput and peak memory, query latency, cold start of the CLI.

    .venv/bin/python bench/speed.py [--sizes pool,100000] [--queries 300] [--reuse]
    .venv/bin/python bench/speed.py --sizes 100000 --reuse --facets-only   # issue 13's row
    .venv/bin/python bench/speed.py --sizes 20000 --per-file 0 --index-only  # builds only

    .venv/bin/python bench/speed.py --sizes 1000000 --reuse --only keyword,question

Per size (the eval pool, 8,571 lines; 100,000 passages = the pool repeated with new ids, as
a folder of .jsonl files of `--per-file` lines, 10,000 by default; `--per-file 0`: one file):
  * `defsearch index --corpus PATH --index DIR --rebuild` in a subprocess: wall time, chars
    of passage text per second, peak memory of the process tree (sum of PSS, sampled every
    0.1 s), the indexer's own per-phase seconds, and the index's segments;
  * for a folder corpus, an incremental update adding one article (a new one-passage
    `.jsonl` file), `defsearch index` in a subprocess, timed with its start-up, then the
    update that deletes it again (the index ends as the corpus is);
  * in-process `Engine.search(q, limit=10)` (snippets, footnotes, true counts and word
    notices included) after a warm-up: p50/p95 for 1-4-word keyword queries (drawn from
    passages with a fixed seed), the same with `facets=True` (as the page and the API ask),
    for question queries (the dev query sets, evenly) and for cross-language questions (the
    xling dev sets xq-en2zh and xq-zh2en, half each; every search translates the query);
and `defsearch search QUERY --index DIR` cold (new process) on the bundled corpus (corpus/).
Writes bench/out/speed.json and prints a Markdown table for docs/benchmarks.md.

`--only keyword,question` (any of keyword, keyword_facets, question, cross_language): those
latency rows alone, no cold start (bench/out/speed-only.json): for before/after pairs of two
source trees run side by side on a shared machine, where the CPU ms columns compare.
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
from bench.common import (EVAL, OUT, PER_FILE, POOL, ROOT, SETS, big_corpus,  # noqa
                          big_corpus_dir, load_average, log, read_jsonl, summary)

DEFSEARCH = str(ROOT / ".venv" / "bin" / "defsearch")
ROWS = ("keyword", "keyword_facets", "question", "cross_language")


def tree_pss_kib(pid: int) -> int:
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


def _jsonl_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else [corpus]


def _timed_run(cmd: list[str], env: dict | None = None) -> tuple[float, int, str, float]:
    """(wall seconds, peak PSS KiB of the process tree, output, CPU seconds of the tree)
    of `cmd` (in environment `env`, default this one's). CPU seconds too: on a shared
    machine the wall time also counts waiting."""
    import resource

    log("$", " ".join(cmd))
    peak = [0]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_pss_kib(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, peak[0], output, usage.ru_utime + usage.ru_stime - cpu


def _phases(output: str) -> dict:
    """The per-phase seconds `defsearch index` prints ("phases: ingest 1.2 s, ...")."""
    line = next((ln for ln in output.splitlines() if ln.startswith("phases: ")), "")
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"(\w+) ([\d.]+) s", line[len("phases: "):])}


def segments(index_dir: Path) -> int:
    """Segments of the live generation (Whoosh's TOC)."""
    from whoosh import index

    from search.index.manifest import current_generation

    ix = index.open_dir(str(current_generation(index_dir)))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def timed_index(corpus: Path, index_dir: Path) -> dict:
    cmd = [DEFSEARCH, "index", "--corpus", str(corpus), "--index", str(index_dir), "--rebuild"]
    seconds, peak, output, cpu = _timed_run(cmd)
    chars = lines = 0
    for path in _jsonl_files(corpus):
        for item in read_jsonl(path):
            chars += len(item.get("text", ""))
            lines += 1
    return {"command": " ".join(cmd), "files": len(_jsonl_files(corpus)), "passages": lines,
            "chars": chars, "seconds": round(seconds, 1), "chars_per_s": round(chars / seconds),
            # what two cores would do with the CPU time it took (load-independent)
            "cpu_s": round(cpu, 1), "chars_per_s_2_cores": round(2 * chars / cpu),
            "peak_pss_mib": round(peak / 1024), "phases": _phases(output),
            "segments": segments(index_dir), "load": load_average(),
            "output": output.strip().splitlines()[-3:]}


PROBE = "zz-update-probe.jsonl"


def timed_update(corpus: Path, index_dir: Path, env: dict | None = None) -> dict:
    """`defsearch index` after adding one new article (a one-passage English .jsonl file:
    it mines no name, so the lexicon stays and only the new file is analysed), then after
    deleting it again; seconds are wall time of the whole command, start-up included, and
    the peak PSS and CPU seconds of both (`env`: the environment they run in)."""
    line = next(item for item in read_jsonl(POOL) if item["text"].isascii())
    probe = corpus / PROBE
    probe.write_text(json.dumps(dict(line, id="update-probe:1", title="Update probe"),
                                ensure_ascii=False) + "\n", encoding="utf-8")
    cmd = [DEFSEARCH, "index", "--corpus", str(corpus), "--index", str(index_dir)]
    try:
        add_s, add_peak, add_out, add_cpu = _timed_run(cmd, env)
        add_segments = segments(index_dir)
    finally:
        probe.unlink()
    del_s, del_peak, del_out, del_cpu = _timed_run(cmd, env)
    for out in (add_out, del_out):
        if "re-analysed" in out or "rebuilt" in out:
            raise SystemExit(f"the one-article update re-analysed everything:\n{out}")
    return {"command": " ".join(cmd), "add_1_article_s": round(add_s, 2),
            "add_cpu_s": round(add_cpu, 2),
            "add_peak_pss_mib": round(add_peak / 1024), "segments_after_add": add_segments,
            "add_phases": _phases(add_out), "delete_it_s": round(del_s, 2),
            "delete_cpu_s": round(del_cpu, 2), "delete_peak_pss_mib": round(del_peak / 1024),
            "segments_after_delete": segments(index_dir), "load": load_average(),
            "output": add_out.strip().splitlines()[-3:]}


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
    ap.add_argument("--per-file", type=int, default=PER_FILE,
                    help="passages per .jsonl file of the sizes above the pool (0: one file)")
    ap.add_argument("--facets-only", action="store_true",
                    help="only the keyword rows, with and without facets (issue 13)")
    ap.add_argument("--index-only", action="store_true",
                    help="only the index builds: throughput, CPU, peak PSS, phases (issue 17)")

    ap.add_argument("--only", default=None,
                    help="only these latency rows (keyword,keyword_facets,question,"
                         "cross_language), no cold start")
    args = ap.parse_args(argv)
    rows = ROWS if args.only is None else [r for r in args.only.split(",") if r]
    if args.facets_only:
        rows = ["keyword", "keyword_facets"]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        raise SystemExit(f"speed.py: --only takes {', '.join(ROWS)}, not {', '.join(unknown)}")
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = {"load_at_start": load_average(), "cpus": os.cpu_count(), "sizes": {}}
    if not args.index_only:
        keywords = keyword_queries(args.queries)
        questions = question_queries(args.queries)
        crossing = cross_language_queries(args.queries)
    for size in [s for s in args.sizes.split(",") if s]:
        corpus = POOL if size == "pool" else big_corpus(int(size)) if not args.per_file \
            else big_corpus_dir(int(size), args.per_file)
        index_dir = OUT / f"speed-index-{size}"
        row = {}
        if not (args.reuse and index_dir.exists()):
            row["index"] = timed_index(corpus, index_dir)
            log(size, json.dumps(row["index"], ensure_ascii=False))
            if args.index_only:
                report["sizes"][size] = row
                continue
            if corpus.is_dir() and not args.facets_only:
                row["update"] = timed_update(corpus, index_dir)
                log(size, json.dumps(row["update"], ensure_ascii=False))
        runs = {"keyword": (keywords, {}), "keyword_facets": (keywords, {"facets": True}),
                "question": (questions, {}), "cross_language": (crossing, {})}
        for name in rows:
            queries, options = runs[name]
            row[name] = latency(index_dir, queries, **options)
        row["load"] = load_average()
        log(size, json.dumps({k: row[k] for k in ("keyword", "keyword_facets", "question",
                                                  "cross_language", "load") if k in row}))
        report["sizes"][size] = row
    if args.index_only:
        print("| size | files | passages | index wall s (chars/s) | 2 x chars / CPU s | CPU s | "
              "peak PSS MiB | phases s (ingest / names / write / glossary / fsync) | load |")
        print("|---|---|---|---|---|---|---|---|---|")
        for size, row in report["sizes"].items():
            ix = row["index"]
            phases = " / ".join(f"{ix['phases'][k]:.1f}" for k in ("ingest", "names", "write",
                                                                 "glossary", "fsync")
                                if k in ix["phases"])
            print(f"| {size} | {ix['files']} | {ix['passages']} | {ix['seconds']} "
                  f"({ix['chars_per_s']}) | {ix['chars_per_s_2_cores']} | {ix['cpu_s']} | "
                  f"{ix['peak_pss_mib']} | {phases} | {ix['load']} |")
        return 0
    if args.only is not None:
        report["load_at_end"] = load_average()
        (OUT / "speed-only.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print("| size | " + " | ".join(f"{r} p50/p95 ms (CPU p50/p95)" for r in rows) + " |")
        print("|---|" + "---|" * len(rows))
        for size, row in report["sizes"].items():
            print(f"| {size} | " + " | ".join(
                f"{row[r]['p50_ms']} / {row[r]['p95_ms']} ({row[r]['cpu_p50_ms']} / "
                f"{row[r]['cpu_p95_ms']})" for r in rows) + " |")
        print(f"\nload average (1/5/15 min) at start {report['load_at_start']}, at end "
              f"{report['load_at_end']}; {report['cpus']} CPUs")
        return 0
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
    report["seconds"] = round(time.perf_counter() - started)
    (OUT / "speed.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))

    print("| size | files | passages | index s | chars/s (2 cores, from CPU s) | peak PSS MiB | phases s "
          "(ingest / names / write / glossary / fsync) | segments | add 1 article s "
          "(segments after) | delete it s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size, row in report["sizes"].items():
        ix, up = row.get("index", {}), row.get("update", {})
        ph = ix.get("phases", {})
        phases = " / ".join(f"{ph[k]:.1f}" for k in ("ingest", "names", "write", "glossary",
                                                      "fsync") if k in ph)
        print(f"| {size} | {ix.get('files', '')} | {ix.get('passages', '')} | "
              f"{ix.get('seconds', '')} | {ix.get('chars_per_s', '')} "
              f"({ix.get('chars_per_s_2_cores', '')}) | "
              f"{ix.get('peak_pss_mib', '')} | {phases} | {ix.get('segments', '')} | "
              f"{up.get('add_1_article_s', '')} ({up.get('segments_after_add', '')}) | "
              f"{up.get('delete_it_s', '')} |")
    print()
    print("| size | keyword p50/p95 ms | keyword + facets p50/p95 ms | question p50/p95 ms "
          "| cross-language p50/p95 ms |")
    print("|---|---|---|---|---|")
    for size, row in report["sizes"].items():
        print(f"| {size} | "
              f"{row['keyword']['p50_ms']} / {row['keyword']['p95_ms']} | "
              f"{row['keyword_facets']['p50_ms']} / {row['keyword_facets']['p95_ms']} | "
              f"{row.get('question', {}).get('p50_ms', '')} / {row.get('question', {}).get('p95_ms', '')} | "
              f"{row.get('cross_language', {}).get('p50_ms', '')} / "
              f"{row.get('cross_language', {}).get('p95_ms', '')} |")
    print(f"\nload average (1/5/15 min) at start {report['load_at_start']}, at end "
          f"{report['load_at_end']}; {report['cpus']} CPUs; the run took {report['seconds']} s")
    for c in report["cold"]:
        print(f"cold `defsearch search {c['query']!r}`: p50 {c['p50_ms']} ms "
              f"(min of {c['n']}: {c['p50_ms']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
