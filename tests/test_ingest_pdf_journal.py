"""Real PDFs (issue 15, item 2): the two seeds typeset as a journal prints them
(`tests/journal_pdf.py`: Noto Serif CJK, running headers, page numbers, raised note markers,
footnotes under a rule, a paragraph and a footnote broken over a page, the English abstract
on a page of its own, printed page labels from 57) give the articles the `.txt` gives."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journal_pdf import journal_pdf
from search.ingest import ingest_file

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
NAMES = ["000_b276265bf07c8e54", "004_c926736664f9ed5b"]
META = ("title", "title_en", "authors", "date", "venue", "url", "keywords", "keywords_en",
        "affiliation", "abstract", "abstract_en", "lang")


@pytest.fixture(scope="session")
def journal(tmp_path_factory):
    out = tmp_path_factory.mktemp("journal")
    made = {}
    for name in NAMES:
        pdf = out / f"{name}.pdf"
        typeset = journal_pdf(SEEDS / f"{name}.txt", pdf)
        made[name] = (pdf, typeset, ingest_file(pdf)[0])
    return made


@pytest.mark.parametrize("name", NAMES)
def test_journal_pdf_gives_the_article_of_the_txt(journal, name):
    pdf, typeset, got = journal[name]
    txt = ingest_file(SEEDS / f"{name}.txt")[0]
    for attr in META:
        assert getattr(got, attr) == getattr(txt, attr), attr
    assert [(p.text, p.section, p.notes, p.lang) for p in got.passages] == \
           [(p.text, p.section, p.notes, p.lang) for p in txt.passages]
    assert got.footnotes == txt.footnotes
    assert typeset.paragraphs_split >= 1          # a paragraph ran over a page break


def test_the_layout_really_breaks_a_footnote_and_has_an_english_page(journal):
    pdf, typeset, article = journal["004_c926736664f9ed5b"]
    assert typeset.notes_split == 1 and typeset.english_page == typeset.pages
    one = next(n for n in article.footnotes if n.label == "1")    # the broken note, joined
    assert one.text.startswith("Allen Lynch") and one.text.endswith("pp. 394-400.")
    assert article.abstract_en.startswith("Russian and Chinese military cooperation")


def test_running_headers_and_page_numbers_are_dropped(journal):
    pdf, typeset, article = journal["004_c926736664f9ed5b"]
    assert typeset.pages >= 10
    assert not any("俄羅斯學報" in p.text for p in article.passages)
    assert not any(p.text.rstrip().endswith(tuple(f" {n}" for n in range(57, 70)))
                   for p in article.passages)


def test_passage_pages_are_the_printed_labels(journal):
    pdf, typeset, article = journal["004_c926736664f9ed5b"]
    pages = [p.pages for p in article.passages]
    assert all(pages), pages                    # every passage found on its pages
    assert pages[0] == ["57"]                   # the journal numbers its pages from 57
    assert pages[-1] == [str(56 + typeset.pages)]   # the English abstract page
    spans = [p for p in pages if len(p) == 2]
    assert spans and all(int(b) == int(a) + 1 for a, b in spans)   # across a page break
    flat = [int(label) for p in pages for label in p]
    assert flat == sorted(flat)


def test_pages_without_labels_are_numbered_from_1(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n in range(2):
        pdf.add_page()
        pdf.multi_cell(0, 6, ("A Title\n\n" if n == 0 else "") +
                       f"Paragraph on page {n + 1} about armour and artillery.")
    path = tmp_path / "plain.pdf"
    pdf.output(str(path))
    article = ingest_file(path)[0]
    assert [p.pages for p in article.passages] == [["1"], ["2"]]


@pytest.mark.parametrize("method", ["AES_128", "AES_256"])
def test_aes_pdf_with_an_owner_password_only_is_read(tmp_path, method):
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", encryption_method=getattr(EncryptionMethod,
                                                                          method))
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Sealed Report\n\nA paragraph any viewer opens without a password.")
    path = tmp_path / "aes.pdf"
    pdf.output(str(path))
    article = ingest_file(path)[0]
    assert article.title == "Sealed Report"
    assert article.passages[0].text == "A paragraph any viewer opens without a password."


def test_damaged_pdfs_print_only_defsearch_lines(tmp_path, journal):
    corpus = tmp_path / "c"
    corpus.mkdir()
    data = journal["000_b276265bf07c8e54"][0].read_bytes()
    (corpus / "good.pdf").write_bytes(data)
    cut = bytearray(data)
    cut[len(cut) // 3: len(cut) // 3 + 400] = b"\x00" * 400        # a damaged stream
    (corpus / "damaged.pdf").write_bytes(bytes(cut))
    (corpus / "xref.pdf").write_bytes(data.replace(b"xref", b"xrfe"))
    exe = Path(sys.executable).parent / "defsearch"
    run = subprocess.run([str(exe), "ingest", str(corpus)], capture_output=True, text=True,
                         timeout=120)
    assert all(line.startswith("defsearch: ") for line in run.stderr.splitlines()), \
        run.stderr
    assert "Traceback" not in run.stderr


def test_title_and_authors_from_the_pdf_metadata_when_the_page_has_none(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_title("Coastal Defence Review")
    pdf.set_author("Jane Roe; John Doe")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "This report opens with a long sentence rather than with a title line, "
                         "as many institute papers do when their cover is an image.")
    pdf.output(str(tmp_path / "cover.pdf"))
    article = ingest_file(tmp_path / "cover.pdf")[0]
    assert (article.title, article.authors) == ("Coastal Defence Review", ["Jane Roe", "John Doe"])
    assert article.passages[0].text.startswith("This report opens with a long sentence")


def test_damaged_title_with_a_lone_utf16_half_is_dropped_not_fatal(tmp_path):
    """A fuzzed file's /Title held half a UTF-16 pair: it reached the output as a lone
    surrogate, and writing it as UTF-8 raised."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_title("Qz")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "This report opens with a long sentence rather than with a title "
                         "line, as many institute papers do when their cover is an image.")
    path = tmp_path / "damaged.pdf"     # (PDFium repairs the shifted xref offsets)
    path.write_bytes(bytes(pdf.output()).replace(b"/Title (Qz)", b"/Title <FEFF0041D8000042>"))
    article = ingest_file(path)[0]
    assert article.title == "AB"
    article.title.encode("utf-8")
