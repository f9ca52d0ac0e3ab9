"""The passage index schema.

One Whoosh document per passage (kind "p") plus one per article (kind "a") holding the
article record as JSON, so `Engine.article(id)` reads the index and never a path derived from
an id. Article documents carry no searchable text, only `aid` and `source`, so no text query
can match them; queries without a positive text clause are restricted to kind "p".

Field roles:
  body     the article's main title and the passage's jieba words (WordAnalyzer), no
           positions: word matches and BM25F
  grams    CJK bigrams + English stems with positions (GramAnalyzer): quoted phrases, also
           across jieba's segmentation boundaries, and a recall back-stop for plain words
  title    article title (+ English title), section: section path, notes: the text of the
           footnotes the passage cites (own, lower-weight field), authors: author names,
           venue: journal / publisher / institute (also the `venue:` filter),
           title_en: the English title of a Chinese article (or the reverse),
           affiliation: the authors' institution; each ranked with its own weight
  units    counted numbers (第9条) and designators (su27 from 蘇愷 27, families su27*) of the
           passage text (search.analysis.units), kept out of body's length norms
  lang, article_id, datenum (YYYYMMDD, month/day 00 when absent): filters
  text, meta: stored display text and JSON metadata (section path, date, notes, footnotes,
           pages)
"""
from __future__ import annotations

from whoosh import fields

FORMAT_VERSION = 7              # 6: passages store their pages (meta); 7: units, title_en, affiliation fields


def build_schema(lexicon=()) -> fields.Schema:
    from search.analysis import GramAnalyzer, WordAnalyzer

    from search.analysis.units import UnitAnalyzer

    words = WordAnalyzer(user_words=sorted(lexicon)) if lexicon else WordAnalyzer()
    grams = GramAnalyzer()
    return fields.Schema(
        kind=fields.ID(stored=True),
        pid=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        aid=fields.ID(),
        source=fields.ID(),
        lang=fields.ID(stored=True),
        datenum=fields.NUMERIC(int, bits=32, signed=False),
        body=fields.TEXT(analyzer=words, phrase=False),
        grams=fields.TEXT(analyzer=grams, phrase=True),
        title=fields.TEXT(analyzer=words, phrase=False),
        section=fields.TEXT(analyzer=words, phrase=False),
        notes=fields.TEXT(analyzer=words, phrase=False),
        authors=fields.TEXT(analyzer=words, phrase=False),
        venue=fields.TEXT(analyzer=words, phrase=False),
        title_en=fields.TEXT(analyzer=words, phrase=False),
        affiliation=fields.TEXT(analyzer=words, phrase=False),
        units=fields.TEXT(analyzer=UnitAnalyzer(), phrase=False),
        text=fields.STORED(),
        meta=fields.STORED(),
        record=fields.STORED(),
    )


def date_number(date: str) -> int | None:
    """"2021-04-01" -> 20210401, "2006-12" -> 20061200, "2006" -> 20060000, bad -> None."""
    parts = (date or "").strip().split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 0
        day = int(parts[2]) if len(parts) > 2 else 0
    except ValueError:
        return None
    if not (1 <= year <= 9999 and 0 <= month <= 12 and 0 <= day <= 31):
        return None
    return year * 10000 + month * 100 + day


def codec():
    """Whoosh's W3 codec with posting lists of fewer than INLINE_LIMIT postings inlined in
    the term table (why, and the patch it needs: `search.whoosh_internals.inlining_codec`)."""
    from search.whoosh_internals import inlining_codec

    return inlining_codec(INLINE_LIMIT)


INLINE_LIMIT = 8
