"""Analysis speed alone: chars/s of WordAnalyzer and GramAnalyzer on eval-pool passages.

Indexing runs every passage through both analyzers (body without positions, grams with
positions); this times those two calls, without Whoosh, so a change to the analysis
pipeline shows up undiluted: once through the stages token by token (what a query does)
and once through the indexer's fast path (`search.analysis.index_terms`, what
`search.index.writer` calls). Best of `--repeat` runs (other processes share the cores),
in CPU seconds of this process; jieba's dictionary is loaded before timing.

    .venv/bin/python bench/analysis_speed.py [--passages 2000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import POOL, read_jsonl  # noqa: E402
from search.analysis import GramAnalyzer, WordAnalyzer  # noqa: E402
from search.analysis.index_terms import index_terms  # noqa: E402


def sample(n: int) -> list[str]:
    """`n` passages spread evenly over the pool (it is grouped by source: zh, then en)."""
    texts = [item["text"] for item in read_jsonl(POOL)]
    step = len(texts) / n
    return [texts[int(i * step)] for i in range(min(n, len(texts)))]


def best_seconds(run, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run(texts)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = sample(args.passages)
    chars = sum(len(t) for t in texts)
    words, grams = WordAnalyzer(), GramAnalyzer()
    list(words("中文"))                       # load jieba's dictionary before timing

    def run_words(batch):
        for text in batch:
            for _t in words(text, mode="index"):
                pass

    def run_grams(batch):
        for text in batch:
            for _t in grams(text, positions=True, mode="index"):
                pass

    fast_words, fast_grams = index_terms(words), index_terms(grams)
    fast_words("中文")                        # the jieba-rs twin of the dictionary, built once

    def run_fast_words(batch):
        for text in batch:
            fast_words(text)

    def run_fast_grams(batch):
        for text in batch:
            fast_grams(text)

    print(f"{len(texts)} passages, {chars} chars, best of {args.repeat} (CPU s)")
    print(f"{'':14}{'stages':>12}{'fast path':>12}")
    both = [0.0, 0.0]
    for name, stages, fast in (("WordAnalyzer", run_words, run_fast_words),
                               ("GramAnalyzer", run_grams, run_fast_grams)):
        a = best_seconds(stages, texts, args.repeat)
        b = best_seconds(fast, texts, args.repeat)
        both[0] += a
        both[1] += b
        print(f"{name:14}{chars / a:>12,.0f}{chars / b:>12,.0f} chars/s")
    print(f"{'both':14}{chars / both[0]:>12,.0f}{chars / both[1]:>12,.0f} chars/s")


if __name__ == "__main__":
    main()
