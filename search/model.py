"""Typed records passed between modules (no dicts across module boundaries).

Article/Passage/Footnote come out of `search.ingest`; Hit/SearchResults come out of
`search.engine.engine`. All are plain dataclasses so they serialise with `dataclasses.asdict`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Footnote:
    """One note of an article. `text` is "" when the source cites the note but its body is
    not in the extract (the commentary's [1]..[6]): still a reference, shown as such."""

    label: str                     # "1", "48", "＊"
    text: str = ""                 # full note text, lines joined
    urls: list[str] = field(default_factory=list)


@dataclass
class NoteRef:
    """Where a footnote marker stood in a passage. The marker digits are removed from
    `Passage.text`; `offset` is the character offset in that text right after the word the
    marker was glued to, so a UI can put a link back exactly there."""

    label: str
    offset: int


@dataclass
class Passage:
    id: str                        # stable across re-ingest of an unchanged file
    article_id: str
    ordinal: int                   # 0-based order in the article
    text: str                      # display text (author's punctuation, unified ideographs)
    section: list[str] = field(default_factory=list)   # section path, outermost first
    lang: str = "zh-Hant"          # "zh-Hant" | "zh-Hans" | "en"
    notes: list[NoteRef] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # page labels the passage spans, in order ([] when the source has none)
    ocr: bool = False              # read by OCR (Tesseract) from page images, not a text layer


@dataclass
class Article:
    id: str                        # stable slug of the source file (or file + group for .jsonl)
    source: str                    # path of the source file, relative to the corpus root
    title: str = ""
    title_en: str = ""
    authors: list[str] = field(default_factory=list)
    affiliation: str = ""
    date: str = ""                 # ISO: "2021-04-01", "2006-12" or "2006"; "" when absent
    venue: str = ""                # journal / publisher / institute
    url: str = ""
    abstract: str = ""
    abstract_en: str = ""
    keywords: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    lang: str = "zh-Hant"
    passages: list[Passage] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)

    def footnote(self, label: str) -> Footnote | None:
        for note in self.footnotes:
            if note.label == label:
                return note
        return None


@dataclass
class IngestFailure:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass
class IngestReport:
    articles: list[Article] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)


@dataclass
class SnippetWindow:
    """A hit's snippet as data: the stretch `text[start:end]` of the passage shown in a
    result list, cut (…) where it does not reach an end of the passage, and the marked
    spans inside it. The web renders it to HTML, the CLI to terminal text; `Hit.snippet`
    is its HTML for the JSON output."""

    start: int = 0
    end: int = 0
    marks: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in `text`
    cut_before: bool = False       # the passage goes on before `start`
    cut_after: bool = False        # ... and after `end`

    def segments(self, text: str) -> list[tuple[str, bool]]:
        """The window of `text` as (piece, marked) in order, no empty pieces."""
        out, pos = [], self.start
        for a, b in self.marks:
            if a > pos:
                out.append((text[pos:a], False))
            out.append((text[a:b], True))
            pos = b
        if self.end > pos:
            out.append((text[pos:self.end], False))
        return out


@dataclass
class Hit:
    passage_id: str
    article_id: str
    title: str
    section: str                   # section path joined with " › "
    date: str
    score: float
    text: str                      # whole passage, display form
    snippet: str                   # HTML-escaped text with matches wrapped in <mark>...</mark>
    footnotes: list[Footnote] = field(default_factory=list)
    lang: str = ""
    ordinal: int = 0
    notes: list[NoteRef] = field(default_factory=list)
    highlights: list[tuple[int, int]] = field(default_factory=list)  # (start, end) in `text`
    venue: str = ""                # the article's journal / publisher / institute
    window: SnippetWindow = field(default_factory=SnippetWindow)   # `snippet` as data
    pages: list[str] = field(default_factory=list)   # the passage's page labels (Passage.pages)
    authors: list[str] = field(default_factory=list)
    more: int = 0                  # grouped results: the article's other matched passages
    # notes holding query words the text lacks: label -> (start, end) marks in the note
    note_marks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    ocr: bool = False              # its text was read by OCR from a page image (Passage.ocr)
    by_meaning: bool = False       # found by the meaning vectors alone: no query word in it


@dataclass
class WordReport:
    """Where one query word matched (`search.engine.coverage`): `found` is "text" (in
    passage text), "notes" (only in footnotes), "titles" (only in titles or section
    headings), "authors" (only in author names), "expansion" (only through `via`: glossary
    alternatives or translations), "nowhere", "stop" (an English stop word, ignored) or
    "unsearched" (past the query's length limit)."""

    word: str
    found: str
    via: list[str] = field(default_factory=list)
    passages: int = 0              # passages whose text or notes hold it or an expansion

    def notice(self) -> str:
        """The one line users see about this word ("" when it matched in passage text;
        stop words are listed together by `SearchResults.notices`)."""
        w = f"「{self.word}」"
        also = f"; also matched through {', '.join(self.via)}" if self.via else ""
        return {
            "notes": f"{w} occurs only in footnotes{also}",
            "titles": f"{w} occurs only in titles and section headings{also}",
            "authors": f"{w} occurs only in author names{also}",
            "expansion": f"{w} itself occurs nowhere: matched through "
                         + ", ".join(self.via),
            "nowhere": f"no passage contains {w}",
            "unsearched": f"{w} was not searched: the query is too long",
        }.get(self.found, "")


@dataclass
class FacetValue:
    value: str                     # what the filter takes: a year, venue, author, lang, id
    label: str                     # what is shown (a language's name, an article's title)
    count: int                     # matched passages with it (the whole result set)


