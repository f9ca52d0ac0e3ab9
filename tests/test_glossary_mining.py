"""Mining zh<->en pairs from parenthetical glosses: every seed pair found with its exact
Chinese boundary, and citations / dates / numbers never producing a pair."""
from pathlib import Path

import pytest

from search.glossary import mine_pairs
from search.glossary.mining import mine_pairs_detailed, normalise_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = CORPUS / "000_b276265bf07c8e54.txt"
SEED_004 = CORPUS / "004_c926736664f9ed5b.txt"

# (zh, en, boundary rule) for every gloss in the two seed articles, read off the text.
SEED_000_PAIRS = [
    ("拉夫羅夫", "Sergey Lavrov", "title"),          # 俄羅斯外長拉夫羅夫（Sergey Lavrov）
    ("布林肯", "Antony Blinken", "title"),           # 美國國務卿布林肯（Antony Blinken）
    ("川普", "Donald Trump", "name"),                # 有別於川普（Donald Trump）
    ("拜登", "Joe Biden", "title"),                  # 美國總統拜登（Joe Biden）
    ("普欽", "Vladimir Putin", "title"),             # 俄羅斯總統普欽（Vladimir Putin）
    ("印太戰略", "Indo-Pacific Strategy", "quote"),  # 「印太戰略」（Indo-Pacific Strategy）
]
SEED_004_PAIRS = [
    ("信心建立措施", "confidence-building measures", "quote"),
    ("信心建立措施", "CBMs", "quote"),
    ("戈巴契夫", "Mikhail S. Gorbachev", "title"),   # 蘇聯領導人戈巴契夫（...）
    ("和平伙伴", "Partnership for Peace", "quote"),
    ("柯茲烈夫", "Andrei Kozyrev", "title"),         # 俄國外長柯茲烈夫（Andrei Kozyrev）
    ("真實敵人", "real enemy", "quote"),
    ("葉爾欽", "Boris Yeltsin", "title"),            # 俄國\n總統葉爾欽（...）: across a line
    ("現代級", "Sovremenny", "quote"),
    ("基洛級", "Kilo", "quote"),
    ("席哈克", "Jacques Chirac", "title"),           # 法國總統席哈克（Jacques Chirac）
    ("亞歐高峰會", "Asia-Europe Summits", "quote"),  # （Asia-Europe Summits,\nASEM）
    ("亞歐高峰會", "ASEM", "quote"),
    ("伊凡諾夫", "Sergei Ivanov", "title"),          # 俄國國防部長伊凡諾夫（Sergei Ivanov）
    ("空中指管", "C2", "nouns"),                     # 空中加油與空中指管（C2）技術
    ("強制外交", "coercive diplomacy", "quote"),
]


def _detailed(path):
    return [(p.zh, p.en, p.rule) for p in mine_pairs_detailed(path.read_text(encoding="utf-8"))]


def test_seed_000_pairs_exactly():
    assert _detailed(SEED_000) == SEED_000_PAIRS


def test_seed_004_pairs_exactly():
    assert _detailed(SEED_004) == SEED_004_PAIRS


@pytest.mark.parametrize("zh,en,rule", SEED_000_PAIRS + SEED_004_PAIRS)
def test_each_seed_pair_boundary_in_its_sentence(zh, en, rule):
    """The Chinese side is exactly the name/term, not the title or text before it."""
    text = (SEED_000.read_text(encoding="utf-8") + SEED_004.read_text(encoding="utf-8"))
    found = {(p.zh, p.en): p.rule for p in mine_pairs_detailed(text)}
    assert found.get((zh, en)) == rule


def test_persons_are_marked():
    people = {p.zh for p in mine_pairs_detailed(SEED_000.read_text(encoding="utf-8")) if p.person}
    assert people == {"拉夫羅夫", "布林肯", "川普", "拜登", "普欽"}


