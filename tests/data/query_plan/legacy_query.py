"""User query -> Whoosh query. Never raises anything but QueryError.

Syntax (a small hand-written parser; Whoosh's QueryParser errors never reach the user):

    words            plain words: any may be absent, passages matching more rank higher
    "a phrase"       exact sequence, also across jieba's segmentation (grams positions);
                     “…” and 「…」 quote too; an unclosed quote runs to the end
    a OR b           either (also `|`)
    NOT a, -a        exclude
    +a               require a word
    title:x  author:x  venue:x  lang:en|zh|zh-Hant|zh-Hans  article:ID
    year:2005  year:2005..2010  year:..2010  date:2021-04  date:2021-01..2021-06-30

Quoted phrases and field filters are required; plain words are optional with a coordination
bonus (passages matching more of them rank higher, none is lost for missing one word).
Anything the grammar does not expect (a lone operator, stray quote, emoji, control
characters) is dropped, not an error; only an empty query or a bad filter value is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from search import ranking
from search.analysis import CJK_CHARS
from search.errors import QueryError

MAX_QUERY_CHARS = 2000
FIELD_ALIASES = {"title": "title", "author": "author", "authors": "author", "lang": "lang",
                 "language": "lang", "article": "article", "year": "year", "date": "date",
                 "venue": "venue", "journal": "venue"}
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}
LANGS = {"en": ["en"], "english": ["en"], "zh": ["zh-Hant", "zh-Hans"],
         "zh-hant": ["zh-Hant"], "zh-tw": ["zh-Hant"], "hant": ["zh-Hant"], "tw": ["zh-Hant"],
         "zh-hans": ["zh-Hans"], "zh-cn": ["zh-Hans"], "hans": ["zh-Hans"], "cn": ["zh-Hans"]}
_CJK_RE = re.compile(f"[{CJK_CHARS}]")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_SPACED_HEAD = re.compile(r"^[A-Z]{1,3}$")
_QUESTION_RE = re.compile("|".join(ranking.QUESTION_WORDS))
EMPTY_QUERY = 'empty query: type a word or a "phrase" to search'


@dataclass
class Clause:
    kind: str                  # "word" | "phrase" | "field" | "or"
    text: str = ""
    fname: str = ""            # for kind "field": title author venue lang article year date
    negated: bool = False
    required: bool = False
    members: list["Clause"] = field(default_factory=list)


@dataclass
class ParsedQuery:
    """What the searcher needs: the Whoosh query plus what to highlight and explain."""

    text: str
    query: wq.Query | None                                  # None: nothing to search for
    highlight: list[str] = field(default_factory=list)    # folded terms / phrases to mark
    # single CJK characters of split words: marked only in a passage where nothing else is
    fallback_highlight: list[str] = field(default_factory=list)
    words: list[tuple[str, list[str]]] = field(default_factory=list)  # (word, its tokens)
    expansions: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    has_text: bool = True
    proximity: list[str] = field(default_factory=list)    # folded word clauses, for rerank
    expanded: set = field(default_factory=set)             # terms already expanded


# -- lexing -----------------------------------------------------------------------------

def clean(text: str) -> str:
    """Drop control/format characters and emoji-like symbols; collapse whitespace."""
    if not isinstance(text, str):
        raise QueryError(EMPTY_QUERY)
    text = text[:MAX_QUERY_CHARS * 3]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn") or cat == "So":
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())[:MAX_QUERY_CHARS]


PASTE_CHARS = 120      # longer input is a pasted text: its 「」/“” are not phrase operators


def parse(text: str) -> list[Clause]:
    """Clauses of a cleaned query string, OR groups folded in."""
    quotes = QUOTES if len(text) <= PASTE_CHARS else {'"': '"'}
    clauses: list[Clause] = []
    i, n = 0, len(text)
    negate = require = False
    pending_or = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in quotes:
            close = quotes[ch]
            j = text.find(close, i + 1)
            j = n if j < 0 else j
            body = text[i + 1:j].strip()
            i = j + 1
            if body:
                clauses.append(Clause("phrase", body, negated=negate, required=True))
                pending_or = _merge_or(clauses, pending_or)
            negate = require = False
            continue
        j = i
        while j < n and not text[j].isspace() and not (j > i and text[j] in quotes
                                                      and text[j - 1] != ":"):
            j += 1
        word = text[i:j]
        i = j
        if word in ("OR", "|", "||"):
            pending_or = bool(clauses) and not negate
            continue
        if word in ("AND", "&&", "&"):
            continue
        if word == "NOT" or (word in ("-", "+") and i < n and text[i] in quotes):
            negate, require = (True, False) if word != "+" else (negate, True)
            continue
        if word.startswith("-") and len(word) > 1 and not word[1].isdigit():
            negate, word = True, word.lstrip("-")
        elif word.startswith("+") and len(word) > 1:
            require, word = True, word.lstrip("+")
        name, sep, value = word.partition(":")
        if sep and name.lower() in FIELD_ALIASES:
            fname = FIELD_ALIASES[name.lower()]
            if not value and i < n and text[i] in quotes:
                close = quotes[text[i]]
                j = text.find(close, i + 1)
                j = n if j < 0 else j
                value, i = text[i + 1:j].strip(), j + 1
            elif value and value[0] in quotes:
                close = quotes[value[0]]
                if close in value[1:]:
                    value = value[1:value.index(close, 1)]
                else:
                    j = text.find(close, i)
                    j = n if j < 0 else j
                    value, i = (value[1:] + text[i:j]).strip(), j + 1
            value = value.strip()
            if value:
                clauses.append(Clause("field", value, fname=fname, negated=negate,
                                      required=True))
                pending_or = _merge_or(clauses, pending_or)
            negate = require = False
            continue
        if not _WORD_CHAR.search(word):
            negate = require = False
            continue
        prev = clauses[-1] if clauses else None
        if (prev is not None and prev.kind == "word" and not prev.negated
                and _SPACED_HEAD.match(prev.text)
                and word[0].isdigit() and not pending_or and not negate and not require):
            prev.text += " " + word          # "SU 27": one designator for the analyzer
        else:
            clauses.append(Clause("word", word, negated=negate, required=require))
            pending_or = _merge_or(clauses, pending_or)
        negate = require = False
    return clauses


def _merge_or(clauses: list[Clause], pending: bool) -> bool:
    """Fold the clause just appended into an OR group with the one before it."""
    if not pending or len(clauses) < 2 or clauses[-1].negated or clauses[-2].negated:
        return False
    last = clauses.pop()
    prev = clauses[-1]
    if prev.kind != "or":
        prev = Clause("or", members=[prev])
        clauses[-1] = prev
    prev.members.append(last)
    prev.required = all(m.required for m in prev.members)
    return False


# -- building ---------------------------------------------------------------------------

class QueryBuilder:
    """Turns clauses into Whoosh queries with the index's own analyzers (same lexicon)."""

    def __init__(self, schema, glossary=None, doc_count: int = 0, doc_frequency=None,
                 fields=None):
        self.schema = schema
        # fields that hold any text in this index: a term in an empty field costs a lookup
        # per segment and can never match
        self.fields = set(fields) if fields is not None else set(schema.names())
        self.words = schema["body"].analyzer
        self.grams = schema["grams"].analyzer
        self.glossary = glossary
        self.doc_count = doc_count
        self.doc_frequency = doc_frequency     # callable(field, text) -> int, or None

    def build(self, text: str, lang=None, article=None, year_from=None, year_to=None,
              expand: bool = True, venue=None) -> ParsedQuery:
        cleaned = clean(text)
        clauses = parse(cleaned)
        out = ParsedQuery(text=text, query=None)
        out.explain.append(f"normalised: {cleaned!r}")
        required, optional, negated, filters = [], [], [], []
        budget = [ranking.MAX_QUERY_TOKENS]
        for clause in clauses:
            if clause.kind == "field" and not clause.negated:
                filters.append(self._field(clause, out))
                continue
            q = self._clause(clause, out, budget, expand and not clause.negated)
            if q is None:
                continue
            if isinstance(q, list):            # the units of a plain word
                if clause.required:
                    required.append(q[0] if len(q) == 1 else wq.And(q))
                else:
                    optional.extend(q)
                continue
            if clause.negated:
                negated.append(q)
            elif clause.required:
                required.append(q)
            else:
                optional.append(q)
        if expand and optional:
            plain = " ".join(c.text for c in clauses if c.kind == "word" and not c.negated)
            optional.extend(self._span_expansions(plain, out))
        filters.extend(self._api_filters(lang, article, year_from, year_to, out, venue))
        if not (required or optional or negated or filters):
            if clauses:
                out.has_text = False
                out.explain.append("nothing searchable in the query")
                return out
            raise QueryError(EMPTY_QUERY)
        if optional:
            opt = optional[0] if len(optional) == 1 else wq.Or(
                optional, scale=ranking.COORD_SCALE)
        else:
            opt = None
        if required:
            main = required[0] if len(required) == 1 else wq.And(required)
            if opt is not None:
                main = wq.AndMaybe(main, opt)
        elif opt is not None:
            main = opt
        else:
            main = wq.Term("kind", "p")
        if filters:
            main = wq.And([main] + filters)
        if negated:
            main = wq.AndNot(main, negated[0] if len(negated) == 1 else wq.Or(negated))
        out.query = main
        out.has_text = bool(required or optional)
        out.explain.append(f"whoosh query: {main}")
        return out

    # clauses

    def _clause(self, clause: Clause, out: ParsedQuery, budget, expand: bool):
        if clause.kind == "word":
            return self._word(clause.text, out, budget, expand, clause.negated)
        if clause.kind == "phrase":
            return self._phrase(clause.text, out, budget, expand, clause.negated)
        if clause.kind == "field":
            return self._field(clause, out)
        if clause.kind == "or":
            parts = []
            for m in clause.members:
                q = self._field(m, out) if m.kind == "field" else self._clause(
                    m, out, budget, expand)
                if isinstance(q, list):
                    q = q[0] if len(q) == 1 else wq.Or(q)
                if q is not None:
                    parts.append(q)
            if not parts:
                return None
            out.explain.append(f"OR group: {' | '.join(m.text for m in clause.members)}")
            return parts[0] if len(parts) == 1 else wq.Or(parts)
        return None

    @staticmethod
    def _fold(text: str) -> str:
        from search.analysis import fold
        return fold(text)

    def _groups(self, text: str, skip=()):
        """Word tokens of `text` grouped by position: [(main, [sub-words])]. Tokens inside a
        `skip` span (start, end) are left out, with the sub-words of a left-out word."""
        groups: list[tuple[str, list[str]]] = []
        last_pos = skipped = None
        # Latin text gives the same tokens from both analyzers; the grams one never loads
        # jieba's dictionary (0.5-2 s), which keeps an English query's cold start short.
        analyzer = self.words if _CJK_RE.search(text) else self.grams
        for t in analyzer(text, positions=True, chars=bool(skip), mode="query"):
            if t.pos == skipped:
                continue
            hit = bool(skip) and _overlaps(t.startchar, t.endchar, skip)
            if t.pos == last_pos and groups:
                if not hit and t.text != groups[-1][0] and t.text not in groups[-1][1]:
                    groups[-1][1].append(t.text)
            elif hit:
                skipped = t.pos
            else:
                groups.append((t.text, []))
                last_pos = t.pos
        return groups

    def _question_spans(self, text: str) -> list[tuple[int, int]]:
        """Where question words (什麼, 哪一, 為何...) stand in `text`: ranking skips them."""
        if not _CJK_RE.search(text):
            return []
        return [m.span() for m in _QUESTION_RE.finditer(self._fold(text))]

    def _gram_terms(self, text: str, skip=()) -> list:
        """One term per character bigram of the CJK runs of `text` (also bigrams spanning
        two of jieba's words): segmentation-independent matching, weighted per bigram."""
        weight = ranking.FIELD_WEIGHTS.get("grams")
        if not weight or "grams" not in self.fields or not _CJK_RE.search(text):
            return []
        terms = [wq.Term("grams", t.text, boost=weight)
                 for t in self.grams(text, chars=True, mode="query")
                 if not t.text.isascii() and not _overlaps(t.startchar, t.endchar, skip)]
        return terms[:ranking.MAX_QUERY_TOKENS * 2]     # a pasted page: bounded work

    def _term_unit(self, main: str, subs: list[str], boost: float = 1.0):
        """One query word (with its sub-words) looked up in every weighted word field."""
        w = ranking.FIELD_WEIGHTS
        terms = []
        for tok in [main] + subs:
            for f in ranking.WORD_FIELDS:
                if w.get(f) and f in self.fields:
                    terms.append(wq.Term(f, tok, boost=w[f] * boost))
        if not terms:
            return wq.Term("body", main, boost=boost)
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _too_common(self, tok: str) -> bool:
        if not self.doc_frequency or self.doc_count < ranking.PRUNE_MIN_DOCS:
            return False
        return self.doc_frequency("body", tok) > ranking.MAX_DF_RATIO * self.doc_count

    def _word(self, text: str, out: ParsedQuery, budget, expand: bool, negated: bool):
        skip = [] if negated else self._question_spans(text)
        groups = self._groups(text, skip) if skip else []
        if not groups:           # no question words, or nothing but question words
            skip, groups = [], self._groups(text)
        groups = groups[:max(0, budget[0])]
        budget[0] -= len(groups)
        if not groups:
            if not negated:
                out.words.append((text, []))
            return None
        if negated:
            units = [self._term_unit(m, s) for m, s in groups]
            out.explain.append(f"excluded: {text} -> {' '.join(m for m, _ in groups)}")
            return units[0] if len(units) == 1 else wq.And(units)
        out.words.append((text, [m for m, _ in groups]))
        kept = [(m, s) for m, s in groups if not self._too_common(m)] or groups
        dropped = [m for m, _ in groups if (m, _) not in kept]
        units = []
        folded_word = self._fold(text)
        if _CJK_RE.search(folded_word):
            out.highlight.append(folded_word)
        for main, subs in kept:
            unit = self._term_unit(main, subs)
            # single CJK characters would mark every 中 of 中國: only whole words are marked
            for t in [main] + subs:
                if len(t) > 1 or not _CJK_RE.match(t) or len(groups) == 1:
                    out.highlight.append(t)
                else:
                    out.fallback_highlight.append(t)
            alts = self._expansions(main, out) if expand else []
            if alts:
                unit = wq.Or([unit] + alts)
            units.append(unit)
        if expand and len(groups) > 1:          # the whole word too: "missile defense"
            units.extend(self._expansions(text, out))
        grams = self._gram_terms(text, skip)
        units.extend(grams)
        folded = list(folded_word)
        for a, b in skip:                     # question words take no part in proximity
            folded[a:b] = " " * (b - a)
        out.proximity.append("".join(folded))
        seg = " / ".join(m + (f" ({' '.join(s)})" if s else "") for m, s in groups)
        out.explain.append(f"segmented: {text} -> {seg}")
        if skip:
            out.explain.append("question words not ranked: "
                               + " ".join(self._fold(text)[a:b] for a, b in skip))
        if grams:
            out.explain.append(f"bigrams (weight {grams[0].boost:g} each): "
                               + " ".join(g.text for g in grams))
        if dropped:
            out.explain.append(f"too common to rank (kept for highlighting): {' '.join(dropped)}")
        return units

    def _phrase(self, text: str, out: ParsedQuery, budget, expand: bool, negated: bool):
        toks = [(t.text, t.pos) for t in self.grams(text, positions=True, mode="query")]
        toks = toks[:max(2, budget[0])]
        budget[0] -= len(toks)
        if not toks:
            out.words.append((text, []))
            return None
        from search.analysis import fold
        folded = fold(text)
        if len(toks) == 1:
            tok = toks[0][0]
            q = wq.Or([wq.Term("grams", tok), wq.Term("body", tok)]
                      + ([wq.Prefix("grams", tok)] if _CJK_RE.fullmatch(tok) else []))
        else:
            gaps = [b[1] - a[1] for a, b in zip(toks, toks[1:])]
            q = wq.Phrase("grams", [t for t, _ in toks], slop=max(1, max(gaps)))
        q.boost = ranking.PHRASE_BOOST
        if negated:
            out.explain.append(f"excluded phrase: \"{text}\"")
            return q
        out.words.append((text, [t for t, _ in toks]))
        out.highlight.append(folded.strip())
        out.explain.append(f"phrase: \"{text}\" -> grams {' '.join(t for t, _ in toks)}")
        alts = self._expansions(folded.strip(), out) if expand else []
        return wq.Or([q] + alts) if alts else q

    def _span_expansions(self, text: str, out: ParsedQuery):
        """Partners of glossary terms that span several query words (`confidence-building
        measures` typed without quotes) or sit inside a Chinese run, like a word's."""
        if self.glossary is None or not text:
            return []
        try:
            spans = self.glossary.find_terms(text)
        except Exception:          # a glossary problem must not break search
            return []
        qs = []
        for _start, _end, span in spans:
            qs.extend(self._expansions(span.strip(), out))
        return qs

    def _expansions(self, term: str, out: ParsedQuery):
        if self.glossary is None or term in out.expanded:
            return []
        out.expanded.add(term)
        try:
            found = self.glossary.expansions(term)
        except Exception:          # a glossary problem must not break search
            return []
        qs = []
        for exp in found[:8]:
            alt = getattr(exp, "term", str(exp))
            toks = [(t.text, t.pos) for t in self.grams(alt, positions=True, mode="query")]
            if not toks or alt == term:
                continue
            if len(toks) == 1:
                q = wq.Or([wq.Term("grams", toks[0][0]), wq.Term("body", toks[0][0])])
            else:
                q = wq.Phrase("grams", [t for t, _ in toks])
            q.boost = getattr(exp, "weight", ranking.EXPANSION_BOOST) or ranking.EXPANSION_BOOST
            qs.append(q)
            source = getattr(exp, "source", "")
            label = f"{alt} ({source})" if source else alt
            if label not in out.expansions:
                out.expansions.append(label)
                out.explain.append(f"expanded: {term} -> {label} (boost {q.boost:g})")
            from search.analysis import fold
            out.highlight.append(fold(alt))
        return qs

    # filters

    def _field(self, clause: Clause, out: ParsedQuery):
        f, value = clause.fname, clause.text
        if f in ("title", "author"):
            fname = "title" if f == "title" else "authors"
            groups = self._groups(value)
            if not groups:
                raise QueryError(f"{f}:{value} has no searchable words: try {f}:WORD")
            units = []
            for main, subs in groups:
                terms = [wq.Term(fname, t) for t in [main] + subs]
                units.append(terms[0] if len(terms) == 1 else wq.Or(terms))
            if f == "title":
                out.highlight.extend(m for m, _ in groups)
            out.explain.append(f"filter {f}: {' '.join(m for m, _ in groups)}")
            return units[0] if len(units) == 1 else wq.And(units)
        if f == "venue":
            groups = self._groups(value)
            if not groups:
                raise QueryError(f"venue:{value} has no searchable words: try venue:WORD")
            units = [wq.Term("venue", main) if not subs else
                     wq.Or([wq.Term("venue", t) for t in [main] + subs]) for main, subs in groups]
            out.explain.append(f"filter venue: {' '.join(m for m, _ in groups)}")
            return wq.ConstantScoreQuery(units[0] if len(units) == 1 else wq.And(units), 0.0)
        if f == "lang":
            return self._lang(value, out)
        if f == "article":
            out.explain.append(f"filter article: {value}")
            return wq.ConstantScoreQuery(wq.Term("article_id", value), 0.0)
        lo, hi = date_range(value, f)
        out.explain.append(f"filter {f}: {lo}..{hi}")
        return date_filter(lo, hi)

    def _lang(self, value: str, out: ParsedQuery):
        langs = LANGS.get(value.lower())
        if not langs:
            raise QueryError(f"unknown language {value!r}: use lang:en, lang:zh, "
                             "lang:zh-Hant or lang:zh-Hans")
        out.explain.append(f"filter lang: {' or '.join(langs)}")
        q = wq.Term("lang", langs[0]) if len(langs) == 1 else wq.Or(
            [wq.Term("lang", x) for x in langs])
        return wq.ConstantScoreQuery(q, 0.0)

    def _api_filters(self, lang, article, year_from, year_to, out: ParsedQuery,
                     venue=None):
        filters = []
        if venue:
            filters.append(self._field(Clause("field", str(venue), fname="venue"), out))
        if lang:
            filters.append(self._lang(str(lang), out))
        if article:
            filters.append(self._field(Clause("field", str(article), fname="article"), out))
        if year_from or year_to:
            lo = _year(year_from, "year_from") * 10000 if year_from else 0
            hi = _year(year_to, "year_to") * 10000 + 9999 if year_to else 99999999
            if lo > hi:
                raise QueryError(f"year range {year_from}..{year_to} is empty: "
                                 "put the earlier year first")
            out.explain.append(f"filter year: {lo}..{hi}")
            filters.append(date_filter(lo, hi))
        return filters


