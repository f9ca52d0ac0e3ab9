"""Small per-call costs every query or update pays, timed (they were once timed tests).

- glossary `expansions(word)` per call, and `find_terms(query)` per call, on the seeds'
  glossary (what the query builder asks for each word and each query);
- the cross-Strait table's first build and a later call, in a fresh process (the first
  query that needs it pays the build; the table must not load jieba);
- reading a `.jsonl` of 20,000 lines (2,000 articles) with `iter_articles`.

Best of `--repeat` runs, since other processes share the cores.

    .venv/bin/python bench/lookup_costs.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.glossary import Glossary  # noqa: E402
from search.ingest import ingest_path, iter_articles  # noqa: E402

WORDS = ["Lavrov", "信心建立措施", "CBMs", "导弹", "nothing", "中國", "Putin"]
QUERY = "What did Sergey Lavrov say about confidence-building measures 信心建立措施"
TABLE = ("import time, sys; import search.glossary.cross_strait as c; "
         "t = time.perf_counter(); c.table(); d = time.perf_counter() - t; "
         "t = time.perf_counter(); c.table(); print(d, time.perf_counter() - t, "
         "'jieba' in sys.modules)")


def best(run, repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        out = min(out, time.perf_counter() - started)
    return out


def seeds_glossary(tmp: Path) -> Glossary:
    Glossary.build(ingest_path(ROOT / "corpus").articles).save(tmp)
    return Glossary.load(tmp)


def jsonl_file(tmp: Path) -> Path:
    text = "解放軍在臺海周邊舉行聯合演習，美國國防部表示密切關注。" * 20
    path = tmp / "big.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"d{i}", "title": f"doc {i // 10}",
                                          "text": text}, ensure_ascii=False)
                              for i in range(20000)), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        glossary = seeds_glossary(tmp)
        glossary.expansions("导弹")            # the cross-Strait table, built once
        n = 2000
        expand = best(lambda: [glossary.expansions(w) for _ in range(n) for w in WORDS],
                      args.repeat) / (n * len(WORDS))
        find = best(lambda: [glossary.find_terms(QUERY) for _ in range(200)], args.repeat) / 200
        firsts, laters = [], []
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, "-c", TABLE], capture_output=True, text=True,
                                 check=True, cwd=ROOT).stdout.split()
            firsts.append(float(out[0]))
            laters.append(float(out[1]))
            jieba = out[2]
        path = jsonl_file(tmp)
        read = best(lambda: list(iter_articles(path)), args.repeat)
    print(f"glossary expansions(word): {expand * 1e6:.1f} µs per call")
    print(f"glossary find_terms(query): {find * 1e6:.0f} µs per call")
    print(f"cross-Strait table: first call {min(firsts) * 1000:.0f} ms, later "
          f"{min(laters) * 1e6:.1f} µs; jieba loaded: {jieba}")
    print(f"jsonl of 20,000 lines: {read:.2f} s ({20000 / read:,.0f} passages/s)")


if __name__ == "__main__":
    main()
