#!/usr/bin/env python3
"""What query translation can reach on the cross-language dev sets, without engine changes.

    .venv/bin/python bench/xling.py [--sets xq-en2zh,xq-zh2en] [--per-set 2] [--no-df]
                                    [--no-original] [--index DIR] [--show 5]
    .venv/bin/python bench/xling.py --speed     cold start and per-query cost of translation

1. `defsearch index --corpus ../shared/eval/xling/corpus.jsonl --index DIR` (a no-op when
   the index is current);
2. each question is translated with `search.glossary.translate.translate` (sense selection
   by the index's document frequencies unless --no-df), and searched as one plain query
   string: the question's own words, then the best `--per-set` translations of each unit;
3. `Engine.rank` (top 100) and `score.py`: MRR@10 on all queries and on each half (odd/even
   position in the query file), so that a gain that holds on one half only is not believed.

This measures the translation (dictionary cleaning, phrase matching, sense selection), not
the engine's structured integration (one weighted clause per synonym set; measure that with
`bench/quality.py --pool xling`): the engine's own translation is off here
(`Engine.rank(..., translate=False)`). Dev split only (../shared/eval/xling/README.md).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import EVAL, OUT, ROOT, log  # noqa: E402

XLING = EVAL / "xling"
SETS = ("xq-en2zh", "xq-zh2en")


def scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def queries(name: str) -> list[dict]:
    path = XLING / f"queries-dev-{name}.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def query_string(text: str, translation, per_set: int, original: bool) -> str:
    terms = translation.terms(per_set)
    parts = ([text] if original else []) + terms
    return " ".join(parts) if parts else text


COLD = """
import time
import search.engine.engine, search.query      # what `defsearch search` loads anyway
t = time.perf_counter()
from search.glossary.translate import translate
translate("arms embargo")
translate("谁赢得了超级碗")
print(time.perf_counter() - t)
"""


def speed() -> dict:
    """Cold cost (a fresh process that has loaded what `defsearch search` loads: importing
    the translation, opening the cached dictionary, the first English and Chinese
    translation; the cache file exists, as after the first run on a machine), the cold
    `defsearch search` itself for comparison,
    per-query cost of building the query plan with and without translation, and with
    translation but no sense selection by co-occurrence (the second pass, term counts and
    posting sets remembered as in a serving engine), and of `translate` alone on every
    dev question, dictionary lookups only (no doc_frequency) and with the index's
    doc_frequency."""
    from bench.common import summary
    py = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([py, "-c", COLD], check=True, cwd=ROOT, capture_output=True)  # cache built
    cold = [float(subprocess.run([py, "-c", COLD], check=True, cwd=ROOT, capture_output=True,
                                 text=True).stdout) * 1000 for _ in range(5)]
    from search.glossary.translate import translate
    from search.engine.engine import Engine
    engine = Engine(str(OUT / "xling-index"))
    _gen, searcher = engine._searcher()
    texts = [q["text"] for name in SETS for q in queries(name)]
    for t in texts:                                           # warm: caches, jieba-free
        translate(t)
    cmd = [str(ROOT / ".venv" / "bin" / "defsearch"), "search", "--index",
           str(OUT / "xling-index"), "arms embargo"]
    search_ms = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
        search_ms.append((time.perf_counter() - start) * 1000)
    out = {"cold_translation_added_ms": summary(cold), "cold_defsearch_search_ms": summary(search_ms)}
    from search.engine.engine import _builder
    from search.glossary import translate as translate_mod
    kept = translate_mod.COHERENCE
    for label, on, coherence in (("plan_without_translation_ms", False, kept),
                                 ("plan_with_translation_no_cooccurrence_ms", True, ""),
                                 ("plan_with_translation_ms", True, kept)):
        translate_mod.COHERENCE = coherence    # sense selection by co-occurrence on / off
        for t in texts:                                       # warm: term counts remembered
            _builder(_gen, searcher, True).build(t, translate=on)
        ms = []
        for t in texts:
            builder = _builder(_gen, searcher, True)
            start = time.perf_counter()
            builder.build(t, translate=on)
            ms.append((time.perf_counter() - start) * 1000)
        out[label] = summary(ms)
    translate_mod.COHERENCE = kept
    for label, df in (("lookups_ms", None), ("with_doc_frequency_ms", searcher.doc_frequency)):
        ms = []
        for t in texts:
            start = time.perf_counter()
            translate(t, df)
            ms.append((time.perf_counter() - start) * 1000)
        out[label] = summary(ms)
    return out


def fused(engine, original: str, translated: str, w: float, raw: bool) -> list[str]:
    """CombSUM of two rankings: what a weighted translation clause could give, estimated
    from outside the engine."""
    scores: dict[str, float] = {}
    for text, weight in ((original, 1.0), (translated, w)):
        ranked = engine.rank(text, limit=100, translate=False) if text.strip() else []
        best = 1.0 if raw else max((s for _p, s in ranked), default=1.0) or 1.0
        for pid, s in ranked:
            scores[pid] = scores.get(pid, 0.0) + weight * s / best
    return [pid for pid, _s in sorted(scores.items(), key=lambda x: -x[1])[:100]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default=str(OUT / "xling-index"))
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--per-set", type=int, default=2)
    ap.add_argument("--no-df", action="store_true", help="keep every sense (no selection)")
    ap.add_argument("--no-original", action="store_true",
                    help="search the translations only, not the question's own words")
    ap.add_argument("--no-translate", action="store_true", help="the engine as it is")
    ap.add_argument("--sense-order", choices=("df", "dict"), default=None)
    ap.add_argument("--segment", choices=("jieba", "fmm"), default=None)
    ap.add_argument("--single-chars", type=int, default=None)
    ap.add_argument("--no-surface", action="store_true")
    ap.add_argument("--en-sense-order", choices=("df", "dict"), default=None)
    ap.add_argument("--speed", action="store_true", help=speed.__doc__.split(",")[0])
    ap.add_argument("--fuse", type=float, default=None, metavar="W",
                    help="rank the question and its translations apart and add the scores, "
                         "each divided by its list's best, the translations' times W")
    ap.add_argument("--raw", action="store_true", help="with --fuse: raw scores, not divided")
    ap.add_argument("--show", type=int, default=0, help="print N translated queries per set")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)

    cmd = [str(ROOT / ".venv" / "bin" / "defsearch"), "index", "--corpus",
           str(XLING / "corpus.jsonl"), "--index", args.index]
    log("$", " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    if args.speed:
        result = speed()
        log(json.dumps(result))
        (OUT / "xling-speed.json").write_text(json.dumps(result, indent=1))
        return 0
    from search.glossary import translate as translate_mod
    from search.glossary.translate import translate
    if args.segment:
        translate_mod.SEGMENT = args.segment
    if args.single_chars is not None:
        translate_mod.SINGLE_CHARS = args.single_chars
    translate_mod.SURFACE_FIRST = not args.no_surface
    if args.en_sense_order:
        translate_mod.EN_SENSE_ORDER = args.en_sense_order
    if args.sense_order:
        translate_mod.SENSE_ORDER = args.sense_order
    from search.engine.engine import Engine
    engine = Engine(args.index)
    gen, searcher = engine._searcher()                 # the index's own statistics
    df = None if args.no_df else searcher.doc_frequency
    glossary = gen.glossary
    score = scorer()
    report = {}
    for name in [s for s in args.sets.split(",") if s]:
        qs = queries(name)
        rel = score.load_qrels(XLING / f"qrels-dev-{name}.tsv")
        run: dict[str, list[str]] = {}
        t_translate = 0.0
        for n, q in enumerate(qs):
            if args.no_translate:
                text = q["text"]
            else:
                t = time.perf_counter()
                tr = translate(q["text"], df, glossary)
                t_translate += time.perf_counter() - t
                text = query_string(q["text"], tr, args.per_set, not args.no_original)
            if n < args.show:
                log(f"  {q['text']}  =>  {text}")
            if args.fuse is not None and not args.no_translate:
                run[q["id"]] = fused(engine, q["text"], " ".join(tr.terms(args.per_set)),
                                     args.fuse, args.raw)
            else:
                ranked = engine.rank(text, limit=100, translate=False)
                run[q["id"]] = [pid for pid, _score in ranked]
        ids = [q["id"] for q in qs]
        row = {"all": score.score(rel, run, ids)["MRR@10"],
               "odd": score.score(rel, run, ids[0::2])["MRR@10"],
               "even": score.score(rel, run, ids[1::2])["MRR@10"],
               "R@100": score.score(rel, run, ids)["R@100"],
               "translate_ms_per_query": 1000 * t_translate / max(len(qs), 1)}
        report[name] = {k: round(v, 4) for k, v in row.items()}
        log(name, json.dumps(report[name]))
    (OUT / "xling.json").write_text(json.dumps({"args": vars(args), "sets": report}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
