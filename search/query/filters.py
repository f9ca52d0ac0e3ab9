"""Field filters: which values lang:, year:, date:, article:, venue:, title: and author:
accept (in the query text and as search options), and the plan filters they become.

Every bad value is a QueryError whose message shows a value that works.
"""
from __future__ import annotations

import re

from search.errors import QueryError
from search.query.plan import DateFilter, TextFilter, ValueFilter

LANGS = {"en": ["en"], "english": ["en"], "zh": ["zh-Hant", "zh-Hans"],
         "zh-hant": ["zh-Hant"], "zh-tw": ["zh-Hant"], "hant": ["zh-Hant"], "tw": ["zh-Hant"],
         "zh-hans": ["zh-Hans"], "zh-cn": ["zh-Hans"], "hans": ["zh-Hans"], "cn": ["zh-Hans"]}
TEXT_FIELDS = {"title": "title", "author": "authors", "venue": "venue"}   # query name -> field
OPEN_LO, OPEN_HI = 0, 99999999         # YYYYMMDD bounds of an open-ended range


def languages(value: str) -> list[str]:
    """`zh` -> ["zh-Hant", "zh-Hans"]: the stored lang values a lang: value stands for."""
    langs = LANGS.get(str(value).lower())
    if not langs:
        raise QueryError(f"unknown language {value!r}: use lang:en, lang:zh, "
                         "lang:zh-Hant or lang:zh-Hans")
    return langs


def lang_filter(value: str) -> ValueFilter:
    return ValueFilter("lang", languages(value))


def article_filter(value: str) -> ValueFilter:
    return ValueFilter("article_id", [str(value)])


def text_filter(name: str, value: str, groups) -> TextFilter:
    """title:/author:/venue: `value`, analysed into `groups` [(main token, [sub-words])]."""
    if not groups:
        raise QueryError(f"{name}:{value} has no searchable words: try {name}:WORD")
    return TextFilter(TEXT_FIELDS[name], [[main] + subs for main, subs in groups],
                      scored=name != "venue")


def year(value, name: str) -> int:
    """A year option (year_from, year_to): a whole number 1..9999."""
    try:
        found = int(str(value).strip())
    except ValueError:
        raise QueryError(f"{name} must be a year like 2010, not {value!r}") from None
    if not 1 <= found <= 9999:
        raise QueryError(f"{name} must be a year like 2010, not {value!r}")
    return found


def year_filter(year_from, year_to) -> DateFilter:
    """The year_from/year_to options (either may be None) as one date range."""
    lo = year(year_from, "year_from") * 10000 if year_from else OPEN_LO
    hi = year(year_to, "year_to") * 10000 + 9999 if year_to else OPEN_HI
    if lo > hi:
        raise QueryError(f"year range {year_from}..{year_to} is empty: "
                         "put the earlier year first")
    return DateFilter(lo, hi)


def date_filter(value: str, name: str = "date") -> DateFilter:
    """year:VALUE or date:VALUE of the query text."""
    return DateFilter(*date_range(value, name))


_DATE_RE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")


def _date_bounds(value: str, f: str) -> tuple[int, int]:
    m = _DATE_RE.match(value.strip())
    if not m or (f == "year" and m.group(2)):
        example = "year:2005 or year:2005..2010" if f == "year" else \
            "date:2021-04 or date:2021-01..2021-06-30"
        raise QueryError(f"cannot read {f}:{value}: use {example}")
    year_ = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise QueryError(f"cannot read {f}:{value}: month 1-12, day 1-31")
    base = year_ * 10000
    if month is None:
        return base, base + 9999
    if day is None:
        return base + month * 100, base + month * 100 + 99
    return base + month * 100 + day, base + month * 100 + day


def date_range(value: str, f: str = "date") -> tuple[int, int]:
    """`2005`, `2005..2010`, `..2010`, `2021-04`, `2021-01..2021-06-30` -> (lo, hi) YYYYMMDD."""
    value = value.strip()
    if ".." in value:
        a, _, b = value.partition("..")
        lo = _date_bounds(a, f)[0] if a.strip() else OPEN_LO
        hi = _date_bounds(b, f)[1] if b.strip() else OPEN_HI
        if lo > hi:
            raise QueryError(f"{f}:{value} is an empty range: put the earlier date first")
        return lo, hi
    return _date_bounds(value, f)
