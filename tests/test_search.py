"""Engine.search on a real index of the seeds + tests/data/engine: ranking sanity, phrases,
filters, snippets at original characters, footnotes, articles, paging, threads."""
from __future__ import annotations

import html
import re
import threading

import pytest

from search.errors import ArticleNotFound, QueryError

SEED_2021 = "000_b276265bf07c8e54"
SEED_2006 = "004_c926736664f9ed5b"


def ids(results):
    return [h.passage_id for h in results.hits]


def marked(hit):
    return [hit.text[s:e] for s, e in hit.highlights]


def test_ranking_sanity_on_seeds(engine):
    top = engine.search("中俄睦鄰友好合作條約 續約").hits[0]
    assert top.article_id == SEED_2021
    top = engine.search("俄中軍事合作 武器轉移").hits[0]
    assert top.article_id == SEED_2006
    # a passage with more of the words ranks above one with fewer; none is lost for one
    results = engine.search("拉夫羅夫 王毅 xyzzy")
    assert results.hits and results.hits[0].passage_id == f"{SEED_2021}#p0"
    assert results.unmatched == ["xyzzy"]


def test_traditional_simplified_and_english_meet(engine):
    assert ids(engine.search("台灣海峽"))[:2] == ids(engine.search("台湾海峡"))[:2]
    assert set(ids(engine.search("台湾海峡"))[:2]) == {"n5", "n6"}
    assert ids(engine.search("missiles"))[:2] == ["n3", "n4"]


@pytest.mark.parametrize("query", ["Su-27", "su27", "SU27"])
def test_designators_match_every_spelling(engine, query):
    results = engine.search(query)
    assert ids(results)[0] == "n1"
    assert marked(results.hits[0]) == ["Su-27"]
    assert any(h.passage_id == f"{SEED_2006}#p42" for h in results.hits)


def test_spaced_designator_is_marked_whole(engine):
    hit = next(h for h in engine.search("SU 27").hits if h.passage_id == "n2")
    assert "SU 27" in marked(hit)


def test_phrase_across_segmentation_boundaries(engine):
    # "合作條約" spans jieba words (…友好合作 / 條約) yet matches as a phrase via grams
    results = engine.search('"合作條約"')
    assert results.total >= 3
    for hit in results.hits:
        assert "合作條約" in hit.text
        assert "合作條約" in marked(hit)
    assert engine.search('"條約合作"').total == 0


def test_phrase_is_exact_and_required(engine):
    assert ids(engine.search('"missile defense"')) == ["n3"]
    assert ids(engine.search('"defense missile"')) == []
    results = engine.search('"戰略模糊" 俄羅斯')
    assert results.total and all("戰略模糊" in h.text for h in results.hits)


def test_or_and_not(engine):
    either = set(ids(engine.search("無人機 OR missiles", limit=50)))
    assert either == {"n3", "n4"}
    without = engine.search("missile -stability")
    assert "n4" not in ids(without) and "n3" in ids(without)
    assert ids(engine.search("missile NOT stability")) == ids(without)
    assert engine.search('北約 -"戰略模糊"').total > 0
    assert all("戰略模糊" not in h.text for h in engine.search('北約 -"戰略模糊"', limit=50).hits)


def test_field_filters(engine):
    assert {h.article_id for h in engine.search("author:蔡明彥 飛彈", limit=50).hits} == {SEED_2006}
    assert {h.article_id for h in engine.search("title:戰略模糊", limit=50).hits} == {SEED_2021}
    assert {h.date for h in engine.search("year:2005..2010", limit=100).hits} == {"2006-12"}
    assert {h.date for h in engine.search("date:2021-04 中俄", limit=50).hits} == {"2021-04-01"}
    assert engine.search("year:2007..2010").total == 0
    assert {h.lang for h in engine.search("lang:en", limit=100).hits} == {"en"}
    only = engine.search(f"article:{SEED_2021} 俄羅斯", limit=50)
    assert only.total and {h.article_id for h in only.hits} == {SEED_2021}


def test_api_filters_match_query_filters(engine):
    assert ids(engine.search("中俄", lang="en")) == ids(engine.search("中俄 lang:en"))
    assert ids(engine.search("中俄", year_from=2005, year_to=2010, limit=50)) == \
        ids(engine.search("中俄 year:2005..2010", limit=50))
    assert ids(engine.search("中俄", article=SEED_2021)) == \
        ids(engine.search(f"中俄 article:{SEED_2021}"))
    with pytest.raises(QueryError):
        engine.search("中俄", year_from="soon")


