"""A generation's vectors: `vectors.npy`, one float32 row per Whoosh docnum of the
generation (zeros for article records and deleted documents), so a search reads a row by
the docnum it already has. Written after the generation's segments are final (docnums never
change inside a generation), from the vector cache plus the passages it lacks. Rows are
stored with their language taken out (search.semantic.language); `vectors.json` names the
model and the centring, and vectors of another model or centring are not used."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from search.semantic import encoder, language
from search.semantic.store import VectorCache, key

FILE = "vectors.npy"
LANGS = "vectors-zh.npy"        # True for a Chinese passage's row (the cross-language bonus)
INFO = "vectors.json"


def write(gen: Path, cache: VectorCache, progress=None, procs: int = 2) -> tuple[int, int]:
    """Write `gen`'s vectors; returns (passages, texts embedded now). `progress(done,
    total)` is called with passage counts while embedding (it may raise to abort the
    update: what was embedded stays in the cache)."""
    from search.index.storage import open_unmapped

    ix = open_unmapped(gen)
    try:
        reader = ix.reader()
        rows = reader.doc_count_all()
        docs: list[tuple[int, str, str, str]] = []
        for docnum, stored in reader.iter_docs():
            if stored.get("kind") != "p":
                continue
            title = json.loads(stored.get("meta") or "{}").get("title", "")
            text = encoder.passage_text(title, stored.get("text", ""))
            docs.append((docnum, key(text), text, stored.get("lang", "")))
        reader.close()
    finally:
        ix.close()
    have = cache.get(sorted({d[1] for d in docs}))
    todo, seen = [], set()
    for _, k, text, _lang in docs:
        if k not in have and k not in seen:
            seen.add(k)
            todo.append((k, text))
    if todo:
        _embed(todo, cache, procs, progress)
        have.update(cache.get([k for k, _ in todo]))
    matrix = np.zeros((rows, encoder.DIM), np.float32)
    zh = np.zeros(rows, bool)
    if docs:
        nums = np.array([d[0] for d in docs])
        matrix[nums] = language.center_passages(np.stack([have[d[1]] for d in docs]),
                                                [d[3] for d in docs])
        zh[nums] = [d[3].startswith("zh") for d in docs]
    remove(gen)         # linked from the live generation: never write through the link
    with open(gen / FILE, "wb") as fh:
        np.save(fh, matrix)
    with open(gen / LANGS, "wb") as fh:
        np.save(fh, zh)
    (gen / INFO).write_text(json.dumps(_info()), encoding="utf-8")
    return len(docs), len(todo)


FORK_FROM = 64      # fewer new texts are embedded in this process


def _embed(todo: list[tuple[str, str]], cache: VectorCache, procs: int, progress) -> None:
    """Embed `todo` (key, text) into the cache: in `procs` forked processes of one thread
    each (an OpenMP engine whose threads share a busy core waits on its barriers: two
    threads were 100 times slower than one under load, docs/benchmarks.md)."""
    if procs <= 1 or len(todo) < FORK_FROM:
        _embed_into(todo, cache, progress)
        return
    from search.index.workers import run_forked

    shares = [todo[i::procs] for i in range(procs)]
    run_forked(_worker, lambda slot, share: (share, str(cache.path)), shares, len(todo),
               progress, died="its share of the new vectors was not stored")


def _embed_into(todo, cache: VectorCache, progress=None, counters=None, slot=0) -> None:
    done = 0
    for i in range(0, len(todo), encoder.BATCH):
        batch = todo[i:i + encoder.BATCH]
        vecs = encoder.passages([t for _, t in batch])
        cache.put([(k, vecs[j]) for j, (k, _) in enumerate(batch)])
        done += len(batch)
        if counters is not None:
            counters[slot] = done
        if progress is not None:
            progress(done, len(todo))


def _worker(share, cache_path, counters, slot, results) -> None:
    try:
        cache = VectorCache(cache_path)
        try:
            _embed_into(share, cache, counters=counters, slot=slot)
        finally:
            cache.close()
        results.put((slot, len(share), None))
    except BaseException as err:        # noqa: BLE001 - the parent raises it
        results.put((slot, None, RuntimeError(f"embedding: {type(err).__name__}: {err}")))


def remove(gen: Path) -> None:
    """Drop a generation's vectors (an update turning them off, or before writing new
    ones: the files may be hard links to the live generation's)."""
    for name in (FILE, LANGS, INFO):
        (Path(gen) / name).unlink(missing_ok=True)


def _info() -> dict:
    return {"model": encoder.MODEL, "centering": language.CENTERING}


class Vectors:
    """A generation's vectors: `matrix` (rows x DIM, memory-mapped) and `zh` (rows)."""

    def __init__(self, matrix, zh):
        self.matrix, self.zh = matrix, zh


def load(gen: Path) -> Vectors | None:
    """The generation's vectors, or None when it has none (or another model's)."""
    gen = Path(gen)
    if not all((gen / name).is_file() for name in (FILE, LANGS, INFO)):
        return None
    try:
        if json.loads((gen / INFO).read_text(encoding="utf-8")) != _info():
            return None
    except ValueError:
        return None
    return Vectors(np.load(gen / FILE, mmap_mode="r"), np.load(gen / LANGS))
