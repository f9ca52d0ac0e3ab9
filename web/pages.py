"""The HTML pages: search page and results, article pages, the script toggle.

Everything a page shows from the corpus is escaped by `web.render` or Jinja; the display
script (as stored, Traditional, Simplified) comes from a cookie and is kept on `g` for the
request (the only per-request state: the engine is one per app, see `web.engine`).
"""
from __future__ import annotations

import re
import secrets
import time
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request,
                   url_for)
from jinja2 import pass_context
from markupsafe import Markup, escape

from search.errors import DefsearchError, QueryError
from search.query.filters import ARTICLE_ID_RE

from . import cards, render
from .engine import get_engine, holder
from .errors import BadRequest
from .links import links
from .params import LANGS, Fields, run_search, search_params, search_url, search_urls

bp = Blueprint("pages", __name__)

SCRIPT_COOKIE = "script"


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


# --- script (Traditional / Simplified) -------------------------------------------------------

def current_script() -> str:
    if "script" not in g:
        value = request.cookies.get(SCRIPT_COOKIE, "orig")
        g.script = value if value in render.SCRIPTS else "orig"
    return g.script


# The page's script is read from the template context (`inject_globals` puts it there):
# a page applies these some seventy times, and `g` is a context-local lookup each time.

@bp.app_template_filter("script")
@pass_context
def script_filter(context, text):
    return render.convert(text, context.get("current_script") or current_script())


@bp.app_template_global("display_lang")
@pass_context
def display_lang(context, lang: str) -> str:
    return render.display_lang(lang, context.get("current_script") or current_script())


@bp.app_template_filter("number")
def number(n) -> str:
    """12345 -> "12,345" (a filter: cheaper in a template than calling str.format)."""
    return f"{n:,}"


bp.add_app_template_global(cards.cite_links, "cite_links")


@bp.app_template_global("link")
def link(endpoint: str, value: str | None = None) -> str:
    """`url_for(endpoint)`, or `url_for(endpoint, <its one variable>=value)`, built as
    `web.links` does."""
    return links().plain(endpoint) if value is None else links().path(endpoint, value)


