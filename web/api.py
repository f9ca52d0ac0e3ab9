"""The JSON API: /api (its own index), /api/search, /api/articles/<id>.

Same parameters as the search page (`web.params`) and the same schema and ranking as
`defsearch search --json`; errors are JSON too (`web.errors`).
"""
from __future__ import annotations

import dataclasses

from flask import Blueprint, current_app, jsonify, request

from search.engine.engine import MAX_LIMIT
from search.errors import ArticleNotFound
from search.query.filters import ARTICLE_ID_RE

from .engine import get_engine
from .errors import BadRequest
from .params import int_param, run_search, search_params

bp = Blueprint("api", __name__)


@bp.route("/api")
@bp.route("/api/")
def index():
    """JSON: the API's endpoints and their parameters."""
    return jsonify({"endpoints": {
        "/api/search": {"doc": search.__doc__.strip(),
                        "params": ["q", "page", "limit", "lang", "article", "venue", "from",
                                   "to", "translate", "author", "match", "sort", "group"]},
        "/api/articles/<id>": {"doc": article.__doc__.strip()},
    }})


@bp.route("/api/search")
def search():
    """JSON: ?q= (required), page, limit (at most 50 here; the CLI takes up to 1000), lang,
    article, venue, author (exactly, as in `facets`), from, to, translate (0: do not also
    search the query's translation), match (any or all: only passages with every word),
    sort (relevance, newest, oldest), group (1: one result per article). Same schema and
    ranking as `defsearch search --json`, with `facets` of the whole result set."""
    params = search_params()
    if not params["q"]:
        raise BadRequest("Missing query: pass ?q=words.")
    most = current_app.config["API_MAX_LIMIT"]
    try:
        limit = int_param("limit", current_app.config["PAGE_SIZE"], 1, most, "The limit")
    except BadRequest:
        raise BadRequest(f"limit must be a whole number between 1 and {most} (the API's "
                         f"most results a request; `defsearch search --limit` takes up to "
                         f"{MAX_LIMIT}), not {request.args.get('limit', '')[:20]!r}; "
                         "use page= for more.") from None
    return jsonify(run_search(params, limit).to_json())   # a QueryError: web/errors.py


@bp.route("/api/articles/<path:article_id>")
def article(article_id: str):
    """JSON: the stored article with its passages and footnotes."""
    if not ARTICLE_ID_RE.fullmatch(article_id):
        raise ArticleNotFound(article_id[:200])
    return jsonify(dataclasses.asdict(get_engine().article(article_id)))
