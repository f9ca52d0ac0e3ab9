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
    # notes holding query words the text lacks: label -> (start, end) marks in the note
    note_marks: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


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
    # the query with its words the index lacks replaced by the closest it holds ("" if none)
    did_you_mean: str = ""

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
                "venue": h.venue,
            } for h in self.hits],
            "expansions": self.expansions,
            "translations": self.translations,
            "unmatched": self.unmatched,
            "did_you_mean": self.did_you_mean,
        }
