"""Passage language: "en", "zh-Hant" or "zh-Hans".

Running OpenCC on every passage is far too slow for the benchmark (pure Python), so the two
character sets are taken from OpenCC's own dictionaries once: characters that t2s would change
are Traditional-only, characters that s2t would change are Simplified-only (characters in both
sets are ambiguous and ignored). The distinct characters of a passage are then intersected
with both sets: C-speed set operations, no per-character Python loop.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

_SAMPLE = 400             # characters inspected: enough to decide, bounded for long passages
# Counting by deleting bytes from the UTF-8 sample is the fastest C-level count available:
# lead bytes of U+3400-U+9FFF (0xE3-0xE9) / supplementary ideographs.
_WORD = re.compile(r"[A-Za-z]{2,}")
_ALL = bytes(range(256))
_NOT_HAN_LEAD = bytes(b for b in _ALL if not (0xE3 <= b <= 0xE9 or b == 0xF0))


def _load(name: str) -> set[str]:
    import opencc
    path = Path(opencc.__file__).parent / "dictionary" / name
    chars: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1 and any(v != key for v in values.split()):
                chars.add(key)
    return chars


@functools.lru_cache(maxsize=1)
def _charsets() -> tuple[frozenset[str], frozenset[str]]:
    trad = _load("TSCharacters.txt")
    simp = _load("STCharacters.txt")
    return frozenset(trad - simp), frozenset(simp - trad)


def detect_lang(text: str, default: str = "zh-Hant") -> str:
    """Guess the language of a passage.

    >>> detect_lang("Russia has sought to develop closer military cooperation with China.")
    'en'
    >>> detect_lang("俄國與中國軍事合作關係的發展"), detect_lang("俄国与中国军事合作关系的发展")
    ('zh-Hant', 'zh-Hans')
    """
    sample = text[:_SAMPLE]
    raw = sample.encode("utf-8")
    han = len(raw.translate(None, _NOT_HAN_LEAD))
    words = len(_WORD.findall(sample))
    if words > han:                 # compare words with characters: a Chinese word is 1-2
        return "en"
    if han == 0:
        return default
    trad_only, simp_only = _charsets()
    chars = set(sample)
    trad = len(trad_only.intersection(chars))
    simp = len(simp_only.intersection(chars))
    if simp > trad:
        return "zh-Hans"
    if trad > simp:
        return "zh-Hant"
    return default
