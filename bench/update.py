#!/usr/bin/env python3
"""Incremental updates: their cost, and whether they answer as a fresh build does.

    .venv/bin/python bench/update.py [--per-file 100] [--queries 250] [--steps 3]

The eval pool (8,571 passages) is split into .jsonl files of `--per-file` lines and built
fresh. Then, `--steps` times: one file changed (one line's text edited), timed; one file
deleted, timed; and after each step the `--queries` dev questions (the five sets, evenly)
ranked by the updated index and by a fresh build of the same files: a query differs when
its top-30 passage ids, their order, or a score (beyond 1e-6) differ. Updates run
in-process after the fresh build (jieba already loaded), as `defsearch index` does after
its start-up; CPU seconds are this process's (the machine is shared). Writes
bench/out/update.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, POOL, SETS, log, read_jsonl  # noqa: E402

from search.index.update import update_index  # noqa: E402
from search.engine.engine import Engine  # noqa: E402


def split_pool(dest: Path, per_file: int) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    lines = POOL.read_text(encoding="utf-8").splitlines()
    paths = []
    for n in range(0, len(lines), per_file):
        path = dest / f"pool-{n // per_file:04d}.jsonl"
        path.write_text("\n".join(lines[n:n + per_file]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def queries(n: int) -> list[str]:
    per_set = max(1, n // len(SETS))
    out = []
    for name in SETS:
        out += [q["text"] for q in read_jsonl(EVAL / f"queries-dev-{name}.jsonl")[:per_set]]
    return out


def rankings(index_dir: Path, texts: list[str]) -> list:
    engine = Engine(index_dir)
    try:
        return [engine.rank(q, limit=30) for q in texts]
    finally:
        engine.close()


def differing(updated: list, fresh: list) -> int:
    bad = 0
    for got, want in zip(updated, fresh):
        if [p for p, _ in got] != [p for p, _ in want] or any(
                abs(a - b) > 1e-6 for (_, a), (_, b) in zip(got, want)):
            bad += 1
    return bad


def timed(corpus: Path, index_dir: Path) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    report = update_index(corpus, index_dir)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if report.rebuilt:
        raise SystemExit(f"the update rebuilt everything ({report.reason}): not measured")
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "changed": len(report.changed),
            "deleted": len(report.deleted), "indexed_passages": report.indexed_passages,
            "phases": report.timings}


def _without_names(index_dir: Path, paths: list[Path], start: int) -> Path:
    """A file (from position `start` on) that adds no name to the mined lexicon: deleting
    one that does re-analyses everything, which is not the update measured here."""
    from search.index.manifest import current_generation, read_manifest

    files = read_manifest(current_generation(index_dir)).files
    order = paths[start % len(paths):] + paths[:start % len(paths)]
    return next((p for p in order if not files[p.name].names), order[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--queries", type=int, default=250)
    ap.add_argument("--steps", type=int, default=3)
    args = ap.parse_args()
    texts = queries(args.queries)
    work = Path(tempfile.mkdtemp(prefix="bench-update-"))
    try:
        corpus = work / "corpus"
        paths = split_pool(corpus, args.per_file)
        index_dir = work / "index"
        started = time.perf_counter()
        update_index(corpus, index_dir)
        result = {"files": len(paths), "per_file": args.per_file, "queries": len(texts),
                  "fresh_build_seconds": round(time.perf_counter() - started, 2), "steps": []}
        log(f"{len(paths)} files, fresh build {result['fresh_build_seconds']} s")
        for step in range(args.steps):
            victim = paths[(7 * step + 3) % len(paths)]
            lines = victim.read_text(encoding="utf-8").splitlines()
            item = json.loads(lines[0])
            item["text"] += f" Revised in step {step}."
            lines[0] = json.dumps(item, ensure_ascii=False)
            victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
            change = timed(corpus, index_dir)
            gone = _without_names(index_dir, paths, 11 * step + 5)
            paths.remove(gone)
            gone.unlink()
            delete = timed(corpus, index_dir)
            fresh = work / "fresh"
            update_index(corpus, fresh, rebuild=True)
            bad = differing(rankings(index_dir, texts), rankings(fresh, texts))
            shutil.rmtree(fresh)
            result["steps"].append({"change_1_file": change, "delete_1_file": delete,
                                    "queries_differing_from_fresh": bad})
            log(f"step {step + 1}: change {change['seconds']} s ({change['cpu_seconds']} s CPU), "
                f"delete {delete['seconds']} s ({delete['cpu_seconds']} s CPU),"
                f" {bad}/{len(texts)} queries rank differently from a fresh build")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "update.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
