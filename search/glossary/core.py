"""The glossary object: mined zh<->en pairs + user glossary + cross-Strait table -> expansions.

Index time:  `Glossary.build(articles, user_tsv)` mines every article, reads the user
             glossary, decides which pairs may expand (see `_expand_flags`) and `.save()`s
             one JSON file beside the index (`glossary.json`).
Query time:  `Glossary.load(index_dir)` reads that file and builds a dict of folded keys;
             `.expansions(term)` is a dict lookup (plus one in the lazily built cross-Strait
             table). No jieba at query time.

Expansions are deliberately conservative, because an expansion that matches the wrong
passages costs precision on every query that contains the term:
- only pairs the corpus (or the user) states, never machine translation;
- a mined pair whose Chinese side is a common word in jieba's dictionary (frequency >= 1000,
  e.g. 美國 in `ABC（美國）`, 州長) expands in neither direction: such a gloss is either an
  explanation rather than a translation or a boundary slip, and searching it costs precision;
- a mined single lowercase English word (`waive`) or a single word found by a loose rule
  (nouns, keywords, en-first), or that the corpus also writes in lower case as an ordinary
  word (`Fundamental`, `CAST`), does not expand from English to Chinese, nor does a one- or
  two-letter acronym glossed only once (`CM` would meet every "cm" of an English text);
- person names also expand by surname (`Lavrov` -> 拉夫羅夫), except pinyin names (`Wang Yi`:
  the last word is a given name) and surnames the corpus uses as lowercase words (rock,
  gates); acronyms by singular/plural (`CBM`, `CBMs`), case-insensitively;
- every expansion carries `weight` < 1 (user 0.8, cross-Strait 0.8, mined 0.7) for the engine
  to rank expansion-only matches a little below exact matches.
"""
from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from search.analysis import CJK_CHARS, UNFOLDED_CJK_CHARS, english_term
from search.glossary import cross_strait
from search.glossary.folding import key as fold_key
from search.glossary.mining import MinedPair, is_pinyin_name, mine_pairs_detailed, surname
from search.glossary.user import UserGlossary, read_user_tsv

FILENAME = "glossary.json"
FORMAT = 1
WEIGHTS = {"user": 0.8, "cross-strait": cross_strait.WEIGHT, "glossary": 0.7}
COMMON_ZH_FREQ = 1000          # jieba dictionary frequency at which a Chinese term is "common"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-]*[A-Z0-9]s?$")
_CODE = re.compile(r"^(?=.*[A-Z])(?=.*\d)[A-Za-z][A-Za-z0-9\-]*$")


@dataclass(frozen=True)
class Expansion:
    """One "also searched" term for a query term. `source`: "glossary" (mined from the
    corpus), "user" (corpus/glossary.tsv) or "cross-strait" (mainland/Taiwan vocabulary).
    `weight` (< 1) is the suggested boost relative to the user's own word."""

    term: str
    source: str
    weight: float = 0.7


@dataclass
class GlossaryEntry:
    """One zh<->en pair. `count`: times the corpus glosses it; `articles`: where (ids).
    `expand_zh`/`expand_en`: whether a query for that side searches the other side."""

    zh: str
    en: str
    count: int = 0
    articles: list[str] = field(default_factory=list)
    source: str = "glossary"
    person: bool = False
    rule: str = ""
    expand_zh: bool = True
    expand_en: bool = True


def _last_dotted(zh: str) -> str:
    """The last part of a dotted transliteration (谢尔盖·拉夫罗夫 -> 拉夫罗夫), when 2+ chars."""
    parts = re.split(r"[·‧•・]", zh)
    return parts[-1] if len(parts) > 1 and len(parts[-1]) >= 2 else zh


def _is_acronym(en: str) -> bool:
    return bool(_ACRONYM.match(en)) or bool(_CODE.match(en))


