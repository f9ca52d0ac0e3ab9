"""Crash safety of `defsearch index`, kept as regression tests (issue 9 found it held):
a rebuild killed with SIGKILL at any point leaves the previous generation serving the same
answers, and a second writer is refused with one line while the first holds the lock.

Real processes, real signals: `defsearch index --rebuild` runs as a subprocess in its own
process group (its forked workers included) and is killed at several points of its run.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFSEARCH = [sys.executable, "-c", "from search.cli import main; main()"]
QUERIES = ("中俄 軍事合作", "missile defense", '"戰略模糊"', "Su-27", "drones 無人機")


def run(*args, **kw):
    return subprocess.run([*DEFSEARCH, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, **kw)


def answers(index_dir: Path) -> dict:
    from search.engine.engine import Engine

    engine = Engine(index_dir)          # a fresh reader, as a new search process would open
    try:
        out = {}
        for q in QUERIES:
            res = engine.search(q, limit=20)
            out[q] = (res.total, [(h.passage_id, h.score) for h in res.hits])
        return out
    finally:
        engine.close()


def big_corpus(dest: Path) -> Path:
    """The seeds plus 1,600 generated passages: enough for the forked workers to start."""
    dest.mkdir(parents=True)
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        shutil.copy(path, dest / path.name)
    words = ["中俄", "軍事合作", "聯合軍演", "missile", "defense", "drones", "無人機", "戰略",
             "上海合作組織", "Su-27", "radar", "預警", "邊境", "arms", "embargo", "北約"]
    with open(dest / "bulk.jsonl", "w", encoding="utf-8") as fh:
        for n in range(1600):
            text = " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(40))
            fh.write(json.dumps({"id": f"bulk-{n}", "title": f"Bulk {n % 50}",
                                 "text": text}, ensure_ascii=False) + "\n")
    return dest


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def test_rebuild_killed_at_any_point_leaves_the_previous_index_serving(tmp_path):
    corpus = big_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    started = time.monotonic()
    first = run("index", "--corpus", str(corpus), "--index", str(index_dir))
    took = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    before = answers(index_dir)
    live = (index_dir / "CURRENT").read_text()
    killed = 0
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        proc = subprocess.Popen(
            [*DEFSEARCH, "index", "--rebuild", "--corpus", str(corpus), "--index",
             str(index_dir)], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(took * fraction)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        if proc.returncode == 0:        # it finished first: that generation is now live
            before, live = answers(index_dir), (index_dir / "CURRENT").read_text()
            continue
        # Killed before the swap: the previous generation is live. Killed after it: the new,
        # complete one is (same corpus, same answers). Never anything in between.
        assert (index_dir / "CURRENT").read_text() in (live, *[
            g + "\n" for g in generations(index_dir)]), fraction
        assert answers(index_dir) == before, fraction
        live = (index_dir / "CURRENT").read_text()
    assert killed >= 3, "the rebuild finished before most kill points: corpus too small"
    final = run("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert final.returncode == 0, final.stderr
    assert answers(index_dir) == before
    assert len(generations(index_dir)) <= 2          # the killed runs' debris is removed
    check = run("index", "--check", "--index", str(index_dir))
    assert check.returncode == 0 and "is intact" in check.stdout + check.stderr


def test_a_second_writer_is_refused_with_one_line(seed_index, tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    live = (index_dir / "CURRENT").read_text()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    with open(index_dir / ".lock", "w") as held:         # the first writer, mid-update
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = run("index", "--rebuild", "--corpus", str(corpus), "--index", str(index_dir))
    assert proc.returncode == 1
    assert proc.stderr == (f"defsearch: another `defsearch index` is updating {index_dir}: "
                           "wait for it to finish\n")
    assert (index_dir / "CURRENT").read_text() == live
    after = run("index", "--rebuild", "--corpus", str(corpus), "--index", str(index_dir))
    assert after.returncode == 0, after.stderr
