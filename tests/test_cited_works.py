"""Who cites what: the journal paper's footnotes as cited works (author, title, venue,
year, one key per work), works cited in several notes merged, the cited-sources pages,
`cites:"…"` searches, and from a note to every passage citing its work."""
from __future__ import annotations

import pytest

from search.cite.works import article_citations, cited_works, parse_segment, split_cites

PAPER = "004_c926736664f9ed5b"


@pytest.fixture(scope="module")
def paper(seed_engine):
    return seed_engine.article(PAPER)


def _by_note(paper):
    out = {}
    for c in article_citations(paper):
        out.setdefault(c.note, []).append(
            (c.work.author, c.work.title, c.work.venue, c.work.year, c.pages))
    return out


def test_the_journals_notes_give_their_works(paper):
    notes = _by_note(paper)
    assert notes["5"] == [("Andrei Kozyrev", "Partnership or Cold Peace?", "Foreign Policy",
                           "1995", "p.11")]
    assert notes["6"] == [
        ("Sergei Rogov", "Russia and the United States: A Partnership or Another Disengagement",
         "International Affairs", "1995", "p.7"),
        ("A. F. Klimenko", "International Security and Character of Future Military Conflicts",
         "Military Thought", "1997", "p.7")]
    assert notes["9"] == [("熊光楷", "國際戰略與新軍事變革", "清華大學出版社", "2003", "頁 9")]
    assert notes["18"] == [("", "The Military Balance 1991/1992", "IISS", "1992", "pp.150-152")]
    assert notes["21"] == [("", "中俄簽十五年軍事合作計畫", "中國時報", "2000", "版五")]
    # an explanation before the citation: only the citation is a work
    assert notes["3"] == [("", "Sino-Soviet Joint Communique", "Beijing Review", "1989", "p.11")]
    # Ibid. is the work of the note before
    assert notes["31"][0][:2] == ("Ming-Yen Tsai", "From Adversaries to Partners ? Chinese "
                                  "and Russian Military Cooperation after the Cold War")
    # notes that only explain cite nothing; the author's affiliation is no work
    assert "26" not in notes and "27" not in notes and "28" not in notes and "＊" not in notes


def test_works_cited_more_than_once_are_merged(paper):
    works = cited_works([paper])
    merged = {e.work.label: [c.note for c in e.citations] for e in works.values()
              if len(e.citations) > 1}
    assert merged == {
        "US DoD, The Military Power of the People’s Republic of China 2005": ["41", "42", "45"],
        "Ming-Yen Tsai, From Adversaries to Partners ? Chinese and Russian Military "
        "Cooperation after the Cold War": ["30", "31"],
        "Full Text of Sino-Russian Joint Statement": ["4", "11"],
        "熊光楷, 國際戰略與新軍事變革": ["9", "46"],
    }
    first = next(iter(works.values()))            # most cited first
    assert first.work.title == "The Military Power of the People’s Republic of China 2005"
    assert first.passages == [f"{PAPER}#p40", f"{PAPER}#p43"]


def test_a_keys_are_folded_titles():
    a = parse_segment("“Full Text of Sino-Russian Joint Statement,” FBIS-CHI-94-172, 6 "
                      "September 1994, pp.21-22")
    b = parse_segment("請參閱 “FULL TEXT of Sino–Russian Joint Statement”, FBIS, 1994")
    assert a.key == b.key == "fulltextofsinorussianjointstatement"
    zh = parse_segment("熊光楷，国际战略与新军事变革（北京：清华大学出版社，2003 年），頁 40")
    assert zh.key == "熊光楷/国际战略与新军事变革"      # Simplified and Traditional meet
    assert parse_segment("在邊界兩側 100 公里內，雙方同意不得進行超過以下人數的實兵演習") is None


def test_split_cites():
    assert split_cites('北約 cites:"Military Balance"') == ("北約", ["Military Balance"])
    assert split_cites("cites:熊光楷 軍售") == ("軍售", ["熊光楷"])
    assert split_cites("plain words") == ("plain words", [])


def test_cited_sources_page_counts(client):
    html = client.get("/cited").text
    assert "<h1>Cited sources</h1>" in html
    assert ('<cite>The Military Power of the People’s Republic of China 2005</cite></a>, '
            'US DoD (2005)\n      <span class="counts">cited in 1 article · 3 notes</span>') in html
    html = client.get("/cited?q=Military+Balance").text
    assert "1 of " in html and "cited works match <q>Military Balance</q>" in html
    assert '<cite>The Military Balance 1991/1992</cite>' in html
    data = client.get("/api/cited?q=熊光楷").get_json()
    assert [(w["title"], w["articles"], w["notes"]) for w in data["works"]] == \
        [("國際戰略與新軍事變革", 1, 2)]


def test_from_a_note_to_every_passage_citing_its_work(client):
    html = client.get(f"/articles/{PAPER}").text
    link = ('<a class="cited-by" lang="en" href="/cited/themilitarypowerofthepeoplesrepublicofchina2005" '
            'title="Every passage of the corpus citing The Military Power of the People’s '
            'Republic of China 2005">cited by 2 passages</a>')
    assert html.count(link) == 3                   # notes 41, 42 (Ibid.) and 45
    page = client.get("/cited/themilitarypowerofthepeoplesrepublicofchina2005").text
    assert "Cited in 1 article, 3 notes, 2 passages" in page
    assert page.count(f'href="/articles/{PAPER}#p40">') == 2      # notes 41 and 42
    assert page.count(f'href="/articles/{PAPER}#p43">') == 1
    assert client.get("/cited/nothing-like-this").status_code == 404


def test_cites_search_on_the_web_and_the_cli(client, cli, seed_index):
    data = client.get('/api/search?q=cites:"Military Balance"').get_json()
    assert data["total"] == 1 and data["results"][0]["passage_id"] == f"{PAPER}#p17"
    data = client.get('/api/search?q=台灣 cites:"Military Power"').get_json()
    assert {r["passage_id"] for r in data["results"]} <= {f"{PAPER}#p39", f"{PAPER}#p40",
                                                          f"{PAPER}#p43"}
    assert data["total"] == len(data["results"]) >= 1
    html = client.get('/search?q=cites:熊光楷').text
    assert "<strong>2 passages match</strong>" in html
    result = cli("search", 'cites:"Military Balance"', "--index", seed_index)
    assert result.output.startswith("'cites:\"Military Balance\"': 1 passage matches (page 1 of 1")
    assert f"{PAPER}#p17" in result.output
