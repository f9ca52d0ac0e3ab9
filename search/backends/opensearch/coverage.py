"""What each query word matched, and the every-word query, on the cluster.

`search.engine.coverage` decides, per word, where it was found ("text", "notes", "titles",
"authors", "expansion", "nowhere", ...) from sets of Whoosh document numbers. The same rules
here, with each set written as a query and each question asked of a set (is it empty, how
many) answered by a count: every count of one search goes in one `_msearch`. The passages
containing a word (`present`) are a query too, and the passages containing every word the
conjunction of them (`Coverage.every`), which the engine adds to the search to count and
order the every-word passages first.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from search.analysis import fold
from search.backends.opensearch.mapping import lookup_field
from search.engine.coverage import TITLE_FIELDS, _members, expansion_lookups
from search.model import WordReport
from search.query.plan import AnyMatch, WordMatch

NONE = {"match_none": {}}
PASSAGES = {"term": {"kind": "p"}}


def term(fieldname: str, text: str) -> dict:
    return {"term": {lookup_field(fieldname, text): text}}


def all_of(queries: list) -> dict:
    """Documents matching every query (none: no query, as an empty intersection)."""
    queries = list(queries)
    if not queries or NONE in queries:
        return NONE
    return queries[0] if len(queries) == 1 else {"bool": {"filter": queries}}


def any_of(queries: list) -> dict:
    queries = [q for q in queries if q != NONE]
    if not queries:
        return NONE
    return queries[0] if len(queries) == 1 else \
        {"bool": {"should": queries, "minimum_should_match": 1}}


def phrase(fieldname: str, tokens: list[str]) -> dict:
    """`coverage._Docs.phrase`: the tokens in a row (one CJK character: any bigram it starts,
    or the character itself in `body`)."""
    if not tokens:
        return NONE
    if len(tokens) == 1 and len(tokens[0]) == 1 and not tokens[0].isascii():
        return any_of([{"prefix": {lookup_field(fieldname, tokens[0]): tokens[0]}},
                       term("body", tokens[0])])
    if len(tokens) == 1:
        return term(fieldname, tokens[0])
    return {"match_phrase": {lookup_field(fieldname, tokens[0]): {"query": " ".join(tokens),
                                                                   "slop": 0}}}


def token(fieldnames, tok) -> dict:
    """`coverage._Docs.token`: its main form, or all its sub-words when they are words."""
    whole = tok.subwords and all(len(sub) > 1 for sub in tok.subwords)
    parts = [term(f, tok.text) for f in fieldnames]
    if whole:
        parts += [all_of([term(f, sub) for sub in tok.subwords]) for f in fieldnames]
    return any_of(parts)


class Counts:
    """Queries to count, counted together in one `_msearch` (`resolve`), then `n(query)`."""

    def __init__(self):
        self.wanted: dict[str, dict] = {}
        self.got: dict[str, int] = {}

    @staticmethod
    def key(query: dict) -> str:
        return json.dumps(query, sort_keys=True, ensure_ascii=False)

    def ask(self, query: dict) -> dict:
        if query != NONE:
            self.wanted.setdefault(self.key(query), query)
        return query

    def resolve(self, client, index: str, failed) -> None:
        """Count what was asked; `failed(answer)` is the exception of a failed count."""
        keys = [k for k in self.wanted if k not in self.got]
        for start in range(0, len(keys), 100):
            chunk = keys[start:start + 100]
            body = []
            for k in chunk:
                body.append({"index": index})
                body.append({"size": 0, "track_total_hits": True, "query": {"bool": {
                    "filter": [PASSAGES, self.wanted[k]]}}})
            for k, answer in zip(chunk, client.msearch(body=body)["responses"]):
                if "error" in answer:
                    raise failed(answer)
                self.got[k] = answer["hits"]["total"]["value"]

    def n(self, query: dict) -> int:
        return 0 if query == NONE else self.got[self.key(query)]


@dataclass
class _Word:
    """One word's sets as queries (the names of `coverage._word`)."""
    report: WordReport
    text: dict = field(default_factory=lambda: NONE)
    in_text: list = field(default_factory=list)     # queries: in text when all non-empty
    in_text_set: bool = False                       # ... or when `text` itself is non-empty
    spelt: dict = field(default_factory=lambda: NONE)
    notes: dict = field(default_factory=lambda: NONE)
    alts: list = field(default_factory=list)        # (label, query)
    titles: dict = field(default_factory=lambda: NONE)
    authors: dict = field(default_factory=lambda: NONE)
    tokens: bool = False
    present: dict | None = None


@dataclass
class Coverage:
    reports: list[WordReport] = field(default_factory=list)
    words: list[str] = field(default_factory=list)      # the words taking part in `every`
    presents: list[dict] = field(default_factory=list)  # ... and the passages holding each

    @property
    def every(self) -> dict | None:
        """The passages containing every counted word (None: no word is counted)."""
        return all_of(self.presents) if self.presents else None


