"""The query's translation as plan clauses, on the same scale as the user's own words.

`search.glossary.translate` gives one synonym set per source unit (phrases first, names and
designators kept as typed, question and stop words dropped); this turns each set into ONE
weighted clause (`TranslationSet`, Pirkola's structured query): each candidate is analysed
like a query word (its tokens in the word fields, its character bigrams in `grams`), the
best two are searched, the second at its weight over the first's, and a term two senses
share counts once, so a word with eight senses weighs about what a word with one does. The
clause is an Or of Terms, which the evaluator's MaxScore prunes like any plain word.

Why a common scale: the two languages score on different scales (Chinese terms have
idf^1.5 and bigrams; English words neither), and the question's own words match close
distractors in its own language. A term's BM25 contribution never exceeds
idf * (k1 + 1) * weight, so what a translation and its source could score at most is known
here; each set is boosted to a share (`ranking.TRANSLATION_SHARE`) of what its source unit
could score (`ranking.TRANSLATION_SCALE`: "unit", or "query" for the whole query at once).
"""
from __future__ import annotations

from search import ranking
from search.analysis import fold
from search.query.plan import (Alternative, Lookup, PhraseMatch, QueryPlan, Translated,
                               TranslationSet, WordMatch)


UNSEEN_FIELDS = ("body", "grams")


def max_score(lookups, doc_frequency, doc_count: int, unseen: bool = False) -> float:
    """The most `lookups` can add to a passage's score: sum of idf * (k1 + 1) * weight
    over the terms that occur (the searcher's BM25F factor). `unseen`: a word or bigram
    that occurs nowhere counts at the highest idf (what it would be worth had it matched;
    not the sparse fields, notes and authors, which most words never reach)."""
    total = 0.0
    for lk in lookups:
        df = doc_frequency(lk.field, lk.text)
        if df or (unseen and lk.field in UNSEEN_FIELDS):
            k1, _b, power = ranking.term_params(lk.text)
            total += ranking.idf(df, doc_count, power) * (k1 + 1) * lk.weight
    return total


def searched_terms(plan: QueryPlan) -> set[str]:
    """Folded texts the plan already searches as glossary alternatives."""
    out = set()
    for m in plan.optional + plan.required:
        alts = []
        if isinstance(m, WordMatch):
            alts = list(m.alternatives) + [a for t in m.tokens for a in t.alternatives]
        elif isinstance(m, Alternative):
            alts = [m]
        out.update(fold(a.term) for a in alts)
    return out


def add_translation(plan: QueryPlan, text: str, builder, within: set[str] | None = None) -> None:
    """Translate the plain words `text` of the query and add one optional TranslationSet
    per translated unit to `plan`; the sets' labels join `plan.expansions`, their details
    `plan.explain`.

    The scale (`ranking.TRANSLATION_SCALE`): "unit": a set's best translation, matched in
    full, is worth `ranking.TRANSLATION_SHARE` of what its source unit could score (its own
    tokens and bigrams); "query": all sets together, each at its best translation, are
    worth that share of what all of the user's own words could score, each translation
    keeping the weight its rarity gives it in the passages' language.

    `within`: the passage languages the filters leave ("en", "zh"; None: all). A unit whose
    own language is filtered out translates at `ranking.TRANSLATION_SHARE_ACROSS` (scale
    "unit"): its own words can only match names and numbers there."""
    from search.glossary.translate import translate

    n = builder.doc_count
    if builder.doc_frequency is None or not n or not text.strip():
        return
    df = builder.doc_frequency     # the Engine's searcher remembers counts per generation
    tr = translate(text, df, builder.glossary, postings=passages_of(builder))
    typed = fold(plan.normalised)
    already = searched_terms(plan)
    by_unit = ranking.TRANSLATION_SCALE == "unit"
    sets, best = [], 0.0
    for unit in tr.units:
        if unit.candidates:
            plan.translated.append(unit.text)
        cands = [c for c in unit.candidates[:ranking.TRANSLATIONS_PER_SET]
                 if fold(c.text) not in already and fold(c.text) not in typed]
        built = [(c, lookups, max_score(lookups, df, n))
                 for c in cands for lookups in [_lookups(builder, c.text)]]
        built = [b for b in built if b[2] > 0]
        if not built:
            continue
        worth = max_score(_lookups(builder, unit.text), df, n, unseen=True) if by_unit \
            else 1.0
        top = built[0][0].weight
        total = sum(c.weight for c, _l, _m in built) if ranking.TRANSLATION_SETS == "share" \
            else top
        tset = TranslationSet(unit.text, unit.lang, top, [])
        share = ranking.TRANSLATION_SHARE_ACROSS if by_unit and within is not None \
            and unit.lang not in within else ranking.TRANSLATION_SHARE
        taken: set = set()          # a term two senses share (Luther, Martin Luther) counts once
        for c, lookups, mx in built:
            boost = worth * (c.weight / total) / (mx if by_unit else 1.0) \
                * (share if by_unit else 1.0)
            tset.candidates.append(Translated(
                c.text, c.source, c.weight, c.gloss,
                [lk for lk in lookups if (lk.field, lk.text) not in taken], boost))
            taken.update((lk.field, lk.text) for lk in lookups)
        best += max(c.boost * mx for c, (_c, _l, mx) in zip(tset.candidates, built))
        sets.append(tset)
    scale = 1.0 if by_unit else ranking.TRANSLATION_SHARE
    if sets and not by_unit:
        ours = max_score(own_lookups(plan), df, n, unseen=True)
        scale *= ours / best if best > 0 else 1.0
    for tset in sets:
        for c in tset.candidates:
            c.boost *= scale
            c.lookups = [Lookup(lk.field, lk.text, lk.weight * c.boost) for lk in c.lookups]
            _label(plan, tset.label(c))
            plan.highlight.append(fold(c.text))
            plan.explain.append(f"translated: {tset.text} -> {c.text}"
                                + (f" ({c.gloss})" if c.gloss else "")
                                + f" [{c.source}, weight {c.weight:g}, boost {c.boost:.3g}]")
        plan.translations.append(tset)
        plan.optional.append(tset)
    if tr.dropped:
        plan.explain.append("not translated (question or stop words): " + " ".join(tr.dropped))


