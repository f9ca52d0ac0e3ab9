"""Query text + glossary + index statistics -> QueryPlan.

The builder analyses the query with the index's own analyzers (same lexicon as the passages)
and decides what each clause asks for; it never builds a backend's query (see plan.py).
Index statistics it reads: which fields hold any text (a term in an empty field can never
match) and document frequencies (to leave words in most passages out of ranking).

Quoted phrases and field filters are required; plain words are optional (passages matching
more of them rank higher, none is lost for missing one word); `+word` is required.
"""
from __future__ import annotations

import re

from search import ranking
from search.analysis import CJK_CHARS, fold
from search.analysis.english import ENGLISH_STOP_WORDS
from search.analysis.designators import TRANSLITERATIONS, base, family, transliterated
from search.analysis.numbers import number_units
from search.errors import QueryError
from search.query import filters
from search.query.plan import (PHRASE_FIELD, AnyMatch, Alternative, FieldMatch, Lookup,
                               PhraseMatch, QueryPlan, QueryWord, Token, WordMatch)
from search.query.syntax import EMPTY_QUERY, Clause, clean, parse

_CJK_RE = re.compile(f"[{CJK_CHARS}]")
# spaces between two CJK characters are not word breaks in Chinese: "中俄 軍事合作"
_CJK_SPACE_RE = re.compile(f"(?<=[{CJK_CHARS}])\\s+(?=[{CJK_CHARS}])")
_QUESTION_RE = re.compile("|".join(ranking.QUESTION_WORDS))
MAX_ALTERNATIVES = 8           # glossary partners searched per term
MAX_DESIGNATOR_PHRASES = 12    # other spellings and variants of a phrase's designators


class TokenBudget:
    """Query tokens left to rank (`ranking.MAX_QUERY_TOKENS`): a pasted page costs bounded
    work. Clauses take their tokens in query order; later words get none once it runs out."""

    def __init__(self, tokens: int):
        self.left = tokens

    def take(self, items: list, at_least: int = 0) -> list:
        items = items[:max(at_least, self.left)]
        self.left -= len(items)
        return items


class Expander:
    """Glossary alternatives for one query: each term is expanded once, each alternative is
    named once in `plan.expansions` and the explain lines, and every one is highlighted."""

    def __init__(self, glossary, analyzer):
        self.glossary = glossary
        self.analyzer = analyzer        # the grams analyzer: alternatives match as phrases
        self.seen: set[str] = set()

    def alternatives(self, term: str, plan: QueryPlan) -> list[Alternative]:
        if term in self.seen:
            return []
        self.seen.add(term)
        found = []
        for exp in self.glossary.expansions(term)[:MAX_ALTERNATIVES]:
            tokens = [t.text for t in self.analyzer(exp.term, positions=True, mode="query")]
            if not tokens or exp.term == term:
                continue
            alt = Alternative(exp.term, tokens, exp.weight or ranking.EXPANSION_BOOST,
                              exp.source)
            found.append(alt)
            if alt.label not in plan.expansions:
                plan.expansions.append(alt.label)
                plan.explain.append(f"expanded: {term} -> {alt.label} (boost {alt.weight:g})")
            plan.highlight.append(fold(alt.term))
        return found

    def spanning(self, text: str, plan: QueryPlan) -> list[Alternative]:
        """Partners of glossary terms that span several query words (`confidence-building
        measures` typed without quotes) or sit inside a Chinese run, like a word's."""
        found = []
        for _start, _end, span in self.glossary.find_terms(text):
            alts = self.alternatives(span.strip(), plan)
            found.extend(alts)
            covered = fold(span)
            for word in plan.words:      # the words it spans match through it too
                if word.match is not None and fold(word.text) in covered:
                    word.spanning.extend(alts)
        return found


