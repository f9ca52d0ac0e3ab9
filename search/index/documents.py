"""An Article as the Whoosh documents of the index, and back.

`passage_docs` is what is indexed (one document per passage, one article record);
`article_from_stored` reassembles the Article from them (`Engine.article`), and
`search.index.livestats` re-analyses stored passages through `passage_docs` to know what a
deleted document added to the statistics.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Callable

from search.index.schema import date_number
from search.model import Article, Footnote


def passage_docs(article: Article, source: str):
    """The Whoosh documents of one article: its passages, then the article record."""
    title = "\n".join(t for t in (article.title, article.title_en) if t)
    main_title = article.title or article.title_en
    authors = " ".join(article.authors)
    datenum = date_number(article.date)
    for p in article.passages:
        notes = []
        seen = set()
        for ref in p.notes:
            if ref.label in seen:
                continue
            seen.add(ref.label)
            notes.append(article.footnote(ref.label) or Footnote(ref.label))
        meta = {
            "title": article.title, "section": p.section, "date": article.date,
            "venue": article.venue,
            "ordinal": p.ordinal, "notes": [[n.label, n.offset] for n in p.notes],
            "footnotes": [[f.label, f.text, f.urls] for f in notes],
            "pages": p.pages,
            **({"ocr": True} if p.ocr else {}),     # read by OCR from a page image
        }
        # A passage is ranked in its context: its article's main title comes before its
        # text in the word field. The rest of the context has fields of its own, weighted
        # below the text (search.ranking.FIELD_WEIGHTS): the section path (shared by a
        # section's passages) and the English title of a Chinese article (its words,
        # "Russian", are not the Chinese passages' words: in `body` they would give every
        # passage of the article the same weak match and bury the one that says them).
        # `grams` keeps the text alone, so a quoted phrase matches (and is marked in) the
        # passage itself.
        context = "\n".join([main_title, p.text]) if main_title else p.text
        doc = dict(kind="p", pid=p.id, article_id=article.id, source=source,
                   lang=p.lang or article.lang, body=context, grams=p.text, title=title,
                   text=p.text, meta=json.dumps(meta, ensure_ascii=False))
        doc["units"] = p.text
        if p.section:
            doc["section"] = " ".join(p.section)
        if notes:
            doc["notes"] = "\n".join(f.text for f in notes if f.text)
        if authors:
            doc["authors"] = authors
        if article.title_en and article.title_en != main_title:
            doc["title_en"] = article.title_en
        if article.affiliation:
            doc["affiliation"] = article.affiliation
        if article.venue:
            doc["venue"] = article.venue
        if datenum is not None:
            doc["datenum"] = datenum
        yield doc
    # The record without its passages: their text and metadata are already stored on the
    # passage documents (Engine.article reassembles them), so the text is stored once.
    record = asdict(article)
    record["passages"] = [p.id for p in article.passages]
    yield dict(kind="a", pid="article:" + article.id, aid=article.id, source=source,
               record=json.dumps(record, ensure_ascii=False))


def article_from_stored(record: dict, stored_passage: Callable[[str], dict | None]) -> Article:
    """The Article that `passage_docs` indexed, from its record and `stored_passage(pid)`
    (a passage's stored fields, or None when it is not in the index)."""
    from search.model import NoteRef, Passage

    data = dict(record)
    passages = []
    for pid in data.pop("passages", []):
        stored = stored_passage(pid)
        if stored is None:
            continue
        meta = json.loads(stored["meta"])
        passages.append(Passage(
            id=pid, article_id=stored["article_id"], ordinal=meta.get("ordinal", 0),
            text=stored["text"], section=list(meta.get("section") or []),
            lang=stored.get("lang", ""),
            notes=[NoteRef(label, offset) for label, offset in meta.get("notes", [])],
            pages=list(meta.get("pages") or []), ocr=bool(meta.get("ocr"))))
    footnotes = [Footnote(**f) for f in data.pop("footnotes", [])]
    known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
    return Article(passages=passages, footnotes=footnotes, **known)