def add_phrase_translation(match: PhraseMatch, plan: QueryPlan, builder) -> None:
    """A quoted phrase that translates as one unit (`"early warning"` -> 預警) also matches
    its translations, as phrase alternatives below the phrase itself (a phrase is required:
    a translation added beside it could never find a passage without it)."""
    from search.glossary.translate import translate

    if builder.doc_frequency is None or not builder.doc_count:
        return
    tr = translate(match.text, builder.doc_frequency, builder.glossary)
    if len(tr.units) != 1 or not tr.units[0].candidates:
        return
    unit = tr.units[0]
    plan.translated.append(unit.text)
    typed, already = fold(plan.normalised), {fold(a.term) for a in match.alternatives}
    top = unit.candidates[0].weight
    for c in unit.candidates[:ranking.TRANSLATIONS_PER_SET]:
        tokens = [t.text for t in builder.grams(c.text, positions=True, mode="query")]
        if not tokens or fold(c.text) in typed or fold(c.text) in already:
            continue
        weight = ranking.TRANSLATION_SHARE * match.weight * c.weight / top
        match.alternatives.append(Alternative(c.text, tokens, weight, c.source))
        _label(plan, f"{c.text} ({c.gloss or unit.text})")
        plan.highlight.append(fold(c.text))
        plan.explain.append(f"translated phrase: \"{match.text}\" -> {c.text}"
                            + (f" ({c.gloss})" if c.gloss else "")
                            + f" [{c.source}, weight {c.weight:g}, boost {weight:.3g}]")


def _label(plan: QueryPlan, label: str) -> None:
    if label not in plan.expansions:
        plan.expansions.append(label)
    if label not in plan.translation_labels:
        plan.translation_labels.append(label)


def own_lookups(plan: QueryPlan) -> list[Lookup]:
    """The weighted term lookups of the user's own plain words (tokens and bigrams)."""
    found = []
    for m in plan.optional + plan.required:
        if isinstance(m, WordMatch):
            found.extend(lk for t in m.tokens for lk in t.lookups)
            found.extend(m.bigrams)
    return found


COHERENCE_MAX_DF = 0.05    # a word in more passages than this share tells no sense apart
COHERENCE_MIN_DF = 50      # ... unless in fewer than this many (a small index: keep all)


def passages_of(builder):
    """`text -> the passage numbers holding all its word tokens` on the builder's searcher
    (`builder.postings(field, text)`, a posting list's ids as a set-like
    `engine.postings.DocIds`; an empty frozenset when none), for sense selection
    by co-occurrence (`translate.cohere`); None without a searcher. Words in more than
    COHERENCE_MAX_DF of the passages (and more than COHERENCE_MIN_DF) are left out of a
    candidate's set (they co-occur with everything; the floor keeps a small index's words);
    a candidate of such words only has an empty set."""
    postings = getattr(builder, "postings", None)
    if postings is None or not builder.doc_count:
        return None
    cap = max(COHERENCE_MAX_DF * builder.doc_count, COHERENCE_MIN_DF)
    memo: dict = {}

    def of(text: str):
        if text in memo:
            return memo[text]
        found = None
        for main, _subs in builder._groups(text):
            if builder.doc_frequency("body", main) > cap:
                continue
            ids = postings("body", main)
            found = ids if found is None else found & ids
        memo[text] = found or frozenset()
        return memo[text]
    return of


def _lookups(builder, text: str) -> list[Lookup]:
    """A translation analysed like a query word: each token (with sub-words) in the word
    fields, and the character bigrams of its CJK runs in `grams`; too-common tokens left
    out as for the user's words (`builder._too_common`)."""
    found = []
    for main, subs in builder._groups(text):
        if not builder._too_common(main):
            found.extend(builder._token(main, subs).lookups)
    found.extend(builder._bigrams(text))
    return found
