"""The query builder on its own: the QueryPlan of given queries, and the Whoosh tree compiled
from it equal to the one main's builder made.

main's builder (`search/query.py` at commit 8fada71, before the query package) is not kept as
code: what it gave was recorded once by tests/data/query_plan/record.py into
tests/data/query_plan/main_v1.jsonl.xz, for the cases defined here (`CASES`: the dev and
hand-written queries with expansion on and off, on the engine index's statistics and on the
same statistics scaled x100, and the build options), on the `engine` fixture's index. The
current builder (with translate=False: main had no translation) runs on the same cases and
each output is compared with the recording: the Whoosh tree's repr and every attribute, the
highlight and fallback terms, proximity, words, expansions, explain lines, has_text and the
error message. If an *input* changes (a query, an option, the fixture corpus, a ranking
constant the old builder read), the test says so and asks for a new recording, which is again
made from the old code.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

import pytest
from recording import read_lines, write_lines
from whoosh import query as wq

from search import ranking
from search.errors import QueryError
from search.query import QueryBuilder, compile
from search.query.plan import (Alternative, AnyMatch, DateFilter, PhraseMatch, TextFilter,
                               ValueFilter, WordMatch)

DATA = Path(__file__).resolve().parent / "data" / "query_plan"
RECORDING = DATA / "main_v1.jsonl.xz"
RECORD_COMMAND = ".venv/bin/python tests/data/query_plan/record.py"
# the dev query sets (250 of /work/shared/eval/queries-dev-*.jsonl) and hand-written ones
# with phrases, OR, NOT, +, every filter, both scripts, designators and glossary terms
DEV = (DATA / "dev-queries.txt").read_text(encoding="utf-8").splitlines()
HAND = (DATA / "queries.txt").read_text(encoding="utf-8").splitlines()
OPTIONS = [dict(lang="zh"), dict(lang="en", year_from=2005), dict(year_to="2010"),
           dict(article="n3", venue="俄羅斯學報"), dict(year_from=2010, year_to=2005),
           dict(lang="xx"), dict(year_from="soon")]

# The cases, by group: (query, build options) and whether the statistics are the x100 ones.
# The small index prunes nothing; on the "large" one a third of the dev questions and the
# hand-written queries are enough. record.py reads these.
CASES = {
    "small": [(t, {"expand": True}) for t in DEV + HAND] + [(t, {"expand": False}) for t in HAND],
    "big": [(t, {"expand": True}) for t in DEV[::3] + HAND],
    "options": [("中俄 missile", options) for options in OPTIONS],
}
BIG = {"small": False, "big": True, "options": False}
# the ranking constants main's builder read (from search.ranking, as the new one does)
RANKING_NAMES = ("QUESTION_WORDS", "MAX_QUERY_TOKENS", "COORD_SCALE", "FIELD_WEIGHTS",
                 "WORD_FIELDS", "PRUNE_MIN_DOCS", "MAX_DF_RATIO", "PHRASE_BOOST",
                 "EXPANSION_BOOST")
FIELDS = ("error", "repr", "shape", "highlight", "fallback_highlight", "proximity", "words",
          "expansions", "explain", "has_text")


def builders(engine, cls, big: bool = False):
    """A builder on the engine index's schema, glossary and statistics; `big` pretends the
    index is 100x larger with the same proportions, so common words get pruned. Today's
    builder is compared with its issue-12 query side off (`understanding=False`: numbers
    across words, family weights, metadata matches, spaced Chinese phrases, which main did
    not have; tests/test_query_understanding.py covers them); the index's analyzers and the
    ranking constants both builders read are today's (the recording was re-made with them,
    from main's code, when issue 12 changed them on purpose)."""
    gen, s = engine._searcher()
    extra = {} if cls.__module__ == "query_v1" else {"understanding": False}
    if big:
        return cls(gen.schema, gen.glossary, doc_count=s.doc_count() * 100,
                   doc_frequency=lambda f, t: s.doc_frequency(f, t) * 100,
                   fields=gen.live_fields(s), **extra)
    return cls(gen.schema, gen.glossary, doc_count=s.doc_count(),
               doc_frequency=s.doc_frequency, fields=gen.live_fields(s), **extra)