def en_keys(en: str, person: bool, common: frozenset = frozenset()) -> list[str]:
    """Folded keys under which an English term is found: itself, with hyphens as spaces,
    the singular of a plural acronym (CBMs -> cbm), the surname of a person (`person` is
    False for pinyin names, whose last word is a given name; a surname in `common`, the
    corpus's lowercase words such as rock/gates, is left out)."""
    keys = [fold_key(en)]
    if "-" in en:
        keys.append(fold_key(en.replace("-", " ")))
    if _ACRONYM.match(en) and en.endswith("s") and len(en) > 2:
        keys.append(fold_key(en[:-1]))
    elif _ACRONYM.match(en) and en.isalpha() and not en.endswith("s"):
        keys.append(fold_key(en + "s"))
    # the engine may look up an analysed token (Porter-stemmed, as the index stores English):
    # `CBMs` -> cbm, `diplomacy` -> diplomaci
    keys.extend(_stem(k) for k in list(keys) if " " not in k)
    last = fold_key(surname(en).rstrip("."))
    if person and last not in common:
        keys.append(last)                     # not its stem: `Gates` -> gate is a word
    return list(dict.fromkeys(k for k in keys if k))


def _stem(word: str) -> str:
    """The index form of one folded English word, `search.analysis.english_term`; a key
    with other characters (`u.s.`, `moscow's`) is no single token and stays as it is."""
    return english_term(word) if word.isalpha() else word


def _article_texts(article) -> list[str]:
    texts = [article.title or "", article.abstract or ""]
    texts.extend(p.text for p in article.passages)
    return [t for t in texts if t]


def mine_article(article) -> list[MinedPair]:
    """All glosses of one article (title, abstract, passages; not footnotes, which are
    citations), plus its Chinese/English keyword lists paired by position when both lists
    have the same length (`信心建立措施` <-> `confidence-building measures`)."""
    pairs: list[MinedPair] = []
    for text in _article_texts(article):
        pairs.extend(mine_pairs_detailed(text))
    zh_kw = [k.strip() for k in article.keywords or [] if k.strip()]
    en_kw = [k.strip().rstrip(".") for k in article.keywords_en or [] if k.strip()]
    if len(zh_kw) >= 2 and len(zh_kw) == len(en_kw):
        for zh, en in zip(zh_kw, en_kw):
            if _UNFOLDED_CJK.search(zh) and re.fullmatch(r"[A-Za-z][A-Za-z\- '’]{1,60}", en):
                pairs.append(MinedPair(zh, en, "keywords", False))
    return pairs


_LATIN_KEY = re.compile(r"^[a-z0-9]")
_CJK_KEY = re.compile(f"^[{CJK_CHARS}]")
_QUERY_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-\.&]*")
_CJK_RUN = re.compile(f"[{CJK_CHARS}·]+")
_UNFOLDED_CJK = re.compile(f"[{UNFOLDED_CJK_CHARS}]")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z'’\-]{2,}")


def _add_lowercase_words(words: set[str], a) -> None:
    """Add the words `a` writes in lower case (rock, gates, royal): a person's surname among
    the corpus's is too common to search alone."""
    for text in _article_texts(a) + [a.abstract_en or "", a.title_en or ""]:
        words.update(_LOWER_WORD.findall(text))


def _mine_all(articles, mined: dict, lowercase: dict[str, int]) -> None:
    """Mine each of `articles` into `mined` (by id) and count, in `lowercase`, the articles
    writing each lower-case word, in one pass: the indexer streams the articles from disk,
    never holding them all."""
    for a in articles:
        mined[a.id] = mine_article(a)
        _count_lowercase_words(lowercase, a, 1)


class Mining:
    """Articles mined as they are read, for a glossary built later (`Glossary.build` and
    `update` take it in place of the articles): the indexer mines each article once, while
    ingesting (its glossed names join the jieba lexicon), instead of reading the corpus a
    second time after writing the index."""

    def __init__(self):
        self.mined: dict[str, list[MinedPair]] = {}
        self.lowercase: dict[str, int] = {}

    def add(self, article) -> list[MinedPair]:
        """Mine `article`; returns its pairs."""
        pairs = mine_article(article)
        self.mined[article.id] = pairs or ()    # most articles gloss nothing: one shared ()
        _count_lowercase_words(self.lowercase, article, 1)
        return pairs

    def into(self, mined: dict, lowercase: dict[str, int]) -> None:
        """Add what was mined to `mined` and `lowercase`, as `_mine_all` of the same
        articles would."""
        mined.update(self.mined)
        for word, n in self.lowercase.items():
            lowercase[word] = lowercase.get(word, 0) + n


