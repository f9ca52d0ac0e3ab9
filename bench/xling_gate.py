#!/usr/bin/env python3
"""Can a query-level signal tell a cross-language question from a monolingual one? Offline,
on each question's two rankings; no engine change.

    .venv/bin/python bench/xling_gate.py [--step-main 4] [--dumps bench/out/gate]

1. For every dev question of the four xling sets (index bench/out/xling-index) and of the
   main pool's sets (bench/out/quality-index; every `--step-main`-th question): the engine's
   ranking (`Engine.rank`), its own words alone (`translate=False`) and its translation
   alone (the plan's TranslationSets at share 1.0, nothing else), top 100 each; kept as
   JSON lines in `--dumps` (reused when present; `--fresh` re-dumps).
2. Features per question (own side restricted to the question's language, translation side
   to the other): log(top translation / top own), log(top1 / top2) and log(top1 / top5)
   of each side, the question's language; a logistic regression fitted on one half of the
   xling questions (odd/even position) predicts the other half: what share of the
   cross-language questions it flags when it flags 1%, 3%, 10%, 20% of monolingual ones.
3. The gate applied: when the fitted score (on all xling questions) passes a threshold, the
   translation side's best 1 or 2 passages are put at rank `slot` of the engine's list
   (main pool: of the own-words list); MRR@10 of the cross-language sets, change of every
   monolingual set.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, log  # noqa: E402

XLING = (("xq-en2zh", "en", 1), ("xq-zh2en", "zh", 1), ("xq-en2en", "en", 0),
         ("xq-zh2zh", "zh", 0))
MAIN = (("squad", "en"), ("cmrc-s", "zh"), ("drcd-t", "zh"), ("cran", "en"))


def lang(pid: str) -> str:
    return "en" if pid.startswith(("squad:", "cran:")) else "zh"


def qrels(path: Path) -> dict:
    out: dict = {}
    for line in path.open(encoding="utf-8"):
        a = line.split()
        if len(a) >= 3 and a[-1] != "0":
            out.setdefault(a[0], set()).add(a[1] if len(a) == 3 else a[2])
    return out


def dump(index: Path, queries: Path, dest: Path, step: int, engine_too: bool) -> None:
    from search import ranking
    from search.engine.engine import Engine, _builder
    from search.engine.evaluate import Evaluator
    from search.query import compile
    from search.query.plan import TranslationSet

    eng = Engine(index)
    rows = [json.loads(x) for x in queries.open(encoding="utf-8") if x.strip()][::step]
    with dest.open("w", encoding="utf-8") as f:
        for q in rows:
            gen, s = eng._searcher()
            rec = {"qid": q["id"], "own": eng.rank(q["text"], translate=False)}
            if engine_too:
                rec["engine"] = eng.rank(q["text"])
            old, ranking.TRANSLATION_SHARE = ranking.TRANSLATION_SHARE, 1.0
            try:
                plan = _builder(gen, s, True).build(q["text"])
            finally:
                ranking.TRANSLATION_SHARE = old
            plan.optional = [m for m in plan.optional if isinstance(m, TranslationSet)]
            plan.required = []
            cq = compile(plan) if plan.optional else None
            ranked = Evaluator(s, gen.cache).top(cq, 100)[0] if cq is not None else []
            rec["trans"] = [(s.stored_fields(d)["pid"], sc) for d, sc in ranked]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def features(r: dict, qlang: str) -> list[float]:
    other = "zh" if qlang == "en" else "en"
    o = [s for p, s in r["own"] if lang(p) == qlang] + [1e-3] * 5
    t = [s for p, s in r["trans"] if lang(p) == other] + [1e-3] * 5
    return [math.log(t[0] / o[0]), math.log(o[0] / o[1]), math.log(t[0] / t[1]),
            math.log(o[0] / o[4]), math.log(t[0] / t[4]), 1.0 if qlang == "zh" else 0.0]


def fit(X, y, l2=0.01, rounds=300, rate=0.5):
    """Logistic regression by gradient descent on standardised features (no numpy here)."""
    n, d = len(X), len(X[0])
    mu = [sum(x[j] for x in X) / n for j in range(d)]
    sd = [max(1e-6, (sum((x[j] - mu[j]) ** 2 for x in X) / n) ** 0.5) for j in range(d)]
    Z = [[(x[j] - mu[j]) / sd[j] for j in range(d)] for x in X]
    w, b = [0.0] * d, 0.0
    for _ in range(rounds):
        gw, gb = [0.0] * d, 0.0
        for z, t in zip(Z, y):
            e = 1 / (1 + math.exp(-(sum(a * c for a, c in zip(w, z)) + b))) - t
            gw = [g + e * zj for g, zj in zip(gw, z)]
            gb += e
        w = [w[j] - rate * (gw[j] / n + l2 * w[j]) for j in range(d)]
        b -= rate * gb / n
    return lambda x: sum(w[j] * (x[j] - mu[j]) / sd[j] for j in range(d)) + b


def rr(ranking: list[str], rel: set) -> float:
    return next((1 / (i + 1) for i, p in enumerate(ranking[:10]) if p in rel), 0.0)


def mrr(recs, order) -> float:
    return sum(rr(order(r), r["rel"]) for r in recs) / len(recs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dumps", default=str(OUT / "gate"))
    ap.add_argument("--step-main", type=int, default=4)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args(argv)
    dumps = Path(args.dumps)
    dumps.mkdir(parents=True, exist_ok=True)
    data = {}
    for name, ql, cross in XLING:
        dest = dumps / f"{name}.jsonl"
        if args.fresh or not dest.exists():
            log(f"dumping {name}")
            dump(OUT / "xling-index", EVAL / "xling" / f"queries-dev-{name}.jsonl", dest, 1, True)
        rel = qrels(EVAL / "xling" / f"qrels-dev-{name}.tsv")
        data[name] = [dict(json.loads(x), rel=rel[json.loads(x)["qid"]]) for x in dest.open()]
    main_data = {}
    for name, ql in MAIN:
        dest = dumps / f"{name}.jsonl"
        if args.fresh or not dest.exists():
            log(f"dumping {name} (every {args.step_main}th question)")
            dump(OUT / "quality-index", EVAL / f"queries-dev-{name}.jsonl", dest,
                 args.step_main, False)
        rel = qrels(EVAL / f"qrels-dev-{name}.tsv")
        main_data[name] = [dict(json.loads(x), rel=rel.get(json.loads(x)["qid"], set()))
                           for x in dest.open()]

    X, y, half = [], [], []
    for name, ql, cross in XLING:
        for i, r in enumerate(data[name]):
            X.append(features(r, ql)), y.append(cross), half.append(i % 2)
    print("gate fitted on one half, tested on the other: share of cross-language questions "
          "flagged when a share of monolingual ones is")
    for h in (0, 1):
        f = fit([x for x, k in zip(X, half) if k != h], [t for t, k in zip(y, half) if k != h])
        mono = sorted(f(x) for x, t, k in zip(X, y, half) if k == h and not t)
        cross = [f(x) for x, t, k in zip(X, y, half) if k == h and t]
        cells = []
        for share in (0.01, 0.03, 0.1, 0.2):
            thr = mono[min(len(mono) - 1, int(len(mono) * (1 - share)))]
            cells.append(f"{share:.0%} -> {sum(p > thr for p in cross) / len(cross):.2f}")
        print(f"  tested on half {h}: " + ", ".join(cells))

    f = fit(X, y)

    def gated(r, ql, thr, slot, take, base):
        own = [p for p, _ in r[base]]
        if f(features(r, ql)) <= thr:
            return own
        other = "zh" if ql == "en" else "en"
        ins = [p for p, _ in r["trans"] if lang(p) == other][:take]
        rest = [p for p in own if p not in ins]
        return rest[:slot - 1] + ins + rest[slot - 1:]

    print("\ngate applied (fitted on all xling questions): MRR@10 of the cross-language sets, "
          "change of the monolingual ones")
    print("| take | slot | threshold | " + " | ".join(n for n, _q, _c in XLING) + " | "
          + " | ".join(n for n, _q in MAIN) + " |")
    for take in (1, 2):
        for slot in (1, 2, 3):
            for thr in (0.0, 1.0, 2.0, 3.0):
                cells = []
                for name, ql, cross in XLING:
                    base = mrr(data[name], lambda r: [p for p, _ in r["engine"]])
                    got = mrr(data[name], lambda r: gated(r, ql, thr, slot, take, "engine"))
                    cells.append(f"{got:.3f}" if cross else f"{got - base:+.4f}")
                for name, ql in MAIN:
                    base = mrr(main_data[name], lambda r: [p for p, _ in r["own"]])
                    got = mrr(main_data[name], lambda r: gated(r, ql, thr, slot, take, "own"))
                    cells.append(f"{got - base:+.4f}")
                print(f"| {take} | {slot} | {thr:g} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
