"""A result card of the search page, and the cite links under it, as HTML built in Python.

A results page shows ten cards. Rendered by Jinja (a template included once per hit, with
the cite links included in it) they cost as much CPU as the rest of the page together, a
millisecond of a search's few at 100k passages under load (issue 17); these f-strings
give the same HTML, byte for byte (`bench/same_pages.py` checks the pages of the load's
searches), at a fraction of it. Everything from the corpus or the query is escaped here
(`escape`) or arrives as Markup from `web.render` (snippet, whole passage, notes).

Links beside "more from this article" go in the `.meta` line; extra parts of a card go
after the snippet (`cite_links`).
"""
from __future__ import annotations

from markupsafe import Markup, escape

from . import render
from .links import links

_OCR = ('<span class="ocr" title="Read by OCR from a page image: it may hold recognition '
        'errors">OCR text</span> ')
_BY_MEANING = ('<span class="by-meaning" lang="en" title="Found by the meaning vectors: the '
               'passage holds no word of the query">close in meaning</span> ')
_NO_NOTE_TEXT = '<span class="muted" lang="en">Note text not in the source extract.</span>'


def cite_links(hit) -> Markup:
    """The line under a passage: OCR, its page in the original, Cite, Related passages (on
    result cards and the related-passages page)."""
    from .cite import page_label

    page = (f'<span class="pages" title="Page in the original">{escape(page_label(hit.pages))}'
            '</span>') if hit.pages else ""
    return Markup(
        f'<p class="cite-links" lang="en">{_OCR if hit.ocr else ""}{page}\n'
        f'  <a class="cite" href="{escape(links().path("cite.cite_page", hit.passage_id))}">'
        'Cite</a>\n  <a class="related" href="'
        f'{escape(links().path("cite.related_page", hit.passage_id))}">Related passages</a></p>')


def card(r: dict, n: int, script: str) -> Markup:
    """Result card number `n` (1, 2, ...) of the page: `r` from `pages._present_hit`, its
    text shown in `script`."""
    hit = r["hit"]

    def shown(text) -> str:         # a text of the passage in the page's script, escaped
        return escape(render.convert(text, script))

    lang = escape(render.display_lang(hit.lang, script))
    url = escape(r["url"])
    authors = ("" if not hit.authors else f'<span class="authors" lang="{lang}">' + "、".join(
        f'<a href="{escape(href)}" title="Only articles by this author">{shown(a)}</a>'
        for a, href in r["authors"]) + "</span>")
    section = f'<span class="section" lang="{lang}">{shown(hit.section)}</span>' \
        if hit.section else ""
    date = f'<time datetime="{escape(hit.date)}">{escape(hit.date)}</time>' if hit.date else ""
    venue = (f'<a class="venue" href="{escape(r["venue_url"])}" title="Only passages from '
             f'this venue" lang="{lang}">{shown(hit.venue)}</a>') if hit.venue else ""
    more = "" if r["more_url"] else (f'<a class="more" href="{escape(r["article_results"])}" '
                                     'lang="en">more from this article</a>')
    if hit.by_meaning:      # search.semantic: no word of the query in it
        more = _BY_MEANING + more
    whole = _whole(r, hit, lang, url, shown) if r["truncated"] or r["footnotes"] else ""
    grouped = (f'<p class="grouped" lang="en"><a href="{escape(r["more_url"])}">{hit.more} '
               f'more passage{"s" if hit.more > 1 else ""} from this article</a></p>'
               ) if r["more_url"] else ""
    return Markup(
        f'\n<li class="result" id="r{n}">\n'
        f'  <h2 class="rtitle"><a href="{url}" lang="{lang}">'
        f'{shown(hit.title or hit.article_id)}</a></h2>\n'
        f'  <p class="meta">\n    {authors}\n    {section}\n    {date}\n    {venue}\n'
        f'    {more}\n  </p>\n'
        f'  <p class="snippet" lang="{lang}">{shown(r["snippet"])}</p>\n'
        f'  {cite_links(hit)}\n  {whole}\n  {grouped}\n</li>')


def _whole(r: dict, hit, lang: str, url: str, shown) -> str:
    """The card's folded part: the whole passage (when the snippet is only part of it) and
    its notes."""
    summary = ("Whole passage" + (" and notes" if r["footnotes"] else "")) \
        if r["truncated"] else "Notes"
    full = f'<p>{shown(r["full"])}</p>' if r["truncated"] else ""
    notes = ""
    if r["footnotes"]:
        notes = ('\n      <ol class="notes-inline">\n        ' + "".join(
            f'\n        <li><a href="{escape(href)}" class="label">[{escape(note.label)}]</a> '
            f'{shown(body) if note.text or note.urls else _NO_NOTE_TEXT}</li>\n        '
            for note, body, href in r["footnotes"]) + "\n      </ol>\n      ")
    return (f'\n  <details class="whole"{" open" if r["notes_marked"] else ""}>\n'
            f'    <summary lang="en">{summary}</summary>\n'
            f'    <div class="passage" lang="{lang}">{full}\n      {notes}\n'
            f'      <p class="open" lang="en"><a href="{url}">Open in article →</a></p>\n'
            '    </div>\n  </details>\n  ')
