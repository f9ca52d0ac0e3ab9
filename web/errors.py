"""Error pages and JSON errors: every failure a user can meet, as one friendly message.

Pages get the site's look (`error.html`), `/api/...` gets `{"error", "status"}`; library
exceptions (`search.errors`) carry the message, and nothing shows a traceback.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import (ArticleNotFound, DefsearchError, IndexDamaged, IndexNotFound,
                           IndexOutOfDate)

log = logging.getLogger(__name__)


class BadRequest(Exception):
    """A request we can explain: rendered as a friendly 400 (page or JSON)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers, most specific first (Flask picks by exception class)."""
    @app.errorhandler(BadRequest)
    def bad_request(err: BadRequest):
        return error_response(err.status, "Bad request", err.message)

    @app.errorhandler(ArticleNotFound)
    def no_article(err: ArticleNotFound):
        return error_response(404, "Article not found",
                              "There is no article with that id. It may have been removed "
                              "from the corpus; try searching for its title.")

    @app.errorhandler(IndexNotFound)
    @app.errorhandler(IndexOutOfDate)
    def no_index(err: DefsearchError):
        return error_response(503, "No search index", str(err))

    @app.errorhandler(IndexDamaged)
    def damaged_index(err: IndexDamaged):
        return error_response(503, "The index needs a rebuild", str(err))

    @app.errorhandler(DefsearchError)
    def defsearch_error(err: DefsearchError):
        return error_response(400, "Cannot run that", str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.code == 404:
            return error_response(404, "Page not found",
                                  "Nothing lives at this address. Try a search instead.")
        return error_response(err.code or 500, err.name, err.description or err.name)

    @app.errorhandler(Exception)
    def server_error(err: Exception):
        log.exception("unhandled error on %s", request.path)
        return error_response(500, "Something went wrong",
                              "The server hit an unexpected error; it has been logged. "
                              "Try again, or try a different search.")
