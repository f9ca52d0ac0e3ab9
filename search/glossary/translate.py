"""Query translation: the Chinese an English query also searches, and the English a Chinese
query also searches, as typed synonym sets.

What the cross-language retrieval literature found works, and what this does:
- longest phrase first: `joint military exercise` -> 联合军演 before 联合 + 军事 + 演习 (English
  runs: greedy over index terms, up to the longest dictionary key; Chinese runs: forward
  maximum matching over folded headwords);
- one synonym set per source unit (Pirkola's structured queries): the eight senses of one
  word are alternatives of one clause, so they do not outweigh a word with one sense;
- sense selection by the target collection: given `doc_frequency(field, term)`, translations
  that do not occur in the index are dropped, and the ones that occur come first;
- layers in order of trust, each candidate tagged with its layer: the user glossary
  (`user`), pairs mined from the corpus (`glossary`), the cross-Strait table
  (`cross-strait`), CC-CEDICT (`cc-cedict`); a unit's glossary partners come before its
  dictionary senses, whatever their frequency (北約 (user) before 北大西洋公約組織);
- every translation weighs less than the user's own words (`weight` < 1);
- stop words and question words (English: how, many, what...; Chinese:
  `search.ranking.QUESTION_WORDS` and particles like 的, 了) are dropped, not translated;
  names and designators (Su-27, Valdai) are units without translations: the query keeps them.

Nothing here touches the query parser: the engine turns a `Translation` into clauses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from search.analysis import CJK_CHARS, english_term
from search.glossary import cedict as cedict_mod
from search.glossary import cross_strait
from search.ranking import QUESTION_WORDS
from search.glossary.folding import fold, key as fold_key

DocFrequency = Callable[[str, str], int]

WEIGHTS = {"user": 0.8, "glossary": 0.7, "cross-strait": 0.8, cedict_mod.SOURCE: 0.6}
# ranks beyond the first lose this much weight each (a set's best translation leads)
RANK_DECAY = 0.85
MAX_CANDIDATES = 6
SURFACE_FIRST = True             # dictionary senses spelt like the query word come first
EN_SENSE_ORDER = "dict"          # English senses of a Chinese word: "dict" order or "df"
SENSE_ORDER = "df"               # dictionary candidates: "df" (most passages first) or "dict"
SEGMENT = "fmm"                # Chinese units: "jieba" words (dictionary-matched inside) or "fmm"
SINGLE_CHARS = 1                 # senses kept for a lone character (0: not translated)
MAX_ZH_CHARS = 8                 # longest Chinese unit tried (CC-CEDICT has 16, all idioms)
COHERENCE = "cos"                # sense selection by co-occurrence ("cos", "dice", "" off)
COHERENCE_CANDIDATES = 3         # how many of a unit's first candidates it may reorder

# English words that carry no topic in a question beyond ENGLISH_STOP_WORDS, as index
# forms (stemmed): question padding (how many, what kind, the name of) and light verbs
# whose translations match everything (get, take, give, make).
EN_QUESTION_TERMS = frozenset(
    "mani much whose name call kind type also get got take took taken give gave given make "
    "made go went gone come came use known".split())
_EN_STOP = frozenset({english_term(w) for w in EN_QUESTION_TERMS} | EN_QUESTION_TERMS)
_QUESTION_WORDS_LONGEST_FIRST = tuple(sorted(QUESTION_WORDS, key=len, reverse=True))
# Chinese words that translate to nothing useful (particles, pronouns, copulas), folded.
ZH_STOP_WORDS = frozenset("""
的 了 在 是 和 与 及 或 也 都 被 把 将 对 于 从 以 而 就 有 这 那 之 其 等 吗 呢 吧 啊 个 些 所
为 由 向 给 让 使 着 过 还 又 并 但 却 则 此 该 各 每 某 曾 已 已经 一个 这个 那个 这些 那些
他 她 它 他们 她们 它们 我们 你们 我 你 其中 因为 所以 如果 虽然 但是 而且 以及 什么样 时候 哪种
""".split())

_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


@dataclass(frozen=True)
class Candidate:
    """One translation of a unit. `text`: what is searched and shown (Chinese in
    Traditional form where it differs, English as the dictionary writes it); `source`: the
    layer it came from; `weight` (< 1): its boost relative to the user's own words;
    `gloss`: for a Chinese translation, the English sense that chose it."""

    text: str
    source: str
    weight: float
    gloss: str = ""


@dataclass(frozen=True)
class SynonymSet:
    """The translations of one source unit (`text`, characters `start`..`end` of the
    query), best first; searched as one clause. Empty `candidates`: a name or word with
    no translation, searched as typed."""

    text: str
    start: int
    end: int
    lang: str                      # language of the source unit: "en" or "zh"
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Translation:
    """A whole query's translation: its units in query order, and the words dropped as
    stop or question words."""

    text: str
    units: tuple[SynonymSet, ...] = ()
    dropped: tuple[str, ...] = field(default=())

    def terms(self, per_set: int = 2) -> list[str]:
        """The best `per_set` translations of each unit, for a plain query string."""
        out: list[str] = []
        for u in self.units:
            out.extend(c.text for c in u.candidates[:per_set])
        return out


# --------------------------------------------------------------------------- helpers

def _occurs_zh(df: DocFrequency | None, word: str) -> int:
    """How many passages hold a Chinese word: as a jieba word of `body`, else (a word
    jieba splits) the rarest of its character bigrams in `grams`; 1 when unknown."""
    if df is None:
        return 1
    k = fold(word)
    n = df("body", k)
    if n or len(k) < 2:
        return n
    return min(df("grams", k[i:i + 2]) for i in range(len(k) - 1))


def _occurs_en(df: DocFrequency | None, terms: tuple[str, ...]) -> int:
    """Passages holding the rarest word of an English phrase (0: some word never occurs)."""
    if df is None:
        return 1
    return min((df("body", t) for t in terms), default=0)


def _weighted(cands: list[tuple[str, str, str]]) -> tuple[Candidate, ...]:
    """(text, source, gloss) best first -> Candidates with decaying weights, deduplicated by
    folded form."""
    out, seen = [], set()
    for text, source, gloss in cands:
        k = fold_key(text)
        if k in seen:
            continue
        seen.add(k)
        w = WEIGHTS.get(source, 0.6) * RANK_DECAY ** len(out)
        out.append(Candidate(text, source, round(w, 3), gloss))
        if len(out) >= MAX_CANDIDATES:
            break
    return tuple(out)


def _with_variants(cands: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Each Chinese candidate followed by its cross-Strait partners (导弹 -> 飛彈)."""
    out = []
    for text, source, gloss in cands:
        out.append((text, source, gloss))
        for p in cross_strait.partners(fold_key(text)):
            out.append((p, "cross-strait", gloss))
    return out


