#!/usr/bin/env python3
"""Ranking quality on the dev split of the shared eval pool, through the benchmark interface.

    .venv/bin/python bench/quality.py [--index DIR] [--sets drcd-t,cran] [--rebuild] [--no-expand]
    .venv/bin/python bench/quality.py --pool xling [--sets xq-en2zh,...] [--no-translate]
                                      [--answer-lang]
    .venv/bin/python bench/quality.py --backend opensearch --opensearch URL [--alias NAME]
    .venv/bin/python bench/quality.py [--pool xling] --semantic

`--semantic`: the same sets on indexes built with meaning vectors (`defsearch index
--semantic`; bench/out/<pool>-index-semantic, and domain-index-semantic), all sharing one
vector cache, bench/out/semantic.sqlite, so each passage of the pools is embedded once per
machine (~40 min on two idle cores the first time; bench/language_means.py fills the same
cache).

1. `defsearch index --corpus ../shared/eval/corpus.jsonl --index DIR` (an update: a no-op
   when the index is current);
2. per query set, `defsearch search --index DIR --batch queries-dev-SET.jsonl --limit 100
   --run bench/out/run-SET.trec`;
3. `score.py` (MRR@10, R@10, R@100, nDCG@10) on each run.

`--pool xling`: the cross-language pool (../shared/eval/xling/: its corpus, its four query
sets, index bench/out/xling-index), also scored on each half of the queries (odd/even
position), so that a gain on one half only is not believed.

`--answer-lang`: each question is filtered to its answers' language (as a user who picks
the language: an English question with lang=zh), which also raises the translation's share
(`ranking.TRANSLATION_SHARE_ACROSS`).

`domain` (on by default with the main pool; `--sets` may name it): our own analyst queries
(tests/data/domain_queries.jsonl: each query with the passages a reader wants first) on an
index of corpus/ (bench/out/domain-index), through the same interface, beside the public sets.

Prints one table and writes bench/out/quality.json (quality-xling.json). Dev split only:
never tune on anything else (see ../shared/eval/README.md).
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
from bench.common import EVAL, OUT, POOL, ROOT, SETS, load_average, log  # noqa: E402

XLING = EVAL / "xling"
XLING_SETS = ("xq-en2zh", "xq-zh2en", "xq-zh2zh", "xq-en2en")
DOMAIN = ROOT / "tests" / "data" / "domain_queries.jsonl"

DEFSEARCH = [
    str(ROOT / ".venv" / "bin" / "defsearch")]


def scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ANSWER_LANG = {"drcd-t": "zh", "drcd-s": "zh", "cmrc-s": "zh", "squad": "en", "cran": "en"}


def with_answer_lang(queries: Path, name: str) -> Path:
    """A copy of the query file whose lines hold "lang": the language of the set's
    answers (xq-en2zh: zh)."""
    lang = ANSWER_LANG.get(name) or name.rsplit("2", 1)[-1]
    out = OUT / f"queries-{name}-lang.jsonl"
    with queries.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.strip():
                dst.write(json.dumps({**json.loads(line), "lang": lang},
                                     ensure_ascii=False) + "\n")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", choices=("main", "xling"), default="main")
    ap.add_argument("--index", default=None, help="default bench/out/quality-index "
                                                  "(xling-index with --pool xling)")
    ap.add_argument("--sets", default=None)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-expand", action="store_true")
    ap.add_argument("--no-translate", action="store_true")
    ap.add_argument("--answer-lang", action="store_true",
                    help="each question filtered to its answers' language (lang: of the "
                         "batch line), as a user choosing the language facet")
    ap.add_argument("--semantic", action="store_true",
                    help="indexes with meaning vectors (see the module docstring)")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--tag", default="defsearch")
    ap.add_argument("--backend", choices=("whoosh", "opensearch"), default="whoosh")
    ap.add_argument("--opensearch", default=None, help="cluster URL(s) for --backend opensearch "
                                                       "(scripts/opensearch-cluster starts one)")
    ap.add_argument("--alias", default="defsearch-quality", help="the cluster index alias")
    args = ap.parse_args(argv)
    backend = []
    if args.backend == "opensearch":
        import os
        backend = ["--backend", "opensearch"] + (["--opensearch", args.opensearch]
                                                 if args.opensearch else [])
        os.environ["DEFSEARCH_OPENSEARCH_INDEX"] = args.alias
        args.procs = 1      # one client: forked workers must not share its connections
    OUT.mkdir(parents=True, exist_ok=True)
    xling = args.pool == "xling"
    folder, pool = (XLING, XLING / "corpus.jsonl") if xling else (EVAL, POOL)
    args.index = args.index or str(OUT / (("xling-index" if xling else "quality-index")
                                          + ("-semantic" if args.semantic else "")))
    args.sets = args.sets or ",".join(XLING_SETS if xling else SETS + ("domain",))

    if any(s and s != "domain" for s in args.sets.split(",")):
        cmd = DEFSEARCH + ["index", "--corpus", str(pool), "--index", args.index] + backend
        if args.rebuild:
            cmd.append("--rebuild")
        if args.semantic:
            cmd.append("--semantic")
            shared_cache(Path(args.index))
        log("$", " ".join(cmd))
        started = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        log(f"index ready in {time.perf_counter() - started:.1f} s")

    score = scorer()
    rows = {}
    for name in [s for s in args.sets.split(",") if s]:
        queries = folder / f"queries-dev-{name}.jsonl"
        if args.answer_lang:
            queries = with_answer_lang(queries, name)
        qrels = folder / f"qrels-dev-{name}.tsv"
        index = args.index
        if name == "domain":
            queries, qrels, index = domain_set(args.rebuild, backend, args.alias,
                                               args.semantic)
        run = OUT / (f"run-{name}.trec" if args.backend == "whoosh"
                     else f"run-{name}-{args.backend}.trec")
        cmd = DEFSEARCH + ["search", "--index", index, "--batch", str(queries),
                           "--limit", "100", "--run", str(run), "--tag", args.tag,
                           "--procs", str(args.procs)] + backend
        if args.no_expand:
            cmd.append("--no-expand")
        if args.no_translate:
            cmd.append("--no-translate")
        log("$", " ".join(cmd))
        t = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        seconds = time.perf_counter() - t
        rel = score.load_qrels(qrels)
        qids = [json.loads(line)["id"] for line in queries.open(encoding="utf-8")]
        ranked = score.load_run(run)
        result = score.score(rel, ranked, qids)
        result["odd"] = score.score(rel, ranked, qids[0::2])["MRR@10"]
        result["even"] = score.score(rel, ranked, qids[1::2])["MRR@10"]
        result = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
        result["seconds"] = round(seconds, 1)
        rows[name] = result
        log(name, json.dumps(result))

    print(f"{'set':8} {'queries':>7} {'MRR@10':>7} {'odd':>6} {'even':>6} {'R@10':>6} "
          f"{'R@100':>6} {'nDCG@10':>7} {'s':>6}")
    for name, r in rows.items():
        print(f"{name:8} {r['queries']:>7} {r['MRR@10']:>7.4f} {r['odd']:>6.4f} "
              f"{r['even']:>6.4f} {r['R@10']:>6.4f} {r['R@100']:>6.4f} {r['nDCG@10']:>7.4f} "
              f"{r['seconds']:>6.1f}")
    name = ("quality-xling" if xling else "quality") + \
        ("-opensearch" if args.backend == "opensearch" else "") + \
        ("-semantic" if args.semantic else "")
    (OUT / f"{name}.json").write_text(json.dumps(
        {"sets": rows, "pool": args.pool, "backend": args.backend, "expand": not args.no_expand,
         "answer_lang": args.answer_lang, "semantic": args.semantic,
         "translate": not args.no_translate, "load": load_average()}, indent=1))
    return 0


def shared_cache(index: Path) -> None:
    """Point the index's vector cache at bench/out/semantic.sqlite (every pool's)."""
    from search.semantic.store import NAME

    index.mkdir(parents=True, exist_ok=True)
    link, shared = index / NAME, OUT / "semantic.sqlite"
    if not link.exists() and not link.is_symlink():
        link.symlink_to(shared.resolve())


def domain_set(rebuild: bool, backend=(), alias: str = "", semantic: bool = False):
    """The domain query set as the benchmark interface wants it: its queries and qrels
    files under bench/out and an index of corpus/ (bench/out/domain-index; on a cluster
    the alias ALIAS-domain, set in the environment for the search that follows)."""
    items = [json.loads(line) for line in DOMAIN.open(encoding="utf-8") if line.strip()]
    queries, qrels = OUT / "queries-domain.jsonl", OUT / "qrels-domain.tsv"
    queries.write_text("".join(json.dumps({"id": q["id"], "text": q["text"]},
                                          ensure_ascii=False) + "\n" for q in items),
                       encoding="utf-8")
    qrels.write_text("".join(f"{q['id']}\t0\t{pid}\t1\n" for q in items for pid in q["want"]),
                     encoding="utf-8")
    index = OUT / ("domain-index-semantic" if semantic else "domain-index")
    cmd = DEFSEARCH + ["index", "--corpus", str(ROOT / "corpus"), "--index", str(index)] \
        + list(backend) + (["--semantic"] if semantic else [])
    if semantic:
        shared_cache(index)
    if backend:
        import os
        os.environ["DEFSEARCH_OPENSEARCH_INDEX"] = f"{alias}-domain"
    if rebuild:
        cmd.append("--rebuild")
    log("$", " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=ROOT)
    return queries, qrels, str(index)


if __name__ == "__main__":
    sys.exit(main())
