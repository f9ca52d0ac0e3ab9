"""Shared fixtures: real Whoosh indexes built once per session in tmp dirs (no mocks).

`engine_corpus` is a copy of the seed articles and user glossary (corpus/) plus the small files under
tests/data/engine/; `engine_index` is its index, built once; `engine` an Engine on it.
Tests that change a corpus or an index copy these first (`corpus_copy`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def _make_corpus(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, dest / path.name)
    shutil.copy(ENGINE_DATA / "news.jsonl", dest / "news.jsonl")
    shutil.copy(SEEDS / "glossary.tsv", dest / "glossary.tsv")     # the user glossary
    return dest


@pytest.fixture(scope="session")
def engine_corpus(tmp_path_factory) -> Path:
    return _make_corpus(tmp_path_factory.mktemp("engine") / "corpus")


@pytest.fixture(scope="session")
def engine_index(engine_corpus, tmp_path_factory) -> Path:
    from search.indexer import update_index

    index_dir = tmp_path_factory.mktemp("engine-index") / "index"
    update_index(engine_corpus, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def engine(engine_index):
    from search.searcher import Engine

    return Engine(engine_index)


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A fresh, writable copy of the engine corpus for tests that change files."""
    return _make_corpus(tmp_path / "corpus")