# Whoosh 2.7.4's NumericRange on the 32-bit `datenum` field matches *every* document when a
# bound is 0 or above ~5*10^7 (its tiered range terms go wrong there), so an open-ended
# year range must not reach those values. Dates are clamped to years 1000-2999.
MIN_DATENUM, MAX_DATENUM = 10000000, 29991231


def date_filter(lo: int, hi: int):
    """A non-scoring filter on `datenum` (YYYYMMDD) for lo..hi, bounds clamped to the range
    the index can answer; an empty range matches nothing."""
    lo, hi = max(lo, MIN_DATENUM), min(hi, MAX_DATENUM)
    if lo > hi:
        return wq.NullQuery
    return wq.ConstantScoreQuery(wq.NumericRange("datenum", lo, hi), 0.0)


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < b and end > a for a, b in spans)


def _year(value, name) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise QueryError(f"{name} must be a year like 2010, not {value!r}") from None
    if not 1 <= year <= 9999:
        raise QueryError(f"{name} must be a year like 2010, not {value!r}")
    return year


_DATE_RE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def _date_bounds(value: str, f: str) -> tuple[int, int]:
    m = _DATE_RE.match(value.strip())
    if not m or (f == "year" and m.group(2)):
        example = "year:2005 or year:2005..2010" if f == "year" else \
            "date:2021-04 or date:2021-01..2021-06-30"
        raise QueryError(f"cannot read {f}:{value}: use {example}")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise QueryError(f"cannot read {f}:{value}: month 1-12, day 1-31")
    base = year * 10000
    if month is None:
        return base, base + 9999
    if day is None:
        return base + month * 100, base + month * 100 + 99
    return base + month * 100 + day, base + month * 100 + day


def date_range(value: str, f: str = "date") -> tuple[int, int]:
    """`2005`, `2005..2010`, `..2010`, `2021-04`, `2021-01..2021-06-30` -> (lo, hi) YYYYMMDD."""
    value = value.strip()
    if ".." in value:
        a, _, b = value.partition("..")
        lo = _date_bounds(a, f)[0] if a.strip() else 0
        hi = _date_bounds(b, f)[1] if b.strip() else 99999999
        if lo > hi:
            raise QueryError(f"{f}:{value} is an empty range: put the earlier date first")
        return lo, hi
    return _date_bounds(value, f)