def shape(q):
    """Every attribute of a Whoosh query tree (repr leaves out Or.scale, a constant score)."""
    if isinstance(q, wq.Query):
        return type(q).__name__, {k: shape(v) for k, v in sorted(vars(q).items())}
    if isinstance(q, (list, tuple)):
        return [shape(x) for x in q]
    return q


def outcome(build):
    """(what `build()` returned, None) or (None, the QueryError's message)."""
    try:
        return build(), None
    except QueryError as err:
        return None, str(err)


def outputs(result, query, explain, words) -> dict:
    """What the test compares of a built query, as JSON values (tuples become lists):
    `query` is the Whoosh tree, `explain` ends with its line (main's did), `words` are
    (text, tokens) pairs; the rest are the result's own."""
    return json.loads(json.dumps({
        "repr": repr(query), "shape": shape(query), "highlight": result.highlight,
        "fallback_highlight": result.fallback_highlight, "proximity": result.proximity,
        "words": words, "expansions": result.expansions, "explain": explain,
        "has_text": result.has_text}, ensure_ascii=False))


def plan_outputs(plan) -> dict:
    """`outputs` of a QueryPlan: the Whoosh tree is `compile(plan)`."""
    q = compile(plan)
    return outputs(plan, q, plan.explain + ([f"whoosh query: {q}"] if q is not None else []),
                   [(w.text, w.tokens) for w in plan.words])


def digest(value) -> str:
    """A short fingerprint of an input (a case, the fixture corpus, the ranking constants),
    so the recording can name its inputs without holding a second copy of them."""
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
                          ).hexdigest()[:16]


def fixture_digest(corpus: Path) -> str:
    """The files the engine fixture's index is built from (its statistics and glossary)."""
    return digest([[p.name, hashlib.sha256(p.read_bytes()).hexdigest()]
                   for p in sorted(corpus.iterdir())])


def ranking_digest() -> str:
    return digest({name: getattr(ranking, name) for name in RANKING_NAMES})


# --------------------------------------------------------------------------- the recording

def write_recording(path: Path, header: dict, rows) -> None:
    """The recording file: xz-compressed JSON lines, the header (input fingerprints, where
    the outputs came from) first, then one line per case, in `CASES` order, with the group,
    the case's fingerprint and main's outputs."""
    write_lines(path, [header, *rows])


def load_recording(path: Path = RECORDING) -> dict:
    """{"header": ..., "groups": {group: [row of each case]}} from a recording file."""
    lines = read_lines(path)
    header = next(lines)
    groups = {}
    for row in lines:
        groups.setdefault(row["group"], []).append(row)
    return {"header": header, "groups": groups}


@functools.cache
def recording() -> dict:
    return load_recording()


STALE = f"re-record main's outputs: {RECORD_COMMAND}"


def assert_same_as_recorded(record: dict, group: str, builder) -> list:
    """The current builder gives main's recorded outputs on every case of `group`, field by
    field; returns the plans (None for an error) for the test's own counts."""
    rows = record["groups"][group]
    assert len(CASES[group]) == len(rows), (
        f"{group}: {len(CASES[group])} cases now, {len(rows)} recorded; {STALE}")
    plans = []
    for (text, kwargs), want in zip(CASES[group], rows):
        assert digest([text, kwargs]) == want["input"], f"{group} case {text!r} changed; {STALE}"
        plan, error = outcome(lambda: builder.build(text, translate=False, **kwargs))
        got = {"error": error, **(plan_outputs(plan) if plan is not None else {})}
        for field in FIELDS:
            assert got.get(field) == want.get(field), (text, kwargs, field)
        plans.append(plan)
    return plans


# --------------------------------------------------------------------------- the tests

def test_the_recording_is_of_todays_inputs(engine_corpus):
    header = recording()["header"]
    assert fixture_digest(engine_corpus) == header["fixture"], (
        f"the engine fixture's corpus changed; {STALE}")
    assert ranking_digest() == header["ranking"], f"a ranking constant changed; {STALE}"