@pytest.mark.parametrize("line", [
    "蔡明彥，中共軍力現代化的發展與挑戰：從武獲政策分析（台北：鼎茂出版社， 2005 年），頁 199-201。",
    "熊光楷，國際戰略與新軍事變革（北京：清華大學出版社，2003 年），頁 9。",
    "Soviet Foreign Policy: from Brezhnev to Gorbachev (New York: Walter de Gruyter Inc., 1991), p.388",
    "The Military Balance 1991/1992 ( London: IISS, 1992), pp.150-152.",
    "Military Thought (Moscow), Vol. 6, No. 1 (1997), p.7.",
    "Chen Hurng Yu (ed.), Compilation of Security Treaties",
    "以明（2007）年為例，中、俄雙方軍事交流將包括幾項重要計劃",
    "行政院大陸委員會，大陸情勢分析（2005 年 1 月），頁 66。",
    "在第一階段（8 月 18 至 19 日），雙方在俄國遠東軍區內舉行首長司令部演習",
    "（一）將軍售視為兩國政治友好的象徵；（二）利用中國武器市場",
    "彌補俄國傳統武器顧客（如伊拉克、南斯拉夫與利比亞）的流失",
    "頁數（pp.58-94）與卷期（Vol. 33, No. 11）",
    "東方雄獅——世界十大陸軍（IX）",
    "屬於東日本旅客鐵道（JR東日本）",
    "為教宗世俗權力標誌的教宗(Galbreath, 31)",
    "共計 8,000 人（5,000 名解放軍官兵與 3,000 名俄國官兵）",
    "發布日期：2021/04/01（本評析內容及建議，屬作者意見）",
])
def test_no_pair_from_citations_dates_numbers(line):
    assert mine_pairs(line) == []


def test_footnote_lines_of_seed_give_no_pairs():
    """Every footnote line of seed 004 (the indented citation lines) is pair-free."""
    lines = [l for l in SEED_004.read_text(encoding="utf-8").splitlines()
             if l[:3].strip().isdigit() or l.startswith("   ")]
    assert len(lines) > 60
    assert [(l, mine_pairs(l)) for l in lines if mine_pairs(l)] == []


def test_english_first_order():
    assert mine_pairs("北約與 Sergey Lavrov（拉夫羅夫）會談") == [("拉夫羅夫", "Sergey Lavrov")]
    assert mine_pairs("雙方建立confidence-building measures（信心建立措施）") == [
        ("信心建立措施", "confidence-building measures")]
    # inside English prose only the trailing capitalised name is taken
    assert mine_pairs("talks were held in Moscow with the foreign minister Sergey Lavrov（拉夫羅夫）") \
        == [("拉夫羅夫", "Sergey Lavrov")]
    assert mine_pairs("in 1991（一九九一年）") == []


def test_ascii_parentheses_and_acronym_parts():
    assert mine_pairs("中國空間技術研究院（China Academy of Space Technology，簡稱CAST）成立") == [
        ("中國空間技術研究院", "China Academy of Space Technology"),
        ("中國空間技術研究院", "CAST")]
    assert mine_pairs("北約的「和平伙伴」(Partnership for Peace)計畫") == [
        ("和平伙伴", "Partnership for Peace")]


def test_cue_words_and_middle_dot_names():
    assert mine_pairs("原名奧奈達（Oneida）") == [("奧奈達", "Oneida")]
    assert mine_pairs("教堂設計師拉爾夫·克拉姆（Ralph Adams Cram）") == [("拉爾夫·克拉姆", "Ralph Adams Cram")]


def test_compatibility_ideographs_are_unified():
    # U+F9B5 is the compatibility form of 例; U+F92C of 郎
    pairs = mine_pairs("美國總統\uf92c普（Joe Lang）")
    assert pairs == [("郎普", "Joe Lang")]
    assert "\uf9b5" not in normalise_text("\uf9b5如")


def test_hard_wrapped_lines_are_rejoined():
    assert normalise_text("俄國\n總統葉爾欽（Boris\nYeltsin）") == "俄國總統葉爾欽（Boris Yeltsin）"


def test_noun_run_interrupted_by_a_number_is_rejected():
    assert mine_pairs("鑫諾一號通信衛星（SINOSAT-1）是一顆衛星") == []
    assert mine_pairs("俄國提出比提尼亞（Bithynia）") == []      # not the fragment 尼亞