def _count_lowercase_words(lowercase: dict[str, int], article, step: int) -> None:
    """Add `step` (1 or -1) to the count of each lower-case word `article` writes; a word
    no article writes any more leaves the table."""
    words: set[str] = set()
    _add_lowercase_words(words, article)
    for w in words:
        n = lowercase.get(w, 0) + step
        if n > 0:
            lowercase[w] = n
        else:
            lowercase.pop(w, None)


def _jieba_freq():
    """jieba's own dictionary frequencies (never the analyzer's copies with corpus names)."""
    from search.analysis.jieba_dictionary import shared_dictionary
    return shared_dictionary().FREQ


def _expand_flags(entries: list[GlossaryEntry], common_zh_known: dict[str, bool]) -> None:
    """Decide per entry whether each side may expand (index time only: uses jieba's
    dictionary frequencies). `common_zh_known`: folded Chinese sides already looked up
    (jieba's dictionary does not change), filled with the new ones: an update that glosses
    nothing new never loads the dictionary (~1 s, ~100 MiB)."""
    freq = None
    for e in entries:
        if e.source == "user":
            e.expand_zh = e.expand_en = True
            continue
        k = fold_key(e.zh)
        common_zh = common_zh_known.get(k)
        if common_zh is None:
            freq = freq if freq is not None else _jieba_freq()
            common_zh = common_zh_known[k] = (freq.get(k, 0) or 0) >= COMMON_ZH_FREQ
        single = " " not in e.en
        loose = e.rule in ("nouns", "keywords", "en-first") and not e.person
        e.expand_zh = not common_zh
        short_acronym = _is_acronym(e.en) and len(e.en.rstrip("s")) <= 2 and e.count < 2
        e.expand_en = not common_zh and not short_acronym and not (
            single and not _is_acronym(e.en) and (e.en.islower() or loose))


def _sha256(path) -> str:
    from search.index.checksums import sha256_file

    try:
        return sha256_file(Path(path))
    except OSError:
        return ""


