"""What each query word matched, and which passages contain every word.

A plain word is an optional clause of several parts (its tokens in five fields, its
character bigrams, glossary alternatives, translations), so a passage matching one bigram of
`上海合作組織` is a match. For a count users can trust and for true notices, each word of
the plan (`QueryPlan.words`) is looked up again as a whole, per place:

- `text`: the passage holds it: a word of several tokens as its `grams` runs (phrases in
  the text alone), a word of one token as that token in `body` (the text with the title
  and section it is ranked with), when some passage text holds it;
- `notes`: a footnote the passage cites holds every token;
- `titles` / `authors`: only article titles or section paths / author names do;
- `expansion`: it occurs nowhere itself, but a glossary alternative or a translation of it
  does (in text or notes);
- `nowhere`, `stop` (an English stop word, dropped by the analyzers), `unsearched` (past the
  query's token budget).

A passage *contains* a word when the word or an expansion of it is in its text or notes;
`Coverage.every(matched)` is the matched passages containing every word (words of an OR group
take no part: the result set already requires one of them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.analysis import fold
from search.engine.postings import EMPTY, DocIds
from search.model import WordReport
from search.query.plan import AnyMatch, WordMatch

TITLE_FIELDS = ("title", "section")
PHRASE_CACHE_LIMIT = 2048      # phrases whose passages a generation remembers


@dataclass
class Coverage:
    reports: list[WordReport] = field(default_factory=list)
    words: list[str] = field(default_factory=list)     # the words taking part in `every`
    sets: list[DocIds] = field(default_factory=list)   # ... and the passages holding each

    def every(self, matched):
        """The docnums of `matched` (a set of docnums) that contain every word (a DocIds;
        `matched` itself when there are no words)."""
        return _all([matched] + self.sets) if self.sets else matched


class _Docs:
    """Doc sets of terms and phrases for one search (each term read once), as `DocIds`:
    sorted numpy arrays, not Python sets (a common word holds half the passages)."""

    def __init__(self, evaluator):
        self.ev = evaluator

    def term(self, fieldname: str, text: str) -> DocIds:
        """The term's documents."""
        return self.ev.ids(fieldname, text)

    def phrase(self, fieldname: str, tokens: list[str], given=()) -> DocIds:
        """The passages holding `tokens` as a phrase in `fieldname`; those of `given`
        (passages the caller adds to the result anyway) may be left out unchecked."""
        if not tokens:
            return DocIds(EMPTY)
        if len(tokens) == 1 and len(tokens[0]) == 1 and not tokens[0].isascii():
            # one CJK character: the index holds bigrams, so any bigram starting with it
            from whoosh import query as wq
            return DocIds.of(self.ev.prefix(wq.Prefix(fieldname, tokens[0])).keys()).union(
                self.term("body", tokens[0]))
        found = _all([self.term(fieldname, t) for t in dict.fromkeys(tokens)])
        if len(tokens) > 1 and found:
            if given:
                return self.ev.phrase_among(fieldname, tokens, found - given)
            # the generation's answer, kept for the searches after this one
            phrases = self.ev.cache.setdefault("phrases", {})
            key = (fieldname, tuple(tokens))
            held = phrases.get(key)
            if held is None:
                held = self.ev.phrase_among(fieldname, tokens, found)
                if len(phrases) >= PHRASE_CACHE_LIMIT:
                    phrases.clear()
                phrases[key] = held
            found = held
        return found

    def phrases_meet(self, fieldname: str, runs: list, among) -> bool:
        """Whether some passage of `among` holds every run of `runs` as a phrase (checked
        until the first one does)."""
        if any(len(run) == 1 and len(run[0]) == 1 and not run[0].isascii() for run in runs):
            return bool(_all([self.phrase(fieldname, list(run)) for run in runs]))
        found = _all([among] + [self.term(fieldname, t) for run in runs for t in run])
        for run in runs:
            if not found:
                return False
            if len(run) > 1:
                found = self.ev.phrase_among(fieldname, list(run), found,
                                             limit=None if run is not runs[-1] else 1)
        return bool(found)

    def token(self, fieldnames, token) -> DocIds:
        """A word token in any of `fieldnames`: its main form, or all its sub-words when
        they are words themselves (上海 合作 組織; not the single characters 中 and 俄 of
        中俄, which a note holding 中國 and 俄國 would match)."""
        parts = []
        whole_subwords = token.subwords and all(len(sub) > 1 for sub in token.subwords)
        for f in fieldnames:
            parts.append(self.term(f, token.text))
            if whole_subwords:
                parts.append(_all([self.term(f, sub) for sub in token.subwords]))
        return DocIds(EMPTY).union(*parts)


