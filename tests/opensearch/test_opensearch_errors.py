"""A bad cluster URL, credentials in the URL, a missing index: one `defsearch:` line each."""
from __future__ import annotations

import socket


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _last(out) -> str:
    return out.output.strip().splitlines()[-1]


def test_an_unreachable_cluster(cli):
    url = f"http://127.0.0.1:{_free_port()}"
    out = cli("search", "--opensearch", url, "中俄")
    assert out.exit_code == 1
    assert _last(out) == (f"defsearch: cannot reach OpenSearch at {url} (opening the index): "
                          "check the URL (--opensearch or DEFSEARCH_OPENSEARCH_URL) and that "
                          "the cluster is running")
    assert "Traceback" not in out.output


def test_credentials_in_the_url_are_refused_and_never_shown(cli):
    out = cli("search", "--opensearch", "https://admin:s3cret@127.0.0.1:9200", "中俄")
    assert out.exit_code == 1
    assert _last(out) == ("defsearch: credentials in the OpenSearch URL "
                          "https://127.0.0.1:9200: remove them and set "
                          "DEFSEARCH_OPENSEARCH_USER and DEFSEARCH_OPENSEARCH_PASSWORD instead")
    assert "s3cret" not in out.output


def test_not_a_url(cli):
    out = cli("index", "--opensearch", "localhost:9200")
    assert _last(out) == ("defsearch: not an OpenSearch URL: 'localhost:9200' "
                          "(give http(s)://host:port)")


def test_the_backend_needs_a_url(runner):
    from search.cli import main

    out = runner.invoke(main, ["search", "--backend", "opensearch", "中俄"],
                        env={"DEFSEARCH_OPENSEARCH_URL": ""})
    assert _last(out) == ("defsearch: the opensearch backend needs the cluster's address: "
                          "--opensearch URL or DEFSEARCH_OPENSEARCH_URL")


def test_no_index_under_the_alias(runner, os_cluster):
    from search.cli import main

    out = runner.invoke(main, ["search", "--opensearch", os_cluster.url, "中俄"],
                        env={"DEFSEARCH_OPENSEARCH_INDEX": "t-none"})
    assert out.exit_code == 1
    assert _last(out) == (f"defsearch: no index 't-none' in OpenSearch at {os_cluster.url}: "
                          "run `defsearch index --backend opensearch` first")


def test_tls_is_verified_by_default():
    from search.backends import resolve

    config = resolve("opensearch", "https://search.example.org:9200", env={})
    assert config.verify is True
    assert resolve("opensearch", "https://h:9200",
                   env={"DEFSEARCH_OPENSEARCH_VERIFY": "0"}).verify is False
