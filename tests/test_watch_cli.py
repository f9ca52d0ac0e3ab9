"""`defsearch watch` and `defsearch serve --watch` as users run them: real processes, real
file events, the real page and API over HTTP."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.conftest import free_port

EXE = Path(sys.executable).parent / "defsearch"


def test_watch_needs_a_corpus_folder(cli, tmp_path):
    result = cli("watch", "--corpus", tmp_path / "nope", "--index", tmp_path / "index")
    assert (result.exit_code, result.output) == (
        1, f"defsearch: corpus not found at {tmp_path / 'nope'}: pass --corpus PATH\n")


def test_defsearch_watch_logs_a_line_per_change(tmp_path, seed_corpus_copy):
    corpus, index_dir = seed_corpus_copy, tmp_path / "index"
    proc = subprocess.Popen([str(EXE), "watch", "--corpus", str(corpus), "--index",
                             str(index_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        lines = _read_until(proc, "index gen-")
        assert lines[0].endswith(f" watching {corpus} (inotify) for the index at {index_dir}")
        (corpus / "new.txt").write_text("Airships\n\nZeppelins crossed the sea.\n")
        lines = _read_until(proc, "index gen-")
        assert [line.split(" ", 1)[1] for line in lines[:-1]] == ["added new.txt"]
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert out.endswith(" stopped watching\n") and err == ""
    assert proc.returncode == 0


def test_serve_watch_finds_a_new_file_without_a_restart(tmp_path, seed_corpus_copy):
    corpus, index_dir = seed_corpus_copy, tmp_path / "index"
    port = free_port()
    proc = subprocess.Popen([str(EXE), "serve", "--watch", "--port", str(port), "--index",
                             str(index_dir), "--corpus", str(corpus), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert _get(base + "/api/search?q=zeppelins", proc)["total"] == 0
        (corpus / "new.txt").write_text("Airships\n\nZeppelins crossed the sea.\n")
        deadline = time.monotonic() + 30
        while _get(base + "/api/search?q=zeppelins", proc)["total"] == 0:
            assert time.monotonic() < deadline, "the new file was never found"
            time.sleep(0.2)
        # each worker checks for a new generation once a second: the page follows within it
        deadline = time.monotonic() + 5
        while "3 articles" not in (page := _get(base + "/", proc, raw=True)):
            assert time.monotonic() < deadline, "the page still counts 2 articles"
            time.sleep(0.2)
        stamp = time.strftime("%Y-%m-%d %H:", time.gmtime())
        assert f"index updated {stamp}" in page
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert "added new.txt" in out
    assert proc.returncode is not None


def _read_until(proc, text: str) -> list[str]:
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        lines.append(line.rstrip("\n"))
        if text in line:
            return lines
    raise AssertionError(lines)


def _get(url: str, proc, raw: bool = False):
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, proc.stderr.read()
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                body = resp.read().decode()
                return body if raw else json.loads(body)
        except OSError:
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
