"""What a reader checks on the two seed articles (corpus/): metadata, sections, paragraphs
rejoined across line and page breaks, every footnote attached to the right passage, and no
page furniture or font artefacts left in any passage."""
import re
import unicodedata
from pathlib import Path

import pytest

from search.ingest import ingest_file, ingest_path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
COMMENTARY = CORPUS / "000_b276265bf07c8e54.txt"
PAPER = CORPUS / "004_c926736664f9ed5b.txt"


def passage_with(article, snippet):
    found = [p for p in article.passages if snippet in p.text]
    assert len(found) == 1, f"{snippet!r} found in {len(found)} passages"
    return found[0]


def all_text(article):
    parts = [article.title, article.title_en, article.abstract, article.abstract_en,
             article.affiliation, article.venue, *article.authors, *article.keywords,
             *article.keywords_en]
    parts += [p.text for p in article.passages] + [n.text for n in article.footnotes]
    return "\n".join(parts)


# --- the commentary (000) ----------------------------------------------------------------

def test_commentary_metadata(commentary):
    assert commentary.id == "000_b276265bf07c8e54"
    assert commentary.source == "000_b276265bf07c8e54.txt"
    assert commentary.title == "中俄軍事合作戰略模糊抑或清晰？"
    assert commentary.date == "2021-04-01"
    assert commentary.url == "https://indsr.org.tw/tw/News"
    assert commentary.venue == "財團法人國防安全研究院"
    assert commentary.authors == []             # not in the extract: never invented
    assert commentary.abstract == "" and commentary.title_en == ""
    assert commentary.lang == "zh-Hant"


def test_commentary_sections(commentary):
    assert commentary.passages[0].section == []
    assert commentary.passages[0].text.startswith("2021年3月23日俄羅斯外長拉夫羅夫（Sergey Lavrov）")
    sections = []
    for p in commentary.passages:
        if p.section not in sections:
            sections.append(p.section)
    assert sections == [[], ["中俄持續戰略匯合乃現實所迫"], ["中俄軍事合作持續戰略模糊抑或清晰？"]]
    assert len(commentary.passages) == 5


def test_commentary_paragraph_joined_across_page_furniture(commentary):
    p = passage_with(commentary, "王毅並指出少數國家所謂「以規則為基礎的國際秩序」，係反映少數國家的規則")
    assert p.section == ["中俄持續戰略匯合乃現實所迫"]
    passage_with(commentary, "俄羅斯總統普欽（Vladimir Putin）於2020年瓦爾代年會表達")
    passage_with(commentary, "表《中華人民共和國和俄羅斯聯邦外交部長關於當前全球治理若干問題的聯合聲明》。除對當前")


def test_commentary_furniture_and_disclaimer_are_not_passages(commentary):
    text = "\n".join(p.text for p in commentary.passages)
    for junk in ("發布日期", "https://", "indsr.org.tw", "本評析內容及建議", "[1]", "[6]",
                 commentary.title):
        assert junk not in text
    assert "\uf073" not in all_text(commentary)        # the private-use bullet glyph


def test_commentary_bracket_notes_are_references_without_text(commentary):
    assert [n.label for n in commentary.footnotes] == ["1", "2", "3", "4", "5", "6"]
    assert all(n.text == "" for n in commentary.footnotes)
    refs = [(n.label, p.ordinal) for p in commentary.passages for n in p.notes]
    assert [label for label, _ in refs] == ["1", "2", "3", "4", "5", "6"]
    p = passage_with(commentary, "將自動延長五年。美中「2+2」高層會談甫不歡而散，兩國便各自尋求奧援。")
    [ref] = p.notes
    assert ref.label == "1" and p.text[:ref.offset].endswith("將自動延長五年。")
    p = passage_with(commentary, "干涉兩國內政。凡此莫不暗批美國干涉他國內政")
    ref = next(n for n in p.notes if n.label == "3")
    assert p.text[:ref.offset].endswith("利用社交網路干涉兩國內政。")
    p = passage_with(commentary, "民主與威權的價值之爭後，美國與中俄對抗的升高已能預見")
    ref = next(n for n in p.notes if n.label == "2")
    assert p.text[:ref.offset].endswith("價值之爭後，")


# --- the journal paper (004) -------------------------------------------------------------

def test_paper_metadata(paper):
    assert paper.title == "俄中軍事合作關係的發展與影響"
    assert paper.authors == ["蔡明彥"]
    assert paper.affiliation == "中興大學國際政治研究所副教授"
    assert paper.date == "2006-12"
    assert paper.venue == "俄羅斯學報 第五期"
    assert paper.url == ""
    assert paper.keywords == ["俄中軍事合作", "解放軍現代化", "武器交易", "信心建立措施"]
    assert paper.abstract.startswith("俄國與中國軍事合作關係的發展，具有戰略、政治、經濟與軍事的意涵。")
    assert paper.abstract.endswith("也將限制俄國在東亞國際關係的外交與戰略操作空間。")
    assert paper.title_en == "Russian-Chinese military ties：Development and Implications"
    assert paper.keywords_en == ["Russian-Chinese military cooperation", "PLA modernization",
                                 "arms trade", "confidence-building measures"]
    assert paper.abstract_en.startswith("Russian and Chinese military cooperation has tended "
                                        "to incorporate and reflect wider strategic,")
    assert paper.abstract_en.endswith("with other countries in East Asia.")
    assert paper.lang == "zh-Hant"