def _glossary_partners(glossary, text: str, want_cjk: bool) -> list[tuple[str, str, str]]:
    if glossary is None:
        return []
    out = []
    for x in glossary.expansions(text, cross_strait_vocab=False):
        if bool(_CJK_RUN.search(x.term)) == want_cjk:
            out.append((x.term, x.source, text if want_cjk else ""))
    return out


# --------------------------------------------------------------------------- English -> Chinese

def _english_tokens(text: str, dropped: list[str]):
    """(index term, start, end) of the query's English words, stop and question words left
    out (and recorded in `dropped`)."""
    out = []
    for m in _LATIN_WORD.finditer(text):
        terms = cedict_mod.english_terms(m.group())
        kept = [t for t in terms if t not in _EN_STOP]
        if not kept:
            dropped.append(m.group())
            continue
        for t in kept:
            out.append((t, m.start(), m.end()))
    return out


def _translate_english(text, tokens, dic, glossary, df) -> list[SynonymSet]:
    units = []
    i = 0
    longest = max(dic.max_en_words, 1)
    while i < len(tokens):
        found = None
        if any(c.isdigit() for c in tokens[i][0]):          # 1960, Su-27, 4:51: as typed
            longest_here = 0
        else:
            longest_here = min(longest, len(tokens) - i)
        for n in range(longest_here, 0, -1):
            if any(c.isdigit() for c in tokens[i + n - 1][0]):
                continue
            start, end = tokens[i][1], tokens[i + n - 1][2]
            src = text[start:end]
            cands = _glossary_partners(glossary, src, want_cjk=True)
            if not cands and n == 1:
                cands = _glossary_partners(glossary, tokens[i][0], want_cjk=True)
            key = " ".join(t for t, _s, _e in tokens[i:i + n])
            cands += [(trad, cedict_mod.SOURCE, gloss) for _simp, trad, gloss in dic.chinese(key)]
            if cands:
                found = (n, start, end, src, cands)
                break
        if found is None:
            t, s, e = tokens[i]
            units.append(SynonymSet(text[s:e], s, e, "en"))
            i += 1
            continue
        n, start, end, src, cands = found
        cands = _select(_with_variants(cands), lambda c: _occurs_zh(df, c), src)
        units.append(SynonymSet(src, start, end, "en", cands))
        i += n
    return units


