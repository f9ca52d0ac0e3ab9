"""Scans (issue 15, item 3): a PDF page with no text layer is read by Tesseract (Debian's
tesseract-ocr with chi-tra, chi-sim, eng; `make test` installs them), its passages marked
as OCR text and its page kept; without Tesseract, the clear message of before."""
from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from journal_pdf import FONTS, _collection_index
from search.errors import IngestError
from search.ingest import ingest_file
from search.ingest.ocr import languages

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
CJK = re.compile(r"[\u3400-\u9fff]")
MIN_RECALL = 0.90


def seed_paragraph() -> str:
    article = ingest_file(SEEDS / "004_c926736664f9ed5b.txt")[0]
    return next(p.text for p in article.passages if p.section == ["壹、前言"])


def scanned_pdf(path: Path, title: str, text: str, dpi: int = 200) -> Path:
    """`title` and `text` typeset, rendered to an image at `dpi`, and that image alone put
    on a page: a scan, no text layer."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    regular = FONTS / "NotoSerifCJK-Regular.ttc"
    typeset = FPDF(unit="pt", format="A4")
    typeset.add_font("serif", "", str(regular), collection_font_number=_collection_index(regular))
    typeset.add_page()
    typeset.set_font("serif", size=16)
    typeset.set_xy(72, 72)
    typeset.cell(0, 30, title)
    typeset.set_font("serif", size=12)
    typeset.set_xy(72, 120)
    typeset.multi_cell(451, 20, text)
    doc = pdfium.PdfDocument(bytes(typeset.output()))
    image = doc[0].render(scale=dpi / 72).to_pil().convert("L")
    png = io.BytesIO()
    image.save(png, format="PNG")
    scan = FPDF(unit="pt", format="A4")
    scan.add_page()
    scan.image(png, x=0, y=0, w=595.28, h=841.89)
    scan.output(str(path))
    return path


def recall(expected: str, got: str) -> float:
    want, have = Counter(CJK.findall(expected)), Counter(CJK.findall(got))
    return sum(min(n, have[ch]) for ch, n in want.items()) / sum(want.values())


def test_scanned_page_is_read_by_ocr(tmp_path):
    assert languages() == "chi_tra+chi_sim+eng", \
        "Tesseract with chi_tra, chi_sim and eng is needed: `make test` installs it"
    text = seed_paragraph()
    path = scanned_pdf(tmp_path / "scan.pdf", "俄中軍事合作關係的發展與影響", text)
    [article] = ingest_file(path, tmp_path)
    got = " ".join(p.text for p in article.passages)
    measured = recall(text, got)
    print(f"OCR character recall on a 200 dpi scan of a seed paragraph: {measured:.3f}")
    assert measured >= MIN_RECALL
    assert recall(article.title, "俄中軍事合作關係的發展與影響") >= MIN_RECALL
    assert all(p.ocr and p.pages == ["1"] for p in article.passages)


def test_text_layer_pages_are_not_marked_ocr(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "A Title\n\nA paragraph with a text layer.")
    pdf.output(str(tmp_path / "typed.pdf"))
    [article] = ingest_file(tmp_path / "typed.pdf")
    assert [p.ocr for p in article.passages] == [False]


def test_without_tesseract_a_scan_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("DEFSEARCH_TESSERACT", "no-such-tesseract")
    path = scanned_pdf(tmp_path / "scan.pdf", "標題", "一段掃描的文字。")
    with pytest.raises(IngestError) as err:
        ingest_file(path)
    assert str(err.value) == f"{path}: PDF has no text layer (scanned images?): run OCR first"


def test_blank_scan_says_ocr_found_nothing(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(tmp_path / "blank.pdf"))
    with pytest.raises(IngestError) as err:
        ingest_file(tmp_path / "blank.pdf")
    assert str(err.value) == (f"{tmp_path / 'blank.pdf'}: PDF has no text layer (scanned "
                              "images?), and OCR (Tesseract) found no text on its pages")


def test_ocr_passages_are_marked_in_search_results(tmp_path):
    # indexed, a scan's passages say they are OCR text: in the engine, the JSON, the CLI
    # line and the result card; a text-layer passage does not
    import json as jsonlib

    from click.testing import CliRunner

    from search.cli import main
    from search.engine.engine import Engine
    from search.index.update import update_index
    from web import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = seed_paragraph()
    scanned_pdf(corpus / "scan.pdf", "俄中軍事合作關係的發展與影響", text)
    (corpus / "typed.txt").write_text("前言\n\n冷戰結束後，蘇聯調整外交政策。\n",
                                      encoding="utf-8")
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    engine = Engine(index_dir)
    hits = engine.search("冷戰").hits
    assert {h.article_id: h.ocr for h in hits} == {
        a: a.startswith("scan") for a in {h.article_id for h in hits}}
    assert any(h.ocr for h in hits) and not all(h.ocr for h in hits)
    data = jsonlib.loads(CliRunner().invoke(main, ["search", "冷戰", "--index",
                                                   str(index_dir), "--json"]).output)
    assert sorted(r["ocr"] for r in data["results"]) == [False, True]
    out = CliRunner().invoke(main, ["search", "冷戰", "--index", str(index_dir)]).output
    assert out.count("  OCR text") == 1
    page = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client().get(
        "/search?q=冷戰").get_data(as_text=True)
    assert page.count('<span class="ocr" title="Read by OCR from a page image') == 1
