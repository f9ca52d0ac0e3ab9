"""Links of one page built from one `url_for` per endpoint instead of one per link.

A results page holds about sixty links (each card's article, cite, related, author and
venue links; pager; facets), and werkzeug's `url_for` costs tens of microseconds each: a
millisecond or two of CPU a page. The link of a route whose last part is its one variable
is the same prefix for every value, so `path()` asks `url_for` once for that prefix (and
for the query string after it) and quotes each value as werkzeug's path converter does.
Prefixes without a query string are kept per app and script root (they never change);
those with one (`?q=` of the article links) per request. `tests/test_web_links.py` checks
the result equals `url_for`'s.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, quote_plus

from flask import current_app, g, has_request_context, request, url_for

_PROBE = "_"        # a value every converter writes unchanged


@lru_cache(maxsize=8192)
def quote_path(value: str) -> str:
    """A path variable as werkzeug's default and path converters write it."""
    return quote(value, safe="!$&'()*+,/:;=@")


@lru_cache(maxsize=8192)
def quote_arg(value: str) -> str:
    """A query-string value as `urllib.parse.urlencode` writes it."""
    return quote_plus(value)


class Links:
    """The prefixes of one request's links (kept on `g`: the script root is per request)."""

    def __init__(self):
        self._parts: dict = {}
        shared = current_app.extensions.setdefault("defsearch_links", {})
        root = request.script_root if has_request_context() else None
        self._shared = shared.setdefault(root, {}) if root is not None else {}

    def path(self, endpoint: str, value: str, **query) -> str:
        """`url_for(endpoint, <its one variable>=value, **query)`."""
        key = (endpoint, tuple(query.items()))
        kept = self._parts if query else self._shared
        parts = kept.get(key)
        if parts is None:
            parts = kept[key] = _split(endpoint, query)
        prefix, suffix = parts
        return prefix + quote_path(str(value)) + suffix

    def plain(self, endpoint: str) -> str:
        """`url_for(endpoint)` of a route without variables."""
        found = self._shared.get(endpoint)
        if found is None:
            found = self._shared[endpoint] = url_for(endpoint)
        return found


def _split(endpoint: str, query: dict) -> tuple[str, str]:
    rule = [r for r in _rules(endpoint) if len(r.arguments) == 1]
    (name,) = rule[0].arguments
    bare = url_for(endpoint, **{name: _PROBE})
    if not bare.endswith("/" + _PROBE):
        raise ValueError(f"{endpoint}: its variable is not the last part of its path")
    full = url_for(endpoint, **{name: _PROBE}, **query)
    return bare[:-len(_PROBE)], full[len(bare):]


def _rules(endpoint: str):
    from flask import current_app
    return current_app.url_map.iter_rules(endpoint)


def links() -> Links:
    found = g.get("links")
    if found is None:
        found = g.links = Links()
    return found
