"""The backend seam: which index a search, an update or the web page talks to.

Whoosh (an index folder, `search.engine.engine.Engine`, `search.index.update.update_index`)
is the default and needs no configuration. OpenSearch (`search.backends.opensearch`) runs
the same analysis, the same query plan and the same hit assembly against a cluster; it is
chosen by `--backend opensearch --opensearch URL` or by environment variables (see
`search.backends.config`). Both engines answer `search`, `rank`, `article`, `stats`,
`doc_frequency`, `live_generation` and `close` alike, so front ends never ask which one
they hold.
"""
from __future__ import annotations

from search.backends.config import BackendConfig, resolve


def open_engine(index_dir, config: BackendConfig | None = None):
    """The Engine of the configured backend (Whoosh on `index_dir` by default)."""
    config = config or resolve()
    if config.backend == "opensearch":
        from search.backends.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(config)
    from search.engine.engine import Engine

    return Engine(index_dir)


def update(corpus, index_dir, config: BackendConfig | None = None, rebuild: bool = False,
           progress=None, embedding=None):
    """`defsearch index` on the configured backend; an IndexReport either way."""
    config = config or resolve()
    if config.backend == "opensearch":
        from search.backends.opensearch.indexer import update_cluster

        return update_cluster(corpus, config, rebuild=rebuild, progress=progress)
    from search.index.update import update_index

    return update_index(corpus, index_dir, rebuild=rebuild, progress=progress,
                        embedding=embedding)


__all__ = ["BackendConfig", "resolve", "open_engine", "update"]