class QueryBuilder:
    """Builds the QueryPlan of a query text for one index (its analyzers and statistics)."""

    def __init__(self, schema, glossary=None, doc_count: int = 0, doc_frequency=None,
                 fields=None, understanding: bool = True, prefixed=None):
        # fields that hold any text in this index: a term in an empty field costs a lookup
        # per segment and can never match
        self.fields = set(fields) if fields is not None else set(schema.names())
        self.words = schema["body"].analyzer
        self.grams = schema["grams"].analyzer
        self.glossary = glossary
        self.doc_count = doc_count
        self.doc_frequency = doc_frequency     # callable(field, text) -> int, or None
        # callable(field, prefix) -> the index's terms of `field` starting with `prefix`
        # (a designator's variants in a phrase: su27 -> su27sm), or None
        self.prefixed = prefixed
        # issue 12's query side (numbers across words, designator families below exact
        # matches, whole words in metadata fields, spaced Chinese phrases, English titles);
        # off only to compare with the builder before it (tests/test_query_plan.py)
        self.understanding = understanding

    def build(self, text: str, lang=None, article=None, year_from=None, year_to=None,
              expand: bool = True, venue=None, translate: bool = True) -> QueryPlan:
        cleaned = clean(text)
        clauses = parse(cleaned)
        plan = QueryPlan(text=text, normalised=cleaned)
        plan.explain.append(f"normalised: {cleaned!r}")
        budget = TokenBudget(ranking.MAX_QUERY_TOKENS)
        glossary = self.glossary if expand else None
        expander = Expander(glossary, self.grams) if glossary is not None else None
        plain_words = []           # the QueryWord of each plain word, in query order
        for clause in clauses:
            if clause.kind == "field" and not clause.negated:
                plan.filters.append(self._field(clause, plan))
                continue
            match = self._clause(clause, plan, budget,
                                 None if clause.negated else expander)
            if clause.kind == "word" and not clause.negated:
                plain_words.append(plan.words[-1])
            if match is None:
                continue
            role = plan.excluded if clause.negated else \
                plan.required if clause.required else plan.optional
            role.append(match)
        if self.understanding:
            self._units(plain_words, plan, budget)
            self._metadata(plan)
        if expander is not None and plan.optional:
            plain = " ".join(c.text for c in clauses if c.kind == "word" and not c.negated)
            if plain:
                plan.optional.extend(expander.spanning(plain, plan))
        if expand and translate:
            from search.query.translation import add_phrase_translation, add_translation
            add_translation(plan, " ".join(c.text for c in clauses
                                           if c.kind == "word" and not c.negated), self,
                            within=filters.filtered_languages(plan.filters, lang))
            for m in plan.required:
                if isinstance(m, PhraseMatch):
                    add_phrase_translation(m, plan, self)
        plan.filters.extend(self._option_filters(plan, lang, article, year_from, year_to,
                                                 venue))
        if not plan.searchable:
            if not clauses:
                raise QueryError(EMPTY_QUERY)
            plan.explain.append("nothing searchable in the query")
        return plan

    # -- clauses --------------------------------------------------------------------------

    def _clause(self, clause: Clause, plan: QueryPlan, budget: TokenBudget, expander):
        if clause.kind == "word":
            return self._word(clause.text, plan, budget, expander, clause.negated)
        if clause.kind == "phrase":
            return self._phrase(clause.text, plan, budget, expander, clause.negated)
        if clause.kind == "field":
            return self._field(clause, plan)
        if clause.kind == "or":
            return self._any(clause, plan, budget, expander)
        return None

    def _any(self, clause: Clause, plan: QueryPlan, budget: TokenBudget, expander):
        members = []
        for m in clause.members:
            match = self._field(m, plan) if m.kind == "field" else self._clause(
                m, plan, budget, expander)
            if match is not None:
                members.append(match)
        if not members:
            return None
        plan.explain.append(f"OR group: {' | '.join(m.text for m in clause.members)}")
        return AnyMatch(members)

    def _word(self, text: str, plan: QueryPlan, budget: TokenBudget, expander,
              negated: bool) -> WordMatch | None:
        skip, groups = self._segments(text, negated)
        analysed = bool(groups)
        groups = budget.take(groups)
        if not groups:
            if not negated:
                plan.words.append(QueryWord(text, [], stop=_stop_words_only(text),
                                            over_budget=analysed))
            return None
        if negated:
            plan.explain.append(f"excluded: {text} -> {' '.join(m for m, _ in groups)}")
            return WordMatch(text, [self._token(m, s) for m, s in groups])
        word = QueryWord(text, [m for m, _ in groups], grams=self._gram_runs(text, skip))
        plan.words.append(word)
        kept, dropped = self._prune(groups)
        folded = fold(text)
        if _CJK_RE.search(folded):
            plan.highlight.append(folded)
        tokens = []
        for main, subs in kept:
            token = self._token(main, subs)
            if self.understanding:
                self._title(token)
            self._highlight(plan, [main] + subs, whole=len(groups) == 1)
            if expander is not None:
                token.alternatives = expander.alternatives(main, plan)
            if self.understanding:
                self._designator(token, plan)
                word.units.extend(lk.text for lk in token.lookups if lk.field == "units")
            tokens.append(token)
        # the whole word too: "missile defense"
        whole = expander.alternatives(text, plan) if expander and len(groups) > 1 else []
        bigrams = self._bigrams(text, skip)
        plan.proximity.append(_blank(folded, skip))
        plan.explain.extend(self._word_explain(text, groups, skip, bigrams, dropped))
        word.match = WordMatch(text, tokens, whole, bigrams)
        return word.match

    def _phrase(self, text: str, plan: QueryPlan, budget: TokenBudget, expander,
                negated: bool) -> PhraseMatch | None:
        if self.understanding:
            text = _CJK_SPACE_RE.sub("", text)
        toks = budget.take([(t.text, t.pos) for t in
                            self.grams(text, positions=True, mode="query")], at_least=2)
        if not toks:
            plan.words.append(QueryWord(text, []))
            return None
        tokens = [t for t, _ in toks]
        gaps = [b[1] - a[1] for a, b in zip(toks, toks[1:])]
        match = PhraseMatch(text, tokens, slop=max([1] + gaps), weight=ranking.PHRASE_BOOST,
                            prefix=len(tokens) == 1 and bool(_CJK_RE.fullmatch(tokens[0])))
        if negated:
            plan.explain.append(f"excluded phrase: \"{text}\"")
            return match
        folded = fold(text).strip()
        plan.words.append(QueryWord(text, tokens, grams=[tokens], match=match))
        plan.highlight.append(folded)
        plan.explain.append(f"phrase: \"{text}\" -> grams {' '.join(tokens)}")
        if expander is not None:
            match.alternatives = expander.alternatives(folded, plan)
        if self.understanding:
            self._phrase_designators(match, plan)
        return match

    def _phrase_designators(self, match: PhraseMatch, plan: QueryPlan) -> None:
        """A designator inside a phrase is still its family (`"Su-27 戰機"`): the phrase is
        also searched with it in each other spelling, as the passages' grams hold it (su27,
        蘇愷 27 -> 苏恺 27, Su 27 -> su 27), at `ranking.DESIGNATOR_SPELLING_WEIGHT` of the
        phrase, and as each variant of it the index holds (Su-27SM, Su-27UBK; for Su-27SM
        also Su-27), in each spelling, at `ranking.DESIGNATOR_FAMILY_WEIGHT`, so the phrase
        as typed ranks first, then its other spellings, then the variants (each weight
        also scaled by `_rarity`). Only spellings
        whose every token the index holds; one designator at a time, the others as typed;
        said in one explain line. A one-character transliteration (苏-27) meets the text
        only where the character stands alone (`，苏-27`): after another character the
        grams field holds it inside a bigram (的苏)."""
        tokens, found = match.tokens, []
        for i, tok in enumerate(tokens):
            designator, width = tok, 1
            if base(tok) is None:
                if i + 1 == len(tokens):
                    continue
                pair = tok + tokens[i + 1]
                spelt = list(transliterated(pair))                  # 苏恺 + 27
                if spelt and (spelt[0][0], spelt[0][1]) == (0, len(pair)):
                    designator, width = spelt[0][2], 2
                elif tok.isascii() and tok.isalpha() and base(pair) is not None:
                    designator, width = pair, 2                      # su + 27
                else:
                    continue
            for spelling, weight, source in self._spellings(designator):
                alt = tokens[:i] + spelling + tokens[i + width:]
                if alt == tokens or any(a.tokens == alt for a in found) or (
                        self.doc_frequency and not all(self.doc_frequency(PHRASE_FIELD, t)
                                                       for t in spelling)):
                    continue
                found.append(Alternative(" ".join(alt), alt,
                                         match.weight * weight * self._rarity(tokens, alt),
                                         source))
        if found:
            found = found[:MAX_DESIGNATOR_PHRASES]
            match.alternatives.extend(found)
            plan.explain.append(f"phrase designators: \"{match.text}\" also as "
                                + ", ".join(f"\"{a.term}\" (weight {a.weight:.2f})"
                                            for a in found))

    def _rarity(self, typed: list[str], other: list[str]) -> float:
        """The IDF sum of the typed phrase's tokens over the other spelling's: a phrase
        scores about the sum of its tokens', so a rarer spelling (苏恺 for su30) would
        outrank the exact phrase by its rarity alone; scaled, it scores what the typed one
        would, times its weight."""
        if not self.doc_frequency or not self.doc_count:
            return 1.0
        def total(tokens):
            return sum(ranking.idf(self.doc_frequency(PHRASE_FIELD, t), self.doc_count)
                       for t in tokens)
        theirs = total(other)
        return total(typed) / theirs if theirs else 1.0

    def _spellings(self, designator: str) -> list[tuple[list[str], float, str]]:
        """(grams tokens, weight, label) of every spelling of a designator a passage may use: the
        Latin one and the Chinese transliterations of its prefix (DESIGNATOR_SPELLING_WEIGHT),
        then those of each other member of its family: its base and the variants the index
        holds (DESIGNATOR_FAMILY_WEIGHT)."""
        b = base(designator)
        members = {b} if b != designator else set()
        if self.prefixed is not None:
            members.update(t for t in self.prefixed(PHRASE_FIELD, b) if base(t) == b)
        members.discard(designator)
        out = [(s, ranking.DESIGNATOR_SPELLING_WEIGHT, "spelling") for s in _spelt(designator)]
        for member in sorted(members):
            out += [(s, ranking.DESIGNATOR_FAMILY_WEIGHT, "designator family")
                    for s in _spelt(member)]
        return out

    def _units(self, words: list[QueryWord], plan: QueryPlan, budget: TokenBudget) -> None:
        """Counted numbers (第 9 條 -> 第9条) and transliterated designators (蘇愷 27 ->
        su27) of the plain words, said in the explain lines, each one more optional match
        in the `units` field (search.analysis.units), where every spelling of the passages
        has the same token. The unit is the word's (`QueryWord.units`), and words that
        are the parts of one unit (第 / 9 / 條) become one word: they are counted,
        reported and reranked as the one thing the reader typed."""
        plain = " ".join(w.text for w in words)
        if not plain or "units" not in self.fields:
            return
        spans, at = [], 0
        for w in words:
            spans.append((at, at + len(w.text)))
            at += len(w.text) + 1
        folded = fold(plain)
        found = [(s, e, u, "number") for s, e, u in number_units(folded)]
        found += [(s, e, d, "designator") for s, e, d in transliterated(folded)]
        for start, end, unit, kind in sorted(found):
            span = plain[start:end]
            plan.explain.append(f"{kind}: {span} -> {unit} (units:{unit})")
            if not budget.take([unit]):
                continue
            if kind == "designator":        # the Latin designator, as passages spell it too
                token = self._token(unit, [])
                self._designator(token, plan)
                plan.highlight.append(unit)
            else:
                token = Token(unit, [], [Lookup("units", unit, ranking.UNIT_WEIGHT)])
            match = WordMatch(span, [token])
            plan.optional.append(match)
            plan.highlight.append(folded[start:end])
            terms = [lk.text for lk in token.lookups if lk.field == "units"]
            _attach_unit(plan, [w for w, (a, b) in zip(words, spans) if a < end and b > start],
                         [(a, b) for a, b in spans if a < end and b > start], start, end,
                         QueryWord(span, [unit], match=match, units=terms))

    def _designator(self, token: Token, plan: QueryPlan) -> None:
        """A designator token also looks up its family in `units` (Su-27 -> su27*: Su-27SM,
        Su-27UBK, 蘇愷 27, Su-27 itself) at `ranking.DESIGNATOR_FAMILY_WEIGHT`, and itself
        there (蘇愷 27 is su27 only in `units`)."""
        fam = family(token.text)
        if fam is None or "units" not in self.fields:
            return
        weight = ranking.DESIGNATOR_FAMILY_WEIGHT
        if not any(lk.field == "units" for lk in token.lookups):
            token.lookups.append(Lookup("units", token.text, ranking.UNIT_WEIGHT))
        token.lookups.append(Lookup("units", fam, weight))
        plan.explain.append(f"designator: {token.text} also units:{token.text} "
                            f"(transliterations) and its family units:{fam} (weight {weight:g}, "
                            f"variants below exact matches)")

    def _metadata(self, plan: QueryPlan) -> None:
        """A FieldMatch for each plain word whose tokens all occur in an article field
        (`ranking.METADATA_FIELDS`): worth `ranking.METADATA_SHARE` of what the word could
        score in the text."""
        from search.query.translation import max_score

        fields = [f for f in ranking.METADATA_FIELDS if f in self.fields]
        if not fields or not self.doc_frequency:
            return
        for m in list(plan.optional):
            if not isinstance(m, WordMatch) or not m.tokens:
                continue
            tokens = [t.text for t in m.tokens]
            for f in fields:
                if all(self.doc_frequency(f, t) for t in tokens):
                    text_lookups = [lk for t in m.tokens for lk in t.lookups
                                    if lk.field == "body"] + m.bigrams
                    worth = ranking.METADATA_SHARE * max_score(
                        text_lookups, self.doc_frequency, self.doc_count, unseen=True)
                    plan.optional.append(FieldMatch(m.text, f, tokens, worth))
                    plan.explain.append(f"whole word in {f}: {m.text} -> {' '.join(tokens)} "
                                        f"(each passage of such an article +{worth:.2f})")

    # -- the parts of a word --------------------------------------------------------------

    def _segments(self, text: str, negated: bool):
        """(question-word spans skipped, token groups) of a plain word: question words
        (什麼, 哪一, 為何...) take no part in ranking unless the word is nothing else."""
        skip = [] if negated else self._question_spans(text)
        groups = self._groups(text, skip) if skip else []
        if not groups:           # no question words, or nothing but question words
            skip, groups = [], self._groups(text)
        return skip, groups

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

    def _gram_runs(self, text: str, skip=()) -> list[list[str]]:
        """The word's `grams` tokens (passage text alone) as runs of consecutive positions,
        leaving out question words: each run is a phrase the passage text holds when it
        contains the word."""
        runs: list[list[str]] = []
        last = None
        for t in self.grams(text, positions=True, chars=True, mode="query"):
            if _overlaps(t.startchar, t.endchar, skip):
                continue
            if last is None or t.pos != last + 1:
                runs.append([])
            runs[-1].append(t.text)
            last = t.pos
        return runs

    def _question_spans(self, text: str) -> list[tuple[int, int]]:
        """Where question words stand in `text`."""
        if not _CJK_RE.search(text):
            return []
        return [m.span() for m in _QUESTION_RE.finditer(fold(text))]

    def _prune(self, groups):
        """(kept, dropped main tokens): a token in more than `ranking.MAX_DF_RATIO` of the
        passages scores next to nothing and costs a scan of most postings; it is left out
        of ranking (still highlighted) unless every token of the word is that common."""
        kept = [(m, s) for m, s in groups if not self._too_common(m)] or groups
        dropped = [m for m, s in groups if (m, s) not in kept]
        return kept, dropped

    def _too_common(self, tok: str) -> bool:
        if not self.doc_frequency or self.doc_count < ranking.PRUNE_MIN_DOCS:
            return False
        return self.doc_frequency("body", tok) > ranking.MAX_DF_RATIO * self.doc_count

    def _token(self, main: str, subs: list[str]) -> Token:
        """One query token (with its sub-words) looked up in every weighted word field."""
        w = ranking.FIELD_WEIGHTS
        lookups = [Lookup(f, tok, w[f]) for tok in [main] + subs
                   for f in ranking.WORD_FIELDS if w.get(f) and f in self.fields]
        return Token(main, list(subs), lookups or [Lookup("body", main)])

    def _title(self, token: Token) -> None:
        """The article title of the user's word, weighted by its script
        (`ranking.TITLE_WEIGHTS`: English titles only; a Chinese one is the body's context)."""
        if "title" not in self.fields:
            return
        for tok in [token.text] + token.subwords:
            weight = ranking.TITLE_WEIGHTS[ranking.script(tok)]
            if weight:
                token.lookups.append(Lookup("title", tok, weight))

    def _bigrams(self, text: str, skip=()) -> list[Lookup]:
        """One lookup per character bigram of the CJK runs of `text` (also bigrams spanning
        two of jieba's words): segmentation-independent matching, weighted per bigram."""
        weight = ranking.FIELD_WEIGHTS.get("grams")
        if not weight or "grams" not in self.fields or not _CJK_RE.search(text):
            return []
        found = [Lookup("grams", t.text, weight)
                 for t in self.grams(text, chars=True, mode="query")
                 if not t.text.isascii() and not _overlaps(t.startchar, t.endchar, skip)]
        return found[:ranking.MAX_QUERY_TOKENS * 2]     # a pasted page: bounded work

    @staticmethod
    def _highlight(plan: QueryPlan, tokens: list[str], whole: bool) -> None:
        """Mark a token and its sub-words; single CJK characters of a split word would mark
        every 中 of 中國, so they are marked only where nothing else is."""
        for t in tokens:
            if len(t) > 1 or not _CJK_RE.match(t) or whole:
                plan.highlight.append(t)
            else:
                plan.fallback_highlight.append(t)

    @staticmethod
    def _word_explain(text, groups, skip, bigrams, dropped) -> list[str]:
        seg = " / ".join(m + (f" ({' '.join(s)})" if s else "") for m, s in groups)
        lines = [f"segmented: {text} -> {seg}"]
        if skip:
            lines.append("question words not ranked: "
                         + " ".join(fold(text)[a:b] for a, b in skip))
        if bigrams:
            lines.append(f"bigrams (weight {bigrams[0].weight:g} each): "
                         + " ".join(g.text for g in bigrams))
        if dropped:
            lines.append(f"too common to rank (kept for highlighting): {' '.join(dropped)}")
        return lines

    # -- filters --------------------------------------------------------------------------

    def _field(self, clause: Clause, plan: QueryPlan):
        f, value = clause.fname, clause.text
        if f in filters.TEXT_FIELDS:
            groups = self._groups(value)
            found = filters.text_filter(f, value, groups)
            if f == "title":
                plan.highlight.extend(m for m, _ in groups)
            plan.explain.append(f"filter {f}: {' '.join(m for m, _ in groups)}")
            return found
        if f == "lang":
            return self._lang(value, plan)
        if f == "article":
            plan.explain.append(f"filter article: {value}")
            return filters.article_filter(value)
        found = filters.date_filter(value, f)
        plan.explain.append(f"filter {f}: {found.lo}..{found.hi}")
        return found

    @staticmethod
    def _lang(value: str, plan: QueryPlan):
        found = filters.lang_filter(value)
        plan.explain.append(f"filter lang: {' or '.join(found.values)}")
        return found

    def _option_filters(self, plan: QueryPlan, lang, article, year_from, year_to, venue):
        """The search options (--lang, ?venue=, year_from...) as filters."""
        options = filters.search_options(lang=lang, article=article, venue=venue,
                                         year_from=year_from, year_to=year_to)
        lang, article, venue = options["lang"], options["article"], options["venue"]
        year_from, year_to = options["year_from"], options["year_to"]
        found = []
        if venue:
            found.append(self._field(Clause("field", str(venue), fname="venue"), plan))
        if lang:
            found.append(self._lang(str(lang), plan))
        if article:
            found.append(self._field(Clause("field", str(article), fname="article"), plan))
        if year_from is not None or year_to is not None:
            years = filters.year_filter(year_from, year_to)
            plan.explain.append(f"filter year: {years.lo}..{years.hi}")
            found.append(years)
        return found


