"""The search parameters of a URL, shared by the search page and the JSON API.

`search_params()` reads and checks ?q=, page, lang, article, venue, author, from, to,
match, sort, group (raising
`errors.BadRequest`); the filters are checked by `search.query.filters.search_options`,
as the CLI's options are; `run_search` hands them to the engine; `search_url` writes them back
into a short /search link.
"""
from __future__ import annotations

import re
import secrets

from flask import current_app, request

from search.errors import QueryError
from search.query import filters

from .engine import holder
from .errors import BadRequest
from .links import links, quote_arg

# The languages the search form offers (lang= also takes every value `lang:` does: zh, ...)
LANGS = {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese", "en": "English"}


class Fields(dict):
    """A dict the templates read as `params.q`: Jinja tries an attribute before a key, and
    a plain dict raises (and Jinja catches) an AttributeError for each such read, some
    two hundred on a results page."""
    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def int_param(name: str, default, lo: int, hi: int, what: str):
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
    page = int_param("page", 1, 1, cfg["MAX_PAGE"], "The page number")
    try:        # the same checks and messages as `defsearch search --lang ...`
        options = filters.search_options(
            lang=request.args.get("lang"), article=request.args.get("article"),
            venue=request.args.get("venue"), year_from=request.args.get("from"),
            year_to=request.args.get("to"), spelling=filters.WEB)
    except QueryError as err:
        raise BadRequest(str(err)) from None
    translate = request.args.get("translate", "").strip()
    if translate not in ("", "0", "1"):
        raise BadRequest(f"translate must be 0 (do not search translations) or 1, "
                         f"not {translate[:20]!r}.")
    return Fields(q=q, page=page, **options, translate=translate != "0", **view_params())


def _choice(name: str, allowed: dict) -> str:
    raw = request.args.get(name, "").strip().lower()
    if raw == "":
        return next(iter(allowed))
    if raw not in allowed:
        raise BadRequest(f"{name}= must be " + ", ".join(
            f"{k} ({why})" for k, why in allowed.items()) + f"; not {raw[:20]!r}.")
    return raw


def view_params() -> dict:
    """How results are shown: match (any/all), sort, group, and the exact author chosen in
    the author facet."""
    author = " ".join(request.args.get("author", "").split()) or None
    if author is not None and len(author) > filters.VENUE_MAX:
        raise BadRequest(f"author= is {len(author)} characters long; the limit is "
                         f"{filters.VENUE_MAX}.")
    group = request.args.get("group", "").strip()
    if group not in ("", "0", "1"):
        raise BadRequest(f"group must be 1 (one result per article) or 0, not {group[:20]!r}.")
    return {"author": author,
            "match": _choice("match", MATCHES), "sort": _choice("sort", SORTS),
            "group": group == "1"}


MATCHES = {"any": "passages with some of the words, those with every word first",
           "all": "only passages with every word"}
SORTS = {"relevance": "best match first", "newest": "newest first",
         "oldest": "oldest first"}


def run_search(params: dict, limit: int):
    if "cites:" in params["q"].lower():      # passages citing a work (web.cite)
        from .cite import citing_search
        return citing_search(params, limit)
    return holder().search(
        params["q"], page=params["page"], limit=limit, lang=params["lang"],
        article=params["article"], venue=params["venue"], year_from=params["year_from"],
        year_to=params["year_to"], translate=params.get("translate", True),
        author=params.get("author"), match=params.get("match", "any"),
        sort=params.get("sort", "relevance"), group=params.get("group", False),
        facets=True)


# A value `quote_plus` leaves as it is, random per process (no query holds it by chance)
_SLOT = f"slot{secrets.token_hex(8)}"


def search_urls(params: dict, names, **changes):
    """A function of one value giving `search_url(params, **changes)` with each of `names`
    set to that value: the links of a pick list (50 venues) differ only there, so the URL is
    built once around a placeholder and each value is quoted into it."""
    names = tuple(names)
    parts = search_url(params, **changes, **dict.fromkeys(names, _SLOT)).split(_SLOT)

    def url(value) -> str:
        if value in (None, "") or len(parts) != len(names) + 1:    # left out / slot typed
            return search_url(params, **changes, **dict.fromkeys(names, value))
        return quote_arg(str(value)).join(parts)
    return url


def search_url(params: dict, **changes) -> str:
    """A /search URL for `params` with `changes` applied; empty and default values are left
    out so shared links stay short."""
    merged = {**params, **changes}
    args = [("q", merged.get("q")), ("lang", merged.get("lang")),
            ("article", merged.get("article")), ("venue", merged.get("venue")),
            ("author", merged.get("author")),
            ("from", merged.get("year_from")),
            ("to", merged.get("year_to"))]
    if merged.get("match") == "all":
        args.append(("match", "all"))
    if merged.get("sort") not in (None, "", "relevance"):
        args.append(("sort", merged["sort"]))
    if merged.get("group"):
        args.append(("group", "1"))
    if merged.get("translate") is False:
        args.append(("translate", "0"))
    if merged.get("page") and merged["page"] != 1:
        args.append(("page", merged["page"]))
    # urlencode's output, with each value's quoting remembered (q recurs in every link)
    query = "&".join(f"{k}={quote_arg(str(v))}" for k, v in args if v not in (None, ""))
    return links().plain("pages.search") + ("?" + query if query else "")