def test_snippet_marks_original_characters_and_escapes(engine):
    hit = engine.search("stability balance").hits[0]
    assert hit.passage_id == "n4"
    assert "&amp;" in hit.snippet and "&lt;b&gt;" in hit.snippet
    assert "<mark>stability</mark>" in hit.snippet
    plain = html.unescape(re.sub(r"</?mark>", "", hit.snippet))
    assert plain.strip("…") in hit.text
    # traditional text marked for a simplified query, at the author's own characters
    hit = engine.search("军事合作").hits[0]
    assert "軍事合作" in marked(hit)


def test_footnotes_of_a_passage(engine):
    hit = next(h for h in engine.search("柯茲烈夫 Kozyrev").hits
               if h.passage_id == f"{SEED_2006}#p7")
    labels = [f.label for f in hit.footnotes]
    assert labels == [n.label for n in hit.notes] and "5" in labels
    note = hit.footnotes[labels.index("5")]
    assert "Kozyrev" in note.text
    hit = engine.search("拉夫羅夫 Lavrov").hits[0]
    assert hit.footnotes and hit.footnotes[0].label == "1"


def test_article_records(engine):
    article = engine.article(SEED_2006)
    assert article.title == "俄中軍事合作關係的發展與影響"
    assert article.authors == ["蔡明彥"] and len(article.passages) == 52
    assert article.passages[7].notes and article.footnote("5").text
    for bad in ("nope", "../../etc/passwd", "", "a" * 500):
        with pytest.raises(ArticleNotFound):
            engine.article(bad)


def test_paging_and_total(engine):
    first = engine.search("中國", limit=5)
    second = engine.search("中國", limit=5, page=2)
    assert first.total == second.total > 10
    assert len(first.hits) == len(second.hits) == 5
    assert not set(ids(first)) & set(ids(second))
    assert ids(engine.search("中國", limit=10))[:10] == ids(first) + ids(second)
    assert engine.search("中國", page=100).hits == []
    with pytest.raises(QueryError):
        engine.search("中國", page=0)
    with pytest.raises(QueryError):
        engine.search("中國", limit=0)


def test_explain_shows_the_steps(engine):
    results = engine.search("中俄軍事合作 missiles", explain=True)
    text = "\n".join(results.explain)
    assert "normalised:" in text and "segmented:" in text and "missil" in text
    assert re.search(r"#1 \S+ score [0-9.]+ = \w+:", text)


def test_rank_is_the_search_ranking(engine):
    for q in ("中俄 條約", "missile defense", '"戰略模糊"', "台灣 -軍售"):
        full = engine.search(q, limit=20, every_first=False)     # relevance alone
        assert [pid for pid, _ in engine.rank(q, 20)] == ids(full)


def test_concurrent_searches_from_threads(engine):
    expected = {q: ids(engine.search(q)) for q in ("中俄", "missile", "北約 條約", '"戰略模糊"')}
    errors = []

    def worker():
        try:
            for _ in range(5):
                for q, want in expected.items():
                    assert ids(engine.search(q)) == want
        except Exception as err:      # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


@pytest.mark.parametrize("dense", [0, 10**9])      # pruned terms skipped to / scanned
@pytest.mark.parametrize("k", [1, 3, 10])
def test_maxscore_pruning_equals_exhaustive_scoring(engine, monkeypatch, k, dense):
    from search.engine import pruning as searcher_module
    from search.engine.evaluate import Evaluator
    from search.engine.pruning import top

    monkeypatch.setattr(searcher_module, "PRUNE_MIN_DF", 0)      # prune whenever possible
    monkeypatch.setattr(searcher_module, "DENSE_LOOKUP", dense)
    gen, s = engine._searcher()
    from search.query import QueryBuilder, compile
    builder = QueryBuilder(gen.schema, gen.glossary, doc_count=s.doc_count(),
                           doc_frequency=s.doc_frequency, fields=gen.live_fields(s))
    looked_up = []
    lookup = searcher_module.MaxScore._lookup

    def counted(self, field, text, *args):       # a spy: which terms MaxScore pruned
        looked_up.append((field, text))
        return lookup(self, field, text, *args)

    monkeypatch.setattr(searcher_module.MaxScore, "_lookup", counted)
    translated, pruned = set(), 0
    for text in ("中俄 軍事 合作 條約 美國", "俄羅斯 中國 武器 出售 戰機 飛彈", "missile defense Europe",
                 "中國 的 發展", "北約 東擴 俄國 安全 威脅", "Su-27 戰機 中國 引進",
                 # translated both ways: each synonym set is terms MaxScore bounds and prunes
                 "arms embargo", "joint military exercises Shanghai Cooperation Organization",
                 "strategic ambiguity", "early warning radar", "NATO 軍售", "導彈 防禦 系統"):
        plan = builder.build(text)
        translated.update((lk.field, lk.text) for t in plan.translations
                          for c in t.candidates for lk in c.lookups)
        q = compile(plan)
        exhaustive = Evaluator(s, gen.cache).run(q)
        matched: set = set()
        dense = Evaluator(s, gen.cache)
        ranked, total = dense.top(q, k, matched)
        pruned += dense.pruned_terms      # terms the counted search scored for candidates
        assert total == len(exhaustive) and matched == set(exhaustive)
        want = top(exhaustive, k, lambda d: s.stored_fields(d)["pid"])
        assert [d for d, _ in ranked] == [d for d, _ in want]
        assert all(abs(a - b) < 1e-9 for (_, a), (_, b) in zip(ranked, want))
        ranked_only, no_total = Evaluator(s, gen.cache).top(q, k, count=False)
        assert ranked_only == ranked and no_total is None
    assert translated & set(looked_up)     # translations were among the pruned terms
    assert pruned > 0                      # ... and the counted search pruned too


