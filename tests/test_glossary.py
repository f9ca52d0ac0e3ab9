"""The Glossary object: build from articles, save/load beside an index, expansions."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from search.glossary import Expansion, Glossary, GlossaryEntry
from search.model import Article, Passage

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))


def _article(aid: str, *texts: str, **kw) -> Article:
    return Article(id=aid, source=f"{aid}.txt", passages=[
        Passage(id=f"{aid}#p{i}", article_id=aid, ordinal=i, text=t) for i, t in enumerate(texts)],
        **kw)


@pytest.fixture(scope="module")
def seed_articles():
    return [_article(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]


@pytest.fixture(scope="module")
def glossary(seed_articles, tmp_path_factory):
    d = tmp_path_factory.mktemp("index")
    Glossary.build(seed_articles).save(d)
    return Glossary.load(d)


def terms(g, word, **kw):
    return [x.term for x in g.expansions(word, **kw)]


def test_entries_have_counts_articles_and_source(glossary):
    by = {(e.zh, e.en): e for e in glossary.entries()}
    e = by[("拉夫羅夫", "Sergey Lavrov")]
    assert (e.count, e.articles, e.source, e.person) == (1, ["000_b276265bf07c8e54"], "glossary", True)
    assert by[("信心建立措施", "CBMs")].articles == ["004_c926736664f9ed5b"]
    assert len(by) == 21
    assert all(isinstance(x, GlossaryEntry) for x in glossary.entries())


@pytest.mark.parametrize("query", ["Lavrov", "LAVROV", "lavrov", "Sergey Lavrov"])
def test_english_name_and_surname_find_the_chinese(glossary, query):
    assert terms(glossary, query) == ["拉夫羅夫"]


@pytest.mark.parametrize("query", ["拉夫羅夫", "拉夫罗夫"])
def test_chinese_name_expands_to_surname(glossary, query):
    assert terms(glossary, query) == ["Lavrov"]


@pytest.mark.parametrize("query", ["CBMs", "CBM", "cbm", "cbms"])
def test_acronym_finds_chinese_and_full_form(glossary, query):
    assert terms(glossary, query) == ["信心建立措施", "confidence-building measures"]


def test_chinese_term_finds_acronym_and_english(glossary):
    assert sorted(terms(glossary, "信心建立措施")) == ["CBMs", "confidence-building measures"]


def test_multiword_english_with_or_without_hyphen(glossary):
    for q in ("confidence-building measures", "Confidence Building Measures"):
        assert terms(glossary, q) == ["信心建立措施", "CBMs"]


def test_stemmed_tokens_as_the_engine_passes_them(glossary):
    """The query builder looks up analysed tokens (folded, Porter-stemmed)."""
    assert terms(glossary, "cbm") == ["信心建立措施", "confidence-building measures"]
    assert terms(glossary, "sovremenni") == ["現代級"]


def test_people_of_both_seeds(glossary):
    for en, zh in [("Blinken", "布林肯"), ("Trump", "川普"), ("Biden", "拜登"),
                   ("Gorbachev", "戈巴契夫"), ("Kozyrev", "柯茲烈夫"), ("Yeltsin", "葉爾欽"),
                   ("Chirac", "席哈克"), ("Ivanov", "伊凡諾夫")]:
        assert terms(glossary, en, cross_strait_vocab=False) == [zh]


def test_putin_chains_to_mainland_names(glossary):
    assert terms(glossary, "Putin") == ["普欽", "普京", "普丁"]
    assert terms(glossary, "Putin", cross_strait_vocab=False) == ["普欽"]
    assert [x.source for x in glossary.expansions("Putin")] == ["glossary", "cross-strait", "cross-strait"]


def test_weights_below_one(glossary):
    for word in ("Lavrov", "信心建立措施", "导弹", "Putin"):
        for x in glossary.expansions(word):
            assert 0 < x.weight < 1
            assert x.source in {"glossary", "cross-strait", "user"}


def test_unknown_and_empty_terms(glossary):
    assert glossary.expansions("the") == []
    assert glossary.expansions("") == []
    assert glossary.expansions("   ") == []
    assert glossary.expansions("中國") == []


def test_load_missing_file_is_empty_but_cross_strait_still_works(tmp_path):
    g = Glossary.load(tmp_path)
    assert g.entries() == []
    assert terms(g, "导弹") == ["飛彈"]


def test_load_corrupt_file_is_empty(tmp_path):
    (tmp_path / "glossary.json").write_text("{not json", encoding="utf-8")
    assert Glossary.load(tmp_path).entries() == []


def test_save_is_json_beside_the_index(glossary, tmp_path):
    path = glossary.save(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == 1 and len(data["entries"]) == 21


def test_query_time_never_loads_jieba(tmp_path, seed_articles):
    Glossary.build(seed_articles).save(tmp_path)
    code = ("import sys; from search.glossary import Glossary; "
            f"g = Glossary.load({str(tmp_path)!r}); "
            "r = [g.expansions(w) for w in ('Lavrov', '导弹', '信心建立措施')]; "
            "assert r[0] and r[1] and r[2]; print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_common_words_do_not_expand():
    g = Glossary.build([
        _article("a", "這是「英國」（British）的政策，他「揮棄」（waive）權利。",
                 "「中國空間技術研究院」（CAST）成立。", "有別於川普（Donald Trump）"),
        _article("b", "The cast was announced; a trump card; Wang Yi（王毅）spoke.")])
    by = {e.zh: e for e in g.entries()}
    assert (by["英國"].expand_zh, by["英國"].expand_en) == (False, False)   # jieba freq >= 1000
    assert terms(g, "英國") == [] and terms(g, "British") == []
    assert terms(g, "waive") == [] and terms(g, "揮棄") == ["waive"]       # lowercase single word
    assert terms(g, "CAST") == []                                           # also "cast" in text
    assert terms(g, "中國空間技術研究院") == ["CAST"]
    assert terms(g, "Trump") == []                                          # also "trump" in text
    assert terms(g, "Donald Trump", cross_strait_vocab=False) == ["川普"]
    assert terms(g, "川普", cross_strait_vocab=False) == ["Donald Trump"]
    assert terms(g, "Yi") == [] and terms(g, "王毅") == ["Wang Yi"]         # pinyin: no surname


def test_keywords_are_paired_by_position():
    art = _article("k", "正文。", keywords=["武器交易", "解放軍現代化"],
                   keywords_en=["arms trade", "PLA modernization"])
    g = Glossary.build([art])
    assert terms(g, "arms trade") == ["武器交易"]
    assert terms(g, "解放军现代化") == ["PLA modernization"]


def test_counts_and_articles_accumulate():
    g = Glossary.build([_article("a", "外長拉夫羅夫（Sergey Lavrov）說", "外長拉夫羅夫（Sergey Lavrov）又說"),
                        _article("b", "俄國外長拉夫羅夫（Sergey Lavrov）")])
    (e,) = g.entries()
    assert (e.count, e.articles) == (3, ["a", "b"])


def test_incremental_update_mines_only_changed_articles(seed_articles):
    g = Glossary.build(seed_articles)
    g2 = g.update(articles=[_article("new", "美國國務卿蓬佩奧（Mike Pompeo）")],
                  removed=["000_b276265bf07c8e54"])
    assert terms(g2, "Pompeo") == ["蓬佩奧", "龐培歐"]     # + its Taiwan form
    assert terms(g2, "Lavrov") == []
    assert terms(g2, "CBM")                            # 004 kept without re-mining


def test_seed_corpus_through_ingest():
    from search.ingest import ingest_path
    report = ingest_path(CORPUS)
    g = Glossary.build(report.articles)
    pairs = {(e.zh, e.en) for e in g.entries()}
    for pair in [("拉夫羅夫", "Sergey Lavrov"), ("布林肯", "Antony Blinken"), ("川普", "Donald Trump"),
                 ("拜登", "Joe Biden"), ("普欽", "Vladimir Putin"), ("印太戰略", "Indo-Pacific Strategy"),
                 ("戈巴契夫", "Mikhail S. Gorbachev"), ("信心建立措施", "confidence-building measures"),
                 ("信心建立措施", "CBMs"), ("和平伙伴", "Partnership for Peace"),
                 ("柯茲烈夫", "Andrei Kozyrev"), ("亞歐高峰會", "ASEM")]:
        assert pair in pairs
    assert Expansion("拉夫羅夫", "glossary", 0.7) in g.expansions("Lavrov")


def test_indexer_helpers(tmp_path, seed_articles):
    from search.glossary import glossary_digest, glossary_names, update_glossary
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert glossary_digest(corpus) == ""
    (corpus / "glossary.tsv").write_text("王毅\tWang Yi\n", encoding="utf-8")
    digest = glossary_digest(corpus)
    assert len(digest) == 64
    gen1, gen2 = tmp_path / "gen-1", tmp_path / "gen-2"
    gen1.mkdir(), gen2.mkdir()
    update_glossary(gen1, corpus, seed_articles)                       # full build
    assert terms(Glossary.load(gen1), "Wang Yi") == ["王毅"]
    update_glossary(gen2, corpus, [_article("n", "國務卿蓬佩奧（Mike Pompeo）")],
                    removed=["004_c926736664f9ed5b"], old_gen_dir=gen1)
    g2 = Glossary.load(gen2)
    assert terms(g2, "Pompeo", cross_strait_vocab=False) == ["蓬佩奧"]
    assert terms(g2, "Lavrov") == ["拉夫羅夫"] and terms(g2, "CBMs") == []
    assert {"拉夫罗夫", "信心建立措施", "布林肯"} <= glossary_names(seed_articles)


def test_mainland_dotted_name_is_searched_by_its_last_part():
    g = Glossary.build([_article("m", "俄罗斯外长谢尔盖·拉夫罗夫（Sergey Lavrov）表示，拉夫罗夫还说")])
    assert [(e.zh, e.en) for e in g.entries()] == [("谢尔盖·拉夫罗夫", "Sergey Lavrov")]
    assert terms(g, "Lavrov") == ["拉夫罗夫"]
    assert terms(g, "拉夫罗夫") == ["Lavrov"] and terms(g, "谢尔盖·拉夫罗夫") == ["Lavrov"]


@pytest.mark.parametrize("content", ['{"format": 1, "entries": [{"zh": 1}]}', '[1, 2]',
                                     '{"format": 99}', '{"format": 1, "mined": {"a": [[1]]}}'])
def test_load_malformed_file_is_empty(tmp_path, content):
    (tmp_path / "glossary.json").write_text(content, encoding="utf-8")
    g = Glossary.load(tmp_path)
    assert g.entries() == [] and terms(g, "导弹") == ["飛彈"]


def test_find_terms_in_a_whole_query(glossary):
    assert glossary.find_terms("confidence-building measures in Asia") == [
        (0, 28, "confidence-building measures")]
    assert glossary.find_terms("Sergey Lavrov and Partnership for Peace") == [
        (0, 13, "Sergey Lavrov"), (18, 39, "Partnership for Peace")]
    assert glossary.find_terms("拉夫羅夫訪問北京") == [(0, 4, "拉夫羅夫")]
    assert glossary.find_terms("俄國巡航导弹與雷射武器") == [(2, 6, "巡航导弹"), (7, 11, "雷射武器")]
    assert glossary.find_terms("俄國巡航导弹", cross_strait_vocab=False) == []
    assert glossary.find_terms("lavrov") == [] and glossary.find_terms("") == []
