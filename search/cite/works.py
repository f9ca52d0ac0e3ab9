"""Cited works: the works an article's footnotes cite, one normalised key per work, so the
corpus's sources can be browsed with counts and every passage citing a work found.

A note may cite several works (`…, p.7; A. F. Klimenko, “…”`), explain before it cites
(`…。請參閱 “Sino-Soviet Joint Communique,” Beijing Review, …`), or only say `Ibid.` (the
work of the note before). Recognised citation shapes, the ones the corpus's notes use:

* English article: `Author, “Title,” Venue, …, 1997, p.7` (author optional);
* English book or report: `Author, Title (Place: Publisher, 2001), p.129` (author optional);
* Chinese book: `作者，書名（出版地：出版社，2003 年），頁 9`;
* Chinese article or news: `作者，「篇名」，刊名，2004 年…` (author optional).

A segment in none of these shapes (an explanation, a list of figures) cites no work. The
key is the title folded (case, width, punctuation and spaces dropped, Traditional and
Simplified one), so the same work cited with a different page, author spelling or
punctuation is one work; a short generic title is keyed with its author.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.model import Article

_SEGMENTS = re.compile(r"[;；](?![^“”「」（）()]*[”」）)])")
_SEE = re.compile(r"^.*?(?:請參閱|请参阅|參閱|参阅|參見|参见|詳見|详见|\bSee also\b|\bSee\b)\s*[:：]?\s*")
_IBID = re.compile(r"^\s*(?:Ibid\.?|同上註?|同前註|同註\s*\d+)\s*[,，。.]?", re.I)
_EN_ARTICLE = re.compile(r"^(?P<author>[^“”\"]{0,120}?)[,，]?\s*[“\"](?P<title>[^”\"]{3,300}?)[,.，]?[”\"]"
                         r"\s*[,，]?\s*(?P<rest>.*)$")
_EN_BOOK = re.compile(r"^(?:(?P<author>[A-Z][^,()“”]{1,60}?)(?:\s*\(eds?\.?\))?,\s*)?(?P<title>[A-Z][^()“”]{3,200}?)"
                      r"\s*\(\s*(?P<pub>[^()]*?\d{4}[^()]*)\)")
_EN_REPORT = re.compile(r"^(?P<author>[A-Z][^,()“”]{1,60}?),\s*(?P<title>[A-Z][^,()“”]{8,200}?)"
                        r",\s*(?:pp?\.|Chapter)")
_ZH_BOOK = re.compile(r"^(?P<author>[^，,「」《》（）()]{2,20}?)(?:主編|主编|編|编|等)?[，,]"
                      r"(?P<title>[^，,「」（）()]{2,80}?)[（(](?P<pub>[^）)]*)[）)]")
_ZH_ARTICLE = re.compile(r"^(?:(?P<author>[^，,「」（）()]{2,20})[，,])?[「『《](?P<title>[^」』》]{2,120})"
                         r"[」』》][，,]?\s*(?P<venue>[^，,（）()。]{0,40})")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_URL = re.compile(r"https?://\S+")
_PAGES = re.compile(r"(?:pp?\.\s*[\w/,\-–]+|頁\s*[\d\-–]+|版[一二三四五六七八九十\d]+|Chapter\s+\d+)")
_FOLD_DROP = re.compile(r"[\W_]+")


@dataclass
class CitedWork:
    key: str
    title: str
    author: str = ""
    venue: str = ""
    year: str = ""
    url: str = ""
    text: str = ""           # the citation as first printed

    @property
    def label(self) -> str:
        return ", ".join(x for x in (self.author, self.title) if x)


@dataclass
class Citation:
    """One note citing one work."""
    work: CitedWork
    article_id: str
    note: str                # the note's label
    pages: str = ""          # the pages the note cites (`pp.21-22`, `頁 9`), as printed
    passages: list[str] = field(default_factory=list)    # passage ids with the marker


def fold_key(text: str) -> str:
    from search.analysis import fold

    text = text.replace("’", "'").replace("‘", "'")
    return _FOLD_DROP.sub("", fold(text))


def parse_segment(text: str) -> CitedWork | None:
    """The work one citation segment names, or None (`text` explains, it cites nothing)."""
    text = _SEE.sub("", text.strip()) if _SEE.search(text) else text.strip()
    text = text.strip(" 。.")
    m = _EN_ARTICLE.match(text)
    if m and _looks_like_name(m["author"]):
        rest = m["rest"]
        venue = re.split(r",|\(|，", rest, maxsplit=1)[0].strip()
        if venue.startswith("in "):
            venue = ""
        return _work(m["title"].strip(" ,?") + ("?" if m["title"].rstrip(" ,").endswith("?")
                                               else ""),
                     m["author"], venue, rest, text)
    for pattern in (_EN_BOOK, _EN_REPORT):
        m = pattern.match(text)
        if m and _looks_like_name(m["author"] or ""):
            pub = m.groupdict().get("pub") or ""
            venue = pub.split(":", 1)[1].split(",")[0].strip() if ":" in pub else ""
            return _work(m["title"], m["author"] or "", venue, pub or text, text)
    m = _ZH_ARTICLE.match(text)
    if m:
        return _work(m["title"], m["author"] or "", m["venue"] or "", text, text)
    m = _ZH_BOOK.match(text)
    if m and not re.search(r"[。：:]", m["author"]):
        pub = m["pub"]
        venue = pub.split("：", 1)[1].split("，")[0].strip() if "：" in pub else ""
        return _work(m["title"], m["author"], venue, pub, text)
    return None


def _looks_like_name(author: str) -> bool:
    """An author part is short and holds no sentence (a note's explanation is not one)."""
    author = author.strip()
    return len(author) <= 80 and not re.search(r"[。：；]", author)


def _work(title: str, author: str, venue: str, dated: str, text: str) -> CitedWork | None:
    title = " ".join(title.split()).strip(" ,，")
    author = " ".join(author.split()).strip(" ,，")
    if len(fold_key(title)) < 3:
        return None
    years = _YEAR.findall(dated)
    key = fold_key(title)
    if len(key) < 12 and author:
        key = fold_key(author) + "/" + key
    url = _URL.search(text)
    return CitedWork(key=key, title=title, author=author, venue=" ".join(venue.split()),
                     year=years[-1] if years else "",
                     url=url.group(0).rstrip(".,;") if url else "", text=text)


def article_citations(article: Article) -> list[Citation]:
    """Every (note, work) of an article, in note order, with the passages citing the note."""
    citing: dict[str, list[str]] = {}
    for p in article.passages:
        for ref in p.notes:
            if p.id not in citing.setdefault(ref.label, []):
                citing[ref.label].append(p.id)
    out: list[Citation] = []
    previous: list[CitedWork] = []
    for note in article.footnotes:
        if not note.text and not note.urls:
            continue
        works: list[tuple[CitedWork, str]] = []
        if _IBID.match(note.text):
            rest = _IBID.sub("", note.text).strip()
            works = [(w, rest.strip(" 。.")) for w in previous[-1:]]
        else:
            for segment in _SEGMENTS.split(note.text):
                work = parse_segment(segment)
                if work is not None:
                    pages = _PAGES.findall(segment)
                    works.append((work, pages[-1] if pages else ""))
        if not works and note.urls:
            works = [(CitedWork(key=fold_key(note.urls[0]), title=note.urls[0],
                                url=note.urls[0], text=note.text), "")]
        for work, pages in works:
            out.append(Citation(work, article.id, note.label, pages,
                                list(citing.get(note.label, []))))
        if works:
            previous = [w for w, _ in works]
    return out


@dataclass
class WorkEntry:
    """A cited work across the corpus."""
    work: CitedWork
    citations: list[Citation] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(c.article_id for c in self.citations))

    @property
    def passages(self) -> list[str]:
        return list(dict.fromkeys(p for c in self.citations for p in c.passages))