@pytest.mark.parametrize("big", [False, True])
def test_compiled_plans_equal_mains_whoosh_queries(engine, big):
    group = "big" if big else "small"
    plans = [p for p in assert_same_as_recorded(recording(), group,
                                                builders(engine, QueryBuilder, big))
             if p is not None]
    pruned = sum(any(line.startswith("too common") for line in p.explain) for p in plans)
    expanded = sum(bool(p.expansions) for p in plans)
    assert expanded > 10                 # the glossary took part
    assert (pruned > 5) == big           # and pruning, on the "large" index


def test_the_options_equal_mains_too(engine):
    plans = assert_same_as_recorded(recording(), "options", builders(engine, QueryBuilder))
    assert plans.count(None) == 3        # the three bad options have main's message


def test_a_changed_value_in_the_recording_is_caught(engine, tmp_path):
    """The recording file is really compared: one explain line edited in a copy fails."""
    record = load_recording()
    rows = record["groups"]["options"]
    row = next(r for r in rows if r["error"] is None)
    row["explain"][0] += "x"
    path = tmp_path / "edited.jsonl.xz"
    write_recording(path, record["header"], rows)
    with pytest.raises(AssertionError, match=re.escape("'explain')")):
        assert_same_as_recorded(load_recording(path), "options", builders(engine, QueryBuilder))


@pytest.fixture(scope="module")
def build(engine):
    """main's plans had no translation (tests/test_translation_search.py has its own)."""
    return functools.partial(builders(engine, QueryBuilder).build, translate=False)


def test_roles_of_the_clauses(build):
    plan = build('missile "strategic ambiguity" -nuclear +中俄 NOT "戰略模糊"')
    assert [type(m) for m in plan.optional] == [WordMatch]
    assert [(type(m), m.text) for m in plan.required] == [
        (PhraseMatch, "strategic ambiguity"), (WordMatch, "中俄")]
    assert [(type(m), m.text) for m in plan.excluded] == [
        (WordMatch, "nuclear"), (PhraseMatch, "戰略模糊")]
    phrase = plan.required[0]
    assert phrase.tokens == ["strateg", "ambigu"] and phrase.slop == 1 and phrase.weight == 1.5
    assert plan.has_text and plan.searchable


def test_a_plain_word_looks_up_its_tokens_in_the_weighted_fields(build):
    (word,) = build("中俄軍事合作", expand=False).optional
    assert [t.text for t in word.tokens] == ["中", "俄", "军事", "合作"]
    assert {(x.field, x.weight) for x in word.tokens[2].lookups} == {
        ("body", 1.0), ("section", 0.3), ("title_en", 0.3), ("notes", 0.5),
        ("authors", 0.5), ("venue", 0.5), ("affiliation", 0.5)}     # title weighs 0
    assert [b.text for b in word.bigrams] == ["中俄", "俄军", "军事", "事合", "合作"]
    assert {b.field for b in word.bigrams} == {"grams"}


def test_filters_of_the_query_and_of_the_options(build):
    plan = build("中俄 title:合作 venue:俄羅斯學報 author:林 lang:zh article:n3 year:2005..2010",
                 year_from=2001, lang="en")
    assert plan.filters == [
        TextFilter("title", [["合作"]], scored=True),
        TextFilter("venue", [["俄罗斯", "罗斯"], ["学报"]], scored=False),
        TextFilter("authors", [["林"]], scored=True),
        ValueFilter("lang", ["zh-Hant", "zh-Hans"]), ValueFilter("article_id", ["n3"]),
        DateFilter(20050000, 20109999), ValueFilter("lang", ["en"]),
        DateFilter(20010000, 99999999)]
    assert "合作" in plan.highlight          # title words are marked, author words not
    assert "林" not in plan.highlight


def test_open_date_ranges_are_clamped_for_whoosh_only(build):
    plan = build("year:..2010 中俄")
    assert plan.filters == [DateFilter(0, 20109999)]
    assert "NumericRange('datenum', 10000000, 20109999" in repr(compile(plan))
    assert compile(build("year:3000 中俄")).subqueries[1] is wq.NullQuery


