#!/usr/bin/env python3
"""Ways the meaning vectors could join the word ranking, scored offline on the dev sets.

`bench/quality.py --semantic` measures the product's fusion (search.semantic.fuse) by running
the engine. This scores other rules for combining the same two lists without a run per
rule: each query's word ranking (bench/out/run-SET.trec, written by bench/quality.py on an
index *without* vectors), the passage vectors of the shared cache (bench/out/semantic.sqlite,
filled by `bench/quality.py --semantic`) and each query's vector (embedded here once, kept
in bench/out/qvec-SET.npy). The product's rule scored this way lands within ~0.002 of
`bench/quality.py --semantic` (the engine's word ranking has its first 100 here).

    .venv/bin/python bench/quality.py && .venv/bin/python bench/quality.py --pool xling
    .venv/bin/python bench/fusion_grid.py [--sets cran,squad,xq-en2zh] [--rules product,keep]

Rules (w: a passage's word score / the best one; m: its similarity plus the other-language
bonus, scaled between the 100th nearest and the nearest; a, b: ranking.SEMANTIC_WEIGHT and
SEMANTIC_CROSS of the query's language):
- product: (1 - a) w + a m over the union of both lists (what the engine does);
- keep: the product's ranking decides which ranks go to a passage in the query's other
  language; the query's own language fills the rest in word order (meaning reorders nothing
  within a language);
- keep-gated: keep, with the bonus only when the nearest passage in the query's language is
  less than --gap more similar than the nearest in the other language;
- across: meaning counts only for passages in the other language;
- prf: the query vector plus the mean of the first three word matches' vectors (dense
  pseudo-relevance feedback), then the product's rule.
A line per set and rule: MRR@10 all (odd / even half), and "!" where the rule fails issue
11's bar (cross-language sets >= 0.45 on both halves; every other set within 0.003 of its
word ranking).
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, SETS, read_jsonl  # noqa: E402
from search import ranking  # noqa: E402
from search.semantic import encoder, language, store  # noqa: E402

XLING = EVAL / "xling"
CROSS_SETS = ("xq-en2zh", "xq-zh2en")
QUERY_LANG = {"drcd-t": "zh", "drcd-s": "zh", "cmrc-s": "zh", "squad": "en", "cran": "en",
              "xq-en2zh": "en", "xq-zh2en": "zh", "xq-zh2zh": "zh", "xq-en2en": "en"}
ZH_SOURCES = ("drcd", "cmrc", "xq", "nlpcc")
RULES = ("product", "keep", "keep-gated", "across", "prf")


def lang_of(pid: str) -> str:
    return "zh" if pid.split(":")[0] in ZH_SOURCES else "en"


def pool(path: Path, cache: store.VectorCache):
    """(ids, centred unit vectors, is-Chinese) of the pool's passages the cache holds."""
    rows = read_jsonl(path)
    keys = [store.key(encoder.passage_text(r.get("title", ""), r["text"])) for r in rows]
    found = cache.get(keys)
    have = [i for i, k in enumerate(keys) if k in found]
    if len(have) < len(rows):
        print(f"{path}: {len(rows) - len(have)} of {len(rows)} passages have no vector "
              "(run bench/quality.py --semantic first)", file=sys.stderr)
    ids = [rows[i]["id"] for i in have]
    zh = np.array([lang_of(p) == "zh" for p in ids])
    vecs = np.stack([found[keys[i]] for i in have])
    return ids, language.center_passages(vecs, ["zh" if z else "en" for z in zh]), zh


def query_vectors(name: str, queries: list[dict]) -> np.ndarray:
    path = OUT / f"qvec-{name}.npy"
    if path.exists():
        vecs = np.load(path)
        if len(vecs) == len(queries):
            return vecs
    vecs = np.concatenate([encoder.queries([q["text"] for q in queries[i:i + 64]])
                           for i in range(0, len(queries), 64)])
    np.save(path, vecs)
    return vecs


def word_runs(name: str) -> dict[str, list[tuple[str, float]]]:
    run = defaultdict(list)
    for line in (OUT / f"run-{name}.trec").open():
        qid, _, pid, _rank, score, _tag = line.split()
        run[qid].append((pid, float(score)))
    return run


def qrels(folder: Path, name: str) -> dict[str, set[str]]:
    rel = defaultdict(set)
    for line in (folder / f"qrels-dev-{name}.tsv").open():
        parts = line.split()
        if len(parts) >= 3 and int(parts[-1]) > 0:
            rel[parts[0]].add(parts[-2])
    return rel


