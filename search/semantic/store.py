"""The vector cache of one index: `<index>/semantic.sqlite`, vectors by the text they embed.

Its presence is the index's switch (`defsearch index --semantic` creates it, `--no-semantic`
deletes it), so the setting outlives rebuilds and generations. Embedding costs ~0.3 s a
passage, so a vector is computed once per text: an update embeds only new or changed
passages, a rebuild none it has seen. Keys are sha1(model, text), so a vector of another
model or another text is never read. SQLite (Python's standard library) gives atomic
commits: an update killed while embedding leaves the vectors it committed, and no torn row.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from search.semantic.encoder import DIM, MODEL

NAME = "semantic.sqlite"


def cache_path(index_dir) -> Path:
    return Path(index_dir) / NAME


def enabled(index_dir) -> bool:
    return cache_path(index_dir).is_file()


def key(text: str) -> str:
    return hashlib.sha1(f"{MODEL}\0{text}".encode("utf-8")).hexdigest()


class VectorCache:
    def __init__(self, path):
        self.path = Path(path)
        self.db = sqlite3.connect(str(self.path), timeout=60)
        self.db.execute("create table if not exists vectors (key text primary key, vec blob)")
        self.db.commit()

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for k, blob in self.db.execute(
                    f"select key, vec from vectors where key in ({marks})", chunk):
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape == (DIM,):
                    found[k] = vec
        return found

    def put(self, items: list[tuple[str, np.ndarray]]) -> None:
        self.db.executemany("insert or replace into vectors values (?, ?)",
                            [(k, np.asarray(v, np.float32).tobytes()) for k, v in items])
        self.db.commit()

    def close(self) -> None:
        self.db.close()