def _all(sets: list) -> DocIds:
    """The intersection of `sets` (DocIds or any sets of docnums, left unchanged)."""
    if not sets:
        return DocIds(EMPTY)
    sets = sorted(sets, key=len)
    out = DocIds.of(sets[0])
    for s in sets[1:]:
        if not out:
            break
        out = out & s
    return out


def coverage(plan, evaluator) -> Coverage:
    """The WordReport of every word of `plan`, and the passages containing each word that
    takes part in the every-word count."""
    if evaluator.trace is not None:      # --explain: these lookups are not the query's
        from search.engine.evaluate import Evaluator
        seen, evaluator = evaluator.seen, Evaluator(evaluator.s, evaluator.cache)
        evaluator.seen = seen
    docs = _Docs(evaluator)
    grouped = {id(m) for role in (plan.required, plan.optional)
               for g in role if isinstance(g, AnyMatch) for m in _members(g)}
    out = Coverage()
    for word in plan.words:
        report, present = _word(word, plan, docs)
        out.reports.append(report)
        if present is not None and id(word.match) not in grouped:
            out.words.append(word.text)
            out.sets.append(present)
    return out


def _members(group: AnyMatch):
    for m in group.members:
        yield m
        if isinstance(m, AnyMatch):
            yield from _members(m)


def _word(word, plan, docs: _Docs) -> tuple[WordReport, set | None]:
    """(its report, the passages containing it; None: it takes no part in the count)."""
    if word.match is None:
        found = "stop" if word.stop or not re.search(r"[^\W_]", word.text) else \
            "unsearched" if word.over_budget else "nowhere"
        return WordReport(word.text, found), None
    match = word.match
    text, in_text = _text(word, docs)
    tokens = match.tokens if isinstance(match, WordMatch) else []
    # single characters (中 / 俄 of 中俄, 與 of 發展與影響) are left out: the word fields
    # keep no positions, so a note holding 中國 and 俄國 would pass for 中俄
    tokens = [t for t in tokens if len(t.text) > 1 or t.text.isascii()]
    notes = _all([docs.token(("notes",), t) for t in tokens]) if tokens else DocIds(EMPTY)
    via, alts = [], []
    for label, alt_docs in _expansions(word, plan, docs):
        if alt_docs:
            via.append(label)
            alts.append(alt_docs)
    expanded = DocIds(EMPTY).union(*alts)
    spelt = _units(word, plan, docs)            # 第九條 for 第9條: the text, spelt otherwise
    text, in_text = (text | spelt, True) if spelt else (text, in_text)
    present = text.union(notes, expanded)
    if text and in_text:
        found = "text"
    elif text and not (notes or expanded):      # its word token, only in title context
        found = "titles"
    elif notes:
        found = "notes"
    elif expanded:
        found = "expansion"
    elif tokens and _all([docs.token(TITLE_FIELDS, t) for t in tokens]):
        found = "titles"
    elif tokens and _all([docs.token(("authors",), t) for t in tokens]):
        found = "authors"
    else:
        found = "nowhere"
    return WordReport(word.text, found, via=list(dict.fromkeys(via)),
                      passages=len(present)), present


