"""Query translation: phrases first, one synonym set per source unit, senses the index
holds, layers in order of trust, cross-Strait variants, names kept, question words dropped.
The seeds' own index gives the document frequencies, as the engine will."""
from pathlib import Path

import pytest
from whoosh import index as windex

from search.glossary import Glossary
from search.glossary.folding import fold
from search.glossary.translate import translate
from search.index.manifest import current_generation

SEEDS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def seeds(engine_index):
    gen = current_generation(engine_index)
    searcher = windex.open_dir(str(gen)).searcher()
    yield searcher.doc_frequency, Glossary.load(gen)
    searcher.close()


def units(tr):
    return [(u.text, [c.text for c in u.candidates]) for u in tr.units]


def test_longest_phrase_first():
    tr = translate("joint military exercise")
    assert [u.text for u in tr.units] == ["joint military exercise"]
    assert tr.units[0].candidates[0].text == "聯合軍演"
    assert tr.units[0].candidates[0].source == "cc-cedict"


def test_one_synonym_set_per_source_word_with_weights_below_exact():
    tr = translate("arms embargo")
    assert [u.text for u in tr.units] == ["arms", "embargo"]
    arms, embargo = tr.units
    assert len(arms.candidates) > 1 and [c.text for c in embargo.candidates] == ["禁運"]
    weights = [c.weight for c in arms.candidates]
    assert all(w < 1 for w in weights) and weights == sorted(weights, reverse=True)


def test_senses_are_chosen_by_what_the_index_holds(seeds):
    df, glossary = seeds
    everything = translate("arms embargo")
    chosen = translate("arms embargo", df, glossary)
    arms = chosen.units[0].candidates
    assert len(arms) < len(everything.units[0].candidates)
    assert arms[0].text in ("武器", "軍備", "武裝")              # not 兵戎 or 手臂
    folded = [fold(c.text) for c in arms]                       # the index holds folded forms
    assert all(df("body", k) or df("grams", k[:2]) for k in folded)
    assert [c.text for c in chosen.units[1].candidates] == ["禁運"]


def test_translations_reach_the_cross_strait_variant():
    texts = [c.text for c in translate("missile").units[0].candidates]
    assert "導彈" in texts and "飛彈" in texts


def test_names_and_designators_are_kept_and_stop_words_dropped():
    tr = translate("Su-27 arms sales to China")
    assert units(tr)[0] == ("Su-27", [])
    assert ("arms sales", ["軍售"]) in units(tr)
    assert "to" in tr.dropped


def test_question_words_are_dropped_in_both_languages():
    en = translate("How many missiles did China buy?")
    assert {"How", "many", "did"} <= set(en.dropped)
    zh = translate("谁赢得了超级碗？")
    assert "谁" in zh.dropped and "了" in zh.dropped
    assert [u.text for u in zh.units] == ["赢得", "超级碗"]
    assert "Super Bowl" in [c.text for c in zh.units[1].candidates]


def test_mixed_query_translates_every_part():
    tr = translate("NATO 軍售")
    assert units(tr) == [("NATO", ["北約", "北大西洋公約組織"]), ("軍售", ["arms sales"])]


def test_glossary_layers_come_before_the_dictionary(seeds):
    _df, mined = seeds
    lavrov = translate("Lavrov", glossary=mined).units[0].candidates
    assert (lavrov[0].text, lavrov[0].source) == ("拉夫羅夫", "glossary")
    user = Glossary.build([], user_tsv=SEEDS / "glossary.tsv")
    nato = translate("NATO", glossary=user).units[0].candidates
    assert [(c.text, c.source) for c in nato] == [("北約", "user"), ("北大西洋公約組織", "cc-cedict")]
    assert nato[0].weight > nato[1].weight


def test_translated_query_finds_the_chinese_passage(engine, seeds):
    df, glossary = seeds
    for question, wanted in (("arms embargo", "武器禁運"),
                             ("joint military exercises", "聯合軍演"),
                             ("early warning", "預警")):
        tr = translate(question, df, glossary)
        query = " ".join(tr.terms(per_set=2))
        top = [engine.article(pid.split("#")[0]) for pid, _s in engine.rank(query, limit=3)]
        assert top, question
        texts = [p.text for a in top for p in a.passages]
        assert any(wanted in t for t in texts), (question, query)
