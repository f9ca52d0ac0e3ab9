"""Cross-language search on the seeds: an English query finds the Chinese passage and a
Chinese query the English one, through the engine, the CLI, the page and the API; the
translations are shown ("also searched"), explained, and can be switched off."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.cli import main
from web import create_app

EMBARGO = "解除對中國的武器禁運"


def texts(results, n=3):
    return [h.text for h in results.hits[:n]]


def test_arms_embargo_finds_the_chinese_passage(engine):
    assert any(EMBARGO in t for t in texts(engine.search("arms embargo")))


def test_joint_exercises_finds_the_section(engine):
    results = engine.search("joint military exercises Shanghai Cooperation Organization")
    assert any("聯合軍演" in h.section for h in results.hits[:3])
    alone = engine.search("joint military exercises Shanghai Cooperation Organization",
                          translate=False)
    assert not any("聯合軍演" in h.section for h in alone.hits[:3])


def test_strategic_ambiguity_finds_the_chinese_term(engine):
    # CC-CEDICT has no entry for 戰略模糊: the pair is in corpus/glossary.tsv (user layer)
    results = engine.search("strategic ambiguity")
    assert all("戰略模糊" in t for t in texts(results))
    assert "ambiguity" not in results.unmatched          # it was found, in Chinese
    assert not any("戰略模糊" in t for t in texts(
        engine.search("strategic ambiguity", translate=False, expand=False)))


def test_early_warning_finds_the_chinese_term(engine):
    results = engine.search("early warning")
    assert results.hits and all("預警" in t for t in texts(results))
    assert results.expansions == ["預警 (early warning)"]
    assert results.unmatched == []                        # no English passage has them


def test_chinese_query_finds_the_english_abstract(engine):
    # below the Chinese passages that say what was typed, but found
    found = engine.search("俄羅斯對中國軍售")
    assert "Russia’s efforts to promote arms sales to China" in " ".join(texts(found, 10))
    assert "Russia (俄羅斯)" in found.expansions and "arms sales (軍售)" in found.expansions
    alone = engine.search("俄羅斯對中國軍售", translate=False)
    assert not any(h.lang == "en" for h in alone.hits[:10])
    assert alone.expansions == []


def test_no_expand_switches_translation_off_too(engine):
    assert engine.search("early warning", expand=False).hits == []


@pytest.mark.parametrize("query, wanted", [
    ("NATO 軍售", {"北約", "arms sales"}),
    ("Su-27 arms sales to China", {"軍售", "中國"}),
    ("普京 Valdai", {"Vladimir Putin"}),
])
def test_mixed_queries_search_every_part_in_both_languages(engine, query, wanted):
    results = engine.search(query, explain=True)
    searched = {e.split(" (")[0] for e in results.expansions}
    assert wanted <= searched, results.expansions
    # names and designators are searched as typed, not translated
    for name in ("Su-27", "Valdai", "NATO"):
        if name in query:
            assert not any(line.startswith(f"translated: {name} ") for line in results.explain)


def test_explain_shows_layer_and_weight(engine):
    lines = engine.search("early warning", explain=True).explain
    line = next(x for x in lines if x.startswith("translated: "))
    assert line.startswith("translated: early warning -> 預警 (early warning) "
                           "[cc-cedict, weight 0.6, boost ")


# -- CLI ---------------------------------------------------------------------------------

def cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_shows_and_switches_off_translations(engine_index):
    out = cli("search", "early warning", "--index", engine_index)
    assert "\nalso searched: 預警 (early warning)\n" in out
    assert "預警" in out.split("also searched")[1]                 # in the hits too
    off = cli("search", "early warning", "--index", engine_index, "--no-translate")
    assert off.splitlines()[0] == "no passages match 'early warning'"
    assert "also searched" not in off and "預警" not in off


def test_cli_explain_lists_translations(engine_index):
    out = cli("search", "arms embargo", "--index", engine_index, "--explain")
    assert "# translated: arms -> 軍備 (arms) [cc-cedict, weight 0.6, boost " in out
    assert "# translated: embargo -> 禁運 (embargo) [cc-cedict, weight 0.6, boost " in out


def test_batch_no_translate(engine_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "q1", "text": "early warning"}) + "\n",
                       encoding="utf-8")
    cli("search", "--index", engine_index, "--batch", queries, "--run", tmp_path / "on.trec")
    cli("search", "--index", engine_index, "--batch", queries, "--run", tmp_path / "off.trec",
        "--no-translate")
    assert (tmp_path / "on.trec").read_text().startswith("q1 Q0 004_c926736664f9ed5b#p")
    assert (tmp_path / "off.trec").read_text() == ""


@pytest.fixture(scope="module")
def filtered_index(tmp_path_factory):
    """One Chinese passage that quotes the English word, one that says it in Chinese."""
    from search.index.update import update_index

    corpus = tmp_path_factory.mktemp("filtered") / "corpus"
    corpus.mkdir()
    lines = [
        {"id": "quotes", "article_id": "a1", "title": "議題一", "lang": "zh-Hant",
         "text": "本段落引用英文原文 embargo 一詞，討論翻譯的問題。"},
        {"id": "says", "article_id": "a2", "title": "議題二", "lang": "zh-Hant",
         "text": "歐盟考慮解除對中國的武器禁運，美國表示反對。"},
        {"id": "english", "article_id": "a3", "title": "Topic", "lang": "en",
         "text": "The arms embargo on China was debated in Brussels."},
        {"id": "other", "article_id": "a4", "title": "其他", "lang": "zh-Hant",
         "text": "台灣的國防預算逐年增加。"},
    ]
    (corpus / "a.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n"
                                            for x in lines), encoding="utf-8")
    index_dir = corpus.parent / "index"
    update_index(corpus, index_dir)
    return index_dir


def test_other_language_filter_lets_the_translation_lead(filtered_index):
    # An English query limited to Chinese passages: the passage that says 武器禁運 ranks
    # above the one that only quotes the English word (the translation weighs in full,
    # ranking.TRANSLATION_SHARE_ACROSS); without the filter the English passage leads and
    # the quoting one stays above the translation (the user's own words weigh more).
    from search.engine.engine import Engine

    engine = Engine(filtered_index)
    assert [h.passage_id for h in engine.search("arms embargo").hits] == \
        ["english", "quotes", "says"]
    assert [h.passage_id for h in engine.search("arms embargo", lang="zh").hits] == \
        ["says", "quotes"]
    assert [h.passage_id for h in engine.search("arms embargo lang:zh").hits] == \
        ["says", "quotes"]
    # a filter to the query's own language changes nothing about the translation's weight
    boosts = [x for x in engine.search("arms embargo", explain=True).explain
              if x.startswith("translated: ")]
    assert boosts == [x for x in engine.search("arms embargo", lang="en", explain=True).explain
                      if x.startswith("translated: ")]


def test_batch_lines_may_name_the_language(filtered_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "q1", "text": "arms embargo", "lang": "zh"}) + "\n",
                       encoding="utf-8")
    cli("search", "--index", filtered_index, "--batch", queries, "--run", tmp_path / "r.trec")
    assert [line.split()[2] for line in (tmp_path / "r.trec").read_text().splitlines()] == \
        ["says", "quotes"]
    queries.write_text(json.dumps({"id": "q1", "text": "arms embargo", "lang": "fr"}) + "\n",
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["search", "--index", str(filtered_index), "--batch",
                                       str(queries), "--run", str(tmp_path / "r.trec")])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == (
        f"defsearch: {queries}:1: unknown language 'fr': use en, zh, zh-Hant or zh-Hans")


# -- web and API -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(engine_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(engine_index)}).test_client()


def test_page_shows_translations_and_a_switch(client):
    html = client.get("/search?q=early+warning").get_data(as_text=True)
    assert '<p class="also">Also searched: <a href="/search?q=%E9%A0%90%E8%AD%A6" ' \
           'class="chip" lang="zh">' in html
    assert '<small class="why" lang="en">early warning</small>' in html
    assert '<a class="translate-off" href="/search?q=early+warning&amp;translate=0">' \
           'Search without translations</a>' in html


def test_page_without_translations_keeps_the_query(client):
    html = client.get("/search?q=early+warning&translate=0").get_data(as_text=True)
    assert "Also searched" not in html and "預警" not in html
    assert 'value="early warning"' in html
    assert '<input type="hidden" name="translate" value="0">' in html
    assert '<a href="/search?q=early+warning">Also search the query\'s translation</a>' in html


def test_api_translate_param(client):
    on = client.get("/api/search?q=early+warning").get_json()
    assert on["translations"] == ["預警 (early warning)"] and on["total"] > 0
    off = client.get("/api/search?q=early+warning&translate=0").get_json()
    assert off["translations"] == [] and off["total"] == 0
    bad = client.get("/api/search?q=early+warning&translate=yes")
    assert bad.status_code == 400
    assert bad.get_json()["error"] == ("translate must be 0 (do not search translations) "
                                       "or 1, not 'yes'.")


# -- the plan ----------------------------------------------------------------------------

def test_the_plan_holds_one_typed_set_per_unit(engine):
    from whoosh import query as wq

    from search.query import QueryBuilder, compile
    from search.query.plan import TranslationSet
    from search.engine.pruning import _flatten

    gen, s = engine._searcher()
    plan = QueryBuilder(gen.schema, gen.glossary, doc_count=s.doc_count(),
                        doc_frequency=s.doc_frequency, fields=gen.live_fields(s)).build(
        "early warning Su-27")
    (tset,) = plan.translations                    # Su-27 is searched as typed
    assert (tset.text, tset.lang) == ("early warning", "en")
    assert [(c.text, c.source, c.weight, c.gloss) for c in tset.candidates] == [
        ("預警", "cc-cedict", 0.6, "early warning")]
    assert {(lk.field, lk.text) for lk in tset.candidates[0].lookups} >= {
        ("body", "预警"), ("grams", "预警")}        # both analyses, folded like the index
    assert [m for m in plan.optional if isinstance(m, TranslationSet)] == [tset]
    q = compile(plan)
    assert isinstance(q, wq.Or) and _flatten(q) is not None     # MaxScore still prunes it
    assert plan.translated == ["early warning"]


def test_translations_reach_the_cross_strait_variant(engine):
    # the seeds write the Taiwan 飛彈, not the mainland 導彈 CC-CEDICT gives first
    results = engine.search("missile", explain=True)
    assert "飛彈 (missile)" in results.expansions
    assert any(x.startswith("translated: missile -> 飛彈 (missile) [cross-strait, weight 0.8")
               for x in results.explain)
    assert any("飛彈" in h.text for h in results.hits[:3])


def test_a_quoted_phrase_also_matches_its_translation(engine):
    results = engine.search('"early warning"', explain=True)
    assert results.hits and all("預警" in t for t in texts(results))
    assert results.translations == ["預警 (early warning)"] and results.unmatched == []
    assert 'translated phrase: "early warning" -> 預警 (early warning) [cc-cedict, ' \
           'weight 0.6, boost 0.75]' in results.explain
    assert engine.search('"early warning"', translate=False).hits == []
    # a phrase that translates only word by word stays as typed
    assert engine.search('"arms embargo"').translations == []
