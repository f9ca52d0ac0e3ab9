#!/usr/bin/env python3
"""Measure the encoder's language means (search/data/e5-language-means.npy) on the eval pool.

    .venv/bin/python bench/language_means.py [--cache PATH]

Embeds (or reads from the vector cache PATH, default bench/out/semantic.sqlite) every passage
of ../shared/eval/xling/corpus.jsonl and ../shared/eval/corpus.jsonl (8,692 distinct texts,
Chinese and English; no query or judgement read) and writes four rows, the constants
search.semantic.language subtracts: the mean Chinese passage, the mean English passage, and
the mean Chinese and English query, from pseudo-queries (the first sentence, up to 80
characters, of 400 passages of each language of the cross-language pool, in a fixed random
order). A passage is Chinese when most of its letters are (`language.chinese_share`).
Embedding the pool from nothing takes ~40 min on two idle cores.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, log  # noqa: E402
from search.semantic import encoder, language  # noqa: E402
from search.semantic.store import VectorCache, key  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=str(OUT / "semantic.sqlite"))
    args = ap.parse_args(argv)
    texts: dict[str, tuple[str, str]] = {}
    for path in (EVAL / "xling" / "corpus.jsonl", EVAL / "corpus.jsonl"):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            text = encoder.passage_text(row.get("title", ""), row["text"])
            lang = "zh" if language.chinese_share(row["text"]) >= 0.5 else "en"
            texts[key(text)] = (text, lang)
    OUT.mkdir(parents=True, exist_ok=True)
    cache = VectorCache(args.cache)
    have = cache.get(list(texts))
    todo = [k for k in texts if k not in have]
    log(f"{len(texts)} passages, {len(todo)} to embed")
    for i in range(0, len(todo), encoder.BATCH):
        batch = todo[i:i + encoder.BATCH]
        vecs = encoder.passages([texts[k][0] for k in batch])
        cache.put(list(zip(batch, vecs)))
        have.update(zip(batch, vecs))
        if i % 800 == 0:
            log(f"embedded {i + len(batch)}/{len(todo)}")
    means = []
    for lang in ("zh", "en"):
        rows = np.stack([have[k] for k, (_, lg) in texts.items() if lg == lang])
        means.append(rows.mean(0))
        log(f"{lang}: {len(rows)} passages")
    for lang, queries in pseudo_queries().items():
        means.append(encoder.queries(queries).mean(0))
        log(f"{lang}: {len(queries)} pseudo-queries, e.g. {queries[0]!r}")
    np.save(language.MEANS, np.stack(means).astype(np.float32))
    log(f"wrote {language.MEANS}")
    return 0


def pseudo_queries(per_language: int = 400) -> dict[str, list[str]]:
    import random
    import re

    rows = [json.loads(line) for line in
            (EVAL / "xling" / "corpus.jsonl").open(encoding="utf-8")]
    random.Random(11).shuffle(rows)
    out: dict[str, list[str]] = {"zh": [], "en": []}
    for row in rows:
        lang = "zh" if language.chinese_share(row["text"]) >= 0.5 else "en"
        first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", row["text"].strip())[0].strip()
        if len(first) >= 8 and len(out[lang]) < per_language:
            out[lang].append(first[:80])
    return out


if __name__ == "__main__":
    sys.exit(main())
