"""Input formats: .jsonl passages, encodings (UTF-8 +/- BOM, UTF-16 BOM, Big5), PDF."""
import json
import unicodedata
from pathlib import Path

import pytest

from search.ingest import ingest_file, ingest_path, iter_articles
from search.model import IngestFailure

DATA = Path(__file__).resolve().parent / "data" / "ingest"

SAMPLE = """ 臺海安全評析
（本評析內容及建議，屬作者意見，不代表國防安全研究院立場）

發布日期：2023/01/05

前言

兩岸關係近年持續緊張，解放軍在臺灣周邊的軍事活動日益頻繁，各方都密切注意其發展。
"""


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# --- jsonl ---------------------------------------------------------------------------------

def jsonl(lines):
    return "\n".join(l if isinstance(l, str) else json.dumps(l, ensure_ascii=False)
                     for l in lines) + "\n"


def test_jsonl_groups_by_title_and_keeps_ids(tmp_path):
    path = write(tmp_path / "bench.jsonl", jsonl([
        {"id": "d1-0", "title": "共軍演習", "text": "解放軍在臺海周邊舉行聯合演習。"},
        {"id": "d1-1", "title": "共軍演習", "text": "美國國防部表示密切關注。"},
        {"id": "d2-0", "title": "Arms sales", "text": "The United States approved new arms sales."},
        {"id": "d3-0", "title": "简体", "text": "解放军在台湾周边举行联合演习。"},
        {"id": "d1-2", "title": "共軍演習", "text": "第三段\ufa11。"},
    ]))
    articles = ingest_file(path, tmp_path)
    assert [a.title for a in articles] == ["共軍演習", "Arms sales", "简体"]
    first = articles[0]
    assert [p.id for p in first.passages] == ["d1-0", "d1-1", "d1-2"]
    assert [p.ordinal for p in first.passages] == [0, 1, 2]
    assert first.id.startswith("bench:") and all(p.article_id == first.id for p in first.passages)
    assert len({a.id for a in articles}) == 3
    assert [a.passages[0].lang for a in articles] == ["zh-Hant", "en", "zh-Hans"]
    assert first.passages[2].text == "第三段\ufa11。"      # U+FA11 is a unified ideograph
    again = ingest_file(path, tmp_path)
    assert [a.id for a in again] == [a.id for a in articles]


def test_jsonl_compat_ideographs_and_private_use_cleaned(tmp_path):
    path = write(tmp_path / "p.jsonl", jsonl([{"id": "x", "title": "t",
                                                "text": "\uf9b5如\ue000俄\uf92b"}]))
    [article] = ingest_file(path, tmp_path)
    assert article.passages[0].text == "例如俄" + unicodedata.normalize("NFC", "\uf92b")
    assert "\uf92b" not in article.passages[0].text


def test_jsonl_malformed_lines_reported_and_skipped(tmp_path):
    path = write(tmp_path / "bad.jsonl", jsonl([
        {"id": "a", "title": "T", "text": "第一段。"},
        '{"id": "b", "title": "T", "text": ',                       # truncated JSON
        {"title": "T", "text": "沒有 id"},
        {"id": "a", "title": "T", "text": "重複 id"},
        "[1, 2]",
        {"id": "c", "title": "T", "text": "第二段。"},
    ]))
    problems: list[IngestFailure] = []
    [article] = ingest_file(path, tmp_path, problems)
    assert [p.id for p in article.passages] == ["a", "c"]
    assert [f.path for f in problems] == [f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in problems[0].problem
    assert 'missing "id"' in problems[1].problem
    assert "duplicate id 'a'" in problems[2].problem
    report = ingest_path(path)
    assert len(report.articles) == 1 and len(report.failures) == 4


def test_a_jsonl_of_20k_lines_keeps_every_passage(tmp_path):
    """Every line a passage, lines sharing a title one article (bench/lookup_costs.py times
    the read)."""
    text = "解放軍在臺海周邊舉行聯合演習，美國國防部表示密切關注。" * 20
    lines = [json.dumps({"id": f"d{i}", "title": f"doc {i // 10}", "text": text},
                        ensure_ascii=False) for i in range(20000)]
    path = write(tmp_path / "big.jsonl", "\n".join(lines))
    articles = list(iter_articles(path))
    assert (len(articles), sum(len(a.passages) for a in articles)) == (2000, 20000)


# --- encodings -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"), ("cp950", b""), ("big5", b""),
])
def test_encodings_give_the_same_article(tmp_path, encoding, prefix):
    path = write(tmp_path / "a.txt", prefix + SAMPLE.encode(encoding))
    [article] = ingest_file(path, tmp_path)
    assert article.title == "臺海安全評析"
    assert article.date == "2023-01-05"
    assert article.venue == "國防安全研究院"
    assert [p.section for p in article.passages] == [["前言"]]
    assert article.passages[0].text.startswith("兩岸關係近年持續緊張")


