#!/usr/bin/env python3
"""Memory of the indexer's work that should depend on the change and the buffers, not on
the corpus: a one-article update at several index sizes, and reading one huge `.jsonl`
against the same lines in several files (issue 17).

    .venv/bin/python bench/update_memory.py update CORPUS_DIR INDEX_DIR [CORPUS_DIR INDEX_DIR ...]
    .venv/bin/python bench/update_memory.py ingest CORPUS [CORPUS ...]
    ... --code DIR      run another checkout's `search` (PYTHONPATH=DIR): before/after

`update`: `bench.speed.timed_update` on each built index (a one-passage `.jsonl` added by
`defsearch index`, then deleted again): peak PSS of the process tree (smaps_rollup, every
0.1 s), wall and CPU seconds, the phases. `ingest`: `update_index(CORPUS, fresh index)` in
a subprocess, stopped by its progress callback at the first document analysed: the peak
PSS of reading the corpus (ingest, mining the names, loading the analyzers), which for a
corpus of one file is where holding that file would show. Prints JSON lines.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import load_average, log  # noqa: E402
from bench.speed import _timed_run, timed_update  # noqa: E402

_READ_ONLY = """
import os, sys, time
sys.path[:0] = [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]  # before cwd
from search.index.update import update_index
started, cpu = time.perf_counter(), time.process_time()
def stop(done, total):
    print("read", round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2),
          flush=True)
    raise SystemExit(0)
update_index(sys.argv[1], sys.argv[2], progress=stop)
"""


def timed_read(corpus: Path, env: dict | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-read-"))
    try:
        seconds, peak, output, cpu = _timed_run(
            [sys.executable, "-c", _READ_ONLY, str(corpus), str(work / "index")], env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    line = next((ln for ln in output.splitlines() if ln.startswith("read ")), "read - -")
    files = len(list(corpus.glob("*.jsonl"))) if corpus.is_dir() else 1
    return {"corpus": str(corpus), "files": files, "peak_pss_mib": round(peak / 1024),
            "wall_s_to_first_document": line.split()[1], "cpu_s_to_first_document":
            line.split()[2], "process_cpu_s": round(cpu, 1), "load": load_average()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("update", "ingest"))
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--code", type=Path, help="a checkout whose `search` to run")
    args = ap.parse_args()
    env = None
    if args.code:
        env = dict(os.environ, PYTHONPATH=str(args.code.resolve()))
    if args.what == "update":
        if len(args.paths) % 2:
            ap.error("update takes CORPUS_DIR INDEX_DIR pairs")
        for corpus, index_dir in zip(args.paths[::2], args.paths[1::2]):
            row = timed_update(corpus, index_dir, env)
            row.pop("output", None)
            print(json.dumps({"corpus": str(corpus), "index": str(index_dir), **row},
                             ensure_ascii=False), flush=True)
    else:
        for corpus in args.paths:
            print(json.dumps(timed_read(corpus, env), ensure_ascii=False), flush=True)
    log("load average", load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
