"""Article metadata from the front and back matter of extracted text.

Recognised (each only when the source has it; a missing field stays empty, never guessed):
title (first line), a disclaimer in parentheses naming the publisher (`不代表X立場`), author
line(s) with affiliation markers (`蔡明彥＊`), `摘要` + `關鍵詞`, a publication date line
(`發布日期：2021/04/01`), the journal line (`俄羅斯學報 第五期 (2006 年 12 月)`) giving venue
and date, source URLs, and the English title, author, `Abstract` and `Keywords` block.
The lines used are removed from the body so they never become passages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import JOURNAL, Line
from .textutil import Joiner, width

_DISCLAIMER = re.compile(r"^[（(].*[）)]$")
_PUBLISHER = re.compile(r"不代表(?:本院|本會)?(?P<who>[^，,。）)]{2,30}?)(?:之|的)?(?:立場|觀點|意見)")
_NAME_ZH = r"[\u4e00-\u9fff]{2,4}(?:[·‧][\u4e00-\u9fff]{1,6})?"     # 2-4 characters
_NAME_EN = r"[A-Z][A-Za-z'’.\-]+(?: [A-Z][A-Za-z'’.\-]+){1,3}"
_MARK = r"[＊*†‡]+|\d{1,2}"
_AUTHORS = re.compile(rf"^(?:(?:{_NAME_ZH}|{_NAME_EN})\s*(?:{_MARK})?\s*(?:[、,，;；]|及|和|and)?\s*)+$")
_AUTHOR = re.compile(rf"(?P<name>{_NAME_ZH}|{_NAME_EN})\s*(?P<mark>{_MARK})?")
_ABSTRACT = re.compile(r"^摘\s*要\s*[:：]?\s*(?P<rest>.*)$")
_KEYWORDS = re.compile(r"^[關关]\s*[鍵键]\s*[詞词字]\s*[:：]\s*(?P<rest>.*)$")
_ABSTRACT_EN = re.compile(r"^abstract\s*[:：]?\s*(?P<rest>.*)$", re.I)
_KEYWORDS_EN = re.compile(r"^key\s*words?\s*[:：]\s*(?P<rest>.*)$", re.I)
_DATE_LINE = re.compile(r"^(?:發布|發佈|发布|出版|刊登|發表|发表)?(?:日期|時間|时间)\s*[:：]\s*(?P<y>\d{4})\s*[/\-.年]"
                        r"\s*(?P<m>\d{1,2})\s*(?:[/\-.月]\s*(?P<d>\d{1,2}))?")
_URL_LINE = re.compile(r"^https?://\S+$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Meta:
    title: str = ""
    title_en: str = ""
    authors: list[str] = field(default_factory=list)
    author_marks: list[str] = field(default_factory=list)
    date: str = ""
    venue: str = ""
    url: str = ""
    keywords: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    abstract_lines: list[Line] = field(default_factory=list)
    abstract_en: str = ""
    abstract_en_lines: list[Line] = field(default_factory=list)   # its lines (pages)


def iso_date(y: str, m: str | None = None, d: str | None = None) -> str:
    """`2021`, `2021-04`, `2021-04-01` (as precise as the source, never more)."""
    out = f"{int(y):04d}"
    if m and 1 <= int(m) <= 12:
        out += f"-{int(m):02d}"
        if d and 1 <= int(d) <= 31:
            out += f"-{int(d):02d}"
    return out


def _split_keywords(text: str) -> list[str]:
    return [k.strip(" .。") for k in re.split(r"[；;、，,]", text) if k.strip(" .。")]


def extract(lines: list[Line], joiner: Joiner) -> tuple[Meta, list[Line]]:
    """Return the metadata and the body lines left once metadata lines are removed."""
    meta = Meta()
    used: set[int] = set()
    content = [ln for ln in lines if not ln.blank]
    if not content:
        return meta, lines
    first = content[0].text
    if width(first) <= 120 and not (width(first) > 60 and first[-1] in "。.!?！？"):
        meta.title = first              # a long sentence is the text itself, not a title
        used.add(content[0].no)
        _front_matter(content[1:], meta, used, joiner)
    _english_block(content, meta, used, joiner)
    urls = []
    for line in content:
        text = line.text
        if line.no in used:
            continue
        m = _DATE_LINE.match(text)
        k = _KEYWORDS.match(text)
        if k and not meta.keywords:
            meta.keywords = _split_keywords(k["rest"])
            used.add(line.no)
        elif m:
            meta.date = meta.date or iso_date(m["y"], m["m"], m["d"])
            used.add(line.no)
        elif _URL_LINE.match(text):
            urls.append(text)
            used.add(line.no)
        else:
            m = JOURNAL.match(re.sub(r"\s+", " ", line.raw.strip()))
            if m:
                meta.venue = meta.venue or re.sub(r"\s+", " ", m["venue"])
                meta.date = meta.date or iso_date(m["y"], m["m"])
    if urls:        # the most specific of the page's URLs (the site root is repeated)
        meta.url = max(urls, key=lambda u: (u.rstrip("/").count("/"), len(u)))
    return meta, [ln for ln in lines if ln.no not in used]


def _front_matter(content: list[Line], meta: Meta, used: set[int], joiner: Joiner) -> None:
    """Disclaimer, authors, 摘要 and 關鍵詞: the lines right after the title."""
    k = 0
    while k < len(content):
        line, text = content[k], content[k].text
        if _DISCLAIMER.match(text) and k == 0:
            m = _PUBLISHER.search(text)
            if m:
                meta.venue = m["who"].strip()
            used.add(line.no)
        elif _ABSTRACT.match(text):
            used.add(line.no)
            rest = _ABSTRACT.match(text)["rest"]
            if rest:
                meta.abstract_lines.append(Line(line.no, rest))
            k += 1
            while k < len(content) and not _KEYWORDS.match(content[k].text) \
                    and not _ends_abstract(content[k]):
                meta.abstract_lines.append(content[k])
                used.add(content[k].no)
                k += 1
            continue
        elif _KEYWORDS.match(text):
            meta.keywords = _split_keywords(_KEYWORDS.match(text)["rest"])
            used.add(line.no)
            return
        elif not meta.authors and not _ends_abstract(line) and len(text) <= 40 \
                and _AUTHORS.match(text) and k <= 1 and _few_names(text):
            for m in _AUTHOR.finditer(text):
                if m["name"] not in ("及", "和"):
                    meta.authors.append(m["name"])
                    meta.author_marks.append(m["mark"] or "")
            used.add(line.no)
        else:
            return
        k += 1


def _few_names(text: str) -> bool:
    """An author line names a few people; a first line of body text that happens to be
    short, CJK and comma-separated ("冷戰結束後，俄國與中國...") splits into many "names"."""
    return len(_AUTHOR.findall(text)) <= 6


def _ends_abstract(line: Line) -> bool:
    """Without a keywords line, an abstract ends at the first section heading."""
    from .sections import classify
    kind = classify(line.text)
    return kind.kind == "heading" and kind.level >= 0 or bool(
        re.match(r"^(?:前言|緒論|绪论|導論|Introduction)$", line.text, re.I))


def _english_block(content: list[Line], meta: Meta, used: set[int], joiner: Joiner) -> None:
    """English title, author, Abstract and Keywords (at the end of the journal paper)."""
    for k, line in enumerate(content):
        if line.no in used or not _ABSTRACT_EN.match(line.text):
            continue
        before = [c for c in content[max(0, k - 2):k] if c.no not in used]
        if before and _AUTHORS.match(before[-1].text) and len(before[-1].text) <= 60:
            used.add(before[-1].no)
            before = before[:-1]
        if before and re.search(r"[A-Za-z]{3}", before[-1].text) and \
                not re.search(r"[。，]", before[-1].text):
            meta.title_en = before[-1].text
            used.add(before[-1].no)
        pieces = []
        rest = _ABSTRACT_EN.match(line.text)["rest"]
        if rest:
            pieces.append(rest)
            meta.abstract_en_lines.append(Line(line.no, rest))
        used.add(line.no)
        j = k + 1
        while j < len(content) and not _KEYWORDS_EN.match(content[j].text) \
                and not _ends_abstract(content[j]) and not _HAN.search(content[j].text):
            pieces.append(content[j].text)
            meta.abstract_en_lines.append(content[j])
            used.add(content[j].no)
            j += 1
        meta.abstract_en = joiner.join_all(pieces)
        if j < len(content) and _KEYWORDS_EN.match(content[j].text):
            kw = [_KEYWORDS_EN.match(content[j].text)["rest"]]
            used.add(content[j].no)
            j += 1
            while j < len(content) and content[j].indent >= 2 and content[j].no == \
                    content[j - 1].no + 1:
                kw.append(content[j].text)
                used.add(content[j].no)
                j += 1
            meta.keywords_en = _split_keywords(joiner.join_all(kw))
        return