def test_paper_sections(paper):
    top = []
    for p in paper.passages:
        if p.section and p.section[0] not in top:
            top.append(p.section[0])
    assert top == ["摘要", "壹、前言", "貳、俄、中軍事合作的政治基礎", "參、俄、中軍事合作的內容",
                   "肆、對區域安全情勢的影響", "伍、結論", "Abstract"]
    subs = []
    for p in paper.passages:
        if p.section[:1] == ["參、俄、中軍事合作的內容"] and len(p.section) > 1 \
                and p.section[1] not in subs:
            subs.append(p.section[1])
    assert subs == ["一、軍事交流", "二、邊境信心建立措施與裁軍措施", "三、武器交易", "五、聯合軍演"]
    item = passage_with(paper, "透過軍事合作，穩定雙邊關係：蘇聯瓦解後")
    assert item.section == ["貳、俄、中軍事合作的政治基礎", "一、透過軍事合作，穩定雙邊關係"]
    after = passage_with(paper, "整體而言，俄國與中國在軍事領域發展合作")
    assert after.section == ["貳、俄、中軍事合作的政治基礎"]
    english = [p for p in paper.passages if p.section == ["Abstract"]]
    assert english and all(p.lang == "en" for p in english)


def test_paper_paragraphs_joined_across_lines_and_pages(paper):
    # a paragraph running over a footnote block and a page break
    p = passage_with(paper, "取得俄國在歐洲遭西方國家孤立的心理補償，二來可透過俄、中伙伴關係的建立")
    assert p.text.startswith("俄國方面認為，美國於 1994 年 1 月與北約聯合宣布")
    assert p.text.endswith("改善俄國在亞洲地區的影響力。")
    # the page-top fragment `頁。3` finishes the paragraph before the notes
    p = passage_with(paper, "為兩國的關係正常化開啟新頁。")
    assert p.text.endswith("開啟新頁。")
    # a page break without footnotes
    passage_with(paper, "另外，在此次的聯合軍演中，雙方部隊進行了多兵種的戰術實兵操演")
    # a list item running over a page break
    passage_with(paper, "支出的一大負擔。中國與俄國針對邊境地區信心建立措施")
    # CJK/number spacing kept as the author wrote it, across a line break too
    passage_with(paper, "從 1980 年代末期的「關係正常化」、到 1990 年代初期的「睦鄰關係」")
    # real hyphens stay
    passage_with(paper, "（confidence-building measures, CBMs）")
    passage_with(paper, "Su-27 與 Su-30MKK 戰機")
    # not one passage per line, not one per article
    assert 40 <= len(paper.passages) <= 60
    assert all(len(p.text) > 20 for p in paper.passages)


def test_paper_has_all_48_notes_in_order(paper):
    numbered = [n for n in paper.footnotes if n.label.isdigit()]
    assert [n.label for n in numbered] == [str(i) for i in range(1, 49)]
    assert all(n.text for n in numbered)
    cited = [n.label for p in paper.passages for n in p.notes]
    assert cited == [str(i) for i in range(1, 49)]


@pytest.mark.parametrize("label, before, after", [
    ("1", "降低意識型態與軍事手段的操作。", "當戈巴契夫全新的外交思維"),
    ("2", "可能性已大幅降低」。", "1989 年 5 月 18 日，戈巴契夫訪問北京"),
    ("3", "為兩國的關係正常化開啟新頁。", ""),
    ("5", "「真實敵人」（real enemy）。", "根據「和平伙伴」計劃"),
    ("26", "的規模，進行規範，", "並對邊境地區每年的軍事演習次數"),
    ("27", "予以限制。", "除了推動邊境地區信心建立措施之外"),
    ("32", "便公開主張歐盟應取消對中國的武器禁運。", "2005 年 3 月 27 日，日本首相小泉"),
    ("34", "均進行一定程度的控管。", "然而，面對未來歐盟"),
    ("46", "「威懾致勝」的作戰概念。", "解放軍發展中的攻勢作戰概念"),
    ("48", "「崛起中國」對區域情勢帶來的潛在影響，", "俄、中的軍事合作關係牽動著"),
])
def test_paper_note_markers_resolved(paper, label, before, after):
    [(p, ref)] = [(p, n) for p in paper.passages for n in p.notes if n.label == label]
    assert p.text[:ref.offset].endswith(before)
    assert p.text[ref.offset:].startswith(after)