def _select(cands, occurs, src: str = "") -> tuple[Candidate, ...]:
    """Sense selection: keep candidates that occur in the index; trusted layers keep their
    order; then dictionary senses spelt as the query spells them (`receiver`, not
    `receive` that stems alike), each group ordered by how many passages hold the
    translation (the usual translation is the common one), ties by dictionary order."""
    scored = []
    surface = src.lower()
    for pos, (text, source, gloss) in enumerate(cands):
        n = occurs(text)
        if n <= 0:
            continue
        layer = 0 if source in ("user", "glossary") else \
            1 if SURFACE_FIRST and gloss.lower() == surface else 2
        by_df = -n if layer and SENSE_ORDER == "df" else 0
        scored.append(((layer, by_df, pos), (text, source, gloss)))
    scored.sort(key=lambda x: x[0])
    return _weighted([c for _k, c in scored])


# --------------------------------------------------------------------------- Chinese -> English

def _question_word_at(folded: str, i: int, end: int) -> int:
    """Length of the question word (search.ranking.QUESTION_WORDS) at `folded[i:end]`, or 0."""
    for q in _QUESTION_WORDS_LONGEST_FIRST:
        if folded.startswith(q, i) and i + len(q) <= end:
            return len(q)
    return 0


def _jieba_words(text: str) -> list[str]:
    from search.analysis.jieba_dictionary import shared_dictionary
    return shared_dictionary().lcut(text, HMM=False)


def _pieces(folded: str, start: int, end: int, dic, glossary, segment):
    """Split one folded CJK run into (start, end) units: `segment`'s words (jieba), each
    word unknown to the layers split again by forward maximum matching, which is also the
    whole method when `segment` is None."""
    def known(piece: str) -> bool:
        return dic.has_chinese(piece) or bool(
            glossary is not None and glossary.expansions(piece, cross_strait_vocab=False))

    def fmm(a: int, b: int):
        i = a
        while i < b:
            q = _question_word_at(folded, i, b)
            if q:
                yield i, i + q
                i += q
                continue
            n = 1
            for size in range(min(MAX_ZH_CHARS, b - i), 1, -1):
                if known(folded[i:i + size]):
                    n = size
                    break
            yield i, i + n
            i += n

    if segment is None:
        yield from fmm(start, end)
        return
    i = start
    for word in segment(folded[start:end]):
        a, b = i, i + len(word)
        i = b
        if b - a == 1 or known(word) or _question_word_at(folded, a, b) == b - a:
            yield a, b
        else:
            yield from fmm(a, b)


def _translate_chinese(text, dic, glossary, df, dropped, segment) -> list[SynonymSet]:
    folded = fold(text)
    units = []
    for m in _CJK_RUN.finditer(folded):
        for a, b in _pieces(folded, m.start(), m.end(), dic, glossary, segment):
            piece, src = folded[a:b], text[a:b]
            if piece in ZH_STOP_WORDS or piece in QUESTION_WORDS:
                dropped.append(src)
                continue
            cands = _glossary_partners(glossary, src, want_cjk=False)
            senses = dic.english(piece)
            if b - a == 1:
                senses = senses[:SINGLE_CHARS]   # a lone character: only its main senses
            cands += [(g, cedict_mod.SOURCE, "") for g in senses]
            units.append(SynonymSet(src, a, b, "zh", _select_english(cands, df)))
    return units


