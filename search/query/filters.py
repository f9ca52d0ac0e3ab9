"""Field filters: which values lang:, year:, date:, article:, venue:, title: and author:
accept (in the query text and as search options), and the plan filters they become.

Every bad value is a QueryError whose message shows a value that works. The search options
(lang, article, venue, year_from, year_to) are checked here for every front end:
`search_options(..., spelling=CLI)` for `defsearch search --lang ...`, `spelling=WEB` for
`/search?lang=...` and `/api/search`, the library spelling for `Engine.search(lang=...)`;
the same values pass or fail everywhere, and each message names the option as that front
end spells it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.errors import QueryError
from search.query.plan import DateFilter, TextFilter, ValueFilter

LANGS = {"en": ["en"], "english": ["en"], "zh": ["zh-Hant", "zh-Hans"],
         "zh-hant": ["zh-Hant"], "zh-tw": ["zh-Hant"], "hant": ["zh-Hant"], "tw": ["zh-Hant"],
         "zh-hans": ["zh-Hans"], "zh-cn": ["zh-Hans"], "hans": ["zh-Hans"], "cn": ["zh-Hans"]}
TEXT_FIELDS = {"title": "title", "author": "authors", "venue": "venue"}   # query name -> field
OPEN_LO, OPEN_HI = 0, 99999999         # YYYYMMDD bounds of an open-ended range
YEAR_MIN, YEAR_MAX = 1, 9999           # a year option; the index stores dates of these years
ARTICLE_ID_RE = re.compile(r"[^\x00-\x1f\x7f]{1,200}")   # an article id as a filter or URL
VENUE_MAX = 200                        # characters of a venue option
_LANG_EXAMPLES = ("en", "zh", "zh-Hant", "zh-Hans")


@dataclass(frozen=True)
class Spelling:
    """How a front end writes an option in its messages: `lang:en` (the query text and
    `Engine.search` keywords), `--lang en` (the CLI), `lang=en` (the web and the API)."""
    sep: str
    names: dict = field(default_factory=dict)      # option -> name shown (default: itself)

    def name(self, option: str) -> str:
        return self.names.get(option, option)

    def example(self, option: str, value: str) -> str:
        return f"{self.name(option)}{self.sep}{value}"


LIBRARY = Spelling(":")
CLI = Spelling(" ", {"lang": "--lang", "article": "--article", "venue": "--venue",
                     "year_from": "--year-from", "year_to": "--year-to"})
WEB = Spelling("=", {"year_from": "from", "year_to": "to"})
BATCH = Spelling("", {"lang": ""})     # a --batch line's "lang": the bare value


def languages(value: str, spelling: Spelling = LIBRARY) -> list[str]:
    """`zh` -> ["zh-Hant", "zh-Hans"]: the stored lang values a lang: value stands for."""
    langs = LANGS.get(str(value).lower())
    if not langs:
        uses = [spelling.example("lang", x) for x in _LANG_EXAMPLES]
        raise QueryError(f"unknown language {value!r}: use {', '.join(uses[:-1])} "
                         f"or {uses[-1]}")
    return langs


def _given(value):
    """None for an option left out: None or blank text (an empty form field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def search_options(lang=None, article=None, venue=None, year_from=None, year_to=None,
                   spelling: Spelling = LIBRARY) -> dict:
    """The search options checked, as `Engine.search` keywords (left-out ones None; venue
    with its whitespace collapsed, years as ints). Raises QueryError naming the option as
    `spelling` writes it."""
    lang, article, venue = _given(lang), _given(article), _given(venue)
    if lang is not None:
        languages(lang, spelling)
    if article is not None and not ARTICLE_ID_RE.fullmatch(str(article)):
        raise QueryError(f"{spelling.name('article')} must be an article id: 1 to 200 "
                         "characters, no control characters")
    if venue is not None:
        venue = " ".join(str(venue).split())
        if len(venue) > VENUE_MAX:
            raise QueryError(f"{spelling.name('venue')} is {len(venue)} characters long; "
                             f"the limit is {VENUE_MAX}: use a shorter part of the name")
    years = [None if _given(v) is None else year(_given(v), spelling.name(option))
             for option, v in (("year_from", year_from), ("year_to", year_to))]
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        raise QueryError(f"year range {years[0]}..{years[1]} is empty: "
                         "put the earlier year first")
    return {"lang": lang, "article": article, "venue": venue,
            "year_from": years[0], "year_to": years[1]}


def lang_filter(value: str) -> ValueFilter:
    return ValueFilter("lang", languages(value))


def filtered_languages(found: list, lang=None) -> set[str] | None:
    """The passage languages ("en", "zh") that the plan's lang: filters and the lang option
    leave searchable together; None when nothing filters by language."""
    chosen = [f.values for f in found if isinstance(f, ValueFilter) and f.field == "lang"]
    if lang is not None:      # checked (and its message spelt) by search_options
        chosen.append(LANGS.get(str(lang).lower(), []))
    left = None
    for values in chosen:
        families = {"en" if v == "en" else "zh" for v in values}
        left = families if left is None else left & families
    return left


def article_filter(value: str) -> ValueFilter:
    return ValueFilter("article_id", [str(value)])


def text_filter(name: str, value: str, groups) -> TextFilter:
    """title:/author:/venue: `value`, analysed into `groups` [(main token, [sub-words])]."""
    if not groups:
        raise QueryError(f"{name}:{value} has no searchable words: try {name}:WORD")
    return TextFilter(TEXT_FIELDS[name], [[main] + subs for main, subs in groups],
                      scored=name != "venue")


def year(value, name: str) -> int:
    """A year option (year_from, year_to): a whole number YEAR_MIN..YEAR_MAX, as an int or
    as up to four digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        found = value
    elif re.fullmatch(r"[0-9]{1,4}", str(value).strip()):
        found = int(str(value).strip())
    else:
        found = None
    if found is None or not YEAR_MIN <= found <= YEAR_MAX:
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
