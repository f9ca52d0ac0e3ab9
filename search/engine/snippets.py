"""Snippets: the matched words of a hit marked at the author's own characters.

No analysis runs on hits (jieba on every result would dominate query time). Instead the
stored text is folded with `analysis.fold`, which never changes length, and the folded query
terms are looked for in it: CJK terms and phrases by plain substring search (which also finds
words jieba segmented differently in this passage), Latin words by comparing each folded
word's stem with the query stems, designators (su27) in any spelling (Su-27, SU 27). Offsets
in the folded text are offsets in the original text, so marks land exactly.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from search.analysis import CJK_CHARS, fold
from search.model import SnippetWindow

SNIPPET_CHARS = 240
_CJK = re.compile(f"[{CJK_CHARS}]")
_LATIN_WORD = re.compile(r"[a-z0-9\u00c0-\u024f]+(?:[-.'’][a-z0-9\u00c0-\u024f]+)*")
_SPACED = re.compile(r"(?<![0-9a-z])([a-z]{1,3}) ([0-9][0-9a-z]*)(?![0-9a-z])")
_DIGIT = re.compile(r"[0-9]")
_SEPARATORS = re.compile(r"[-.'’]")
_PARTS = re.compile(r"[^-.'’]+")
_ASCII_ALNUM = re.compile(r"[a-z0-9]")

# A passage is folded once, not once per query word and rerank: the coverage rerank asks
# each word's Highlighter about the same thirty texts, the proximity rerank and the hits
# fold them again (about 250 folds a search). Passages of a busy server recur across searches.
fold_passage = lru_cache(maxsize=2048)(fold)


class Highlighter:
    """Compiled once per query, applied to each hit."""

    def __init__(self, terms, fallback=()):
        from search.analysis import english_term, fold

        self.fold = fold
        self.stem = english_term
        self.substrings: list[str] = []
        self.latin: set[str] = set()
        for term in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
            if _CJK.search(term) or not _LATIN_WORD.fullmatch(term):
                self.substrings.append(term)
            else:
                self.latin.add(term)
        self.fallback = Highlighter(fallback) if fallback else None
        self._substring_edges = [(t, bool(_ASCII_ALNUM.match(t[0])),
                                  bool(_ASCII_ALNUM.match(t[-1]))) for t in self.substrings]
        self._designators = any(_DIGIT.search(t) for t in self.latin)
        self._memo: dict = {}

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = self._spans(text)
        if not found and self.fallback is not None:
            found = self.fallback.spans(text)
        return found

    def _spans(self, text: str) -> list[tuple[int, int]]:
        folded = fold_passage(text)
        found = []
        n = len(folded)
        for term, left, right in self._substring_edges:
            start = folded.find(term)
            while start >= 0:
                end = start + len(term)
                if not ((left and start > 0 and _ASCII_ALNUM.match(folded[start - 1]))
                        or (right and end < n and _ASCII_ALNUM.match(folded[end]))):
                    found.append((start, end))
                start = folded.find(term, end)
        if self.latin:
            memo = self._memo
            for m in _LATIN_WORD.finditer(folded):
                word = m.group()
                rel = memo.get(word)
                if rel is None:
                    rel = memo[word] = self._word_spans(word)
                if rel:
                    base = m.start()
                    found.extend((base + a, base + b) for a, b in rel)
            if self._designators:
                for m in _SPACED.finditer(folded):
                    if m.group(1) + m.group(2) in self.latin:
                        found.append((m.start(), m.end()))
        return merge(found)

    def _word_spans(self, word: str) -> tuple:
        """Marked stretches of one folded Latin word (relative offsets), memoised per query."""
        joined = _SEPARATORS.sub("", word) if _SEPARATORS.search(word) else word
        if joined in self.latin or self.stem(joined) in self.latin:
            return ((0, len(word)),)
        if joined is word or _DIGIT.search(word):   # one part / a designator (su-33 is not su)
            return ()
        return tuple((p.start(), p.end()) for p in _PARTS.finditer(word)
                     if self.stem(p.group()) in self.latin)


def merge(spans):
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def window(text: str, spans, size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """The `size`-char stretch of text covering the most marked characters: of the
    stretches starting a fifth of `size` before each span (in the order given), the first
    that covers most."""
    if len(text) <= size:
        return 0, len(text)
    if not spans:
        return 0, size
    covered = _Covered(spans)
    best, best_start = -1, 0
    for s, _ in spans:
        start = max(0, min(s - size // 5, len(text) - size))
        got = covered(start, start + size)
        if got > best:
            best, best_start = got, start
    return best_start, best_start + size


class _Covered:
    """Marked characters inside [lo, hi): with sorted, disjoint spans (as `merge` gives
    them) by bisection on prefix sums, so a window over many marks costs n log n, not n²;
    other spans (overlapping, unordered) by adding up each one's overlap."""

    def __init__(self, spans):
        self.spans = spans
        self.sorted = all(a < b for a, b in spans) and \
            all(b <= c for (_, b), (c, _) in zip(spans, spans[1:]))
        if self.sorted:
            self.starts = [a for a, _ in spans]
            self.ends = [b for _, b in spans]
            self.before = [0]
            for a, b in spans:
                self.before.append(self.before[-1] + b - a)

    def __call__(self, lo: int, hi: int) -> int:
        if not self.sorted:
            return sum(min(e, hi) - max(a, lo) for a, e in self.spans if a < hi and e > lo)
        first = bisect_right(self.ends, lo)          # the first span ending after lo
        last = bisect_left(self.starts, hi)          # ... and the first starting at hi
        if first >= last:
            return 0
        got = self.before[last] - self.before[first]
        if self.starts[first] < lo:
            got -= lo - self.starts[first]
        if self.ends[last - 1] > hi:
            got -= self.ends[last - 1] - hi
        return got


def snippet_window(text: str, spans, size: int = SNIPPET_CHARS) -> SnippetWindow:
    """The snippet of `text` as data: its best window and the spans inside it (clipped)."""
    lo, hi = window(text, spans, size)
    marks = [(max(s, lo), min(e, hi)) for s, e in spans if e > lo and s < hi]
    return SnippetWindow(lo, hi, marks, cut_before=lo > 0, cut_after=hi < len(text))


def to_html(text: str, snip: SnippetWindow) -> str:
    """HTML-escaped snippet with <mark>…</mark> around the marks and … where it is cut."""
    body = "".join("<mark>" + html.escape(piece) + "</mark>" if marked else html.escape(piece)
                   for piece, marked in snip.segments(text))
    return ("…" if snip.cut_before else "") + body + ("…" if snip.cut_after else "")