class Glossary:
    """Mined + user glossary with query-time expansion. Build at index time, load at query
    time; see the module docstring for the policy."""

    def __init__(self, entries=(), variants=(), suppress=(), mined=None,
                 user_tsv_sha256: str = "", problems=(), common_surnames=(),
                 lowercase: dict[str, int] | None = None, common_zh=None):
        self._entries: list[GlossaryEntry] = list(entries)
        self._variants: list[tuple[str, str]] = list(variants)      # user zh<->zh pairs
        self._suppress: list[tuple[str, str]] = list(suppress)      # user "-a<TAB>b" lines
        self._mined: dict[str, list[MinedPair]] = dict(mined or {})
        self.user_tsv_sha256 = user_tsv_sha256
        self.problems: list[str] = list(problems)
        self._common_surnames = frozenset(common_surnames)
        # what an update needs to assemble exactly what a build would: the articles writing
        # each lower-case word (None: a glossary saved before they were kept), and the
        # folded Chinese sides jieba's dictionary calls common (of the mined entries)
        self._lowercase = lowercase
        self._common_zh = frozenset(common_zh) if common_zh is not None else None

    _LOOKUPS = ("_map", "_blocked", "_max_words", "_max_chars", "_first_words")

    def __getattr__(self, name):
        """The lookup tables, built on first use: an update only reassembles the glossary
        it loaded, a query only looks terms up."""
        if name in Glossary._LOOKUPS:
            self._index()
            return self.__dict__[name]
        raise AttributeError(name)

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, articles, user_tsv=None, mining: Mining | None = None) -> "Glossary":
        """Mine `articles` (and take what `mining` mined) and merge the user glossary at
        `user_tsv` (a path or None)."""
        mined: dict[str, list[MinedPair]] = {}
        lowercase: dict[str, int] = {}
        if mining is not None:
            mining.into(mined, lowercase)
        _mine_all(articles, mined, lowercase)
        return cls._assemble(mined, user_tsv, lowercase)

    def update(self, articles=(), removed=(), user_tsv=None,
               removed_articles=None, mining: Mining | None = None) -> "Glossary":
        """A new glossary for an incremental index update: `articles` added or changed
        (and those `mining` mined), `removed` article ids gone; only those are mined again.
        The user glossary is always re-read (it is small).

        `removed_articles` (the removed articles' content as indexed, an iterable read
        once) takes their lower-case words out of the counts, and the result equals a
        build from the remaining and new articles. Without it (or from a glossary saved
        before the counts were kept) the update is approximate: a pair's English side or
        surname is only checked against the new articles' words and the common surnames
        known before, and the counts are not kept."""
        gone = set(removed)
        mined = {aid: pairs for aid, pairs in self._mined.items() if aid not in gone}
        exact = self._lowercase is not None and (removed_articles is not None or not gone)
        lowercase: dict[str, int] = dict(self._lowercase) if exact else {}
        for article in (removed_articles or ()) if exact else ():
            _count_lowercase_words(lowercase, article, -1)
        if mining is not None:
            mining.into(mined, lowercase)
        _mine_all(articles, mined, lowercase)
        known = self._known_common_zh()
        if exact:
            return self._assemble(mined, user_tsv, lowercase, common_zh_known=known)
        return self._assemble(mined, user_tsv, lowercase, self._common_surnames,
                              keep_counts=False, common_zh_known=known)

    def count_lowercase_words(self, articles) -> None:
        """Count the lower-case words of `articles()` (every article this glossary was
        built from, one at a time) when it was saved without the counts; else a no-op."""
        if self._lowercase is None:
            lowercase: dict[str, int] = {}
            for article in articles():
                _count_lowercase_words(lowercase, article, 1)
            self._lowercase = lowercase

    def _known_common_zh(self) -> dict[str, bool]:
        """{folded Chinese side: common?} of this glossary's mined entries (all were looked
        up when it was assembled), {} for a glossary saved before they were kept."""
        if self._common_zh is None:
            return {}
        return {k: k in self._common_zh for k in
                (fold_key(e.zh) for e in self._entries if e.source != "user")}

    @classmethod
    def _assemble(cls, mined: dict[str, list[MinedPair]], user_tsv, lowercase: dict[str, int],
                  common_before=frozenset(), keep_counts: bool = True,
                  common_zh_known: dict[str, bool] | None = None) -> "Glossary":
        user = read_user_tsv(user_tsv) if user_tsv else UserGlossary()
        by_key: dict[tuple[str, str], GlossaryEntry] = {}
        for aid in sorted(mined):
            for p in mined[aid]:
                k = (fold_key(p.zh), fold_key(p.en))
                e = by_key.get(k)
                if e is None:
                    e = by_key[k] = GlossaryEntry(p.zh, p.en, 0, [], "glossary", p.person, p.rule)
                e.count += 1
                e.person = e.person or p.person
                if aid not in e.articles:
                    e.articles.append(aid)
        suppress = [(fold_key(a), fold_key(b)) for a, b in user.suppress]

        def suppressed(zh: str, en: str) -> bool:
            kz, ke = fold_key(zh), fold_key(en)
            return any((a in ("*", kz) and b in ("*", ke)) or (a == ke and b == kz)
                       for a, b in suppress)

        entries = [e for e in by_key.values() if not suppressed(e.zh, e.en)]
        for zh, en in user.pairs:
            k = (fold_key(zh), fold_key(en))
            e = by_key.get(k)
            if e is not None and e in entries:
                e.source = "user"
            else:
                # exactly what the user wrote: no surname key ("Wang Yi" is surname-first)
                entries.append(GlossaryEntry(zh, en, 0, [], "user", False, "user"))
        entries.sort(key=lambda e: (-e.count, e.source != "user", fold_key(e.zh), e.en.lower()))
        known = dict(common_zh_known or {})
        _expand_flags(entries, known)
        for e in entries:          # `Fundamental`, `CAST`: also an ordinary English word here?
            if e.source != "user" and " " not in e.en and fold_key(e.en) in lowercase:
                e.expand_en = False
        surnames = {fold_key(surname(e.en)) for e in entries if e.person}
        common = (surnames & lowercase.keys()) | (surnames & set(common_before))
        common_zh = {fold_key(e.zh) for e in entries if e.source != "user"
                     and known.get(fold_key(e.zh))}
        return cls(entries, user.variants, user.suppress, mined,
                   _sha256(user_tsv) if user_tsv else "", user.problems, common,
                   lowercase if keep_counts else None, common_zh)

    # ------------------------------------------------------------------ persistence

    def save(self, index_dir) -> Path:
        """Write `glossary.json` into `index_dir` (atomically: temp file + rename)."""
        path = Path(index_dir) / FILENAME
        data = {
            "format": FORMAT,
            "user_tsv_sha256": self.user_tsv_sha256,
            "entries": [asdict(e) for e in self._entries],
            "variants": [list(v) for v in self._variants],
            "suppress": [list(s) for s in self._suppress],
            "problems": self.problems,
            "common_surnames": sorted(self._common_surnames),
            "mined": {aid: [[p.zh, p.en, p.rule, p.person] for p in pairs]
                      for aid, pairs in sorted(self._mined.items())},
        }
        if self._lowercase is not None:
            data["lowercase"] = dict(sorted(self._lowercase.items()))
        if self._common_zh is not None:
            data["common_zh"] = sorted(self._common_zh)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, index_dir) -> "Glossary":
        """Read `glossary.json` from `index_dir`; a missing or unreadable file (an index
        built before the glossary existed) gives an empty glossary, still with cross-Strait
        expansion."""
        path = Path(index_dir) / FILENAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("format")
            entries = [GlossaryEntry(**e) for e in data.get("entries", [])]
            mined = {aid: [MinedPair(zh, en, rule, bool(person)) for zh, en, rule, person in pairs]
                     for aid, pairs in data.get("mined", {}).items()}
            lowercase = data.get("lowercase")
            if lowercase is not None and not all(isinstance(n, int) for n in lowercase.values()):
                raise ValueError("lowercase")
            return cls(entries, [tuple(v) for v in data.get("variants", [])],
                       [tuple(s) for s in data.get("suppress", [])], mined,
                       data.get("user_tsv_sha256", ""), data.get("problems", []),
                       data.get("common_surnames", []), lowercase, data.get("common_zh"))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()                 # unreadable: search still runs, cross-Strait only

    # ------------------------------------------------------------------ lookups

    def _index(self) -> None:
        m: dict[str, list[Expansion]] = defaultdict(list)
        by_zh: dict[str, list[GlossaryEntry]] = defaultdict(list)
        by_en: dict[str, list[GlossaryEntry]] = defaultdict(list)
        for e in self._entries:
            by_zh[fold_key(e.zh)].append(e)
            by_en[fold_key(e.en)].append(e)
            w = WEIGHTS[e.source]
            person = e.person and not is_pinyin_name(e.en)
            # 谢尔盖·拉夫罗夫: later mentions say 拉夫罗夫 only, so that is what to search
            zh_short = _last_dotted(e.zh) if person else e.zh
            if e.expand_zh:
                last = surname(e.en).rstrip(".")
                target = last if person and fold_key(last) not in self._common_surnames else e.en
                for k in dict.fromkeys((fold_key(e.zh), fold_key(zh_short))):
                    m[k].append(Expansion(target, e.source, w))
            if e.expand_en:
                for k in en_keys(e.en, person, self._common_surnames):
                    m[k].append(Expansion(zh_short, e.source, w))
        # siblings: other English forms of the same Chinese term (CBMs <-> confidence-
        # building measures), other Chinese forms of the same English term (普欽/普丁)
        for group in by_zh.values():
            for a in group:
                for b in group:
                    if a is not b and a.expand_en and b.expand_en:
                        for k in en_keys(a.en, False):
                            m[k].append(Expansion(b.en, b.source, WEIGHTS[b.source]))
        for group in by_en.values():
            for a in group:
                for b in group:
                    if a is not b and a.expand_zh and b.expand_zh:
                        m[fold_key(a.zh)].append(Expansion(b.zh, b.source, WEIGHTS[b.source]))
        for a, b in self._variants:
            m[fold_key(a)].append(Expansion(b, "user", WEIGHTS["user"]))
            m[fold_key(b)].append(Expansion(a, "user", WEIGHTS["user"]))
        self._blocked = set()
        for a, b in self._suppress:
            ka, kb = fold_key(a), fold_key(b)
            self._blocked.update({(ka, kb), (kb, ka)})
        self._map = {k: self._dedupe(k, v) for k, v in m.items()}
        self._max_words = max((k.count(" ") + 1 for k in self._map if _LATIN_KEY.match(k)),
                              default=1)
        self._max_chars = max((len(k) for k in self._map if _CJK_KEY.match(k)), default=0)
        self._first_words = {k.split(" ", 1)[0] for k in self._map if " " in k}

    @staticmethod
    def _dedupe(k: str, exps: list[Expansion]) -> list[Expansion]:
        seen = {k}
        out = []
        for x in sorted(exps, key=lambda x: -x.weight):   # stable: user first, then mined
            kx = fold_key(x.term)
            if kx not in seen:
                seen.add(kx)
                out.append(x)
        return out

    def expansions(self, term: str, cross_strait_vocab: bool = True) -> list[Expansion]:
        """Terms to search besides `term` (any script/case), best first; [] when none.

        Glossary partners first, then cross-Strait partners of the term itself (weight 0.8),
        then cross-Strait partners of its glossary partners (Putin -> 普欽 -> 普京, weight
        0.7 x 0.8). `cross_strait_vocab=False` leaves the cross-Strait table out."""
        k = fold_key(term)
        if not k:
            return []
        found = self._map.get(k, ())
        out = list(found)
        if cross_strait_vocab:
            seen = None
            chained = [(p, WEIGHTS["cross-strait"]) for p in cross_strait.partners(k)]
            for x in found:
                w = round(x.weight * WEIGHTS["cross-strait"], 2)
                chained.extend((p, w) for p in cross_strait.partners(fold_key(x.term)))
            for p, w in chained:
                if seen is None:
                    seen = {k} | {fold_key(x.term) for x in out}
                kp = fold_key(p)
                if kp not in seen:
                    seen.add(kp)
                    out.append(Expansion(p, "cross-strait", w))
        if self._blocked:
            out = [x for x in out if (k, fold_key(x.term)) not in self._blocked]
        return out

    def find_terms(self, text: str, cross_strait_vocab: bool = True) -> list[tuple[int, int, str]]:
        """Glossary terms inside a whole query, as (start, end, text) spans of `text`,
        longest first and not overlapping: multi-word English terms (`confidence-building
        measures` typed without quotes, `Partnership for Peace`) and Chinese terms of 3+
        characters inside a run (`拉夫羅夫訪問北京`). For the query builder: call
        `expansions(span_text)` for each span and add the alternatives like a word's.
        Single English words and 2-character Chinese words are left to the per-word lookup."""
        from search.glossary.folding import fold
        folded = fold(text)
        spans: list[tuple[int, int, str]] = []
        taken = [False] * len(text)

        def known(k: str) -> bool:
            return k in self._map or (cross_strait_vocab and bool(cross_strait.partners(k)))

        words = [(m.start(), m.end()) for m in _QUERY_WORD.finditer(folded)]
        for n in range(min(self._max_words, len(words)), 1, -1):
            for i in range(len(words) - n + 1):
                a, b = words[i][0], words[i + n - 1][1]
                if folded[a:words[i][1]] not in self._first_words or any(taken[a:b]):
                    continue
                if known(fold_key(folded[a:b])):
                    spans.append((a, b, text[a:b]))
                    taken[a:b] = [True] * (b - a)
        longest = max(self._max_chars, 8 if cross_strait_vocab else 0)
        for m in _CJK_RUN.finditer(folded):
            a0, b0 = m.span()
            for n in range(min(longest, b0 - a0), 2, -1):
                for a in range(a0, b0 - n + 1):
                    if any(taken[a:a + n]):
                        continue
                    if known(folded[a:a + n]):
                        spans.append((a, a + n, text[a:a + n]))
                        taken[a:a + n] = [True] * n
        return sorted(spans)

    def entries(self) -> list[GlossaryEntry]:
        """zh<->en pairs (mined and user), most glossed first."""
        return list(self._entries)

    def variants(self) -> list[tuple[str, str]]:
        """Chinese<->Chinese pairs of the user glossary (信心建立措施 / 建立信任措施)."""
        return list(self._variants)

    def lexicon(self) -> set[str]:
        """Folded Chinese terms of the glossary, for the analyzer's jieba user words, so a
        glossed name such as 拉夫羅夫 stays one token."""
        return {fold_key(e.zh) for e in self._entries} | \
            {fold_key(x) for pair in self._variants for x in pair}

    def keys(self) -> set[str]:
        """All folded keys that have glossary expansions (cross-Strait excluded)."""
        return set(self._map)

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return True
