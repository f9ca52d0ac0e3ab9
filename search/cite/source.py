"""What a citation needs from an Article: its kind, authors, title, container, issue, date,
pages. Every style and export reads this one record, so they agree on the facts and only
differ in how they print them.

Only what the article states is used: no author is invented (an institute's commentary is
cited under its institute, as the styles do for a corporate author), no page range is
given when no passage has a page, and a date is as precise as the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.model import Article

_ISSUE = re.compile(r"^(?P<name>.+?)\s*第\s*(?P<no>[0-9一二三四五六七八九十百〇零]{1,6})\s*(?P<unit>[期卷])$")
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_number(text: str) -> int | None:
    """`5`, `五` -> 5, `十二` -> 12, `二十` -> 20, `一百零五` -> 105 (issue numbers)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in "十百":
            total += (digit if digit is not None else 1) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def page_range(pages: list[str], dash: str = "–") -> str:
    """`["14", "15"]` -> `14–15`, `["3"]` -> `3`, `[]` -> ``."""
    if not pages:
        return ""
    return pages[0] if len(pages) == 1 or pages[0] == pages[-1] else \
        f"{pages[0]}{dash}{pages[-1]}"


def is_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


@dataclass
class Source:
    kind: str                      # "journal" (an issue of a journal), "web" (a URL), "other"
    title: str
    title_en: str = ""
    authors: list[str] = field(default_factory=list)   # people, as printed
    organisation: str = ""         # publisher / institute (the author when there is none)
    journal: str = ""              # the journal's name, without the issue
    issue: str = ""                # as printed: 第五期
    number: int | None = None      # the issue as a number: 5
    year: str = ""
    month: int | None = None
    day: int | None = None
    date: str = ""                 # ISO, as precise as the source
    pages: list[str] = field(default_factory=list)     # first and last page of the article
    url: str = ""
    lang: str = ""
    key: str = ""                  # the article id (BibTeX key, RIS ID)

    @property
    def chinese(self) -> bool:
        return is_chinese(self.title) or self.lang.startswith("zh") and not self.title


def source_of(article: Article) -> Source:
    parts = (article.date or "").split("-")
    title_en = re.sub(r"\s*：\s*", ": ", article.title_en)    # an English title's colon
    src = Source(kind="other", title=article.title or article.id, title_en=title_en,
                 authors=list(article.authors), year=parts[0] if parts[0] else "",
                 month=int(parts[1]) if len(parts) > 1 else None,
                 day=int(parts[2]) if len(parts) > 2 else None, date=article.date,
                 url=article.url, lang=article.lang, key=article.id)
    m = _ISSUE.match(article.venue or "")
    if m:
        src.kind, src.journal = "journal", m["name"]
        src.issue = f"第{m['no']}{m['unit']}"
        src.number = chinese_number(m["no"])
    else:
        src.organisation = article.venue
        if article.url:
            src.kind = "web"
    labels = [p for passage in article.passages for p in passage.pages]
    if labels:
        src.pages = [labels[0], labels[-1]] if labels[0] != labels[-1] else [labels[0]]
    return src
