"""Citations of the two seeds in every style, exact strings: the journal paper (蔡明彥,
俄羅斯學報 第五期, pp. 1-20) and the institute's web commentary (no author, no pages); by
`defsearch cite`, on the web's cite page, and as BibTeX / RIS / CSV / JSON exports."""
import csv
import io
import json

import pytest

from search.cite import export, styles

PAPER = "004_c926736664f9ed5b"
PASSAGE = PAPER + "#p36"            # 「和平使命 2005」是… on pp. 14-15
COMMENTARY = "000_b276265bf07c8e54"
NOTE_PASSAGE = COMMENTARY + "#p2"
DAY = "2026-12-01"

GBT_PAPER = "蔡明彥. 俄中軍事合作關係的發展與影響[J]. 俄羅斯學報, 2006(5): 1-20."
GBT_PASSAGE = "蔡明彥. 俄中軍事合作關係的發展與影響[J]. 俄羅斯學報, 2006(5): 14-15."
APA_PAPER = ("蔡明彥. (2006). 俄中軍事合作關係的發展與影響 [Russian-Chinese military ties: "
             "Development and Implications]. 俄羅斯學報, (5), 1–20.")
APA_PASSAGE = "(蔡明彥, 2006, pp. 14–15)"
CHICAGO_PAPER = "蔡明彥。〈俄中軍事合作關係的發展與影響〉。《俄羅斯學報》，第五期（2006年12月）：1-20。"
CHICAGO_NOTE = "蔡明彥，〈俄中軍事合作關係的發展與影響〉，《俄羅斯學報》，第五期（2006年12月），頁14-15。"

GBT_COMMENTARY = ("財團法人國防安全研究院. 中俄軍事合作戰略模糊抑或清晰？[EB/OL]. "
                  "(2021-04-01)[2026-12-01]. https://indsr.org.tw/tw/News.")
APA_COMMENTARY = ("財團法人國防安全研究院. (2021, April 1). 中俄軍事合作戰略模糊抑或清晰？ "
                  "https://indsr.org.tw/tw/News")
APA_COMMENTARY_PASSAGE = "(財團法人國防安全研究院, 2021)"
CHICAGO_COMMENTARY = ("財團法人國防安全研究院。〈中俄軍事合作戰略模糊抑或清晰？〉。2021年4月1日。"
                      "https://indsr.org.tw/tw/News。")
CHICAGO_COMMENTARY_NOTE = ("財團法人國防安全研究院，〈中俄軍事合作戰略模糊抑或清晰？〉，2021年4月1日，"
                           "https://indsr.org.tw/tw/News。")


@pytest.fixture(scope="module")
def paper(seed_engine):
    return seed_engine.article(PAPER)


@pytest.fixture(scope="module")
def commentary(seed_engine):
    return seed_engine.article(COMMENTARY)


def test_journal_paper_in_every_style(paper):
    passage = paper.passages[36]
    assert passage.pages == ["14", "15"]
    gbt, apa, chicago = styles.cite_all(paper, passage, accessed=DAY)
    assert (gbt.label, gbt.reference, gbt.pinpoint) == ("GB/T 7714-2015", GBT_PAPER, GBT_PASSAGE)
    assert (apa.label, apa.reference, apa.pinpoint) == ("APA 7", APA_PAPER, APA_PASSAGE)
    assert (chicago.label, chicago.reference, chicago.pinpoint) == \
        ("Chicago (notes-bibliography)", CHICAGO_PAPER, CHICAGO_NOTE)


def test_a_passage_on_one_page_cites_that_page(paper):
    passage = paper.passages[4]                  # 國與國之間… (p. 3)
    assert styles.cite(paper, passage, "apa").pinpoint == "(蔡明彥, 2006, p. 3)"
    assert styles.cite(paper, passage, "gbt7714").pinpoint.endswith("2006(5): 3.")
    assert styles.cite(paper, passage, "chicago").pinpoint.endswith("（2006年12月），頁3。")


def test_commentary_in_every_style_without_invented_author_or_page(commentary):
    passage = commentary.passages[2]
    assert passage.pages == []
    gbt, apa, chicago = styles.cite_all(commentary, passage, accessed=DAY)
    assert (gbt.reference, gbt.pinpoint) == (GBT_COMMENTARY, GBT_COMMENTARY)
    assert (apa.reference, apa.pinpoint) == (APA_COMMENTARY, APA_COMMENTARY_PASSAGE)
    assert (chicago.reference, chicago.pinpoint) == (CHICAGO_COMMENTARY, CHICAGO_COMMENTARY_NOTE)


