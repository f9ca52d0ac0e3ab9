"""`update_cluster(corpus, config)`: `defsearch index` against an OpenSearch cluster.

The promises of `search.index.update.update_index`, with the cluster's means:
- per file: the manifest (files and their hashes, the lexicon) is kept in the cluster
  (`store`), so the files added, changed and deleted since the live index are the only
  ones read and analysed;
- atomic: every update writes a new physical index - a fresh one for a first build,
  `--rebuild` or a changed lexicon, else a clone of the live one (`_clone` hard-links its
  segments, so an update costs what changed) - and then moves the alias in one `_aliases`
  request. A run killed midway leaves the alias on the complete previous index; its
  half-written index is removed by the next run;
- one writer at a time (`lock.ClusterLock`), while searches go on against the alias.
"""
from __future__ import annotations

import secrets
import time
from pathlib import Path

from search.backends.config import BackendConfig
from search.backends.opensearch import store
from search.backends.opensearch.client import ClusterError, connect, explain
from search.backends.opensearch.documents import cluster_docs
from search.backends.opensearch.lock import ClusterLock
from search.backends.opensearch.mapping import index_body
from search.errors import DefsearchError
from search.index.manifest import (FORMAT_VERSION, Manifest, analyzer_settings,
                                   check_compatible, library_versions)
from search.index.schema import build_schema
from search.index.update import (IndexReport, _entry, _ingest_safely, _id_registry,
                                  changes, corpus_files)

BULK_CHUNK = 500


def update_cluster(corpus, config: BackendConfig, rebuild: bool = False, progress=None,
                   shards: int | None = None, replicas: int | None = None) -> IndexReport:
    from opensearchpy import exceptions as ox

    client = connect(config)
    try:
        return _update(client, corpus, config, rebuild, progress, shards, replicas)
    except ox.OpenSearchException as err:
        raise explain(err, config, "indexing") from None
    finally:
        client.close()


def _new_name(alias: str) -> str:
    return f"{alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)}"


def _ensure_meta(client, alias: str) -> None:
    from opensearchpy import RequestError

    meta = store.meta_index(alias)
    if not client.indices.exists(index=meta):
        try:
            client.indices.create(index=meta, body=store.META_BODY)
        except RequestError as err:     # another writer created it first
            if "already_exists" not in str(err):
                raise
    client.cluster.health(index=meta, wait_for_status="yellow")