def test_or_groups_hold_words_phrases_and_filters(build):
    (group,) = build('"中俄 合作" OR title:北約 OR missile').optional
    assert isinstance(group, AnyMatch)
    assert [type(m) for m in group.members] == [PhraseMatch, TextFilter, WordMatch]
    assert "OR group: 中俄 合作 | 北約 | missile" in build('"中俄 合作" OR title:北約 OR missile'
                                                       ).explain


def test_glossary_alternatives_of_a_word_and_of_a_spanning_term(build):
    (word,) = build("Lavrov").optional
    alt = word.tokens[0].alternatives[0]
    assert (alt.term, alt.source, alt.tokens, alt.weight) == ("拉夫羅夫", "glossary",
                                                              ["拉夫", "夫罗", "罗夫"], 0.7)
    plan = build("confidence-building measures")
    spanning = [m for m in plan.optional if isinstance(m, Alternative)]
    assert [a.label for a in spanning] == plan.expansions == [
        "信心建立措施 (glossary)", "CBMs (glossary)"]
    assert "信心建立措施" in plan.highlight
    assert build("Lavrov", expand=False).expansions == []


def test_simplified_and_traditional_queries_make_one_plan(build):
    assert compile(build("中俄軍事合作 「戰略模糊」")) == compile(build("中俄军事合作 「战略模糊」"))


def test_question_words_are_not_ranked_nor_part_of_proximity(build):
    plan = build("什麼是戰略模糊", expand=False)
    assert "question words not ranked: 什么" in plan.explain
    assert plan.proximity == ["  是战略模糊"]
    assert "什么" not in [t.text for t in plan.optional[0].tokens]


def test_common_words_are_pruned_from_ranking_but_kept_for_highlighting(engine):
    gen, s = engine._searcher()
    common = QueryBuilder(gen.schema, None, doc_count=10000,
                          doc_frequency=lambda f, t: 9000 if t == "的" else 10,
                          fields=gen.live_fields(s)).build("中國的發展")
    assert [t.text for t in common.optional[0].tokens] == ["中国", "发展"]
    assert "too common to rank (kept for highlighting): 的" in common.explain
    assert "中国的发展" in common.highlight
    alone = QueryBuilder(gen.schema, None, doc_count=10000, doc_frequency=lambda f, t: 9000,
                         fields=gen.live_fields(s)).build("的")
    assert [t.text for t in alone.optional[0].tokens] == ["的"]     # never prune everything


def test_the_token_budget_bounds_a_pasted_page(build):
    plan = build(" ".join(f"w{n}" for n in range(100)), expand=False)
    assert len(plan.optional) == 64
    assert [w.tokens for w in plan.words[63:65]] == [["w63"], []]


def test_single_cjk_characters_of_a_split_word_are_fallback_marks(build):
    plan = build("中俄軍事合作", expand=False)
    assert plan.fallback_highlight == ["中", "俄"]
    assert plan.highlight == ["中俄军事合作", "军事", "合作"]
    single = build("中", expand=False)
    assert "中" in single.highlight                    # a one-character query marks itself


def test_nothing_searchable_is_a_plan_without_matches(build):
    plan = build("the of and")
    assert not plan.searchable and compile(plan) is None
    assert plan.explain[-1] == "nothing searchable in the query"
    assert [w.text for w in plan.words] == ["the", "of", "and"]
    with pytest.raises(QueryError) as err:
        build("🚀 ?")
    assert str(err.value) == 'empty query: type a word or a "phrase" to search'


def test_filter_values_get_one_message(build):
    with pytest.raises(QueryError) as err:
        build("中俄", year_from="soon")
    assert str(err.value) == "year_from must be a year like 2010, not 'soon'"
    with pytest.raises(QueryError) as err:
        build("title:the 中俄")
    assert str(err.value) == "title:the has no searchable words: try title:WORD"
    with pytest.raises(QueryError) as err:
        build("中俄 lang:xx")
    assert str(err.value) == ("unknown language 'xx': use lang:en, lang:zh, lang:zh-Hant "
                              "or lang:zh-Hans")
