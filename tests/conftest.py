"""Shared fixtures: real Whoosh indexes built once per session in tmp dirs (no mocks).

Two indexes, each built once per test run:
- `seed_index`: corpus/ as shipped (the seed articles and glossary.tsv), what a fresh clone
  serves; `seed_engine` is an Engine on it, `app`/`client` the web app on it.
- `engine_index`: `engine_corpus`, the seed articles plus the small files under
  tests/data/engine/ and corpus/glossary.tsv; `engine` is an Engine on it.
Tests that change a corpus or an index copy it first (`corpus_copy`; `seed_corpus_copy` for
the seed articles alone); tests that change the app (a route, a config) make their own with
`create_app`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def free_port() -> int:
    """A loopback TCP port nothing listens on (for a server a test starts)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_seed_articles(dest: Path) -> Path:
    """The seed articles (corpus/*.txt, no glossary) copied into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, dest / path.name)
    return dest


def _make_corpus(dest: Path) -> Path:
    copy_seed_articles(dest)
    shutil.copy(ENGINE_DATA / "news.jsonl", dest / "news.jsonl")
    shutil.copy(SEEDS / "glossary.tsv", dest / "glossary.tsv")     # the user glossary
    return dest


def _built_index(corpus: Path, tmp_path_factory, name: str) -> Path:
    from search.index.update import update_index

    index_dir = tmp_path_factory.mktemp(name) / "index"
    update_index(corpus, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def engine_corpus(tmp_path_factory) -> Path:
    return _make_corpus(tmp_path_factory.mktemp("engine") / "corpus")


@pytest.fixture(scope="session")
def engine_index(engine_corpus, tmp_path_factory) -> Path:
    return _built_index(engine_corpus, tmp_path_factory, "engine-index")


@pytest.fixture(scope="session")
def engine(engine_index):
    from search.engine.engine import Engine

    return Engine(engine_index)


@pytest.fixture(scope="session")
def commentary():
    """The seed commentary (corpus/000_*.txt) as ingested, shared read-only."""
    from search.ingest import ingest_file

    [article] = ingest_file(SEEDS / "000_b276265bf07c8e54.txt", SEEDS)
    return article


@pytest.fixture(scope="session")
def paper():
    """The seed journal paper (corpus/004_*.txt) as ingested, shared read-only."""
    from search.ingest import ingest_file

    [article] = ingest_file(SEEDS / "004_c926736664f9ed5b.txt", SEEDS)
    return article


@pytest.fixture
def seed_corpus_copy(tmp_path) -> Path:
    """A writable corpus folder holding only the seed articles (no glossary, no news)."""
    return copy_seed_articles(tmp_path / "corpus")


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A fresh, writable copy of the engine corpus for tests that change files."""
    return _make_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """The index of corpus/ as shipped (read-only: copy it to change it)."""
    return _built_index(SEEDS, tmp_path_factory, "seed-index")


@pytest.fixture(scope="session")
def seed_engine(seed_index):
    from search.engine.engine import Engine

    return Engine(seed_index)


@pytest.fixture(scope="session")
def app(seed_index):
    """The web app on the seed index, shared by the session (its engine and caches are
    per-app and hold nothing a test changes)."""
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(seed_index)})


@pytest.fixture
def client(app):
    """A fresh test client per test: the script cookie one test sets must not leak."""
    return app.test_client()


@pytest.fixture(scope="session")
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session")
def cli(runner):
    """`cli("search", "中俄", "--index", path)`: the real `defsearch` group, in process."""
    from search.cli import main

    def run(*args):
        return runner.invoke(main, [str(a) for a in args])
    return run


@pytest.fixture(scope="session")
def seed_article_id(app) -> str:
    """The article of the first /api/search?q=中俄 result on the seed index."""
    return app.test_client().get("/api/search?q=中俄").get_json()["results"][0]["article_id"]


@pytest.fixture
def tmpfs(tmp_path):
    """A 4 MB tmpfs at tmp_path/disk (root only: real mounts for full-disk and read-only
    errors); yields it and `remount(OPTIONS)`."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4M", "tmpfs", str(disk)],
            capture_output=True).returncode:
        pytest.skip("needs root to mount a tmpfs")

    def remount(options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(disk)], check=True)
    try:
        yield disk, remount
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)
