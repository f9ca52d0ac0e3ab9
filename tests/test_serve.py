"""`defsearch serve`: it builds a missing index, then serves (forked workers, SIGTERM)."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import free_port

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def test_serve_builds_a_missing_index(tmp_path):
    from search.cli.serve import ensure_index
    from search.index.manifest import current_generation
    import shutil
    corpus = tmp_path / "corpus"          # a small corpus: the building is what is tested
    corpus.mkdir()
    shutil.copy(ENGINE_DATA / "news.jsonl", corpus)
    ensure_index(tmp_path / "idx", corpus)
    assert current_generation(tmp_path / "idx").is_dir()


def test_defsearch_serve_builds_the_index_then_serves(tmp_path):
    """`defsearch serve` on a fresh checkout: no index yet -> built from the corpus, then
    the page is served (two worker processes here), and SIGTERM stops everything."""
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    port = free_port()
    exe = Path(sys.executable).parent / "defsearch"
    cmd = [str(exe), "serve", "--port", str(port), "--index", str(tmp_path / "index"),
           "--corpus", str(CORPUS), "--workers", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=%E4%B8%AD%E4%BF%84",
                                            timeout=5) as resp:
                    assert resp.status == 200 and "<mark>" in resp.read().decode()
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=20)
    assert "no index at" in err and "indexing" in err and "serving" in err
    assert proc.returncode is not None