def _update(client, corpus, config, rebuild, progress, shards, replicas) -> IndexReport:
    started = time.perf_counter()
    alias = config.index
    report = IndexReport()
    root, files = corpus_files(corpus, report.failures)
    _ensure_meta(client, alias)
    with ClusterLock(client, alias, config.where):
        live = store.live_index(client, alias)
        _remove_leftovers(client, alias, keep=live)
        old = store.manifest_from_doc(store.read_doc(client, alias, f"manifest:{live}")) \
            if live else None
        if rebuild and live:
            report.reason, old = "--rebuild", None
        elif old is not None:
            try:
                check_compatible(old)
            except DefsearchError:
                report.reason = "the index format or analyzer changed: rebuilt from scratch"
                old = None
        hashes, old_files, todo, glossary_sha = changes(files, old, root, report)
        if old is not None and not todo and not report.deleted \
                and glossary_sha == old.glossary_sha256:
            report.generation = live
            report.articles, report.passages = old.articles, old.passages
            report.seconds = time.perf_counter() - started
            return report
        report.glossary_changed = old is not None and glossary_sha != old.glossary_sha256

        ids = _id_registry()
        articles = _ingest_safely(todo, files, root, report, ids)
        entries = {rel: old_files[rel] for rel in files if rel not in articles}
        for rel, arts in articles.items():
            entries[rel] = _entry(files[rel], hashes[rel], arts)
        lexicon = sorted({n for e in entries.values() for n in e.names})
        if old is not None and lexicon != old.lexicon:
            gained = len(set(lexicon) - set(old.lexicon))
            lost = len(set(old.lexicon) - set(lexicon))
            report.reason = (f"the mined lexicon changed (+{gained}/-{lost} names): "
                             "re-analysed every file")
            rest = [rel for rel in files if rel not in articles]
            for rel, arts in _ingest_safely(rest, files, root, report, ids).items():
                articles[rel] = arts
                entries[rel] = _entry(files[rel], hashes[rel], arts)
            old = None
        report.rebuilt = old is None

        new = _new_name(alias)
        try:
            _start_index(client, alias, live if old is not None else None, new, shards,
                         replicas)
            if old is not None:
                gone = list(articles) + report.deleted
                if gone:
                    _delete_sources(client, new, gone)
            _bulk(client, new, articles, build_schema(lexicon), report, progress)
            client.indices.put_settings(index=new, body={"index": {"refresh_interval": None}})
            client.indices.refresh(index=new)
            glossary = _glossary(client, alias, live if old is not None else None, root,
                                 articles, [aid for rel in report.changed + report.deleted
                                            for aid in old_files[rel].articles]
                                 if old is not None else [], report)
            manifest = Manifest(
                glossary_sha256=glossary_sha, format_version=FORMAT_VERSION,
                analyzer=analyzer_settings(), lexicon=lexicon, libraries=library_versions(),
                corpus=str(Path(corpus)), files=entries,
                passages=sum(e.passages for e in entries.values()),
                articles=sum(len(e.articles) for e in entries.values()),
                built=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            meta = store.meta_index(alias)
            if glossary is not None:
                client.index(index=meta, id=f"glossary:{new}",
                             body={**store.glossary_to_doc(glossary), "index": new})
            client.index(index=meta, id=f"manifest:{new}",
                         body=store.manifest_to_doc(manifest, new), refresh=True)
            client.cluster.health(index=new, wait_for_status="yellow")
            actions = [{"add": {"index": new, "alias": alias}}]
            if live:
                actions.insert(0, {"remove": {"index": live, "alias": alias}})
            client.indices.update_aliases(body={"actions": actions})
        except BaseException:
            if store.live_index(client, alias) != new:
                _drop(client, alias, new)
            raise
        if live:
            _drop(client, alias, live)
        report.generation = new
        report.articles, report.passages = manifest.articles, manifest.passages
        report.indexed_passages = sum(len(a.passages) for arts in articles.values()
                                      for a in arts)
    report.seconds = time.perf_counter() - started
    return report


def _start_index(client, alias, live, new, shards, replicas) -> None:
    """A fresh index, or a clone of the live one (which must block writes to be cloned: no
    one else writes it, since we hold the lock)."""
    if live is None:
        body = index_body(**{k: v for k, v in (("shards", shards), ("replicas", replicas))
                             if v is not None})
        body["settings"]["refresh_interval"] = "-1"
        client.indices.create(index=new, body=body)
    else:
        client.indices.put_settings(index=live, body={"index": {"blocks.write": True}})
        try:
            client.indices.clone(index=live, target=new, body={"settings": {
                "index.blocks.write": None}}, wait_for_active_shards="1")
        finally:
            client.indices.put_settings(index=live, body={"index": {"blocks.write": None}})
    client.cluster.health(index=new, wait_for_status="yellow")


def _delete_sources(client, index: str, sources: list) -> None:
    """Delete every document of the files `sources` (delete-by-query is a plugin the
    cluster may not have: the ids are listed, then deleted in bulk)."""
    from opensearchpy import helpers

    client.indices.refresh(index=index)
    ids, after = [], None
    while True:
        body = {"size": 1000, "_source": False, "sort": [{"pid": "asc"}],
                "query": {"terms": {"source": sources}}}
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        if not hits:
            break
        ids += [h["_id"] for h in hits]
        after = hits[-1]["sort"]
    helpers.bulk(client, ({"_op_type": "delete", "_index": index, "_id": i} for i in ids),
                 chunk_size=BULK_CHUNK)


def _bulk(client, index: str, articles: dict, schema, report: IndexReport, progress) -> None:
    from opensearchpy import helpers

    total = sum(len(a.passages) for arts in articles.values() for a in arts)
    done = 0

    def actions():
        nonlocal done
        for rel, arts in articles.items():
            for article in arts:
                for doc_id, doc in cluster_docs(article, rel, schema):
                    yield {"_index": index, "_id": doc_id, "_source": doc}
                done += len(article.passages)
                if progress is not None:
                    progress(done, total)

    for ok, item in helpers.streaming_bulk(client, actions(), chunk_size=BULK_CHUNK,
                                           raise_on_error=False, max_retries=3):
        if not ok:
            info = next(iter(item.values()), {})
            raise ClusterError(f"OpenSearch refused passage {info.get('_id')!r}: "
                               f"{info.get('error')}")
    report.indexed_chars = sum(len(p.text) for arts in articles.values() for a in arts
                               for p in a.passages)


def _glossary(client, alias, live, root, articles, removed, report):
    """The new index's glossary: the live one updated with what changed (as
    `search.glossary.update_glossary` does beside a Whoosh generation), or built anew; a
    glossary problem is reported, it never costs the index."""
    from search.glossary import Glossary
    from search.glossary.indexing import user_tsv_path

    arts = [a for group in articles.values() for a in group]
    try:
        old = store.glossary_from_doc(store.read_doc(client, alias, f"glossary:{live}")) \
            if live else None
        tsv = user_tsv_path(root)
        if old is None:
            return Glossary.build(arts, user_tsv=tsv)
        return old.update(articles=arts, removed=removed, user_tsv=tsv)
    except Exception as err:    # noqa: BLE001 - the index is still good without expansions
        report.failures.append(f"glossary: {err}")
        return None


def _drop(client, alias: str, index: str) -> None:
    """Delete a physical index and its manifest and glossary."""
    from opensearchpy import NotFoundError

    try:
        client.indices.delete(index=index)
    except NotFoundError:
        pass
    for kind in ("manifest", "glossary"):
        try:
            client.delete(index=store.meta_index(alias), id=f"{kind}:{index}")
        except NotFoundError:
            pass


def _remove_leftovers(client, alias: str, keep: str | None) -> None:
    """Physical indexes of runs killed midway (never aliased): we hold the lock, so no
    one is writing them."""
    for name in client.indices.get(index=f"{alias}-2*", ignore_unavailable=True,
                                   allow_no_indices=True):
        if name != keep:
            _drop(client, alias, name)


def cluster_name(config: BackendConfig) -> str:
    """How reports name the index: the alias and the cluster's URLs."""
    return f"OpenSearch {config.where} (alias {config.index})"
