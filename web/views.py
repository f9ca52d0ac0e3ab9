"""The one blueprint: search page, article page, script toggle, JSON API, error pages."""
from __future__ import annotations

import dataclasses
import logging
import re
import secrets
import time
from urllib.parse import urlencode, urlsplit

from flask import (Blueprint, abort, current_app, g, jsonify, redirect,
                   render_template, request, url_for)
from werkzeug.exceptions import HTTPException

from search.errors import (ArticleNotFound, DefsearchError, IndexDamaged, IndexNotFound,
                           IndexOutOfDate, QueryError)


from . import render
from .engine import get_engine, holder

bp = Blueprint("views", __name__)
log = logging.getLogger(__name__)

LANGS = {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese", "en": "English"}
SCRIPT_COOKIE = "script"
_ARTICLE_ID_RE = re.compile(r"[^\x00-\x1f\x7f]{1,200}")


class BadRequest(Exception):
    """A request we can explain: rendered as a friendly 400 (page or JSON)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- request parameters ------------------------------------------------------------------

def _int_param(name: str, default, lo: int, hi: int, what: str):
    raw = request.args.get(name, "").strip()
    if raw == "":
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise BadRequest(f"{what} must be a whole number, not {raw!r}.")
    value = int(raw)
    if not lo <= value <= hi:
        raise BadRequest(f"{what} must be between {lo} and {hi}; got {value}.")
    return value


def search_params() -> dict:
    """The search form's fields from the URL, validated (raises BadRequest)."""
    cfg = current_app.config
    q = request.args.get("q", "")
    q = " ".join(q.split())
    if len(q) > cfg["MAX_QUERY_CHARS"]:
        raise BadRequest(f"The query is {len(q)} characters long; the limit is "
                         f"{cfg['MAX_QUERY_CHARS']}. Try fewer or shorter words.")
    page = _int_param("page", 1, 1, cfg["MAX_PAGE"], "The page number")
    year_from = _int_param("from", None, 1000, 9999, "The first year")
    year_to = _int_param("to", None, 1000, 9999, "The last year")
    if year_from and year_to and year_from > year_to:
        raise BadRequest(f"The year range {year_from}–{year_to} is empty: "
                         "the first year comes after the last.")
    lang = request.args.get("lang", "").strip() or None
    if lang is not None and lang not in LANGS:
        raise BadRequest(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    article = request.args.get("article", "").strip() or None
    if article is not None and not _ARTICLE_ID_RE.fullmatch(article):
        raise BadRequest("That article filter is not a valid article id.")
    venue = " ".join(request.args.get("venue", "").split()) or None
    if venue is not None and len(venue) > 200:
        raise BadRequest("That venue filter is too long (over 200 characters).")
    translate = request.args.get("translate", "").strip()
    if translate not in ("", "0", "1"):
        raise BadRequest(f"translate must be 0 (do not search translations) or 1, "
                         f"not {translate[:20]!r}.")
    return {"q": q, "page": page, "lang": lang, "article": article, "venue": venue,
            "year_from": year_from, "year_to": year_to, "translate": translate != "0"}


def run_search(params: dict, limit: int):
    return holder().search(
        params["q"], page=params["page"], limit=limit, lang=params["lang"],
        article=params["article"], venue=params["venue"], year_from=params["year_from"],
        year_to=params["year_to"], translate=params.get("translate", True))


def search_url(params: dict, **changes) -> str:
    """A /search URL for `params` with `changes` applied; empty values are left out so
    shared links stay short."""
    merged = {**params, **changes}
    args = [("q", merged.get("q")), ("lang", merged.get("lang")),
            ("article", merged.get("article")), ("venue", merged.get("venue")),
            ("from", merged.get("year_from")),
            ("to", merged.get("year_to"))]
    if merged.get("translate") is False:
        args.append(("translate", "0"))
    if merged.get("page") and merged["page"] != 1:
        args.append(("page", merged["page"]))
    query = urlencode([(k, v) for k, v in args if v not in (None, "")])
    return url_for("views.search") + ("?" + query if query else "")


def fewer_words(query: str, unmatched: list[str]) -> str:
    """`query` without the words that matched nothing ("" when nothing would be left)."""
    if not unmatched:
        return ""
    drop = {u.casefold() for u in unmatched}
    words = query.split()
    kept = [w for w in words if w.strip('"').casefold() not in drop]
    if len(kept) == len(words):                      # unmatched words inside a CJK run
        rest = query
        for u in sorted(unmatched, key=len, reverse=True):
            rest = re.sub(re.escape(u), " ", rest, flags=re.I)
        kept = rest.split()
    result = " ".join(kept)
    return "" if result == query else result


@bp.after_app_request
def security_headers(resp):
    """Defence in depth behind the escaping: no inline or third-party scripts can run."""
    resp.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    return resp


# --- script (Traditional / Simplified) -------------------------------------------------------

def current_script() -> str:
    if "script" not in g:
        value = request.cookies.get(SCRIPT_COOKIE, "orig")
        g.script = value if value in render.SCRIPTS else "orig"
    return g.script


@bp.app_template_filter("script")
def script_filter(text):
    return render.convert(text, current_script())


@bp.app_template_global("display_lang")
def display_lang(lang: str) -> str:
    return render.display_lang(lang, current_script())


@bp.app_context_processor
def inject_globals():
    return {"current_script": current_script(), "LANGS": LANGS}


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send users anywhere."""
    if not target:
        return url_for("views.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("views.index")
    return target


@bp.route("/script", methods=["GET", "POST"])
def set_script():
    """Show text as stored, in Traditional or in Simplified characters (remembered in a
    cookie); then go back to the page the toggle was on."""
    choice = request.values.get("to", "orig")
    if choice not in render.SCRIPTS:
        raise BadRequest(f"Unknown script {choice!r}; use orig, hant or hans.")
    resp = redirect(_safe_next(request.values.get("next")), code=303)
    resp.set_cookie(SCRIPT_COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax",
                    httponly=True)
    return resp


# --- pages -----------------------------------------------------------------------------------

@bp.route("/")
def index():
    """The search page; with ?q=... it is the results page."""
    if request.args.get("q", "").strip():
        return redirect(url_for("views.search") + "?" + request.query_string.decode("latin-1"),
                        code=302)
    return search()


# The rendered search page is cached with this token where the time taken goes, so a
# repeated search shows its own time. Random per process: no corpus text can contain it.
_TOOK = f"took-{secrets.token_hex(8)}"


def _took_text(ms: float) -> str:
    return "&lt;1" if ms < 1 else f"{ms:.0f}"


@bp.route("/search")
def search():
    """Results for ?q= with page, lang, article, venue, from, to kept in the URL."""
    started = time.perf_counter()
    try:
        params = search_params()
    except BadRequest as err:
        raw = {"q": request.args.get("q", "")[:1000], "page": 1, "lang": None,
               "article": None, "venue": None, "year_from": None, "year_to": None,
               "translate": True}
        return render_template("search.html", params=raw, results=None, error=err.message,
                               search_url=search_url), err.status
    results = None
    hits = []
    key = None
    if params["q"]:
        try:
            key = holder().page_key(request.full_path, current_script())
        except DefsearchError:
            key = None
        html = holder().page(key)
        if html is not None:
            return html.replace(_TOOK, _took_text((time.perf_counter() - started) * 1000))
        try:
            results = run_search(params, current_app.config["PAGE_SIZE"])
        except QueryError as err:
            return render_template("search.html", params=params, results=None,
                                   error=str(err), search_url=search_url), 400
        hits = [_present_hit(hit, params["q"], i) for i, hit in enumerate(results.hits)]
    pages = _pagination(results, params) if results else None
    suggestion = fewer_words(params["q"], results.unmatched) if results else ""
    expansions = [_expansion(e) for e in results.expansions] if results else []
    stats = None
    if not params["q"]:
        try:
            stats = get_engine().stats()
        except DefsearchError:
            stats = None
    article_title = None
    if params["article"]:
        try:
            article_title = get_engine().article(params["article"]).title or params["article"]
        except DefsearchError:
            article_title = params["article"]
    html = render_template("search.html", params=params, results=results, hits=hits,
                           pages=pages, suggestion=suggestion, error=None,
                           expansions=expansions, search_url=search_url,
                           translated=bool(results and results.translations),
                           article_title=article_title, stats=stats,
                           example_queries=EXAMPLES, took=_TOOK)
    if results is not None:
        holder().keep_page(key, html)
        html = html.replace(_TOOK, _took_text(results.took_ms))
    return html


def _expansion(text: str) -> tuple[str, str]:
    """"戈尔巴乔夫 (cross-strait)" -> ("戈尔巴乔夫", "cross-strait"): the term, and why."""
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", text.strip())
    return (m.group(1), m.group(2)) if m else (text, "")


EXAMPLES = ["中俄 軍事合作", "Lavrov", "戰略模糊", "北約", "聯合聲明"]


def _present_hit(hit, query: str, n: int) -> dict:
    """What the template needs for one result: snippet and full text with markers."""
    article_url = url_for("views.article", article_id=hit.article_id, q=query)
    marker = render.MarkerFactory(
        hit.footnotes, href=lambda label: f"{article_url}#{render.note_anchor(label)}",
        prefix=f"r{n}-")
    truncated = hit.window.cut_before or hit.window.cut_after
    return {
        "hit": hit,
        "url": f"{article_url}#p{hit.ordinal}",
        "truncated": truncated,     # the snippet is only part of the passage: offer the whole
        "snippet": render.snippet_html(hit.text, hit.window, hit.notes, marker),
        "full": render.render_text(hit.text, hit.highlights, hit.notes, marker)
        if truncated else None,
        "footnotes": [(n, render.linkify(n.text, n.urls),
                       f"{article_url}#{render.note_anchor(n.label)}") for n in hit.footnotes],
    }


def _pagination(results, params) -> dict:
    last = max(1, -(-results.total // results.limit))
    last = min(last, current_app.config["MAX_PAGE"])
    page = results.page
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    return {
        "page": page, "last": last,
        "prev": search_url(params, page=page - 1) if page > 1 else None,
        "next": search_url(params, page=page + 1) if page < last else None,
        "numbers": [(n, search_url(params, page=n)) for n in window],
    }


@bp.route("/articles/<path:article_id>")
def article(article_id: str):
    """One article: metadata, abstract, sections and passages with anchors, notes with
    links back to where they are cited. With ?q= the searched words are marked."""
    if not _ARTICLE_ID_RE.fullmatch(article_id):
        abort(404)
    art = get_engine().article(article_id)
    q = " ".join(request.args.get("q", "").split())[: current_app.config["MAX_QUERY_CHARS"]]
    highlights: dict[str, list] = {}
    if q:
        try:
            found = holder().search(q, page=1, limit=max(1, len(art.passages)),
                                    article=article_id)
            highlights = {h.passage_id: h.highlights for h in found.hits}
        except QueryError:
            highlights = {}
    marker = render.MarkerFactory(art.footnotes, href=lambda l: "#" + render.note_anchor(l),
                                  with_ref_ids=True, prefix="a")
    blocks, last_section = [], ()
    for p in art.passages:
        section = tuple(p.section)
        common = 0
        while (common < min(len(section), len(last_section))
               and section[common] == last_section[common]):
            common += 1
        # a heading for every level of the path that differs from the previous passage's
        headings = [(depth + 1, section[depth]) for depth in range(common, len(section))]
        last_section = section
        blocks.append({
            "passage": p, "headings": headings, "matched": p.id in highlights,
            "html": render.render_text(p.text, highlights.get(p.id, ()), p.notes, marker),
        })
    notes = [{"note": n, "anchor": render.note_anchor(n.label),
              "html": render.linkify(n.text, n.urls), "refs": marker.refs.get(n.label, [])}
             for n in art.footnotes]
    back = search_url({"q": q}) if q else None
    return render_template("article.html", article=art, blocks=blocks, notes=notes, q=q,
                           back=back, matched=len(highlights))


# --- JSON API --------------------------------------------------------------------------------

@bp.route("/api")
@bp.route("/api/")
def api_index():
    """JSON: the API's endpoints and their parameters."""
    return jsonify({"endpoints": {
        "/api/search": {"doc": api_search.__doc__.strip(),
                        "params": ["q", "page", "limit", "lang", "article", "venue", "from",
                                   "to", "translate"]},
        "/api/articles/<id>": {"doc": api_article.__doc__.strip()},
    }})


@bp.route("/api/search")
def api_search():
    """JSON: ?q= (required), page, limit, lang, article, venue, from, to, translate (0: do not
    also search the query's translation). Same schema and ranking as `defsearch search
    --json`."""
    params = search_params()
    if not params["q"]:
        raise BadRequest("Missing query: pass ?q=words.")
    limit = _int_param("limit", current_app.config["PAGE_SIZE"], 1,
                       current_app.config["API_MAX_LIMIT"], "The limit")
    try:
        results = run_search(params, limit)
    except QueryError as err:
        raise BadRequest(str(err)) from None
    return jsonify(results.to_json())


@bp.route("/api/articles/<path:article_id>")
def api_article(article_id: str):
    """JSON: the stored article with its passages and footnotes."""
    if not _ARTICLE_ID_RE.fullmatch(article_id):
        raise ArticleNotFound(article_id[:200])
    return jsonify(dataclasses.asdict(get_engine().article(article_id)))


# --- errors ----------------------------------------------------------------------------------

def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def register_error_handlers(app) -> None:
    @app.errorhandler(BadRequest)
    def bad_request(err: BadRequest):
        return _error(err.status, "Bad request", err.message)

    @app.errorhandler(ArticleNotFound)
    def no_article(err: ArticleNotFound):
        return _error(404, "Article not found",
                      "There is no article with that id. It may have been removed from the "
                      "corpus; try searching for its title.")

    @app.errorhandler(IndexNotFound)
    @app.errorhandler(IndexOutOfDate)
    def no_index(err: DefsearchError):
        return _error(503, "No search index", str(err))

    @app.errorhandler(IndexDamaged)
    def damaged_index(err: IndexDamaged):
        return _error(503, "The index needs a rebuild", str(err))

    @app.errorhandler(DefsearchError)
    def defsearch_error(err: DefsearchError):
        return _error(400, "Cannot run that", str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.code == 404:
            return _error(404, "Page not found",
                          "Nothing lives at this address. Try a search instead.")
        return _error(err.code or 500, err.name, err.description or err.name)

    @app.errorhandler(Exception)
    def server_error(err: Exception):
        log.exception("unhandled error on %s", request.path)
        return _error(500, "Something went wrong",
                      "The server hit an unexpected error; it has been logged. "
                      "Try again, or try a different search.")