def test_english_names_and_titles_follow_each_style():
    """An English article: family names first where the style inverts them, initials in
    APA, capitals in GB/T, English quotation marks in Chicago."""
    from search.model import Article, Passage

    article = Article(id="x", source="x.txt", title="The ROC Air Force after Next",
                      authors=["Richard Fisher", "Ming-Yen Tsai"], venue="Asian Survey 第 8 期",
                      date="2004-05", lang="en",
                      passages=[Passage(id="x#p0", article_id="x", ordinal=0, text="…",
                                        pages=["164", "165"])])
    gbt, apa, chicago = styles.cite_all(article, article.passages[0], accessed=DAY)
    assert gbt.reference == "FISHER R, TSAI M-Y. The ROC Air Force after Next[J]. Asian Survey, 2004(8): 164-165."
    assert apa.reference == "Fisher, R., & Tsai, M.-Y. (2004). The ROC Air Force after Next. Asian Survey, (8), 164–165."
    assert apa.pinpoint == "(Fisher & Tsai, 2004, pp. 164–165)"
    assert chicago.reference == "Fisher, Richard, and Ming-Yen Tsai. “The ROC Air Force after Next.” Asian Survey 8 (May 2004): 164–165."
    assert chicago.pinpoint == "Richard Fisher and Ming-Yen Tsai, “The ROC Air Force after Next,” Asian Survey 8 (May 2004): 164–165."


# --- defsearch cite ------------------------------------------------------------------------

def test_cli_cites_a_passage_in_every_style(cli, seed_index):
    result = cli("cite", PASSAGE, "--index", seed_index, "--accessed", DAY)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "GB/T 7714-2015", f"  passage: {GBT_PASSAGE}",
        "APA 7", f"  in text: {APA_PASSAGE}", f"  reference: {APA_PAPER}",
        "Chicago (notes-bibliography)", f"  note: {CHICAGO_NOTE}",
        f"  bibliography: {CHICAGO_PAPER}"]


def test_cli_cites_an_article_in_one_style(cli, seed_index):
    result = cli("cite", COMMENTARY, "--index", seed_index, "--style", "gbt7714",
                 "--accessed", DAY)
    assert result.output.splitlines() == ["GB/T 7714-2015", f"  reference: {GBT_COMMENTARY}"]
    result = cli("cite", PAPER, "--index", seed_index, "--style", "chicago")
    assert result.output.splitlines() == ["Chicago (notes-bibliography)",
                                          f"  bibliography: {CHICAGO_PAPER}"]


def test_cli_cite_unknown_id_is_one_line(cli, seed_index):
    result = cli("cite", "nope#p1", "--index", seed_index)
    assert result.exit_code != 0
    assert result.output == ("defsearch: no article or passage with id 'nope#p1': "
                             "`defsearch search` shows the ids (ARTICLE for an article, "
                             "ARTICLE#p5 for a passage)\n")
    result = cli("cite", PAPER, "--index", seed_index, "--accessed", "yesterday")
    assert result.exit_code == 2 and "'yesterday' is not a date like 2026-12-01" in result.output


BIBTEX_PAPER = """@article{004_c926736664f9ed5b,
  author = {蔡明彥},
  title = {俄中軍事合作關係的發展與影響},
  titleaddon = {Russian-Chinese military ties: Development and Implications},
  journal = {俄羅斯學報},
  number = {5},
  year = {2006},
  month = {12},
  pages = {1--20},
  language = {zh-Hant}
}
"""
BIBTEX_COMMENTARY = """@misc{000_b276265bf07c8e54,
  author = {{財團法人國防安全研究院}},
  title = {中俄軍事合作戰略模糊抑或清晰？},
  publisher = {財團法人國防安全研究院},
  year = {2021},
  month = {4},
  date = {2021-04-01},
  url = {https://indsr.org.tw/tw/News},
  language = {zh-Hant}
}
"""
RIS_PAPER = """TY  - JOUR
AU  - 蔡明彥
TI  - 俄中軍事合作關係的發展與影響
TT  - Russian-Chinese military ties: Development and Implications
T2  - 俄羅斯學報
IS  - 5
SP  - 1
EP  - 20
PY  - 2006
DA  - 2006/12
LA  - zh-Hant
ID  - 004_c926736664f9ed5b
ER  - 
"""
RIS_COMMENTARY = """TY  - ELEC
AU  - 財團法人國防安全研究院
TI  - 中俄軍事合作戰略模糊抑或清晰？
PB  - 財團法人國防安全研究院
PY  - 2021
DA  - 2021/04/01
UR  - https://indsr.org.tw/tw/News
LA  - zh-Hant
ID  - 000_b276265bf07c8e54
ER  - 
"""


def test_bibtex_and_ris_of_both_seeds(paper, commentary):
    assert export.bibtex(paper) == BIBTEX_PAPER
    assert export.bibtex(commentary) == BIBTEX_COMMENTARY
    assert export.ris(paper) == RIS_PAPER
    assert export.ris(commentary) == RIS_COMMENTARY


