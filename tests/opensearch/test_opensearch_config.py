"""Choosing the backend: options over environment variables over the settings file."""
from __future__ import annotations

import json


def test_whoosh_is_the_default():
    from search.backends import resolve

    assert resolve(env={}).backend == "whoosh"


def test_a_settings_file_with_credentials_that_never_show(tmp_path):
    from search.backends import resolve

    path = tmp_path / "opensearch.json"
    path.write_text(json.dumps({"url": "https://a:9200,https://b:9200", "user": "reader",
                                "password": "s3cret", "index": "library"}))
    config = resolve(env={"DEFSEARCH_OPENSEARCH_CONFIG": str(path)})
    assert (config.backend, config.urls, config.user, config.index) == \
        ("opensearch", ("https://a:9200", "https://b:9200"), "reader", "library")
    assert config.password == "s3cret"
    assert "s3cret" not in repr(config) and "s3cret" not in config.where


def test_options_win_over_the_environment_which_wins_over_the_file(tmp_path):
    from search.backends import resolve

    path = tmp_path / "opensearch.json"
    path.write_text(json.dumps({"url": "https://file:9200", "index": "from-file"}))
    env = {"DEFSEARCH_OPENSEARCH_CONFIG": str(path),
           "DEFSEARCH_OPENSEARCH_URL": "https://env:9200"}
    assert resolve(env=env).urls == ("https://env:9200",)
    assert resolve(env=env).index == "from-file"
    assert resolve(url="https://option:9200", env=env).urls == ("https://option:9200",)
    assert resolve(backend="whoosh", env=env).backend == "whoosh"


def test_a_bad_settings_file_is_one_line(cli, tmp_path, runner):
    from search.cli import main

    path = tmp_path / "opensearch.json"
    path.write_text("url = https://x")
    out = runner.invoke(main, ["search", "中俄"], env={"DEFSEARCH_OPENSEARCH_CONFIG": str(path)})
    assert out.exit_code == 1
    assert out.output.strip().splitlines()[-1] == (
        f"defsearch: {path}: not a JSON object of OpenSearch settings "
        "(url, user, password, ca_certs, verify, index)")
