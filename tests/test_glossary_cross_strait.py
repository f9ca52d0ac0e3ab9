"""Cross-Strait vocabulary: mainland and Taiwan terms find each other, both directions."""
import subprocess
import sys

import pytest

from search.glossary import Glossary
from search.glossary import cross_strait
from search.glossary.folding import key


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    return Glossary.load(tmp_path_factory.mktemp("empty"))      # cross-Strait only


def terms(g, word, **kw):
    return [x.term for x in g.expansions(word, **kw)]


@pytest.mark.parametrize("mainland,taiwan", [
    ("导弹", "飛彈"), ("激光", "雷射"), ("软件", "軟體"), ("航母", "航艦"),
    ("巡航导弹", "巡弋飛彈"), ("无人机", "無人飛行載具"), ("潜艇", "潛艦"), ("宙斯盾", "神盾"),
    ("硬件", "硬體"), ("信息", "資訊"), ("意大利", "義大利"), ("网络", "網路"),
])
def test_both_directions_any_script(g, mainland, taiwan):
    assert key(taiwan) in {key(t) for t in terms(g, mainland)}
    assert key(mainland) in {key(t) for t in terms(g, taiwan)}
    # the Traditional spelling of the mainland word and the Simplified spelling of the
    # Taiwan word are the same keys after folding
    from search.analysis import fold
    assert key(mainland) in {key(t) for t in terms(g, fold(taiwan))}
    assert all(x.source == "cross-strait" for x in g.expansions(mainland))


def test_opencc_laser_variant_too(g):
    assert set(terms(g, "激光")) == {"雷射", "鐳射"}


@pytest.mark.parametrize("word", ["訪問", "访问", "聲明", "声明", "支持", "文件", "程序", "通過",
                                  "资料", "远程", "遠程", "項目", "设置"])
def test_everyday_and_ambiguous_words_do_not_expand(g, word):
    assert terms(g, word) == []


def test_one_character_words_never_expand(g):
    assert terms(g, "硅") == [] and terms(g, "矽") == []


def test_switch_off(g):
    assert terms(g, "导弹", cross_strait_vocab=False) == []


def test_names_line_links_all_forms(g):
    assert terms(g, "普欽") == ["普京", "普丁"]


def test_every_defense_pair_differs_after_folding():
    """A pair that folding already unifies (导弹/導彈) belongs to folding, not this list."""
    for parts in cross_strait.defense_lines():
        keys = [key(p.lstrip(">")) for p in parts]
        assert len(keys) >= 2 and len(set(keys)) == len(keys), parts


def test_defense_list_size():
    assert 40 <= len(cross_strait.defense_pairs()) <= 120


def test_opencc_pairs_filtered():
    pairs = cross_strait.opencc_pairs()
    assert 300 < len(pairs) < 600
    words = {key(w) for p in pairs for w in p}
    assert key("訪問") not in words and key("存取") not in words


def test_table_loads_lazily_once_without_jieba():
    """Built on first use, then the same table (bench/lookup_costs.py times both)."""
    code = ("import sys; import search.glossary.cross_strait as c; "
            "assert c._TABLE is None; first = c.table(); "
            "print(first is c.table(), len(first) > 0, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]


def test_one_way_pairs(g):
    assert terms(g, "歼击机") == ["戰鬥機"]
    assert terms(g, "戰鬥機") == [] and terms(g, "战斗机") == []
