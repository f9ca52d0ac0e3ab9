"""Saved web pages and Word files (issue 15, item 4): the article's text, structure,
metadata and notes, with navigation and boilerplate dropped; other file types are listed
as skipped."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from search.engine.engine import Engine
from search.errors import IngestError
from search.index.update import update_index
from search.ingest import ingest_file, ingest_path
from search.model import NoteRef

PAGE = """<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">
<title>中俄聯合軍演 | 國防評論網</title>
<meta property="og:title" content="中俄聯合軍演的戰略意涵">
<meta property="og:site_name" content="國防評論網">
<meta name="author" content="王小明">
<meta property="article:published_time" content="2021-08-15T09:00:00+08:00">
</head><body>
<nav><a href="/">首頁</a> <a href="/news">新聞</a> <a href="/about">關於我們</a></nav>
<header><div class="menu">訂閱電子報 | 登入 | 聯絡我們</div></header>
<article><h1>中俄聯合軍演的戰略意涵</h1>
<p>2021年8月，中國與俄羅斯在寧夏舉行「西部·聯合-2021」演習，這是兩國首次在中國境內使用共同指揮系統。此次演習規模超過一萬人，顯示雙方軍事合作持續深化。</p>
<h2>一、演習背景</h2>
<p>根據<a href="https://example.org/report">國防部報告</a>，俄軍派出戰機與防空部隊參演，雙方聯合指揮所共同策劃作戰行動，象徵合作層級的提升。</p>
<p>The exercise followed a series of joint patrols over the Sea of Japan and the East China Sea, as reported by <a href="https://news.example.com/patrol">Reuters</a>.</p>
<h2>二、影響評估</h2>
<p>區域國家對此高度關注，日本與美國均表示將密切注意中俄軍事合作的後續發展，並強化同盟間的協調與情報分享。</p>
</article>
<aside><h3>熱門文章</h3><ul><li><a href="/x">美國對台軍售</a></li><li><a href="/y">南海情勢</a></li></ul></aside>
<footer>© 2021 國防評論網 版權所有 | 隱私權政策</footer></body></html>"""


def test_saved_article_page(tmp_path):
    path = tmp_path / "exercise.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = ingest_file(path, tmp_path)
    assert (article.id, article.title, article.authors, article.date, article.venue) == (
        "exercise", "中俄聯合軍演的戰略意涵", ["王小明"], "2021-08-15", "國防評論網")
    assert [(p.section, p.lang, p.text[:12]) for p in article.passages] == [
        ([], "zh-Hant", "2021年8月，中國與俄"),
        (["一、演習背景"], "zh-Hant", "根據國防部報告，俄軍派出"),
        (["一、演習背景"], "en", "The exercise"),
        (["二、影響評估"], "zh-Hant", "區域國家對此高度關注，日"),
    ]
    text = " ".join(p.text for p in article.passages)
    for boilerplate in ("首頁", "訂閱電子報", "熱門文章", "美國對台軍售", "版權所有"):
        assert boilerplate not in text
    # links are notes: the reference right after the linked words, the URL in the note
    assert article.passages[1].notes == [NoteRef("1", len("根據國防部報告"))]
    assert article.passages[2].notes == [NoteRef("2", len(article.passages[2].text) - 1)]
    assert [(n.label, n.urls) for n in article.footnotes] == [
        ("1", ["https://example.org/report"]), ("2", ["https://news.example.com/patrol"])]


def test_htm_page_of_navigation_only_is_reported(tmp_path):
    path = tmp_path / "menu.htm"
    path.write_text("<html><body><nav><a href='/'>首頁</a><a href='/b'>新聞</a></nav>"
                    "</body></html>", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest_file(path)
    assert str(err.value) == (f"{path}: no article text found in the page (only navigation "
                              "or boilerplate?)")


def word_file(path: Path) -> Path:
    """A report written in Word: Title and Heading styles, two footnotes."""
    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.author = "李大華"
    document.core_properties.created = datetime.datetime(2023, 5, 2, 8, 0)
    document.add_heading("無人機在臺海防衛的角色", 0)
    intro = document.add_paragraph("近年無人機在烏克蘭戰場的表現")
    _footnote_ref(intro, 1, OxmlElement, qn)
    intro.add_run("，促使各國重新評估其在島嶼防衛中的價值。")
    document.add_heading("一、作戰運用", 1)
    body = document.add_paragraph("Loitering munitions can strike landing craft at sea")
    _footnote_ref(body, 2, OxmlElement, qn)
    body.add_run(", according to recent wargames.")
    document.add_heading("（一）偵察", 2)
    document.add_paragraph("小型無人機可提供即時偵察，延伸守軍的感知範圍。")
    notes = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
             'main"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
             '</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>見國防部，2022年報告。'
             '</w:t></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>CSIS, '
             'The First Battle of the Next War, 2023.</w:t></w:r></w:p></w:footnote>'
             '</w:footnotes>').encode("utf-8")
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, notes,
                document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(str(path))
    return path


def _footnote_ref(paragraph, number: int, OxmlElement, qn) -> None:
    run = paragraph.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(number))
    run._r.append(ref)


def test_word_file(tmp_path):
    [article] = ingest_file(word_file(tmp_path / "drones.docx"), tmp_path)
    assert (article.title, article.authors, article.date) == (
        "無人機在臺海防衛的角色", ["李大華"], "2023-05-02")
    assert [(p.section, p.text) for p in article.passages] == [
        ([], "近年無人機在烏克蘭戰場的表現，促使各國重新評估其在島嶼防衛中的價值。"),
        (["一、作戰運用"], "Loitering munitions can strike landing craft at sea, according "
                          "to recent wargames."),
        (["一、作戰運用", "（一）偵察"], "小型無人機可提供即時偵察，延伸守軍的感知範圍。"),
    ]
    assert article.passages[0].notes == [NoteRef("1", len("近年無人機在烏克蘭戰場的表現"))]
    assert article.passages[1].notes == [NoteRef("2", len("Loitering munitions can strike "
                                                          "landing craft at sea"))]
    assert [(n.label, n.text) for n in article.footnotes] == [
        ("1", "見國防部，2022年報告。"), ("2", "CSIS, The First Battle of the Next War, 2023.")]


def test_not_a_word_file(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"{\\rtf1 not a docx}")
    with pytest.raises(IngestError, match="not a Word .docx file"):
        ingest_file(path)


def test_pages_and_word_files_are_indexed_and_others_listed_as_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "exercise.html").write_text(PAGE, encoding="utf-8")
    word_file(corpus / "drones.docx")
    (corpus / "slides.pptx").write_bytes(b"PK\x03\x04")
    (corpus / "notes.md").write_text("# notes")
    (corpus / "glossary.tsv").write_text("無人機\tdrone\n")
    report = update_index(corpus, tmp_path / "index")
    assert report.articles == 2 and report.added == ["drones.docx", "exercise.html"]
    assert sorted(report.failures) == [
        f"{corpus / 'notes.md'}: not an article file (.md; articles are .txt, .pdf, .jsonl, "
        ".html, .htm, .docx)",
        f"{corpus / 'slides.pptx'}: not an article file (.pptx; articles are .txt, .pdf, "
        ".jsonl, .html, .htm, .docx)"]
    engine = Engine(tmp_path / "index")
    assert [h.passage_id for h in engine.search("寧夏", translate=False).hits] == \
        ["exercise#p0"]
    assert [h.passage_id for h in engine.search("loitering", translate=False).hits] == \
        ["drones#p1"]
    assert len(ingest_path(corpus).articles) == 2