def _select_english(cands, df) -> tuple[Candidate, ...]:
    """English senses that occur in the index (every index word of the sense), trusted
    layers first, then dictionary order (CC-CEDICT lists the main sense first)."""
    kept = []
    for pos, (text, source, gloss) in enumerate(cands):
        terms = cedict_mod.english_terms(text)
        n = _occurs_en(df, terms) if terms else 0
        if n > 0:
            layer = 0 if source in ("user", "glossary") else 1
            by_df = -n if layer and EN_SENSE_ORDER == "df" else 0
            kept.append(((layer, by_df, pos), (text, source, gloss)))
    kept.sort(key=lambda x: x[0])
    return _weighted([c for _k, c in kept])


# --------------------------------------------------------------------------- entry point

def translate(text: str, doc_frequency: DocFrequency | None = None, glossary=None,
              dictionary=None, segment: Callable[[str], list[str]] | None = None,
              postings: Callable[[str], frozenset] | None = None) -> Translation:
    """Translate every part of a query: its English words into Chinese and its Chinese
    runs into English (a mixed query gets both). `doc_frequency(field, term)` (the index's,
    on folded/stemmed terms) selects senses; None keeps every sense. `glossary`: a
    `search.glossary.Glossary` for the user and mined layers; `dictionary`: a
    `cedict.Cedict` (default: the machine's cached CC-CEDICT); `segment`: Chinese word
    segmentation of a folded run (default: jieba's dictionary, no HMM: an unknown word is
    better split into dictionary words than guessed)."""
    dic = dictionary if dictionary is not None else cedict_mod.get()
    dropped: list[str] = []
    tokens = _english_tokens(text, dropped)
    units = _translate_english(text, tokens, dic, glossary, doc_frequency)
    if segment is None and SEGMENT == "jieba" and _CJK_RUN.search(text):
        segment = _jieba_words
    units += _translate_chinese(text, dic, glossary, doc_frequency, dropped, segment)
    units.sort(key=lambda u: u.start)
    if postings is not None and COHERENCE:
        units = cohere(units, postings)
    return Translation(text, tuple(units), tuple(dropped))


# --------------------------------------------------------------------------- co-occurrence

def cohere(units: list[SynonymSet], postings) -> list[SynonymSet]:
    """Sense selection by co-occurrence (Ballesteros & Croft; Gao et al.): the right senses
    of a query's words occur together in passages, the wrong ones do not (`points` -> 分
    beside 防守 and 球季, not 指示). Each unit's dictionary candidates are ordered by their
    summed association with the best-associated candidate of every other unit (cosine of
    their passage sets, `postings(candidate)`); trusted layers keep their place first."""
    n = COHERENCE_CANDIDATES
    sets = [[postings(c.text) for c in u.candidates[:n]] for u in units]
    seen: dict = {}

    def pair(i, a, j, b):          # association of candidate a of unit i, b of unit j
        key = (i, a, j, b) if i < j else (j, b, i, a)
        if key not in seen:
            seen[key] = _assoc(sets[i][a], sets[j][b])
        return seen[key]

    out = []
    for i, u in enumerate(units):
        if len(u.candidates) < 2 or sum(1 for s in sets if any(s)) < 2:
            out.append(u)
            continue
        scored = []
        for pos, (c, a) in enumerate(zip(u.candidates[:n], sets[i])):
            coh = 0.0
            for j, others in enumerate(sets):
                if j == i or not a:
                    continue
                coh += max((pair(i, pos, j, k) for k, b in enumerate(others) if b),
                           default=0.0)
            layer = 0 if c.source in ("user", "glossary") else 1
            scored.append(((layer, -round(coh, 6), pos), (c.text, c.source, c.gloss)))
        scored.sort(key=lambda x: x[0])
        rest = [(c.text, c.source, c.gloss) for c in u.candidates[n:]]
        out.append(SynonymSet(u.text, u.start, u.end, u.lang,
                              _weighted([c for _k, c in scored] + rest)))
    return out


def _assoc(a, b) -> float:
    """Association of two passage sets (frozensets, or the engine's `postings.DocIds`:
    sorted arrays; only `len` and `&` are used)."""
    both = len(a & b) if len(a) < len(b) else len(b & a)
    if not both:
        return 0.0
    if COHERENCE == "dice":
        return 2 * both / (len(a) + len(b))
    return both / (len(a) * len(b)) ** 0.5