def _stop_words_only(text: str) -> bool:
    """True when `text` is nothing but English stop words and lone letters (`the`, `to`),
    which the analyzers drop: said once, quietly, not "no passage contains"."""
    words = re.findall(r"[^\W_]+", fold(text))
    return bool(words) and all(w in ENGLISH_STOP_WORDS or (len(w) == 1 and w.isascii())
                               for w in words)


def _spelt(designator: str) -> list[list[str]]:
    """The grams tokens of a designator in Latin letters and in each Chinese
    transliteration of its prefix (su27sm -> [su27sm], [苏恺, 27sm], [苏霍伊, 27sm], ...)."""
    b = base(designator)
    prefix = b.rstrip("0123456789")
    rest = designator[len(prefix):]
    return [[designator]] + [[chars, rest] for chars, latin in TRANSLITERATIONS.items()
                             if latin == prefix]


def _attach_unit(plan: QueryPlan, covered: list[QueryWord], spans, start: int, end: int,
                 unit: QueryWord) -> None:
    """Give a unit found at start..end of the plain words to its word: the one word holding
    it gets its terms; several words wholly inside it (第 / 9 / 條) give way, in
    `plan.words`, to `unit`, the one word they spell. A unit a word only partly overlaps
    (條約第 / 9 / 條) is ranked but credited to none."""
    if len(covered) == 1 and spans[0][0] <= start and end <= spans[0][1]:
        covered[0].units.extend(t for t in unit.units if t not in covered[0].units)
    elif len(covered) > 1 and start <= spans[0][0] and spans[-1][1] <= end:
        at = next(i for i, w in enumerate(plan.words) if w is covered[0])
        plan.words[at:at] = [unit]
        plan.words[:] = [w for w in plan.words if not any(w is c for c in covered)]


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < b and end > a for a, b in spans)


def _blank(folded: str, spans) -> str:
    """`folded` with the spans blanked: question words take no part in proximity."""
    chars = list(folded)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
