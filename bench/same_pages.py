"""Do the search page and the JSON API answer byte for byte as before? (a speed-up's check)

A change to result assembly or rendering (snippets, footnotes, facets, counts, templates)
must not change what users get. This drives the real Flask app (test client, caches off)
through bench/load.py's request mix, each search also as `/api/search` with the same
parameters, in Simplified (the script cookie), sorted by date, grouped and matching every
word, plus `--fresh` searches of words drawn from a corpus (bench/load.py's `corpus_words`) and
the first and last value of each facet list of the first pages (chosen, then marked), and
writes every response body (`--record FILE`) or compares them with a recorded file
(`--check FILE`: exit 1 and the first difference of each request that differs). The page's
"took N ms" is the one part masked: it is the time the search took.

    .venv/bin/python bench/same_pages.py --index bench/out/speed-index-100000 --record bench/out/pages-before.jsonl
    ... change the code ...
    .venv/bin/python bench/same_pages.py --index bench/out/speed-index-100000 --check bench/out/pages-before.jsonl
"""
from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

TOOK = re.compile(r"· (?:&lt;1|\d+) ms</p>")


def requests(fresh: int, corpus: str) -> list[tuple[str, str]]:
    """(path, script cookie) of every request checked, in a fixed order."""
    from bench.load import corpus_words, request_mix

    paths = []
    for kind, path in request_mix():
        paths.append((path, "hans" if kind == "hans" else ""))
    searches = sorted({p for p, _ in paths if p.startswith("/search?")})
    for path in searches:
        query = path.split("?", 1)[1]
        paths.append(("/api/search?" + query, ""))
        paths.append((path, "hans"))
        for extra in ("sort=newest", "sort=oldest", "group=1", "match=all",
                      "group=1&sort=newest", "match=all&page=2"):
            paths.append((f"{path}&{extra}", ""))
            paths.append((f"/api/search?{query}&{extra}", ""))
    if fresh:
        words = corpus_words(corpus)
        rnd = random.Random(29)
        for _ in range(fresh):
            q = " ".join(rnd.choices(words, k=rnd.choice((1, 2, 2, 3))))
            paths.append((f"/search?q={quote(q)}", ""))
            paths.append((f"/api/search?q={quote(q)}&limit=20", ""))
    return list(dict.fromkeys(paths))


def answers(index: str, paths) -> list[dict]:
    from web import create_app

    app = create_app({"INDEX_DIR": index, "SEARCH_CACHE_SIZE": 0})
    client = app.test_client()
    out, paths, followed = [], list(paths), 0
    for path, script in paths:
        if script:          # the test client keeps cookies: a Cookie header is ignored
            client.set_cookie("script", script)
        else:
            client.delete_cookie("script")
        resp = client.get(path)
        body = resp.get_data(as_text=True)
        if not path.startswith("/api/"):
            body = TOOK.sub("· N ms</p>", body)
            if followed < FOLLOW and 'class="facets"' in body:
                followed += 1       # a facet value chosen: the page marks it
                paths.extend((html.unescape(link), script) for link in facet_links(body))
        out.append({"path": path, "script": script, "status": resp.status_code,
                    "body": body})
    return out


FOLLOW = 12         # pages whose facet links are followed too


def facet_links(body: str) -> list[str]:
    """The first and last link of each facet list of a page."""
    links = []
    for section in re.findall(r'<section class="facet[ "].*?</section>', body, re.S):
        found = re.findall(r'<a href="([^"]+)"', section)
        links += found[:1] + found[-1:] if found else []
    return links


def first_difference(a: str, b: str, context: int = 120) -> str:
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"at character {n}:\n  before: {a[max(0, n - 40):n + context]!r}\n"
            f"  now:    {b[max(0, n - 40):n + context]!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--corpus", default=str(ROOT / "corpus"),
                    help="where the --fresh searches' words come from")
    ap.add_argument("--fresh", type=int, default=100, help="searches of corpus words added")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", help="write the answers here (JSON lines)")
    group.add_argument("--check", help="compare with the answers recorded here")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    paths = requests(args.fresh, args.corpus)
    got = answers(args.index, paths)
    statuses = sorted({g["status"] for g in got})
    if any(status >= 500 for status in statuses):
        print(f"defsearch: {args.index} answered HTTP {statuses}: is it an index of the "
              "current format? (`defsearch index --index DIR --rebuild`)")
        return 1
    if args.record:
        Path(args.record).parent.mkdir(parents=True, exist_ok=True)
        with open(args.record, "w", encoding="utf-8") as f:
            for item in got:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"recorded {len(got)} answers in {args.record}")
        return 0
    before = [json.loads(line) for line in open(args.check, encoding="utf-8")]
    if [(b["path"], b["script"]) for b in before] != [(g["path"], g["script"]) for g in got]:
        print("DIFFERENT: not the same requests (other --fresh or --corpus?)")
        return 1
    differ = [(b, g) for b, g in zip(before, got)
              if (b["status"], b["body"]) != (g["status"], g["body"])]
    for b, g in differ[:10]:
        print(f"{g['path']} (script {g['script'] or 'orig'}): HTTP {b['status']} -> "
              f"{g['status']}, {first_difference(b['body'], g['body'])}")
    pages = sum(not g["path"].startswith("/api/") for g in got)
    print(f"{'DIFFERENT' if differ else 'ALL SAME'}: {len(got) - len(differ)} of {len(got)} "
          f"answers byte-identical ({pages} pages, {len(got) - pages} JSON)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
