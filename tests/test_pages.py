"""Page numbers of `.txt` passages: the journal paper's printed pages (3 and 18 are printed;
the others follow from its page breaks), form feeds, a passage across a page break, and
sources with no page information (none invented)."""
import json
import re

import pytest

from search.ingest import ingest_file


def passage(article, snippet):
    [found] = [p for p in article.passages if snippet in p.text]
    return found


@pytest.mark.parametrize("snippet,pages", [
    ("俄國與中國軍事合作關係的發展，具有戰略", ["1"]),           # 摘要, the title page
    ("冷戰結束後，俄國與中國這兩個長期敵對國家", ["2"]),         # 壹、前言
    ("國與國之間推動軍事合作關係，涉及敏感", ["3"]),              # under the printed "3"
    ("俄國與中國推動雙邊關係正常化，始於", ["3", "4"]),          # "…開啟新 / 頁。" over the break
    ("1991 年 12 月 31 日蘇聯瓦解後", ["4"]),
    ("「和平使命 2005」是俄國與中國首度舉行", ["14", "15"]),    # a break without footnotes
    ("最後，中國從俄國取得新式武器裝備後", ["17"]),
    ("目前各界對於中國與俄國之間的軍事合作", ["18"]),            # under the printed "18"
    ("觀諸未來，俄國在維持國防工業運作", ["18", "19"]),
    ("Should Moscow overly depend", ["20"]),                     # the English abstract
])
def test_journal_passages_have_their_printed_pages(paper, snippet, pages):
    assert passage(paper, snippet).pages == pages


def test_journal_pages_never_go_back(paper):
    numbers = [int(p) for passage in paper.passages for p in passage.pages]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 20


def test_commentary_has_no_page_numbers(commentary):
    """The commentary prints no page numbers and has no form feeds: no pages, not 1."""
    assert [p.pages for p in commentary.passages] == [[]] * 5


def _ingest(tmp_path, text, name="a.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [article] = ingest_file(path, tmp_path)
    return article


LINE = "國防安全研究的文字一行排滿到右邊界為止沒有標點也沒有空白的內容"


def para(n):
    """A paragraph of three printed lines (each its own: a repeated line is furniture), the
    last one short (its end)."""
    return f"這是第{n}頁。段落，{LINE}\n第{n}頁第二行{LINE}\n第{n}頁結束。\n\n"


class P:
    def format(self, n):
        return para(n)


PARA = P()


def test_form_feeds_are_physical_pages_without_printed_numbers(tmp_path):
    text = "標題\n\n" + PARA.format(n="一") + "\f" + PARA.format(n="二") + "\f" + \
        f"跨頁的段落，{LINE}\n\f下一頁接著寫{LINE}\n跨頁的段落結束。\n"
    article = _ingest(tmp_path, text)
    assert [(p.text[:5], p.pages) for p in article.passages] == [
        ("這是第一頁", ["1"]), ("這是第二頁", ["2"]), ("跨頁的段落", ["3", "4"])]
    assert "內容下一頁接著寫" in article.passages[2].text     # one paragraph over the break


def test_form_feeds_with_printed_footers_take_the_printed_numbers(tmp_path):
    text = "標題\n\n" + PARA.format(n="一") + "112\n\f" + PARA.format(n="二") + "113\n\f" + \
        PARA.format(n="三") + "114\n"
    article = _ingest(tmp_path, text)
    assert [p.pages for p in article.passages] == [["112"], ["113"], ["114"]]


NOTES = "\n" + " " * 40 + "\n1 一則註釋的文字。\n"


def test_printed_numbers_that_disagree_with_the_breaks_give_no_pages(tmp_path):
    """Printed 5 and 6 with two page breaks between them (the footnote block ends a page):
    a page was lost or added somewhere, so no page is trusted."""
    text = "標題\n\n" + PARA.format(n="一") + "5\n\n" + PARA.format(n="二") + NOTES + \
        PARA.format(n="三") + "6\n\n" + PARA.format(n="四")
    article = _ingest(tmp_path, text)
    assert [p.pages for p in article.passages] == [[]] * 4


def test_printed_headers_and_footnote_blocks_number_the_pages(tmp_path):
    """No form feeds: a page number after text starts a page (a running header), a footnote
    block ends one; the numbers agree with the breaks, so every page is numbered."""
    text = "標題\n\n" + PARA.format(n="一") + "8\n\n" + PARA.format(n="二") + NOTES + \
        PARA.format(n="三") + "10\n\n" + PARA.format(n="四")
    article = _ingest(tmp_path, text)
    assert [p.pages for p in article.passages] == [["7"], ["8"], ["9"], ["10"]]


def test_a_plain_text_file_has_no_pages(tmp_path):
    article = _ingest(tmp_path, "標題\n\n" + PARA.format(n="一") + PARA.format(n="二"))
    assert all(p.pages == [] for p in article.passages)


def test_pages_are_stored_in_the_index_and_shown_in_json(seed_engine, cli, seed_index):
    hit = next(h for h in seed_engine.search("和平使命 2005 聯合軍演", limit=20).hits
               if h.text.startswith("「和平使命 2005」是俄國"))
    assert hit.pages == ["14", "15"]
    article = seed_engine.article(hit.article_id)
    assert article.passages[hit.ordinal].pages == ["14", "15"]
    result = cli("search", "和平使命", "--index", seed_index, "--json", "--limit", "50")
    pages = {r["passage_id"]: r["pages"] for r in json.loads(result.output)["results"]}
    assert pages[hit.passage_id] == ["14", "15"]
    commentary = [r for r in json.loads(cli("search", "拉夫羅夫", "--index", seed_index,
                                            "--json").output)["results"]
                  if r["article_id"].startswith("000_")]
    assert commentary and all(r["pages"] == [] for r in commentary)


def test_pages_doctests():
    import doctest

    import search.ingest.pages as pages
    result = doctest.testmod(pages)
    assert result.attempted > 0 and result.failed == 0


def test_passages_cut_from_a_long_paragraph_get_their_own_pages(tmp_path):
    """A paragraph of 40 printed lines over a form feed is cut into passages: those printed
    before the break are on page 1, after it on page 2, the one across it on both."""
    lines = [f"第{n:02d}行的句子寫到這裡結束。國防安全研究的文字一行排滿到右邊界為止"
             for n in range(40)]
    lines[-1] = "最後一行結束。"
    text = "標題\n\n" + "\n".join(lines[:20]) + "\n\f" + "\n".join(lines[20:]) + "\n"
    article = _ingest(tmp_path, text)
    assert len(article.passages) >= 3
    pages = [p.pages for p in article.passages]
    assert pages[0] == ["1"] and pages[-1] == ["2"]
    assert ["1", "2"] in pages and pages == sorted(pages, key=lambda p: (p[0], len(p)))
    across = next(p for p in article.passages if p.pages == ["1", "2"])
    assert "第19行" in across.text and "第20行" in across.text
    for p in article.passages:      # the printed lines a passage holds, and their pages
        rows = [int(m) for m in re.findall(r"第(\d\d)行", p.text)]
        if not p.text.startswith("第"):           # it begins with the end of a line before
            rows.append(min(rows, default=40) - 1)
        assert p.pages == [page for page, lines in (("1", range(20)), ("2", range(20, 40)))
                           if any(r in lines for r in rows)], p.text[:40]