@dataclass
class Facets:
    """Counts over every matched passage (`search.engine.facets.facets_of`); a value with
    no matched passage is not listed."""

    year: list[FacetValue] = field(default_factory=list)       # ascending years
    venue: list[FacetValue] = field(default_factory=list)      # most passages first
    author: list[FacetValue] = field(default_factory=list)
    lang: list[FacetValue] = field(default_factory=list)
    article: list[FacetValue] = field(default_factory=list)
    undated: int = 0               # matched passages of articles without a date

    NAMES = ("year", "venue", "author", "lang", "article")

    def to_json(self) -> dict:
        out = {name: [{"value": v.value, "label": v.label, "count": v.count}
                      for v in getattr(self, name)] for name in self.NAMES}
        out["undated"] = self.undated
        return out


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    limit: int
    hits: list[Hit] = field(default_factory=list)
    took_ms: float = 0.0
    unmatched: list[str] = field(default_factory=list)     # query words that matched nothing
    expansions: list[str] = field(default_factory=list)    # "also searched" terms (glossary)
    translations: list[str] = field(default_factory=list)  # those of them that translate
    explain: list[str] = field(default_factory=list)       # lines for --explain
    # True counts (`search.engine.coverage`): of the matched passages, those containing
    # every word of the query and those containing only some; `total` is the passages of
    # the result set shown: all of them (match "any", every-word ones first) or only the
    # every-word ones (match "all").
    every_word: int = 0
    some_words: int = 0
    match: str = "any"             # "any" | "all"
    sort: str = "relevance"        # "relevance" | "newest" | "oldest"
    group: bool = False            # one result per article, its other passages counted
    groups: int = 0                # articles in the result set (results when grouped)
    words: list[WordReport] = field(default_factory=list)
    facets: Facets | None = None
    counted: int = 0               # query words taking part in every_word (0: no count)
    counted_words: list[str] = field(default_factory=list)
    # the query with its words the index lacks replaced by the closest it holds ("" if none)
    did_you_mean: str = ""
    # passages shown for their meaning alone (search.semantic: close to the query's vector,
    # holding none of its words), counted in `total` beside every_word and some_words
    by_meaning: int = 0

    @property
    def last_page(self) -> int:
        """The last page holding results (1 when there are none)."""
        shown = self.groups if self.group else self.total
        return max(1, -(-shown // self.limit))

    @property
    def stopped(self) -> list[str]:
        return [r.word for r in self.words if r.found == "stop"]

    def notices(self) -> list[str]:
        """Every word notice, in query order, then the ignored stop words once."""
        out = [r.notice() for r in self.words if r.notice()]
        if self.stopped:
            out.append("ignored common words: " + ", ".join(self.stopped))
        return out

    def count_line(self) -> str:
        """"2 passages match every word · 55 more match some": the same words in the CLI,
        on the page and in the JSON (`count`). A word matches in passage text or notes,
        itself or through an expansion (`notices` say which); one word is named. Passages
        shown for their meaning alone are counted last ("· 3 more are close in meaning")."""
        def n(k: int) -> str:
            return f"{k:,} passage{'' if k == 1 else 's'}"

        def verb(k: int) -> str:
            return "matches" if k == 1 else "match"
        near = self.by_meaning
        by_words = self.total - near
        if near and not by_words:
            line = f"no passage holds a word of the query · {n(near)} " \
                   f"{'is' if near == 1 else 'are'} close in meaning"
        elif not self.counted:
            line = f"{n(by_words)} {verb(by_words)}"
        else:
            single = self.counted == 1
            every = f"「{self.counted_words[0]}」" if single else "every word"
            # the others match a part of the word (a bigram, a sub-word) or match it only
            # in the title and section their passage is ranked with
            some = "part of it or its title" if single else "some"
            if not self.every_word:
                line = f"no passage matches {every} · {n(self.some_words)} " \
                       f"{verb(self.some_words)} {some}"
            else:
                line = f"{n(self.every_word)} {verb(self.every_word)} {every}"
                if self.some_words:
                    line += f" · {self.some_words:,} more {verb(self.some_words)} {some}"
                    if self.match == "all":
                        line += " (not shown)"
        if near and by_words:
            line += f" · {near:,} more {'is' if near == 1 else 'are'} close in meaning"
        if self.group and self.groups:
            line += f" · in {self.groups:,} article{'' if self.groups == 1 else 's'}"
        return line

    def to_json(self) -> dict:
        """The stable JSON shape of `defsearch search --json` and `/api/search`."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "results": [{
                "passage_id": h.passage_id, "article_id": h.article_id, "title": h.title,
                "section": h.section, "date": h.date, "score": h.score, "text": h.text,
                "snippet": h.snippet,
                "footnotes": [{"label": f.label, "text": f.text, "urls": f.urls,
                               "marks": [list(m) for m in h.note_marks.get(f.label, [])]}
                              for f in h.footnotes],
                "venue": h.venue, "pages": h.pages,
                "authors": h.authors,
                "more_in_article": h.more,
                "ocr": h.ocr,
                "by_meaning": h.by_meaning,
            } for h in self.hits],
            "expansions": self.expansions,
            "translations": self.translations,
            "unmatched": self.unmatched,
            "every_word": self.every_word,
            "some_words": self.some_words,
            "by_meaning": self.by_meaning,
            "match": self.match,
            "sort": self.sort,
            "group": self.group,
            "articles": self.groups,
            "last_page": self.last_page,
            "words": [{"word": r.word, "found": r.found, "via": r.via,
                       "passages": r.passages} for r in self.words],
            "count": self.count_line(),
            "notices": self.notices(),
            "facets": self.facets.to_json() if self.facets is not None else None,
            "did_you_mean": self.did_you_mean,
        }
