"""The defsearch web app: `create_app(test_config=None)` in the Flask-tutorial style.

Two blueprints: `web.pages` (search page, article pages, script toggle) and `web.api` (the
JSON API), both reading their parameters through `web.params`; `web.errors` turns every
failure into a friendly page or JSON error. The search engine is one
`search.engine.engine.Engine` per app, created on first use and replaced when the index on disk
changes (see `web.engine`); it is shared by all requests, so nothing is opened per request.
"""
from __future__ import annotations

import os

from flask import Flask

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. `test_config` overrides the defaults (INDEX_DIR, limits...)."""
    from search.engine.engine import API_MAX_LIMIT

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(
        # Where `defsearch index` wrote the index; `defsearch serve --index` overrides it.
        INDEX_DIR=os.environ.get("DEFSEARCH_INDEX", os.path.abspath("index")),
        MAX_QUERY_CHARS=200,       # longer queries get a friendly 400
        MAX_PAGE=500,              # deeper pages get a friendly 400
        PAGE_SIZE=10,
        API_MAX_LIMIT=API_MAX_LIMIT,   # the CLI's is search.engine.engine.MAX_LIMIT
        SEARCH_CACHE_SIZE=512,     # recent results kept per index generation; 0 = off
    )
    if test_config is not None:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import api, cite, engine, errors, pages
    engine.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(cite.bp)
    errors.init_app(app)
    app.after_request(security_headers)
    return app


def security_headers(resp):
    """Defence in depth behind the escaping: no inline or third-party scripts can run."""
    resp.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    return resp
