"""Shared helpers for the benchmarks: eval paths, the 100k-passage corpus, timing."""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("DEFSEARCH_EVAL", ROOT.parent / "shared" / "eval"))
POOL = EVAL / "corpus.jsonl"
OUT = ROOT / "bench" / "out"
SETS = ("drcd-t", "drcd-s", "cmrc-s", "squad", "cran")


def _pool_lines(n: int):
    """The first `n` lines of the eval pool repeated with new ids (`r2:drcd:1147-5`...)."""
    lines = [json.loads(line) for line in POOL.open(encoding="utf-8")]
    written, copy = 0, 0
    while written < n:
        for item in lines:
            if written == n:
                return
            if copy:
                item = dict(item, id=f"r{copy}:{item['id']}")
            yield json.dumps(item, ensure_ascii=False) + "\n"
            written += 1
        copy += 1


def big_corpus(n: int = 100_000, path: Path | None = None) -> Path:
    """The eval pool repeated with new ids (`r2:drcd:1147-5`...) up to `n` passages."""
    path = path or OUT / f"pool-{n}.jsonl"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.writelines(_pool_lines(n))
    tmp.replace(path)
    return path


PER_FILE = 10_000


def big_corpus_dir(n: int, per_file: int = PER_FILE) -> Path:
    """`big_corpus(n)` as a folder of .jsonl files of `per_file` lines (part-0000.jsonl...),
    as a corpus of many files is: the indexer's memory is bounded per file (a file's
    articles are held while it is read; lines sharing a title become one article)."""
    path = OUT / f"pool-{n}-by-{per_file}"
    if path.is_dir():
        return path
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        import shutil
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    out, count, part = None, 0, 0
    for line in _pool_lines(n):
        if out is None or count == per_file:
            if out is not None:
                out.close()
            out = (tmp / f"part-{part:04d}.jsonl").open("w", encoding="utf-8")
            part, count = part + 1, 0
        out.write(line)
        count += 1
    if out is not None:
        out.close()
    tmp.rename(path)
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).open(encoding="utf-8") if line.strip()]


def percentile(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summary(ms: list[float]) -> dict:
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2),
            "p95_ms": round(percentile(ms, 95), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def peak_rss_mib(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)
