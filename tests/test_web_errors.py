"""Error pages and headers: 404s in the site's look, no tracebacks, a missing index says what
to run, no inline scripts."""
from __future__ import annotations

import pytest

from web import create_app


def test_unknown_article_is_a_404_page(client):
    resp = client.get("/articles/no-such-article")
    assert resp.status_code == 404
    html = resp.text
    assert "Article not found" in html and "defsearch" in html


@pytest.mark.parametrize("path", ["/articles/../../etc/passwd", "/articles/..%2F..%2Fetc%2Fpasswd",
                                  "/articles/%2Fetc%2Fpasswd", "/api/articles/../../../etc/passwd"])
def test_article_ids_never_reach_the_filesystem(client, path):
    resp = client.get(path, follow_redirects=True)      # (werkzeug merges "//" first)
    assert resp.status_code == 404
    assert "root:" not in resp.text


def test_unknown_page_is_a_404_in_the_site_look(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    html = resp.text
    assert "Page not found" in html and 'class="brand"' in html


def test_server_error_page_has_no_traceback(seed_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(seed_index)})     # a route of its own

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")
    resp = app.test_client().get("/boom")
    assert resp.status_code == 500
    html = resp.text
    assert "Something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_missing_index_says_what_to_run(tmp_path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})
    resp = app.test_client().get("/search?q=中俄")
    assert resp.status_code == 503
    assert "defsearch index" in resp.text
    api = app.test_client().get("/api/search?q=中俄")
    assert api.status_code == 503 and "defsearch index" in api.get_json()["error"]


def test_pages_forbid_inline_scripts(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
