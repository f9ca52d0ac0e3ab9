"""Citations of an article or of one passage (with its page) in three styles.

* GB/T 7714-2015 (顺序编码制 reference entries): `作者. 题名[J]. 刊名, 年(期): 页码.`,
  `[EB/OL]` with publication and access dates for a web commentary; its own half-width
  punctuation (`. , : []`), also for Chinese entries, as the standard prints them. A
  passage's entry gives the passage's pages (引文页码) in place of the article's range.
* APA 7: a Chinese title keeps its characters, followed by the English title in square
  brackets when the article gives one; a Chinese name is printed whole, family name first,
  never turned into initials. A passage gets the parenthetical citation with its page
  (`(蔡明彥, 2006, pp. 14–15)`).
* Chicago notes-bibliography: for a Chinese-language source the notes and bibliography
  follow the Chinese convention used by the corpus's own footnotes (full-width `，` `。`,
  〈article〉 《journal》, `頁14-15`); an English source gets Chicago's English forms. A
  passage gets a note with its page, an article a bibliography entry.

No field is invented: a missing author, page or date is left out (APA's `n.d.`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from search.model import Article, Passage

from .source import Source, is_chinese, page_range, source_of

STYLES = {"gbt7714": "GB/T 7714-2015", "apa": "APA 7", "chicago": "Chicago (notes-bibliography)"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
_ENDS = ".?!？！。"


@dataclass
class Citation:
    style: str          # a key of STYLES
    label: str          # its name for people
    reference: str      # the bibliography / reference-list entry of the article
    pinpoint: str = ""  # citing the passage: with its page ("" for an article)


def cite(article: Article, passage: Passage | None = None, style: str = "gbt7714",
         accessed: str | None = None) -> Citation:
    """`accessed`: the access date GB/T 7714 prints for online sources (ISO; today)."""
    src = source_of(article)
    pages = list(passage.pages) if passage is not None else []
    accessed = accessed or _dt.date.today().isoformat()
    if style == "gbt7714":
        ref = gbt7714(src, src.pages, accessed)
        pin = gbt7714(src, pages, accessed) if passage is not None else ""
    elif style == "apa":
        ref, pin = apa(src), apa_in_text(src, pages) if passage is not None else ""
    elif style == "chicago":
        ref = chicago_bibliography(src)
        pin = chicago_note(src, pages) if passage is not None else ""
    else:
        raise ValueError(style)
    return Citation(style, STYLES[style], ref, pin)


def cite_all(article: Article, passage: Passage | None = None,
             accessed: str | None = None) -> list[Citation]:
    return [cite(article, passage, style, accessed) for style in STYLES]


# --- names ---------------------------------------------------------------------------------

def _split_name(name: str) -> tuple[str, str]:
    """(family, given) of an English name as printed: `Allen Lynch` -> (Lynch, Allen)."""
    parts = name.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (name, "")


def _initials(given: str) -> str:
    """`Ming-Yen` -> `M.-Y.`, `Frederic J.` -> `F. J.`"""
    return " ".join("-".join(p[0] + "." for p in word.split("-") if p)
                    for word in given.split())


def _latin(name: str) -> bool:
    return not is_chinese(name)


def _end(text: str) -> str:
    return text if text and text[-1] in _ENDS else text + "."


# --- GB/T 7714-2015 ------------------------------------------------------------------------

def _gbt_names(src: Source) -> str:
    names = []
    for name in src.authors[:3]:
        if _latin(name):
            family, given = _split_name(name)
            names.append(f"{family.upper()} {_initials(given).replace('.', '').replace(' ', '')}"
                         .strip())
        else:
            names.append(name)
    if len(src.authors) > 3:
        names.append("等" if src.chinese else "et al")
    if not names and src.organisation:
        names.append(src.organisation)
    return ", ".join(names)


def gbt7714(src: Source, pages: list[str], accessed: str) -> str:
    head = _gbt_names(src)
    out = f"{head}. " if head else ""
    span = page_range(pages, "-")
    if src.kind == "journal":
        out += f"{src.title}[J]. {src.journal}, {src.year}"
        out += f"({src.number})" if src.number is not None else ""
        out += f": {span}." if span else "."
    elif src.kind == "web":
        out += f"{src.title}[EB/OL]. "
        out += f"({src.date})" if src.date else ""
        out += f"[{accessed}]. {src.url}."
    else:
        out += f"{src.title}[Z]"
        if src.year:
            out += f". {src.year}"
        out += f": {span}." if span else "."
    return out


# --- APA 7 ---------------------------------------------------------------------------------

def _apa_names(src: Source) -> str:
    names = []
    for name in src.authors[:20]:
        if _latin(name):
            family, given = _split_name(name)
            names.append(f"{family}, {_initials(given)}" if given else family)
        else:
            names.append(name)
    if not names:
        return src.organisation
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _apa_date(src: Source) -> str:
    if not src.year:
        return "n.d."
    if src.kind == "web" and src.month:
        return f"{src.year}, {MONTHS[src.month - 1]}" + (f" {src.day}" if src.day else "")
    return src.year


def _apa_title(src: Source) -> str:
    title = src.title
    if src.chinese and src.title_en:
        title += f" [{src.title_en}]"
    return _end(title)


def apa(src: Source) -> str:
    who = _apa_names(src)
    if who:
        out = f"{_end(who)} ({_apa_date(src)}). {_apa_title(src)}"
    else:
        out = f"{_apa_title(src)} ({_apa_date(src)})."
    span = page_range(src.pages)
    if src.kind == "journal":
        parts = [src.journal] + ([f"({src.number})"] if src.number is not None else []) \
            + ([span] if span else [])
        out += " " + ", ".join(parts) + "."
    elif src.kind == "web":
        if src.organisation and src.organisation != who:
            out += f" {src.organisation}."
        out += f" {src.url}"
    elif src.organisation and src.organisation != who:
        out += f" {src.organisation}."
    return out


def apa_in_text(src: Source, pages: list[str]) -> str:
    names = [(_split_name(n)[0] if _latin(n) else n) for n in src.authors]
    if not names:
        who = src.organisation or src.title
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    out = f"({who}, {src.year or 'n.d.'}"
    if pages:
        out += (", p. " if len(pages) == 1 else ", pp. ") + page_range(pages)
    return out + ")"


# --- Chicago notes-bibliography ------------------------------------------------------------

def _zh_date(src: Source) -> str:
    out = f"{src.year}年" if src.year else ""
    if src.month:
        out += f"{src.month}月"
        if src.day:
            out += f"{src.day}日"
    return out


def _en_date(src: Source, with_day: bool = True) -> str:
    if not src.month:
        return src.year
    if src.day and with_day:
        return f"{MONTHS[src.month - 1]} {src.day}, {src.year}"
    return f"{MONTHS[src.month - 1]} {src.year}"


def _chicago_names(src: Source, inverted: bool) -> str:
    if not src.authors:
        return src.organisation
    if not all(_latin(n) for n in src.authors):
        return "、".join(src.authors)
    names = []
    for k, name in enumerate(src.authors):
        family, given = _split_name(name)
        names.append(f"{family}, {given}" if inverted and k == 0 and given else name)
    if len(names) == 1:
        return names[0]
    if inverted:
        return ", ".join(names[:-1]) + ", and " + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) == 2 else \
        ", ".join(names[:-1]) + ", and " + names[-1]


def chicago_note(src: Source, pages: list[str]) -> str:
    who = _chicago_names(src, inverted=False)
    if src.chinese:
        parts = [who] if who else []
        parts.append(f"〈{src.title}〉")
        if src.kind == "journal":
            parts.append(f"《{src.journal}》")
            parts.append(f"{src.issue}（{_zh_date(src)}）" if src.issue else _zh_date(src))
        else:
            if src.authors and src.organisation:
                parts.append(src.organisation)
            if src.year:
                parts.append(_zh_date(src))
            if src.url:
                parts.append(src.url)
        if pages:
            parts.append(f"頁{page_range(pages, '-')}")
        return "，".join(parts) + "。"
    after = []
    if src.kind == "journal":
        venue = src.journal + (f" {src.number}" if src.number is not None else "")
        venue += f" ({_en_date(src, with_day=False)})" if src.year else ""
        after.append(venue + (f": {page_range(pages)}" if pages else ""))
    else:
        if src.authors and src.organisation:
            after.append(src.organisation)
        if src.year:
            after.append(_en_date(src))
        if src.url:
            after.append(src.url)
        if pages:
            after.append(page_range(pages))
    out = f"{who}, " if who else ""
    if not after:
        return out + f"“{_end(src.title)}”"
    if src.kind == "journal":
        return out + f"“{src.title},” " + after[0] + "."
    return out + f"“{src.title},” " + ", ".join(after) + "."


def chicago_bibliography(src: Source) -> str:
    who = _chicago_names(src, inverted=True)
    span = page_range(src.pages, "-" if src.chinese else "–")
    if src.chinese:
        out = f"{who}。" if who else ""
        out += f"〈{src.title}〉。"
        if src.kind == "journal":
            out += f"《{src.journal}》，" + (f"{src.issue}（{_zh_date(src)}）" if src.issue
                                          else _zh_date(src))
            return out + (f"：{span}。" if span else "。")
        if src.authors and src.organisation:
            out += f"{src.organisation}。"
        if src.year:
            out += f"{_zh_date(src)}。"
        if src.url:
            out += f"{src.url}。"
        return out
    out = f"{_end(who)} " if who else ""
    out += f"“{_end(src.title)}”"
    if src.kind == "journal":
        out += f" {src.journal}" + (f" {src.number}" if src.number is not None else "")
        out += f" ({_en_date(src, with_day=False)})" if src.year else ""
        return out + (f": {span}." if span else ".")
    if src.authors and src.organisation:
        out += f" {src.organisation}."
    if src.year:
        out += f" {_en_date(src)}."
    if src.url:
        out += f" {src.url}."
    return out
