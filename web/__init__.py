"""The defsearch web app: `create_app(test_config=None)` in the Flask-tutorial style.

One blueprint (`web.views`) serves the search page, article pages and the JSON API. The
search engine is one `search.searcher.Engine` per app, created on first use and replaced
when the index on disk changes (see `web.engine`).
"""
from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. `test_config` overrides the defaults (INDEX_DIR, limits...)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(
        # Where `defsearch index` wrote the index; `defsearch serve --index` overrides it.
        INDEX_DIR=os.environ.get("DEFSEARCH_INDEX", os.path.abspath("index")),
        MAX_QUERY_CHARS=200,       # longer queries get a friendly 400
        MAX_PAGE=500,              # deeper pages get a friendly 400
        PAGE_SIZE=10,
        API_MAX_LIMIT=50,
        SEARCH_CACHE_SIZE=512,     # recent results kept per index generation; 0 = off
    )
    if test_config is not None:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import engine, views
    engine.init_app(app)
    app.register_blueprint(views.bp)
    views.register_error_handlers(app)
    return app
