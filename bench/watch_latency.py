#!/usr/bin/env python3
"""From a file's last write to its first search hit, through `defsearch serve --watch`.

    .venv/bin/python bench/watch_latency.py [--trials 5] [--poll] [--corpus corpus]

The corpus (the bundled one by default) is copied to a temp folder and served with
`defsearch serve --watch --workers 2`, as a user runs it. Each trial writes a new article
(a word no other file holds), then changes it (a new word), and asks /api/search every
20 ms until the word is found: the time from the write's end (file closed) to the first
answer holding the hit. Prints each figure and the median/max; target: at most 3 s.
"""
from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "defsearch"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--poll", action="store_true", help="serve --watch --poll")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [str(EXE), "serve", "--watch", "--port", str(port), "--workers", "2",
               "--index", str(Path(tmp) / "index"), "--corpus", str(corpus)]
        proc = subprocess.Popen(cmd + (["--poll"] if args.poll else []),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}/api/search?q="
        try:
            _wait_up(base + "warmup", proc)
            for n in range(10):               # every worker answers a first query
                urllib.request.urlopen(base + f"warm{n}", timeout=30).read()
            time.sleep(2)                     # the watcher's start-up update
            added, changed = [], []
            for n in range(args.trials):
                word = f"benchword{n}x"
                added.append(_trial(corpus / f"bench{n}.txt", word, base))
                changed.append(_trial(corpus / f"bench{n}.txt", f"changed{n}y", base))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    mode = "polling" if args.poll else "inotify"
    for label, figures in (("new file", added), ("changed file", changed)):
        print(f"{label} ({mode}): " + " ".join(f"{x:.2f}" for x in figures)
              + f" s; median {statistics.median(figures):.2f} s, max {max(figures):.2f} s")


def _trial(path: Path, word: str, base: str) -> float:
    path.write_text(f"Benchmark article\n\nA paragraph holding {word} and more words.\n")
    written = time.monotonic()
    deadline = written + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + word, timeout=10) as resp:
            if json.loads(resp.read())["total"]:
                return time.monotonic() - written
        time.sleep(0.02)
    raise SystemExit(f"{word}: no hit after 60 s")


def _wait_up(url: str, proc) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("defsearch serve --watch exited")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


if __name__ == "__main__":
    main()
