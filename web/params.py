"""The search parameters of a URL, shared by the search page and the JSON API.

`search_params()` reads and checks ?q=, page, lang, article, venue, from, to (raising
`errors.BadRequest`); `run_search` hands them to the engine; `search_url` writes them back
into a short /search link.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import current_app, request, url_for

from .engine import holder
from .errors import BadRequest

ARTICLE_ID_RE = re.compile(r"[^\x00-\x1f\x7f]{1,200}")
LANGS = {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese", "en": "English"}


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
    year_from = int_param("from", None, 1000, 9999, "The first year")
    year_to = int_param("to", None, 1000, 9999, "The last year")
    if year_from and year_to and year_from > year_to:
        raise BadRequest(f"The year range {year_from}–{year_to} is empty: "
                         "the first year comes after the last.")
    lang = request.args.get("lang", "").strip() or None
    if lang is not None and lang not in LANGS:
        raise BadRequest(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    article = request.args.get("article", "").strip() or None
    if article is not None and not ARTICLE_ID_RE.fullmatch(article):
        raise BadRequest("That article filter is not a valid article id.")
    venue = " ".join(request.args.get("venue", "").split()) or None
    if venue is not None and len(venue) > 200:
        raise BadRequest("That venue filter is too long (over 200 characters).")
    return {"q": q, "page": page, "lang": lang, "article": article, "venue": venue,
            "year_from": year_from, "year_to": year_to}


def run_search(params: dict, limit: int):
    return holder().search(
        params["q"], page=params["page"], limit=limit, lang=params["lang"],
        article=params["article"], venue=params["venue"], year_from=params["year_from"],
        year_to=params["year_to"])


def search_url(params: dict, **changes) -> str:
    """A /search URL for `params` with `changes` applied; empty values are left out so
    shared links stay short."""
    merged = {**params, **changes}
    args = [("q", merged.get("q")), ("lang", merged.get("lang")),
            ("article", merged.get("article")), ("venue", merged.get("venue")),
            ("from", merged.get("year_from")),
            ("to", merged.get("year_to"))]
    if merged.get("page") and merged["page"] != 1:
        args.append(("page", merged["page"]))
    query = urlencode([(k, v) for k, v in args if v not in (None, "")])
    return url_for("pages.search") + ("?" + query if query else "")
