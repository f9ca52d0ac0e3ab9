"""A bad cluster URL, credentials in the URL, wrong credentials, a missing index, a page past
the cluster's result window: one `defsearch:` line each."""
from __future__ import annotations

import json

from tests.conftest import free_port


def _last(out) -> str:
    return out.output.strip().splitlines()[-1]


def test_an_unreachable_cluster(cli):
    url = f"http://127.0.0.1:{free_port()}"
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


def test_wrong_credentials_one_line_and_the_password_never_shown(runner, os_cluster,
                                                                  os_engine_index,
                                                                  engine_corpus):
    # a real Basic-auth front on loopback (auth_proxy.py) before one node of the cluster
    from search.cli import main
    from auth_proxy import AuthProxy

    with AuthProxy(os_cluster.url, "reader", "right-horse") as proxy:
        env = {"DEFSEARCH_OPENSEARCH_INDEX": os_engine_index.index,
               "DEFSEARCH_OPENSEARCH_USER": "reader",
               "DEFSEARCH_OPENSEARCH_PASSWORD": "wrong-battery"}
        out = runner.invoke(main, ["search", "--opensearch", proxy.url, "中俄"], env=env)
        assert out.exit_code == 1
        assert _last(out) == (f"defsearch: OpenSearch at {proxy.url} refused the credentials "
                              "(opening the index): check DEFSEARCH_OPENSEARCH_USER and "
                              "DEFSEARCH_OPENSEARCH_PASSWORD")
        assert "Traceback" not in out.output and "wrong-battery" not in out.output
        assert proxy.refused >= 1

        out = runner.invoke(main, ["index", "--opensearch", proxy.url, "--corpus",
                                   str(engine_corpus)], env=env)
        assert out.exit_code == 1
        assert _last(out).startswith(f"defsearch: OpenSearch at {proxy.url} refused the "
                                     "credentials (")
        assert _last(out).endswith("check DEFSEARCH_OPENSEARCH_USER and "
                                   "DEFSEARCH_OPENSEARCH_PASSWORD")
        assert "Traceback" not in out.output and "wrong-battery" not in out.output

        # the right ones are sent (never in the URL) and the search answers through it
        good = runner.invoke(main, ["search", "--opensearch", proxy.url, "--json", "中俄"],
                             env={**env, "DEFSEARCH_OPENSEARCH_PASSWORD": "right-horse"})
        assert good.exit_code == 0, good.output
        assert json.loads(good.output)["results"]


def test_a_page_past_the_clusters_result_window_is_one_line(runner, os_engine_index):
    from search.cli import main

    out = runner.invoke(main, ["search", "--opensearch", os_engine_index.where, "--page",
                               "1001", "中俄"],
                        env={"DEFSEARCH_OPENSEARCH_INDEX": os_engine_index.index})
    assert out.exit_code == 2           # a query error, as any bad page number
    assert out.output.strip().splitlines()[-1] == (
        "defsearch: page 1001 of 10 results reaches past result 10,000, the deepest the "
        "OpenSearch backend pages: narrow the search (a filter, match all) instead")