def cited_works(articles) -> dict[str, WorkEntry]:
    """Key -> WorkEntry over `articles`, most cited first (articles, then notes)."""
    entries: dict[str, WorkEntry] = {}
    for article in articles:
        for c in article_citations(article):
            entry = entries.setdefault(c.work.key, WorkEntry(c.work))
            entry.citations.append(c)
            if not entry.work.author and c.work.author:
                entry.work.author = c.work.author
    ranked = sorted(entries.values(), key=lambda e: (-len(e.articles), -len(e.citations),
                                                     e.work.title.casefold()))
    return {e.work.key: e for e in ranked}


def matching(entries: dict[str, WorkEntry], text: str) -> list[WorkEntry]:
    """The works whose title, author or venue holds `text` (folded), as `cites:"…"` asks."""
    want = fold_key(text)
    if not want:
        return []
    return [e for e in entries.values()
            if want in fold_key(" ".join((e.work.title, e.work.author, e.work.venue)))]


# --- cites:"…" in a query --------------------------------------------------------------------

_CITES = re.compile(r'(?<!\S)cites:(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S+))', re.I)


def split_cites(query: str) -> tuple[str, list[str]]:
    """(the query without its `cites:` clauses, their values).

    >>> split_cites('北約 cites:"Military Balance"')
    ('北約', ['Military Balance'])
    """
    values = [m["quoted"] if m["quoted"] is not None else m["bare"]
              for m in _CITES.finditer(query)]
    rest = " ".join(_CITES.sub(" ", query).split())
    return rest, [v.strip() for v in values if v.strip()]


def corpus_works(engine) -> dict[str, WorkEntry]:
    """The cited works of every article in the index (`cited_works`)."""
    return cited_works(engine.article(aid) for aid in sorted(engine.added_times()))


def search_citing(engine, entries: dict[str, WorkEntry], query: str, page: int = 1,
                  limit: int = 10, **options):
    """`Engine.search` for a query with `cites:"…"`: only passages citing a work whose title,
    author or venue holds every value. Other words rank those passages as a search does;
    without other words they come in the order of the articles and their notes."""
    import time

    from search.model import SearchResults

    started = time.perf_counter()
    rest, values = split_cites(query)
    citing: dict[str, str] | None = None          # passage id -> article id
    for value in values:
        found = {p: c.article_id for e in matching(entries, value) for c in e.citations
                 for p in c.passages}
        citing = found if citing is None else {p: a for p, a in citing.items() if p in found}
    citing = citing or {}
    if rest:
        results = engine.search(rest, page=1, limit=1000, **options)
        hits = [h for h in results.hits if h.passage_id in citing]
    else:
        results = SearchResults(query=query, total=0, page=page, limit=limit)
        hits = []
        for article_id in sorted(set(citing.values())):
            found = engine.search(f"article:{article_id}", page=1, limit=1000, **options)
            hits += [h for h in found.hits if h.passage_id in citing]
        hits.sort(key=lambda h: (h.article_id, h.ordinal))
    start = (page - 1) * limit
    results.query, results.total, results.page, results.limit = query, len(hits), page, limit
    # the counts and facets of the search before the cites: filter would not be true here
    results.counted, results.counted_words, results.every_word = 0, [], len(hits)
    results.some_words, results.facets, results.group, results.groups = 0, None, False, 0
    results.hits = hits[start:start + limit]
    results.took_ms = (time.perf_counter() - started) * 1000
    return results