def test_cli_cite_bibtex_of_a_passage_names_its_pages(cli, seed_index):
    result = cli("cite", PASSAGE, "--index", seed_index, "--style", "bibtex")
    assert result.output == BIBTEX_PAPER.replace(
        "language = {zh-Hant}\n", "language = {zh-Hant},\n  note = {passage on pp. 14–15}\n")


def test_bibtex_escapes_its_special_characters():
    from search.model import Article

    text = export.bibtex(Article(id="a b", source="a", title="R&D at 50% {draft}_1"))
    assert "@misc{a_b," in text and r"title = {R\&D at 50\% \{draft\}\_1}" in text


# --- defsearch search --export -------------------------------------------------------------

def test_cli_exports_a_result_list(cli, seed_index, seed_engine):
    result = cli("search", "和平使命", "--index", seed_index, "--export", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    total = seed_engine.search("和平使命").total
    assert len(rows) == total and rows[0]["rank"] == "1"
    first = next(r for r in rows if r["passage_id"] == PASSAGE)
    assert first["pages"] == "14–15" and first["authors"] == "蔡明彥"
    assert first["venue"] == "俄羅斯學報 第五期" and first["text"].startswith("「和平使命 2005」")
    result = cli("search", "和平使命", "--index", seed_index, "--export", "json")
    data = json.loads(result.output)
    assert data["query"] == "和平使命" and [r["passage_id"] for r in data["results"]] == \
        [r["passage_id"] for r in rows]
    result = cli("search", "和平使命", "--index", seed_index, "--export", "ris")
    articles = list(dict.fromkeys(r["article_id"] for r in rows))    # each article once
    assert result.output.count("TY  - ") == len(articles) and \
        result.output.count("TY  - JOUR") == 1
    result = cli("search", "中俄", "--index", seed_index, "--export", "bibtex")
    assert result.output.count("@article{004_c926736664f9ed5b,") == 1
    assert result.output.count("@misc{000_b276265bf07c8e54,") == 1


def test_export_stops_at_its_documented_limit(engine):
    hits, _articles, total = export.collect(engine, "中俄")
    assert len(hits) == min(total, export.EXPORT_LIMIT)


# --- the web -------------------------------------------------------------------------------

def test_cite_page_shows_every_style(client):
    resp = client.get("/cite/" + PASSAGE.replace("#", "%23"))
    assert resp.status_code == 200
    html = resp.text
    for text in (GBT_PASSAGE, APA_PASSAGE, APA_PAPER, CHICAGO_NOTE, CHICAGO_PAPER):
        assert f">{text}</p>" in html
    assert "pp. 14–15" in html and "Cite this passage" in html
    assert 'href="/export/article/bibtex/004_c926736664f9ed5b"' in html
    assert client.get("/cite/nope").status_code == 404


def test_article_export_downloads(client):
    resp = client.get(f"/export/article/bibtex/{PAPER}")
    assert resp.status_code == 200 and resp.text == BIBTEX_PAPER
    assert resp.headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert resp.headers["Content-Disposition"] == \
        'attachment; filename="004_c926736664f9ed5b.bib"'
    resp = client.get(f"/export/article/ris/{COMMENTARY}")
    assert resp.text == RIS_COMMENTARY
    assert client.get(f"/export/article/pdf/{PAPER}").status_code == 404


def test_result_list_export_matches_the_cli(client, cli, seed_index):
    for fmt in ("bibtex", "ris", "csv", "json"):
        resp = client.get(f"/export/{fmt}?q=和平使命")
        assert resp.status_code == 200
        # (the CLI runner reads CSV's CRLF line ends as line ends)
        assert resp.text.replace("\r\n", "\n") == cli("search", "和平使命", "--index",
                                                      seed_index, "--export", fmt).output
    resp = client.get("/export/csv?q=和平使命&lang=en")
    assert resp.text.splitlines() == [",".join(export.ROW_FIELDS)]
    resp = client.get("/export/csv?q=")
    assert resp.status_code == 400 and "Missing query: pass ?q=words to export its results." \
        in resp.text


def test_search_page_links_cite_and_export(client):
    html = client.get("/search?q=和平使命").text
    assert '<span class="pages" title="Page in the original">pp. 14–15</span>' in html
    assert 'href="/cite/004_c926736664f9ed5b%23p36">Cite</a>' in html
    assert 'href="/export/bibtex?q=%E5%92%8C%E5%B9%B3%E4%BD%BF%E5%91%BD">BibTeX</a>' in html


def test_article_page_has_page_markers_in_the_margin(client):
    html = client.get(f"/articles/{PAPER}").text
    marks = [html.count(f'<span class="pagemark" id="page-{n}">p. {n}</span>')
             for n in range(1, 21)]
    assert marks == [1] * 20           # each page marked once, where it begins
    assert 'href="/cite/004_c926736664f9ed5b">Cite this article</a>' in html
    assert "pagemark" not in client.get(f"/articles/{COMMENTARY}").text
