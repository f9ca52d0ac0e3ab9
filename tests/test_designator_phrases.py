"""Designator families inside phrases and across scripts (issue 12, items 5 and 6), on a
small corpus of its own: every spelling of Su-27 and S-300 a commentary uses, one per
passage, with a variant of each and passages that name the parts apart."""
import json

import pytest

PASSAGES = {
    "exact": "中國空軍的 Su-27 戰機 於本月進駐海南。",
    "trad": "解放軍引進的蘇愷27戰機 已服役二十年。",
    "simp": "俄方交付，苏-27 战机参加了联合演习。",
    "variant": "俄國前線航空兵的 Su-27SM 戰機 飛越日本海。",
    "apart": "Su-27 與殲-11 均為第四代戰機。",
    "s300": "中國自俄國購得 S-300 防空飛彈系統。",
    "s300pmu": "解放軍部署 S-300PMU 防空飛彈系統 於福建沿海。",
    "other": "美國持續對臺軍售 愛國者飛彈系統。",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from search.engine.engine import Engine
    from search.index.update import update_index

    root = tmp_path_factory.mktemp("designators")
    (root / "corpus").mkdir()
    with (root / "corpus" / "news.jsonl").open("w", encoding="utf-8") as out:
        for pid, text in PASSAGES.items():
            out.write(json.dumps({"id": pid, "title": "軍售", "text": text},
                                 ensure_ascii=False) + "\n")
    update_index(root / "corpus", root / "index")
    return Engine(root / "index")


def ids(results):
    return [h.passage_id for h in results.hits]


@pytest.mark.parametrize("query", ['"Su-27 戰機"', '"蘇愷27 戰機"', '"蘇愷-27 戰機"',
                                   '"苏-27 战机"', '"Su 27 戰機"'])
def test_a_phrase_with_a_designator_finds_every_spelling_and_its_variant_last(engine, query):
    ranked = ids(engine.search(query))
    assert set(ranked) == {"exact", "trad", "simp", "variant"}      # not "apart"
    assert ranked[-1] == "variant"


def test_the_spelling_typed_ranks_first(engine):
    assert ids(engine.search('"Su-27 戰機"'))[0] == "exact"
    assert ids(engine.search('"蘇愷27 戰機"'))[0] == "trad"


def test_a_phrase_with_a_variant_finds_it_first_and_its_base_below(engine):
    ranked = ids(engine.search('"Su-27SM 戰機"'))
    assert ranked[0] == "variant"
    assert set(ranked[1:]) == {"exact", "trad", "simp"}


def test_explain_and_notices_name_the_spellings_a_phrase_was_searched_as(engine):
    results = engine.search('"Su-27SM 戰機"', explain=True)
    # the variant's weights: 0.5 x the typed phrase's IDF over theirs
    assert ('phrase designators: "Su-27SM 戰機" also as "su27 战机" (weight 0.94), '
            '"苏恺 27 战机" (weight 0.48), "苏 27 战机" (weight 0.48)') in results.explain
    assert results.notices() == []
    spaced = engine.search('"Su 27 戰機"', explain=True)
    assert ('phrase designators: "Su 27 戰機" also as "su27 战机" (weight 2.26), '
            '"苏恺 27 战机" (weight 1.15), "苏 27 战机" (weight 1.15), '
            '"su27sm 战机" (weight 1.50)') in spaced.explain
    only_family = engine.search('"Su-27UBK 戰機"')
    assert set(ids(only_family)) == {"exact", "trad", "simp", "variant"}
    assert only_family.notices() == [
        "「Su-27UBK 戰機」 itself occurs nowhere: matched through su27 战机 (designator family), "
        "苏恺 27 战机 (designator family), 苏 27 战机 (designator family), "
        "su27sm 战机 (designator family)"]
    assert only_family.count_line() == "4 passages match 「Su-27UBK 戰機」"


@pytest.mark.parametrize("query, first, below", [
    ("S-300", "s300", "s300pmu"), ("S-300PMU", "s300pmu", "s300"),
    ('"S-300 防空飛彈"', "s300", "s300pmu"), ('"S-300PMU 防空飛彈"', "s300pmu", "s300")])
def test_s300_and_s300pmu_find_each_other_below_their_exact_matches(engine, query, first,
                                                                     below):
    ranked = ids(engine.search(query))
    assert ranked[:2] == [first, below]


def test_a_phrase_of_a_designator_and_chinese_is_no_looser_than_a_phrase(engine):
    assert engine.search('"Su-27 防空"').total == 0
    assert engine.search('"S-300 戰機"').total == 0