@bp.app_context_processor
def inject_globals():
    return {"current_script": current_script(), "LANGS": LANGS}


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link send users anywhere, and a
    control character (a line break) cannot go in a Location header."""
    if not target or any(ch < " " or ch == "\x7f" for ch in target):
        return url_for("pages.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("pages.index")
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
        return redirect(url_for("pages.search") + "?" + request.query_string.decode("latin-1"),
                        code=302)
    return search()


# The rendered search page is cached with this token where the time taken goes, so a
# repeated search shows its own time. Random per process: no corpus text can contain it.
_TOOK = f"took-{secrets.token_hex(8)}"


def _took_text(ms: float) -> str:
    return "&lt;1" if ms < 1 else f"{ms:.0f}"


@bp.route("/search")
def search():
    """Results for ?q= with page, lang, article, venue, author, from, to, match, sort and
    group kept in the URL; facets of the whole result set beside them."""
    started = time.perf_counter()
    try:
        params = search_params()
    except BadRequest as err:
        raw = Fields(q=request.args.get("q", "")[:1000], page=1, lang=None, article=None,
                     venue=None, year_from=None, year_to=None, translate=True, author=None,
                     match="any", sort="relevance", group=False)
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
        picked = {name: search_urls(params, [name], page=1)
                  for name in ("author", "venue", "article")}
        hits = [_present_hit(hit, params, i, picked) for i, hit in enumerate(results.hits)]
    pages = _pagination(results, params) if results else None
    suggestion = fewer_words(params["q"], results.unmatched) if results else ""
    # one-word searches are offered only for words that match something
    one_word = [r.word for r in results.words if r.found not in NO_MATCH] \
        if results and len(results.words) > 1 else []
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
                           example_queries=EXAMPLES, took=_TOOK, one_word=one_word,
                           facets=facet_lists(results, params) if results else None,
                           views=_views(results, params) if results else None)
    if results is not None:
        holder().keep_page(key, html)
        html = html.replace(_TOOK, _took_text(results.took_ms))
    return html


def _expansion(text: str) -> tuple[str, str]:
    """"戈尔巴乔夫 (cross-strait)" -> ("戈尔巴乔夫", "cross-strait"): the term, and why."""
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", text.strip())
    return (m.group(1), m.group(2)) if m else (text, "")


EXAMPLES = ["中俄 軍事合作", "Lavrov", "戰略模糊", "北約", "聯合聲明"]


def _present_hit(hit, params: dict, n: int, picked: dict) -> dict:
    """One result card (`html`, `web.cards.card`) and what it shows: snippet and full
    text with markers, links (`picked`: name -> `search_urls` of the author, venue and
    article links)."""
    query = params["q"]
    article_url = links().path("pages.article", hit.article_id, q=query)
    marker = render.MarkerFactory(
        hit.footnotes, href=lambda label: f"{article_url}#{render.note_anchor(label)}",
        prefix=f"r{n}-")
    truncated = hit.window.cut_before or hit.window.cut_after
    fields = Fields({
        "hit": hit,
        "more_url": search_url(params, article=hit.article_id, group=False, page=1)
        if hit.more else None,
        "url": f"{article_url}#p{hit.ordinal}",
        "authors": [(a, picked["author"](a)) for a in hit.authors],
        "venue_url": picked["venue"](hit.venue) if hit.venue else None,
        "article_results": picked["article"](hit.article_id),
        "truncated": truncated,     # the snippet is only part of the passage: offer the whole
        "snippet": render.snippet_html(hit.text, hit.window, hit.notes, marker),
        "full": render.render_text(hit.text, hit.highlights, hit.notes, marker)
        if truncated else None,
        "footnotes": [(n, render.marked_note(n, hit.note_marks.get(n.label)),
                       f"{article_url}#{render.note_anchor(n.label)}") for n in hit.footnotes],
        "notes_marked": bool(hit.note_marks),
    })
    fields["html"] = cards.card(fields, n + 1, current_script())
    return fields


NO_MATCH = ("nowhere", "stop", "unsearched")


def facet_lists(results, params) -> dict | None:
    """The facets as pick lists, each value a link choosing it with its count; the year as
    a histogram (bar level 1-8 of the busiest year). A list's items are built here as one
    HTML string (`html`: name -> Markup): a page lists up to 200 values, and a Jinja loop
    costs several times what these few f-strings do."""
    f = results.facets
    if f is None or not results.total:
        return None
    script = current_script()
    convert = render.convert

    def picks(values, name):
        chosen = params.get(name)
        lang = "" if name == "lang" else ' lang="zh"'
        url = search_urls(params, [name], page=1)
        return "".join(
            f'<li><a href="{escape(url(v.value))}"'
            f'{_CHOSEN if chosen == v.value else ""}{lang}>{escape(convert(v.label, script))}'
            f'</a> <span class="count">{v.count:,}</span></li>' for v in values)

    top = max((v.count for v in f.year), default=1)
    years = []
    year_url = search_urls(params, ["year_from", "year_to"], page=1)
    for v in f.year:
        year = int(v.value)
        chosen = params.get("year_from") == params.get("year_to") == year
        label, count = escape(v.label), v.count
        url = escape(year_url(year))
        years.append(
            f'<li><a href="{url}" class="lv{max(1, round(8 * count / top))}'
            f'{" chosen" if chosen else ""}" title="{label}: {count:,} passage'
            f'{"" if count == 1 else "s"}" aria-label="{label} ({count})"><span class="bar">'
            f'</span><span class="yl">{label}</span><span class="yc">{count:,}</span></a></li>')
    items = {name: Markup(picks(getattr(f, name), name))
             for name in ("venue", "author", "lang", "article")}
    items["year"] = Markup("".join(years))
    return Fields(year=f.year, undated=f.undated, venue=f.venue, author=f.author,
                  lang=f.lang, article=f.article, html=items)


_CHOSEN = ' aria-current="true" class="chosen"'


def _views(results, params) -> dict:
    """Links switching match, sort and grouping (each keeps everything else)."""
    return Fields({
        "sorts": [(name, label, search_url(params, sort=name, page=1),
                   params.get("sort", "relevance") == name)
                  for name, label in (("relevance", "Relevance"), ("newest", "Newest"),
                                      ("oldest", "Oldest"))],
        "group": search_url(params, group=not params.get("group"), page=1),
        "only_all": search_url(params, match="all", page=1),
        "show_any": search_url(params, match="any", page=1),
    })


def _pagination(results, params) -> dict:
    last = min(results.last_page, current_app.config["MAX_PAGE"])
    page = results.page
    window = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    return Fields({
        "page": page, "last": last, "past_end": page > last and results.total > 0,
        "last_url": search_url(params, page=last),
        "prev": search_url(params, page=page - 1) if page > 1 else None,
        "next": search_url(params, page=page + 1) if page < last else None,
        "numbers": [(n, search_url(params, page=n)) for n in window],
    })


@bp.route("/articles/<path:article_id>")
def article(article_id: str):
    """One article: metadata, abstract, sections and passages with anchors, notes with
    links back to where they are cited. With ?q= the searched words are marked."""
    if not ARTICLE_ID_RE.fullmatch(article_id):
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
