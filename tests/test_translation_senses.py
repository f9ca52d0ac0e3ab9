"""Sense selection by co-occurrence: of a query word's translations, the ones that occur in
passages beside the translations of the query's other words are searched first (`team
season`: 隊 and 球季, which a sports passage holds together, not the more frequent 團體 and
歲時, which never meet). A real index of a small corpus where the wrong senses are the
common ones."""
from __future__ import annotations

import json

import pytest

PASSAGES = [
    ("s1", "黑豹", "黑豹隊在這個球季贏得十五場比賽，全隊的防守排名聯盟第一。"),
    ("s2", "民俗", "這本書研究歲時節日的習俗。"),
    ("s3", "社團", "學生團體在校園舉辦講座。"),
    ("s4", "曆法", "古人按歲時安排農事。"),
    ("s5", "工會", "工人團體要求加薪。"),
    ("s6", "旅遊", "團體旅遊的價格比較便宜。"),
]


@pytest.fixture(scope="module")
def sense_engine(tmp_path_factory):
    from search.engine.engine import Engine
    from search.index.update import update_index

    corpus = tmp_path_factory.mktemp("senses") / "corpus"
    corpus.mkdir()
    (corpus / "news.jsonl").write_text("".join(
        json.dumps({"id": pid, "title": title, "text": text}, ensure_ascii=False) + "\n"
        for pid, title, text in PASSAGES), encoding="utf-8")
    index = corpus.parent / "index"
    update_index(corpus, index)
    return Engine(index)


def test_the_senses_that_meet_in_passages_are_searched_first(sense_engine):
    results = sense_engine.search("team season")
    assert results.expansions[:1] == ["隊 (team)"]
    assert "球季 (season)" in results.expansions
    assert results.hits[0].passage_id == "s1"          # the passage on the team's season


def test_the_dictionary_order_stays_for_a_lone_word(sense_engine):
    # nothing to co-occur with: the commonest sense the index holds leads, as before
    assert sense_engine.search("team").expansions[0] == "團體 (team)"


def test_explain_names_the_chosen_senses(sense_engine):
    lines = sense_engine.search("team season", explain=True).explain
    assert any(line.startswith("translated: team -> 隊") for line in lines)
    assert any(line.startswith("translated: season -> 球季") for line in lines)
