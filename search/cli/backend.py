"""`--backend` and `--opensearch URL`, shared by `index`, `search` and `serve`.

Credentials have no option: they come from DEFSEARCH_OPENSEARCH_USER/_PASSWORD or the
settings file (`search.backends.config`), so they never show in a process list.
"""
from __future__ import annotations

import click


def backend_options(command):
    command = click.option(
        "--opensearch", "opensearch_url", default=None, metavar="URL",
        help="OpenSearch cluster URL(s), comma-separated (or DEFSEARCH_OPENSEARCH_URL); "
             "implies --backend opensearch.")(command)
    return click.option(
        "--backend", type=click.Choice(["whoosh", "opensearch"]), default=None,
        help="Where the index lives: whoosh (the --index folder, default) or opensearch "
             "(or DEFSEARCH_BACKEND).")(command)


def config_of(backend, url):
    from search.backends import resolve

    return resolve(backend, url)
