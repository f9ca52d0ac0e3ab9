#!/usr/bin/env python3
"""The issue's strongest anchor, tuned BM25 (bm25s), reproduced on the *dev* split.

The anchor figures in the engine issue were measured on the held-out split; this script
measures the same configurations on dev, so our dev figures have a like-for-like baseline:

    python3 -m venv /tmp/bvenv && /tmp/bvenv/bin/pip install bm25s numpy scipy \
        jieba opencc-python-reimplemented Whoosh==2.7.4
    /tmp/bvenv/bin/python bench/anchors.py jb 0.9 0.4     # jieba + bigrams + t2s
    /tmp/bvenv/bin/python bench/anchors.py bi 1.2 0.75    # bigrams + English stem/stop

bm25s is not a project dependency (it is only the yardstick), hence its own venv. Tokens come
from our analyzers (`search.analysis`): folded (t2s) jieba words with sub-words and/or CJK
bigrams, English Porter stems without stop words; scoring is bm25s's Lucene BM25.
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"

import bm25s  # noqa: E402
import numpy as np  # noqa: E402

from search.analysis import GramAnalyzer, WordAnalyzer  # noqa: E402

WORDS, GRAMS = WordAnalyzer(), GramAnalyzer()


def tokens(text, mode):
    cjk_grams = [t.text for t in GRAMS(text) if not t.text.isascii()]
    if mode == "jb":
        return [t.text for t in WORDS(text)] + cjk_grams
    return cjk_grams + [t.text for t in WORDS(text) if t.text.isascii()]


def main():
    mode, k1, b = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    docs = [json.loads(line) for line in open(EVAL / "corpus.jsonl", encoding="utf-8")]
    ids = [d["id"] for d in docs]
    retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
    retriever.index([tokens(d["text"], mode) for d in docs], show_progress=False)
    for name in ("drcd-t", "drcd-s", "cmrc-s", "squad", "cran"):
        queries = [json.loads(line) for line in
                   open(EVAL / f"queries-dev-{name}.jsonl", encoding="utf-8")]
        relevant = defaultdict(set)
        for line in open(EVAL / f"qrels-dev-{name}.tsv", encoding="utf-8"):
            parts = line.split()
            if parts[-1] != "0":
                relevant[parts[0]].add(parts[-2] if len(parts) == 4 else parts[1])
        mrr = 0.0
        for q in queries:
            toks = [t for t in tokens(q["text"], mode) if t in retriever.vocab_dict]
            if not toks:
                continue
            best = np.argsort(-retriever.get_scores(toks))[:10]
            for rank, j in enumerate(best):
                if ids[j] in relevant[q["id"]]:
                    mrr += 1 / (rank + 1)
                    break
        print(f"{mode} k1={k1} b={b} {name} MRR@10 {mrr / len(queries):.4f}", flush=True)


if __name__ == "__main__":
    main()