def seen_terms(query) -> set:
    """(field, text) of every term the compiled query reads (`coverage._text`'s "free")."""
    out: set = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "term" and isinstance(v, dict):
                    for f, spec in v.items():
                        text = spec.get("value") if isinstance(spec, dict) else spec
                        out.add((f.split(".")[0], text))
                elif k == "match_phrase" and isinstance(v, dict):
                    for f, spec in v.items():
                        for t in str(spec.get("query", "")).split():
                            out.add((f.split(".")[0], t))
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(query)
    return out


def coverage(plan, query, counts: Counts, resolve) -> Coverage:
    """The WordReport of every word of `plan` (`query`: its compiled query, or None), and
    the queries of the passages containing each counted word. `resolve(coverage)` runs the
    counts asked of `counts` (and may ask more of it first: the every-word count)."""
    seen = seen_terms(query)
    grouped = {id(m) for role in (plan.required, plan.optional)
               for g in role if isinstance(g, AnyMatch) for m in _members(g)}
    words = [_ask(word, plan, seen, counts) for word in plan.words]
    out = Coverage()
    for word, w in zip(plan.words, words):
        if w.present is not None and id(word.match) not in grouped:
            out.words.append(word.text)
            out.presents.append(w.present)
    resolve(out)
    out.reports = [_decide(w, counts) if w.present is not None else w.report for w in words]
    return out


def _ask(word, plan, seen: set, counts: Counts) -> _Word:
    if word.match is None:
        found = "stop" if word.stop or not re.search(r"[^\W_]", word.text) else \
            "unsearched" if word.over_budget else "nowhere"
        return _Word(WordReport(word.text, found))
    w = _Word(WordReport(word.text, "nowhere"))
    match = word.match
    _text(word, seen, w)
    tokens = match.tokens if isinstance(match, WordMatch) else []
    tokens = [t for t in tokens if len(t.text) > 1 or t.text.isascii()]
    w.tokens = bool(tokens)
    w.notes = all_of([token(("notes",), t) for t in tokens]) if tokens else NONE
    w.alts = list(_expansions(word, plan))
    w.spelt = _units(word, plan)
    text = any_of([w.text, w.spelt])
    w.present = any_of([text, w.notes] + [q for _label, q in w.alts])
    if tokens:
        w.titles = all_of([token(TITLE_FIELDS, t) for t in tokens])
        w.authors = all_of([token(("authors",), t) for t in tokens])
    for q in [w.text, w.spelt, w.notes, w.present, w.titles, w.authors] + w.in_text \
            + [q for _label, q in w.alts]:
        counts.ask(q)
    return w


def _decide(w: _Word, counts: Counts) -> WordReport:
    n = counts.n
    via = [label for label, q in w.alts if n(q)]
    expanded = bool(via)
    spelt = n(w.spelt) > 0
    text = n(w.text) > 0 or spelt
    in_text = spelt or (w.in_text_set and n(w.text) > 0) or (
        bool(w.in_text) and all(n(q) for q in w.in_text))
    notes = n(w.notes) > 0
    if text and in_text:
        found = "text"
    elif text and not (notes or expanded):
        found = "titles"
    elif notes:
        found = "notes"
    elif expanded:
        found = "expansion"
    elif w.tokens and n(w.titles):
        found = "titles"
    elif w.tokens and n(w.authors):
        found = "authors"
    else:
        found = "nowhere"
    return WordReport(w.report.word, found, via=list(dict.fromkeys(via)),
                      passages=n(w.present))


def _text(word, seen: set, w: _Word) -> None:
    """`coverage._text`: the passages whose text holds the word, and whether some passage
    text does (a word of one token: its token in `body`, with the grams runs when the
    ranking read their terms, else whether each grams term occurs at all)."""
    match, runs = word.match, word.grams
    free = all(("grams", t) in seen for run in runs for t in run)
    single = isinstance(match, WordMatch) and len(word.tokens) == 1 and match.tokens
    runs_q = all_of([phrase("grams", run) for run in runs]) if runs else NONE
    if not single:
        w.text, w.in_text_set = runs_q, True
        return
    body = term("body", match.tokens[0].text)
    if free:
        w.text = any_of([runs_q, body])
        w.in_text = [runs_q] if runs else []
    else:
        w.text = body
        w.in_text = [term("grams", t) for run in runs for t in run] if runs else []


def _units(word, plan) -> dict:
    folded = fold(word.text)
    out = []
    for m in plan.optional:
        if isinstance(m, WordMatch) and m.text and fold(m.text) in folded:
            out += [term("units", lk.text) for t in m.tokens for lk in t.lookups
                    if lk.field == "units"]
    return any_of(out)


def _expansions(word, plan):
    """(label, query) of each glossary alternative and translation of the word
    (`coverage.expansion_lookups`)."""
    for label, lookups in expansion_lookups(word, plan):
        yield label, any_of([phrase(name, list(tokens)) if kind == "phrase"
                             else all_of([term(name, t) for t in tokens])
                             for kind, name, tokens in lookups])