# every marker of the paper, with the text it follows (read off the source by hand)
ALL_48 = {
    1: "手段的操作。", 2: "大幅降低」。", 3: "化開啟新頁。", 4: "係感到不安。", 5: "nemy）。",
    6: "的國際孤立。", 7: "區的影響力。", 8: "與經濟地位。", 9: "矛盾與鬥爭。", 10: "國的可能性。",
    11: "縱國際事務。", 12: "的重要表徵。", 13: "防政策規劃。", 14: "重生存問題。",
    15: "口市場之一。", 16: "區域影響力。", 17: "的優先任務。", 18: "的一大負擔。",
    19: "化的迫切性。", 20: "作訓練工作。", 21: "趨向制度化。", 22: "軍區的設施。",
    23: "彈部隊基地。", 24: "問俄國軍港。", 25: "的軍事演習。", 26: "，進行規範，",
    27: "，予以限制。", 28: "，進行管制。", 29: "器供應來源。", 30: "武器的資金。",
    31: "的軍售關係。", 32: "的武器禁運。", 33: "禁運的解除。", 34: "程度的控管。",
    35: "式武器裝備。", 36: "與打擊範圍。", 37: "空母艦之上。", 38: "軍演的規模。",
    39: "衡造成衝擊。", 40: "開表達關切。", 41: "紐西蘭等國。", 42: "力平衡現狀。",
    43: "空優的能力。", 44: "地區的空優。", 45: "另一項變數。", 46: "的作戰概念。",
    47: "議題的討論。", 48: "的潛在影響，",
}


def test_paper_every_marker_attached_where_it_stands(paper):
    found = {int(n.label): p.text[:n.offset] for p in paper.passages for n in p.notes}
    assert sorted(found) == list(range(1, 49))
    for label, before in ALL_48.items():
        assert found[label].endswith(before), label


def test_paper_note_texts(paper):
    n1 = paper.footnote("1")
    assert n1.text == ("Allen Lynch, “Changing Soviet Elite Views on the International System "
                       "and Soviet Foreign Policy,” in Frederic J. Fleron, Jr., Erik P. Hoffmann "
                       "and Robbin F. Laird (eds), Soviet Foreign Policy: from Brezhnev to "
                       "Gorbachev (New York: Walter de Gruyter Inc., 1991), p.388 and pp. 394-400.")
    assert paper.footnote("3").text.startswith("在高峰會後，中、蘇發表聯合聲明，同意解決雙邊關係的「三大障礙」，包括：蘇聯宣布越南")
    assert paper.footnote("3").text.endswith("“Sino-Soviet Joint Communique,” Beijing Review, 29 May - 4 June 1989, p.11.")
    assert paper.footnote("9").text == "熊光楷，國際戰略與新軍事變革（北京：清華大學出版社，2003 年），頁 9。"
    assert paper.footnote("28").text.endswith("最高不得超過 130,400 人。")
    assert paper.footnote("31").text == "Ibid."
    assert paper.footnote("48").text.endswith("(Hawaii, HA: APCSS, 2005), p.1.")
    star = paper.footnote("＊")
    assert star.text.startswith("中興大學國際政治研究所副教授。")
    assert "Associate Professor, Graduate Institute of International Politics" in star.text


def test_paper_no_furniture_or_artefacts(paper):
    for p in paper.passages:
        assert "俄羅斯學報" not in p.text                      # journal running header
        assert paper.title not in p.text                       # running title header
        assert not re.search(r"[。，」）][0-9]{1,2}(?![0-9])", p.text), p.text   # marker digits
        assert not re.search(r"^\d{1,3}$", p.text)             # page numbers
        assert "    " not in p.text
    text = all_text(paper)
    assert not [c for c in text if 0xF900 <= ord(c) <= 0xFAFF]
    assert not [c for c in text if unicodedata.category(c) == "Co"]


def test_raw_paper_really_has_compat_ideographs():
    raw = PAPER.read_text(encoding="utf-8")
    compat = {c for c in raw if 0xF900 <= ord(c) <= 0xFAFF}
    assert sum(1 for c in raw if c in compat) == 653
    text = all_text(ingest_file(PAPER, CORPUS)[0])
    for c in compat:                       # each became the unified character
        assert unicodedata.normalize("NFC", c) in text


def test_ids_are_stable_and_well_formed(paper):
    again = ingest_file(PAPER, CORPUS)[0]
    assert [p.id for p in again.passages] == [p.id for p in paper.passages]
    assert [p.text for p in again.passages] == [p.text for p in paper.passages]
    for i, p in enumerate(paper.passages):
        assert p.ordinal == i and p.id == f"004_c926736664f9ed5b#p{i}"
        assert p.article_id == paper.id


def test_corpus_folder():
    report = ingest_path(CORPUS)
    assert report.failures == []
    assert [a.id for a in report.articles] == ["000_b276265bf07c8e54", "004_c926736664f9ed5b"]
