"""Proximity rerank: the query's words side by side beat the same words scattered."""
import json

import pytest

from search.index.update import update_index
from search.engine.proximity import features, rerank
from search.engine.engine import Engine


def df_table(table):
    return lambda field, term: table.get((field, term), 1)


def test_chinese_trigrams_count_as_much_as_their_commonest_bigram():
    df = df_table({("grams", "南宁"): 2, ("grams", "宁会"): 1, ("grams", "会议"): 500})
    prox = features(["南宁会议"], df, 1000)
    assert set(prox.trigrams) == {"南宁会", "宁会议"}
    assert prox.trigrams["南宁会"] > 5 * prox.trigrams["宁会议"]
    assert prox.bonus("1958年南宁会议举行") > 0
    assert prox.bonus("南宁市的会议") == 0


def test_question_words_blanked_by_the_query_builder_break_trigrams():
    prox = features(["南宁会议在  年举行"], df_table({}), 1000)
    assert not any(" " in t for t in prox.trigrams)


def test_english_pairs_cross_clauses_and_allow_two_words_between():
    prox = features(["capital", "of", "france"], df_table({}), 1000)
    assert len(prox.pairs) == 1
    assert prox.bonus("paris is the capital city of france") > 0
    assert prox.bonus("france has a capital") == 0


def test_rerank_raises_only_within_depth_and_keeps_the_list_sorted():
    texts = {1: "会议举行会议", 2: "南宁会议举行", 3: "其他"}
    prox = features(["南宁会议举行"], df_table({}), 1000)
    ranked = rerank([(1, 10.0), (2, 9.5), (3, 1.0)], prox, texts.get)
    assert [d for d, _ in ranked] == [2, 1, 3]
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)


@pytest.fixture(scope="module")
def meeting_engine(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("prox") / "corpus"
    corpus.mkdir()
    rows = [
        {"id": "scattered", "title": "會議", "text": "南寧市舉行了會議。會議期間，會議代表舉行座談，會議結束後舉行晚宴。"},
        {"id": "together", "title": "周恩來", "text": "1958年1月，毛澤東在南寧會議上批評了反冒進。"},
    ] + [{"id": f"filler{i}", "title": "其他", "text": f"第{i}次會議在北京舉行。"} for i in range(20)]
    (corpus / "m.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                    encoding="utf-8")
    index = corpus.parent / "index"
    update_index(corpus, index)
    return Engine(index)


def test_the_passage_naming_the_meeting_ranks_first(meeting_engine):
    results = meeting_engine.search("南寧會議在哪一年舉行")
    assert results.hits[0].passage_id == "together"


def test_explain_shows_the_proximity_bonus(meeting_engine):
    results = meeting_engine.search("南寧會議", explain=True)
    assert any("proximity" in line for line in results.explain)
