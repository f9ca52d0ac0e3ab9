"""Analysis speed alone: chars/s of WordAnalyzer and GramAnalyzer on eval-pool passages.

Indexing runs every passage through both analyzers (body without positions, grams with
positions, as `search.index.writer` calls them); this times exactly those two calls, without
Whoosh, so a change to the analysis pipeline shows up undiluted. Best of `--repeat` runs
(other processes share the cores); jieba's dictionary is loaded before timing.

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


def sample(n: int) -> list[str]:
    """`n` passages spread evenly over the pool (it is grouped by source: zh, then en)."""
    texts = [item["text"] for item in read_jsonl(POOL)]
    step = len(texts) / n
    return [texts[int(i * step)] for i in range(min(n, len(texts)))]


def best_seconds(run, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - started)
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

    w = best_seconds(run_words, texts, args.repeat)
    g = best_seconds(run_grams, texts, args.repeat)
    print(f"{len(texts)} passages, {chars} chars, best of {args.repeat}")
    print(f"WordAnalyzer  {chars / w:>10,.0f} chars/s")
    print(f"GramAnalyzer  {chars / g:>10,.0f} chars/s")
    print(f"both          {chars / (w + g):>10,.0f} chars/s")


if __name__ == "__main__":
    main()
