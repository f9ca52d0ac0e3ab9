"""Passage language: "en", "zh-Hant" or "zh-Hans".

Running OpenCC on every passage is far too slow for the benchmark (pure Python), so the two
character sets are taken from OpenCC's own dictionaries once: characters that t2s would change
are Traditional-only, characters that s2t would change are Simplified-only (characters in both
sets are ambiguous and ignored). Counting them is then a couple of C-speed regex scans.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

_SAMPLE = 2000            # characters inspected: enough to decide, bounded for long passages
_LATIN = re.compile(r"[A-Za-z]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


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
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    trad = _load("TSCharacters.txt")
    simp = _load("STCharacters.txt")
    trad_only, simp_only = trad - simp, simp - trad

    def klass(chars: set[str]) -> re.Pattern:
        return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")

    return klass(trad_only), klass(simp_only)


def detect_lang(text: str, default: str = "zh-Hant") -> str:
    """Guess the language of a passage.

    >>> detect_lang("Russia has sought to develop closer military cooperation with China.")
    'en'
    >>> detect_lang("俄國與中國軍事合作關係的發展"), detect_lang("俄国与中国军事合作关系的发展")
    ('zh-Hant', 'zh-Hans')
    """
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    if latin > 3 * han:             # an English word is ~5 letters, a Chinese one 1-2 characters
        return "en"
    if han == 0:
        return default
    trad_re, simp_re = _patterns()
    trad = len(trad_re.findall(sample))
    simp = len(simp_re.findall(sample))
    if simp > trad:
        return "zh-Hans"
    if trad > simp:
        return "zh-Hant"
    return default