def _units(word, plan, docs: _Docs) -> DocIds:
    """Passages holding the word in another spelling: the `units` terms the builder gave
    it (`QueryWord.units`: 第9條 -> 第9条, also held as 第九條; 蘇愷 27 -> su27)."""
    return DocIds(EMPTY).union(*[docs.term("units", term) for term in word.units])


def _text(word, docs: _Docs) -> tuple[DocIds, bool]:
    """(the passages whose text holds the word, whether any passage text does).

    A word of one token: the passages holding that token in `body` (its text, with the
    title and section the passage is ranked with), which the ranking has read already; a
    word of several: its grams runs as phrases in the text alone. The grams terms of a
    Chinese word are its ranked bigrams (read already); those of an English word are not
    ranked, so whether any passage text holds it is the term's document frequency (a
    term-table lookup), not a second posting list."""
    match, runs = word.match, word.grams
    seen = docs.ev.seen
    free = all(("grams", t) in seen for run in runs for t in run)
    single = isinstance(match, WordMatch) and len(word.tokens) == 1 and match.tokens
    if not single:
        text = _all([docs.phrase("grams", run) for run in runs]) if runs else DocIds(EMPTY)
        return text, bool(text)
    # the passages holding the token in `body` are in the result anyway: the phrases are
    # checked in the others only (and in those until one shows the word is in some text)
    body = docs.term("body", match.tokens[0].text)
    if runs and free:
        text = _all([docs.phrase("grams", run, given=body) for run in runs])
        in_text = bool(text) or docs.phrases_meet("grams", runs, body)
    else:
        text = DocIds(EMPTY)
        in_text = bool(runs) and not free and all(
            docs.ev.s.doc_frequency("grams", t) > 0 for run in runs for t in run)
    return text.union(body), in_text


def expansion_lookups(word, plan):
    """(label, lookups) of each glossary alternative and translation of the word, the
    passages matching any of its lookups holding it: a lookup is ("phrase", field, tokens)
    or ("all", field, tokens) (every token in the field). One list for both backends, each
    of which finds the passages its own way."""
    match = word.match
    alts = list(match.alternatives) + list(word.spanning)
    if isinstance(match, WordMatch):
        alts += [a for t in match.tokens for a in t.alternatives]
    for alt in alts:
        lookups = [("phrase", "grams", tuple(alt.tokens))]
        if len(alt.tokens) == 1:
            lookups.append(("all", "notes", (alt.tokens[0],)))
        yield alt.label, lookups
    folded = fold(word.text).strip()
    for tset in plan.translations:
        unit = fold(tset.text).strip()
        if not (folded == unit or folded in unit.split() or (not folded.isascii()
                                                            and folded in unit)):
            continue
        for cand in tset.candidates:
            # its ranked lookups: a Chinese candidate's bigrams (the text), an English
            # one's words in `body` (the text with its title and section)
            grams = [lk.text for lk in cand.lookups if lk.field == "grams"]
            words = [lk.text for lk in cand.lookups if lk.field == "body"]
            lookups = [("all", "grams", tuple(dict.fromkeys(grams))) if grams
                       else ("all", "body", tuple(dict.fromkeys(words)))]
            notes = [lk.text for lk in cand.lookups if lk.field == "notes"]
            if notes:
                lookups.append(("all", "notes", tuple(dict.fromkeys(notes))))
            yield tset.label(cand), lookups


def _expansions(word, plan, docs: _Docs):
    """(label, passages whose text or notes hold it) of each glossary alternative and
    translation of the word."""
    for label, lookups in expansion_lookups(word, plan):
        yield label, DocIds(EMPTY).union(*[
            docs.phrase(name, list(tokens)) if kind == "phrase"
            else _all([docs.term(name, t) for t in tokens]) for kind, name, tokens in lookups])