def test_big5_file_in_a_folder(tmp_path):
    write(tmp_path / "corpus" / "big5.txt", SAMPLE.encode("big5"))
    write(tmp_path / "corpus" / "glossary.tsv", "a\tb\n")
    write(tmp_path / "corpus" / "README.md", "# notes\n")
    report = ingest_path(tmp_path / "corpus")
    # other types are listed as skipped, never silently (issue 15); the glossary is not
    assert [str(f) for f in report.failures] == [
        f"{tmp_path / 'corpus' / 'README.md'}: not an article file (.md; articles "
        "are .txt, .pdf, .jsonl, .html, .htm, .docx)"]
    assert [a.id for a in report.articles] == ["big5"]


# --- PDF -----------------------------------------------------------------------------------

def test_shipped_cjk_pdf():
    [article] = ingest_file(DATA / "cjk_article.pdf", DATA)
    assert article.id == "cjk_article"
    assert article.title == "臺海軍事平衡的新變化"
    assert article.date == "2022-05-17"
    assert [p.section for p in article.passages] == [["壹、前言"], ["壹、前言"]]
    first, second = article.passages
    assert first.text.endswith("以維持區域穩定。")
    assert [(n.label, n.offset) for n in first.notes] == [("1", len(first.text))]
    # the second paragraph runs over the page break and its page number
    assert second.text.startswith("這一段落刻意寫得很長") and second.text.endswith("各國都在密切觀察。")
    assert "兩岸關係的發展牽動整個印太區域的安全，" * 12 in second.text
    assert article.footnote("1").text == ""


def make_pdf(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for para in paragraphs:
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    pdf.output(str(path))
    return path


def test_generated_english_pdf(tmp_path):
    long = ("Beijing has expanded its naval presence around the first island chain. " * 6).strip()
    path = make_pdf(tmp_path / "report.pdf", ["Naval Balance in the Western Pacific", long,
                                              "A second paragraph closes the report."])
    [article] = ingest_file(path, tmp_path)
    assert article.title == "Naval Balance in the Western Pacific"
    assert [p.text for p in article.passages] == [long, "A second paragraph closes the report."]
    assert all(p.lang == "en" for p in article.passages)


EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "corpus.jsonl"


@pytest.mark.skipif(not EVAL.exists(), reason="../shared/eval not present")
def test_language_of_the_eval_pool():
    """The benchmark pool's sources have known languages; only headlines without any
    script-specific character may be undecidable."""
    expected = {"drcd": "zh-Hant", "cmrc": "zh-Hant", "squad": "en", "cran": "en",
                "nlpcc": "zh-Hans"}
    report = ingest_path(EVAL)
    passages = [p for a in report.articles for p in a.passages]
    assert len(passages) == 8569 and len(report.failures) == 2      # two empty texts
    wrong = [p for p in passages if p.lang != expected[p.id.split(":")[0]]]
    assert len(wrong) <= 5, [(p.id, p.text[:40]) for p in wrong]
