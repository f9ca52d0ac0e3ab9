"""Bad input: each problem is one clear line naming the file; the rest of a folder still
ingests; `defsearch ingest` prints failures on stderr and exits 1."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli.ingest import command
from search.errors import IngestError
from search.ingest import ingest_file, ingest_path

GOOD = "臺海安全評析\n\n兩岸關係近年持續緊張，解放軍在臺灣周邊的軍事活動日益頻繁，各方都密切注意。\n"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def pdf_without_text(path: Path) -> Path:
    """A 'scanned' page: drawing only, no text layer."""
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def good_pdf_bytes(tmp_path: Path) -> bytes:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "A Title\n\nSome text of a report that is long enough to matter here.")
    out = tmp_path / "good.pdf"
    pdf.output(str(out))
    return out.read_bytes()


BAD_TEXT = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n \t\n", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
                   "binary file, not text"),
    "truncated.txt": (GOOD.encode("utf-8")[:-2], "truncated UTF-8 text"),
    "latin1.txt": ("Défense nationale: l armée de l air française, la défense, été".encode("latin-1"),
                   "cannot decode: not UTF-8"),
    # these Latin-1 bytes happen to be valid Big5: rejected as implausible, not mojibake
    "latin1-lucky.txt": ("Défense était élevée".encode("latin-1"), "cannot decode: not UTF-8"),
    "controls.txt": (b"\x01\x02\x03\x04\x05\x06abc\x07\x08\x0e\x0f\x10\x11\x12\x13" * 50,
                     "binary file, not text"),
    "bad16.txt": (b"\xff\xfe" + "中文".encode("utf-16-le") + b"\x00", "truncated UTF-16"),
    "nobom16.txt": ("An English report saved as UTF-16 without a BOM.\n".encode("utf-16-le"),
                    "UTF-16 text without a byte-order mark"),
    "empty.jsonl": (b"", "empty file"),
    "allbad.jsonl": (b"{not json}\n[1]\n", "no valid passages"),
}


@pytest.mark.parametrize("name", sorted(BAD_TEXT))
def test_bad_text_files(tmp_path, name):
    data, problem = BAD_TEXT[name]
    path = write(tmp_path / name, data)
    with pytest.raises(IngestError) as info:
        ingest_file(path, tmp_path)
    assert info.value.path == str(path)
    assert problem in info.value.problem
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


def test_pdf_without_text_layer(tmp_path):
    path = pdf_without_text(tmp_path / "scan.pdf")
    with pytest.raises(IngestError, match="no text layer"):
        ingest_file(path, tmp_path)


def test_truncated_pdf(tmp_path):
    data = good_pdf_bytes(tmp_path)
    path = write(tmp_path / "cut.pdf", data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated PDF"):
        ingest_file(path, tmp_path)


def test_not_a_pdf(tmp_path):
    path = write(tmp_path / "fake.pdf", b"<html>not a pdf</html>")
    with pytest.raises(IngestError, match="not a PDF file"):
        ingest_file(path, tmp_path)


def test_corrupt_pdf_body(tmp_path):
    data = good_pdf_bytes(tmp_path)
    body = data[:20] + b"\x00garbage" * 200 + data[-30:]
    path = write(tmp_path / "corrupt.pdf", body)
    with pytest.raises(IngestError):
        ingest_file(path, tmp_path)


def test_unsupported_extension_given_directly(tmp_path):
    path = write(tmp_path / "notes.md", b"# hi\n")
    with pytest.raises(IngestError, match="unsupported file type '.md'"):
        ingest_file(path, tmp_path)


def test_same_article_id_from_two_files(tmp_path):
    write(tmp_path / "c" / "a.txt", GOOD.encode("utf-8"))
    pdf_path = tmp_path / "c" / "a.pdf"
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Title\n\nSome body text that is a paragraph.")
    pdf.output(str(pdf_path))
    report = ingest_path(tmp_path / "c")
    assert [a.source for a in report.articles] == ["a.pdf"]
    [failure] = report.failures
    assert failure.path == str(tmp_path / "c" / "a.txt")
    assert failure.problem == "article id 'a' is already used by a.pdf: rename one of the files"


def test_missing_path():
    report = ingest_path("/nonexistent/defsearch/corpus")
    assert report.articles == []
    assert [f.problem for f in report.failures] == ["no such file or directory"]


def make_folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write(root / "a_good.txt", GOOD.encode("utf-8"))
    write(root / "b_empty.txt", b"")
    write(root / "c_binary.txt", b"\x00\x01\x02" * 100)
    write(root / "sub" / "d_big5.txt", GOOD.encode("big5"))
    write(root / "sub" / "e_scan.pdf", b"")
    pdf_without_text(root / "sub" / "e_scan.pdf")
    write(root / "f.jsonl", (json.dumps({"id": "j1", "title": "T", "text": "一段文字。"},
                                        ensure_ascii=False) + "\nnot json\n").encode("utf-8"))
    write(root / "glossary.tsv", b"\xff\xfe binary-ish tsv is ignored")
    write(root / ".hidden" / "x.txt", b"")
    return root


def test_folder_keeps_going(tmp_path):
    root = make_folder(tmp_path)
    report = ingest_path(root)
    assert [a.id for a in report.articles] == ["a_good", "f:" + report.articles[1].id[2:],
                                               "sub--d_big5"]
    assert report.articles[0].title == report.articles[2].title == "臺海安全評析"
    failures = {Path(f.path).name: f.problem for f in report.failures}
    assert set(failures) == {"b_empty.txt", "c_binary.txt", "e_scan.pdf", "f.jsonl:2"}
    assert failures["b_empty.txt"] == "empty file"


def test_cli_reports_failures_and_exit_status(tmp_path):
    root = make_folder(tmp_path)
    result = CliRunner().invoke(command, [str(root)])
    assert result.exit_code == 1
    assert "臺海安全評析" in result.stdout
    err = result.stderr.splitlines()
    assert f"defsearch: {root / 'b_empty.txt'}: empty file" in err
    assert len(err) == 4 and all(line.startswith("defsearch: ") for line in err)


def test_cli_json(tmp_path):
    path = write(tmp_path / "a.txt", GOOD.encode("utf-8"))
    result = CliRunner().invoke(command, [str(path), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["failures"] == []
    [article] = data["articles"]
    assert article["id"] == "a" and article["title"] == "臺海安全評析"
    assert article["passages"][0]["id"] == "a#p0"


def test_cli_text_output_on_seed():
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    result = CliRunner().invoke(command, [str(corpus / "004_c926736664f9ed5b.txt")])
    assert result.exit_code == 0
    out = result.stdout
    assert "title:       俄中軍事合作關係的發展與影響" in out
    assert "date:        2006-12" in out
    assert "affiliation: 中興大學國際政治研究所副教授" in out
    assert "## 貳、俄、中軍事合作的政治基礎" in out
    assert "[004_c926736664f9ed5b#p5] (zh-Hant)  notes: 1, 2, 3" in out
    assert "  48. Robert G. Sutter" in out


def test_password_protected_pdf(tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Title\n\nA confidential paragraph of text.")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match="encrypted PDF: a password is needed"):
        ingest_file(path, tmp_path)