def mrr(ranked: dict[str, list[str]], rel, qids) -> float:
    total = 0.0
    for q in qids:
        for i, pid in enumerate(ranked.get(q, [])[:10]):
            if pid in rel[q]:
                total += 1 / (i + 1)
                break
    return total / len(qids) if qids else 0.0


def rank(rule: str, words, sims, cross, ids, index, a: float, b: float, gap: float,
         depth: int = 100) -> list[str]:
    """The first ten passage ids of one query under `rule`. `sims`: similarity of every
    pooled passage (no bonus); `cross`: True for a passage in the other language."""
    bonus = b
    if rule == "keep-gated":
        near_own = np.max(np.where(cross, -9.0, sims))
        near_other = np.max(np.where(cross, sims, -9.0))
        bonus = b if near_own - near_other < gap else 0.0
    s = sims + bonus * cross
    top = np.argpartition(-s, depth)[:depth]
    hi, lo = float(s[top].max()), float(s[top].min())
    best = words[0][1] if words else 1.0
    w = {pid: score / best for pid, score in words[:depth]}
    cand = sorted(set(w) | {ids[i] for i in top})
    at = np.array([index[p] for p in cand])
    wv = np.array([w.get(p, 0.0) for p in cand])
    mv = np.maximum(0.0, (s[at] - lo) / (hi - lo if hi > lo else 1.0))
    if rule == "across":
        mv = np.where(cross[at], mv, 0.0)
    order = np.lexsort((-wv, -((1 - a) * wv + a * mv)))
    if rule not in ("keep", "keep-gated"):
        return [cand[i] for i in order[:10]]
    own = [i for i in order if not cross[at[i]]]
    place = {i: k for k, i in enumerate(own)}
    fill = iter(sorted(own, key=lambda i: (-wv[i], place[i])))
    return [cand[i] if cross[at[i]] else cand[next(fill)] for i in order[:10]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS + ("xq-en2zh", "xq-zh2en", "xq-zh2zh",
                                                         "xq-en2en")))
    ap.add_argument("--rules", default=",".join(RULES))
    ap.add_argument("--gap", type=float, default=0.15, help="keep-gated's similarity gap")
    args = ap.parse_args()
    cache = store.VectorCache(OUT / store.NAME)
    pools = {}
    for name in args.sets.split(","):
        xling = name.startswith("xq")
        folder = XLING if xling else EVAL
        if xling not in pools:
            pools[xling] = pool(folder / "corpus.jsonl", cache)
        ids, vecs, zh = pools[xling]
        index = {p: i for i, p in enumerate(ids)}
        qlang = QUERY_LANG[name]
        cross = zh if qlang == "en" else ~zh
        a, b = ranking.SEMANTIC_WEIGHT[qlang], ranking.SEMANTIC_CROSS[qlang]
        queries = read_jsonl(folder / f"queries-dev-{name}.jsonl")
        qids = [q["id"] for q in queries]
        qv = np.stack([language.center_query(v, q["text"])
                       for v, q in zip(query_vectors(name, queries), queries)])
        runs, rel = word_runs(name), qrels(folder, name)
        base = mrr({q: [p for p, _ in runs.get(q, [])] for q in qids}, rel, qids)
        sims_all = vecs @ qv.T
        print(f"{name:9} words {base:.4f}", flush=True)
        for rule in args.rules.split(","):
            sims = sims_all
            if rule == "prf":
                fed = qv.copy()
                for j, q in enumerate(qids):
                    first = [index[p] for p, _ in runs.get(q, [])[:3] if p in index]
                    if first:
                        fed[j] = qv[j] + vecs[first].mean(0)
                sims = vecs @ (fed / np.linalg.norm(fed, axis=1, keepdims=True)).T
            ranked = {q: rank(rule, [(p, s) for p, s in runs.get(q, []) if p in index],
                              sims[:, j], cross, ids, index, a, b, args.gap)
                      for j, q in enumerate(qids)}
            m = [mrr(ranked, rel, qids), mrr(ranked, rel, qids[0::2]),
                 mrr(ranked, rel, qids[1::2])]
            ok = min(m) >= 0.45 if name in CROSS_SETS else m[0] >= base - 0.003
            print(f"{'':9} {rule:10} {m[0]:.4f} ({m[1]:.4f} / {m[2]:.4f}){'' if ok else ' !'}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
