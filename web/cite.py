"""Cite and follow: citation pages, exports, Atom feeds of searches, related passages, and
the corpus's cited works. Its own blueprint and templates (`templates/cite/`); the search
and article pages only include its small link templates.

Every page works without JavaScript: citations are plain selectable text (`cite.js` only
adds copy buttons), exports and feeds are links.
"""
from __future__ import annotations

import datetime
import threading

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, \
    url_for

from search.cite import export, styles
from search.cite.lookup import NotFound, find
from search.cite.source import page_range
from search.cite.works import corpus_works, fold_key, matching, search_citing, split_cites
from search.errors import DefsearchError
from search.query.filters import ARTICLE_ID_RE

from .engine import get_engine, holder
from .errors import BadRequest
from .links import links, quote_arg
from .params import search_params
from .render import note_anchor

bp = Blueprint("cite", __name__)

RELATED_LIMIT = 5


# --- template helpers (used by the include lines in search.html and article.html) ----------

@bp.app_template_filter("page_label")
def page_label(pages) -> str:
    """`p. 3`, `pp. 14–15` ("" when the passage has no pages)."""
    if not pages:
        return ""
    return ("p. " if len(set(pages)) == 1 else "pp. ") + page_range(list(pages))


@bp.app_template_global("result_list_url")
def result_list_url(endpoint: str, params: dict, **path) -> str:
    """The URL of `endpoint` (with its `path` values) for the search in `params`: query
    and filters, no page."""
    args = [("q", params.get("q")), ("lang", params.get("lang")),
            ("article", params.get("article")), ("venue", params.get("venue")),
            ("from", params.get("year_from")), ("to", params.get("year_to"))]
    if params.get("translate") is False:
        args.append(("translate", "0"))
    query = "&".join(f"{k}={quote_arg(str(v))}" for k, v in args if v not in (None, ""))
    base = links().path(endpoint, *path.values()) if path else links().plain(endpoint)
    return base + ("?" + query if query else "")


@bp.app_template_global("note_works")
def note_works(article_id: str, label: str) -> list:
    """The cited works of one note, each with how many passages of the corpus cite it."""
    try:
        index = _works()
    except DefsearchError:
        return []
    return [index.entries[key] for key in index.by_note.get((article_id, label), [])]


# --- the corpus's cited works, once per index generation ------------------------------------

class _WorksIndex:
    def __init__(self, entries):
        self.entries = entries
        self.by_note: dict[tuple[str, str], list[str]] = {}
        for key, entry in entries.items():
            for c in entry.citations:
                keys = self.by_note.setdefault((c.article_id, c.note), [])
                if key not in keys:
                    keys.append(key)


_works_lock = threading.Lock()


def _works() -> _WorksIndex:
    engine = get_engine()
    generation = engine.live_generation()
    cache = current_app.extensions.setdefault("defsearch_cited_works", {})
    with _works_lock:
        if generation not in cache:
            cache.clear()
            cache[generation] = _WorksIndex(corpus_works(engine))
        return cache[generation]


def _search(query: str, **options):
    """`Engine.search`, or `works.search_citing` for a query with `cites:"…"`."""
    engine = get_engine()
    if split_cites(query)[1]:
        return search_citing(engine, _works().entries, query, **options)
    return holder().search(query, **options)


def citing_search(params: dict, limit: int):
    """The search page's and the API's `run_search` for a query with `cites:"…"`."""
    return _search(params["q"], page=params["page"], limit=limit, lang=params["lang"],
                   article=params["article"], venue=params["venue"],
                   year_from=params["year_from"], year_to=params["year_to"],
                   translate=params.get("translate", True))


# --- citations ------------------------------------------------------------------------------

def _find(item_id: str):
    try:
        return find(get_engine(), item_id)
    except NotFound:
        abort(404)


@bp.route("/cite/<path:item_id>")
def cite_page(item_id: str):
    """An article's or a passage's citation in every style, and its BibTeX and RIS."""
    article, passage = _find(item_id)
    accessed = datetime.date.today().isoformat()
    citations = styles.cite_all(article, passage, accessed)
    matched = [passage.pages] if passage is not None else None
    return render_template("cite/cite.html", article=article, passage=passage,
                           citations=citations, bibtex=export.bibtex(article, matched),
                           ris=export.ris(article, matched))


@bp.route("/export/article/<fmt>/<path:article_id>")
def export_article(fmt: str, article_id: str):
    """One article as a BibTeX (.bib) or RIS (.ris) file."""
    if fmt not in ("bibtex", "ris") or not ARTICLE_ID_RE.fullmatch(article_id):
        abort(404)
    article, passage = _find(article_id)
    if passage is not None:
        abort(404)
    text = (export.bibtex if fmt == "bibtex" else export.ris)(article)
    return _download(text, fmt, export.bib_key(article.id))