def test_each_terms_bound_holds_for_every_passage(engine):
    """MaxScore's per-term bound (highest frequency, shortest field of the term's postings)
    is never below what the term adds to any passage: else pruning could lose a hit."""
    from search.engine.evaluate import Evaluator
    from search.engine.pruning import MaxScore

    gen, s = engine._searcher()
    evaluator = Evaluator(s, gen.cache)
    bounded = MaxScore(evaluator)
    checked = tighter = 0
    for field in ("body", "grams", "notes", "section", "title_en", "authors", "venue"):
        for btext in s.reader().lexicon(field):
            text = s.schema[field].from_bytes(btext)
            info = bounded._leaf_info(field, text, 1.0)
            if info is None:
                continue
            factor = info[0]
            bound = bounded.bound(factor, field, text)
            assert max(evaluator.term(field, text).values()) <= bound <= factor
            checked += 1
            tighter += bound < 0.9 * factor
    assert checked > 1000 and tighter > checked // 2


def test_venue_filter_in_the_query_and_as_an_option(engine):
    journal = "004_c926736664f9ed5b"
    def articles(results):
        return {h.article_id for h in results.hits}
    by_word = engine.search("中俄 venue:俄羅斯學報", limit=100)
    assert by_word.total > 0 and articles(by_word) == {journal}
    assert all(h.venue == "俄羅斯學報 第五期" for h in by_word.hits)
    simplified = engine.search("中俄 venue:俄罗斯学报", limit=100)
    assert simplified.total == by_word.total
    option = engine.search("中俄", venue="俄羅斯學報 第五期", limit=100)
    assert option.total == by_word.total
    everything = engine.search("中俄", limit=100)
    excluded = engine.search("中俄 -venue:俄羅斯學報", limit=100)
    assert excluded.total == everything.total - by_word.total and journal not in articles(excluded)
    assert engine.search("中俄", venue="No Such Journal").total == 0


@pytest.mark.parametrize("match", ["any", "all"])
def test_the_order_of_every_match_is_the_same_from_dense_scores(engine_index, monkeypatch,
                                                                 match):
    """When the best passages of a search hold too few with every word, the ranking orders
    every match (`Ranker._full_order`); for a sum of words it scores them as numpy arrays
    (`pruning.dense_scores`). Forced here for every search (a depth of one), it must give
    the results, scores and counts of the dict of every match's score it replaced."""
    from search import ranking
    from search.engine import results as results_module
    from search.engine.engine import Engine

    monkeypatch.setattr(ranking, "PROXIMITY_DEPTH", 1)
    used = []
    dense = results_module.dense_scores

    def spy(ev, q):
        got = dense(ev, q)
        used.append(got is not None)
        return got

    monkeypatch.setattr(results_module, "dense_scores", spy)
    queries = ["中俄 軍事 合作 條約 美國", "俄羅斯 中國 武器 出售 戰機 飛彈", "missile defense Europe",
               "北約 東擴 俄國 安全 威脅", "Su-27 戰機 中國 引進", "arms embargo", "上海合作組織 演習",
               # the best two lack a word that a lower passage has: the every-match order
               "作战 武器 china", "战略 军事演习 持续", "asia 举行 军演", "针对 谈判 两国",
               "以来 措施 建立", "地区 交流 中国", "联合声明 主要 到"]

    def run():
        engine = Engine(engine_index)
        out = []
        for q in queries:
            r = engine.search(q, limit=2, match=match)
            out.append((q, r.total, r.every_word, [(h.passage_id, h.score) for h in r.hits]))
        return out

    with_arrays = run()
    assert sum(used) >= 3               # the array path ran
    monkeypatch.setattr(results_module, "dense_scores", lambda ev, q: None)
    assert run() == with_arrays
    assert any(hits for _q, _t, _e, hits in with_arrays)
