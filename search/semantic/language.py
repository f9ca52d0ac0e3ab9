"""Taking the language out of a vector.

A multilingual encoder puts a passage near others *in its own language* before it puts it
near its translation: on the cross-language pool a Chinese question found the English passage
answering it at MRR 0.005, because the Chinese passages of the same Wikipedia article were
all closer (docs/benchmarks.md). Most of that language identity is one direction per
language: subtracting each language's mean vector and renormalising (Libovický et al.,
"On the language neutrality of pre-trained multilingual representations", 2020) leaves the
meaning. A query ("query: …" to e5) sits elsewhere than a passage, so queries have means of their
own, measured on pseudo-queries: the first sentence of 400 passages of each language.
The means are constants of the model, measured once on the eval pool's 8,692 distinct
passages (Wikipedia and news in Chinese and English; no query or judgement read;
bench/language_means.py) and shipped in search/data/e5-language-means.npy, so a small or
one-language corpus centres the same way. A query mixing scripts is centred by the share of
each (NATO 軍售: half and half).

Centring leaves a bias: an English question is still closer to English passages of the same
topic than to the Chinese passage answering it (by ~0.13 in median on the cross-language
pool), a Chinese one less so. `cross_bonus` gives a passage in the query's other language
ranking.SEMANTIC_CROSS of the query's language.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

MEANS = Path(__file__).resolve().parents[1] / "data" / "e5-language-means.npy"
CENTERING = "e5-language-means-v2"      # recorded with a generation's vectors
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LATIN = re.compile(r"[A-Za-z0-9]")


@functools.lru_cache(maxsize=1)
def _all_means() -> np.ndarray:
    return np.load(MEANS).astype(np.float32)


def means() -> tuple[np.ndarray, np.ndarray]:
    """(zh, en) mean passage vectors."""
    m = _all_means()
    return m[0], m[1]


def query_means() -> tuple[np.ndarray, np.ndarray]:
    """(zh, en) mean query vectors."""
    m = _all_means()
    return m[2], m[3]


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n > 0, n, 1.0)


def center_passages(vecs: np.ndarray, langs: list[str]) -> np.ndarray:
    """Rows minus their language's mean (a passage language "zh-Hant", "zh-Hans" or "en"),
    renormalised."""
    zh, en = means()
    offsets = np.stack([zh if (lang or "").startswith("zh") else en for lang in langs]) \
        if len(langs) else np.zeros_like(vecs)
    return _unit(vecs - offsets).astype(np.float32)


def chinese_share(text: str) -> float:
    """The share of Chinese among a query's letters (CJK characters against Latin ones; an
    English word counts as its letters / 2, about one CJK character a syllable)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text)) / 2
    return cjk / (cjk + latin) if cjk + latin else 0.0


def center_query(vec: np.ndarray, text: str) -> np.ndarray:
    zh, en = query_means()
    p = chinese_share(text)
    return _unit(vec - (p * zh + (1 - p) * en)).astype(np.float32)


def by_language(text: str, zh_value: float, en_value: float) -> float:
    """A parameter of a query of `text`: the Chinese value, the English one, or between
    them by the query's share of Chinese."""
    p = chinese_share(text)
    return p * zh_value + (1 - p) * en_value


def cross_bonus(text: str, zh_rows: np.ndarray) -> np.ndarray:
    """What each row's similarity gains for being in the query's other language
    (`zh_rows`: True for a Chinese passage)."""
    from search import ranking

    p = chinese_share(text)
    to_zh = (1 - p) * ranking.SEMANTIC_CROSS["en"]      # an English query, a Chinese row
    to_en = p * ranking.SEMANTIC_CROSS["zh"]
    return np.where(zh_rows, to_zh, to_en).astype(np.float32)
