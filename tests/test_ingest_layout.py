"""Layout rules on small made-up texts: joins, hyphens, paragraphs, headings, splitting."""
from pathlib import Path

from search.ingest import ingest_file
from search.ingest.passages import split_long
from search.ingest.sections import classify
from search.ingest.textutil import Joiner, squeeze
from search.model import NoteRef


def parse(tmp_path: Path, text: str, name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [article] = ingest_file(path, tmp_path)
    return article


def test_joiner_rules():
    j = Joiner("CJK 1990 年 and confidence-building measures")
    assert j.join("雙邊關", "係，出現") == "雙邊關係，出現"
    assert j.join("Soviet", "Foreign Policy") == "Soviet Foreign Policy"
    assert j.join("PLA moderniz-", "ation;") == "PLA modernization;"
    assert j.join("Russian and Chinese confidence-", "building") == \
        "Russian and Chinese confidence-building"
    assert j.join("Su-", "27") == "Su-27"
    assert j.join("到 1990", "年代") == "到 1990 年代"          # the document spaces numbers
    assert j.join("限制。", "27除了") == "限制。27除了"          # never after punctuation
    assert Joiner("於2020年").join("於2020", "年瓦爾代") == "於2020年瓦爾代"


def test_squeeze_drops_layout_spaces_only():
    assert squeeze(" 伍、結  論 ") == "伍、結論"
    assert squeeze("在 1986 年  對 Su-27") == "在 1986 年對 Su-27"


def test_blank_lines_separate_paragraphs_when_not_double_spaced(tmp_path):
    article = parse(tmp_path, "A Short Report\n\nThe first paragraph is wrapped\nover two lines.\n\n"
                              "The second paragraph.\n")
    assert article.title == "A Short Report"
    assert [p.text for p in article.passages] == [
        "The first paragraph is wrapped over two lines.", "The second paragraph."]
    assert [p.lang for p in article.passages] == ["en", "en"]


def test_unwrapped_paragraphs_one_per_line(tmp_path):
    article = parse(tmp_path, "标题\n解放军在台湾周边举行联合演习，美国国防部表示密切关注。\n"
                              "第二段文字也是一行，说明另一件事情。\n关键词：台海；演习\n")
    assert [p.text[:3] for p in article.passages] == ["解放军", "第二段"]
    assert all(p.lang == "zh-Hans" for p in article.passages)


def test_headings_nest(tmp_path):
    text = ("標題\n\n壹、前言\n\n第一段文字說明研究的動機與目的，並介紹本文架構。\n\n"
            "貳、分析\n\n一、政治面\n\n（一）國內因素\n\n政治面的國內因素分析段落，內容較長一些。\n\n"
            "二、軍事面\n\n軍事面的分析段落，內容也較長一些。\n")
    article = parse(tmp_path, text)
    assert [p.section for p in article.passages] == [
        ["壹、前言"], ["貳、分析", "一、政治面", "（一）國內因素"], ["貳、分析", "二、軍事面"]]


def test_classify():
    assert classify("壹、前  言").kind == "heading"
    assert classify("一、透過軍事合作，穩定雙邊關係：蘇聯瓦解後，俄國全力挽救國內經濟。").title == \
        "一、透過軍事合作，穩定雙邊關係"
    assert classify("一是透過信心建立措施，化解軍事對峙。").kind == "text"
    assert classify("1991 年 12 月 31 日蘇聯瓦解後，俄國與中國持續推動").kind == "text"


def test_fullwidth_bracket_markers(tmp_path):
    article = parse(tmp_path, "標題\n\n本段引用一個註腳［1］，之後繼續說明。\n")
    [p] = article.passages
    assert p.text == "本段引用一個註腳，之後繼續說明。"
    assert [(n.label, n.offset) for n in p.notes] == [("1", len("本段引用一個註腳"))]


def test_one_line_file(tmp_path):
    article = parse(tmp_path, "解放軍在臺海周邊舉行聯合演習。\n")
    assert [p.text for p in article.passages] == ["解放軍在臺海周邊舉行聯合演習。"]


def test_long_paragraph_split_at_sentence_ends_keeps_notes():
    sentence = "俄國與中國的軍事合作關係持續發展，雙方在邊境地區建立互信機制。"    # 31 chars
    text = sentence * 40
    refs = [NoteRef("1", len(sentence)), NoteRef("2", len(sentence) * 30)]
    pieces = split_long(text, refs)
    assert len(pieces) >= 2
    assert "".join(t for t, _ in pieces) == text
    assert all(t.endswith("。") for t, _ in pieces)
    assert all(len(t) <= 900 for t, _ in pieces)
    found = []
    start = 0
    for piece, piece_refs in pieces:
        found += [(r.label, start + r.offset) for r in piece_refs]
        start += len(piece)
    assert found == [("1", len(sentence)), ("2", len(sentence) * 30)]


JOURNAL_STYLE = """ 海上安全評估 

王大明＊ 

壹、前言 

本文討論東亞海域的安全情勢，並以近年的資料說明。1各國海軍持續擴張，區域

情勢更趨複雜。2 

                                                 
＊ 國防大學戰略研究所教授。 
1 參閱 https://www.example.org/reports/ 
  2021/sea-security.html 。 
2 Ministry of Defense, Annual Report 2021, p.5, https://mod.example/ar2021. 
 貳、結論 

整體而言，區域安全仍有隱憂。 
"""


def test_journal_style_notes_with_urls(tmp_path):
    article = parse(tmp_path, JOURNAL_STYLE)
    assert article.title == "海上安全評估"
    assert article.authors == ["王大明"] and article.affiliation == "國防大學戰略研究所教授"
    first, last = article.passages
    assert first.text == "本文討論東亞海域的安全情勢，並以近年的資料說明。各國海軍持續擴張，區域情勢更趨複雜。"
    assert [n.label for n in first.notes] == ["1", "2"]
    assert first.section == ["壹、前言"] and last.section == ["貳、結論"]
    note1, note2 = article.footnote("1"), article.footnote("2")
    assert note1.text == "參閱 https://www.example.org/reports/2021/sea-security.html 。"
    assert note1.urls == ["https://www.example.org/reports/2021/sea-security.html"]
    assert note2.urls == ["https://mod.example/ar2021"]


def test_abstract_without_keywords_stops_at_first_heading(tmp_path):
    text = ("論文標題\n\n摘要\n\n這是摘要的內容，說明本文的發現。\n\n壹、前言\n\n"
            "這是正文的第一段，討論研究背景與問題意識。\n\nAbstract\n\nThis is the English abstract.\n\n"
            "貳、結論\n\n這是結論段落，總結全文的主要發現。\n")
    article = parse(tmp_path, text)
    assert article.abstract == "這是摘要的內容，說明本文的發現。"
    assert article.abstract_en == "This is the English abstract."
    assert [p.section for p in article.passages] == [["摘要"], ["壹、前言"], ["貳、結論"],
                                                     ["Abstract"]]


def test_arbitrary_slices_of_the_seeds_never_crash():
    """Truncated or shuffled extracts: an article or an IngestError, never a traceback."""
    import random
    from search.errors import IngestError
    from search.ingest.txt import parse_text
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    seeds = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    lines = [line for s in seeds for line in s.split("\n")]
    rng = random.Random(5)
    for i in range(300):
        seed = rng.choice(seeds)
        if i % 2:
            start = rng.randrange(len(seed))
            text = seed[start:start + rng.randrange(1, 4000)]
        else:
            text = "\n".join(rng.choice(lines) for _ in range(rng.randrange(1, 60)))
        try:
            article = parse_text(text, Path("x.txt"), "x", "x.txt")
        except IngestError:
            continue
        for p in article.passages:
            assert p.text and p.text == p.text.strip()
            assert all(0 <= n.offset <= len(p.text) for n in p.notes)
