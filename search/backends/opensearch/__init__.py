"""The OpenSearch backend: the same analysis, query plan and hits on a cluster.

`client` (connecting, every error as one DefsearchError line), `mapping` (the index
settings: pre-analysed fields, per-script BM25 similarities), `documents` (an Article's
passages as documents of pre-analysed token streams), `compile` (QueryPlan -> query DSL),
`engine` (`OpenSearchEngine`: the Engine API on a cluster), `indexer` (`update_cluster`:
per-file updates into a new physical index, an atomic alias swap, the writer's lock).
"""