@bp.route("/export/<fmt>")
def export_results(fmt: str):
    """The result list of ?q= (with the search page's filters) as BibTeX, RIS, CSV or
    JSON: its first `export.EXPORT_LIMIT` passages."""
    if fmt not in export.FORMATS:
        abort(404)
    params = search_params()
    if not params["q"]:
        raise BadRequest("Missing query: pass ?q=words to export its results.")
    hits, articles, total = export.collect(
        get_engine(), params["q"], _search, lang=params["lang"], article=params["article"],
        venue=params["venue"], year_from=params["year_from"], year_to=params["year_to"],
        translate=params["translate"])
    resp = _download(export.export_hits(fmt, hits, articles, params["q"]), fmt, "defsearch-results")
    resp.headers["X-Defsearch-Exported"] = f"{len(hits)} of {total}"
    return resp


def _download(text: str, fmt: str, name: str) -> Response:
    resp = Response(text, mimetype=None, content_type=export.MEDIA_TYPES[fmt])
    resp.headers["Content-Disposition"] = \
        f'attachment; filename="{name}.{export.SUFFIXES[fmt]}"'
    return resp


# --- feeds ----------------------------------------------------------------------------------

@bp.route("/feed")
def feed():
    """The Atom feed of ?q= (with the search page's filters): its matching passages,
    newest first by when their article entered the index."""
    from search import feed as atom_feed

    params = search_params()
    if not params["q"]:
        raise BadRequest("Missing query: pass ?q=words to follow a search.")
    engine = get_engine()
    results = _search(
        params["q"], page=1, limit=atom_feed.FEED_DEPTH, lang=params["lang"],
        article=params["article"], venue=params["venue"], year_from=params["year_from"],
        year_to=params["year_to"], translate=params["translate"])
    added = engine.added_times()
    entries = [atom_feed.FeedEntry(
        hit, added.get(hit.article_id, ""),
        url_for("pages.article", article_id=hit.article_id, _external=True)
        + f"#p{hit.ordinal}") for hit in atom_feed.newest_first(results.hits, added)]
    self_url = request.host_url.rstrip("/") + result_list_url("cite.feed", params)
    html_url = request.host_url.rstrip("/") + result_list_url("pages.search", params)
    body = atom_feed.atom(f"defsearch: {params['q']}",
                          "tag:defsearch,2026:search/" + fold_key(result_list_url("cite.feed",
                                                                                   params)),
                          self_url, html_url, entries, engine.stats().built)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# --- related passages -----------------------------------------------------------------------

def _related(passage_id: str):
    from search.related import related

    article, passage = _find(passage_id)
    if passage is None:
        abort(404)
    same = request.args.get("same_article", "") == "1"
    hits, terms = related(get_engine(), article, passage, RELATED_LIMIT, same)
    return article, passage, hits, terms, same


@bp.route("/related/<path:passage_id>")
def related_page(passage_id: str):
    """Passages on the same subject as one passage, in other articles and both languages."""
    article, passage, hits, terms, same = _related(passage_id)
    return render_template("cite/related.html", article=article, passage=passage, hits=hits,
                           terms=terms, same=same)


@bp.route("/api/passages/<path:passage_id>/related")
def related_api(passage_id: str):
    """JSON: passages like this one (other articles; ?same_article=1 includes its own)."""
    article, passage, hits, terms, _ = _related(passage_id)
    return jsonify({"passage_id": passage.id, "terms": terms, "results": [{
        "passage_id": h.passage_id, "article_id": h.article_id, "title": h.title,
        "section": h.section, "lang": h.lang, "pages": h.pages, "score": h.score,
        "text": h.text} for h in hits]})


# --- cited works ----------------------------------------------------------------------------

@bp.route("/cited")
def cited_page():
    """The works the corpus's footnotes cite, most cited first; ?q= narrows them
    (title, author or venue)."""
    q = " ".join(request.args.get("q", "").split())[:200]
    index = _works()
    entries = matching(index.entries, q) if q else list(index.entries.values())
    return render_template("cite/cited.html", entries=entries, q=q,
                           total=len(index.entries))


@bp.route("/cited/<path:key>")
def cited_work(key: str):
    """One cited work: every note and passage of the corpus citing it."""
    entry = _works().entries.get(key)
    if entry is None:
        abort(404)
    engine = get_engine()
    rows = []
    for c in entry.citations:
        article = engine.article(c.article_id)
        by_id = {p.id: p for p in article.passages}
        rows.append({"citation": c, "article": article,
                     "passages": [by_id[p] for p in c.passages if p in by_id],
                     "note": article.footnote(c.note), "anchor": note_anchor(c.note)})
    return render_template("cite/work.html", entry=entry, rows=rows)


@bp.route("/api/cited")
def cited_api():
    """JSON: the cited works (?q= narrows them) with their counts."""
    q = " ".join(request.args.get("q", "").split())[:200]
    index = _works()
    entries = matching(index.entries, q) if q else list(index.entries.values())
    return jsonify({"works": [{
        "key": e.work.key, "title": e.work.title, "author": e.work.author,
        "venue": e.work.venue, "year": e.work.year, "url": e.work.url,
        "articles": len(e.articles), "notes": len(e.citations), "passages": e.passages}
        for e in entries]})
