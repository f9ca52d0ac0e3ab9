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
import shutil
import tempfile
import time
from pathlib import Path

from search.backends.config import BackendConfig
from search.backends.opensearch import store
from search.backends.opensearch.client import ClusterError, connect, explain
from search.backends.opensearch.bulk import BULK_CHUNK, send_spill
from search.backends.opensearch.lock import ClusterLock
from search.backends.opensearch.mapping import index_body
from search.errors import DefsearchError
from search.index.manifest import (FORMAT_VERSION, Manifest, analyzer_settings,
                                   check_compatible, library_versions)
from search.index.schema import build_schema
from search.index.spill import ArticleSpill
from search.index.update import (PROCS, IndexReport, _cost, _entry, _id_registry,
                                  _ingest_each, _mining, changes, corpus_files)


def update_cluster(corpus, config: BackendConfig, rebuild: bool = False, progress=None,
                   shards: int | None = None, replicas: int | None = None,
                   procs: int = PROCS) -> IndexReport:
    from opensearchpy import exceptions as ox

    client = connect(config)
    try:
        return _update(client, corpus, config, rebuild, progress, shards, replicas, procs)
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


def _update(client, corpus, config, rebuild, progress, shards, replicas,
            procs) -> IndexReport:
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

        work = Path(tempfile.mkdtemp(prefix="defsearch-spill-"))
        spill = ArticleSpill(work)
        ids = _id_registry(work)
        try:
            return _write(client, config, corpus, root, files, live, old, old_files, hashes,
                          todo, glossary_sha, ids, spill, report, progress, shards,
                          replicas, procs, started)
        finally:
            ids.close()
            spill.remove()
            shutil.rmtree(work, ignore_errors=True)


def _write(client, config, corpus, root, files, live, old, old_files, hashes, todo,
           glossary_sha, ids, spill, report, progress, shards, replicas, procs,
           started) -> IndexReport:
    """Read the files `todo` into `spill` (every file before any analysis: the lexicon
    mined from all of them decides the segmentation), then write and swap a new index."""
    alias = config.index
    ingested: dict[str, int] = {}       # rel -> articles it gave
    new_entries: dict = {}
    mining = _mining()      # each article mined once: names now, glossary later

    def keep(rel, arts) -> None:
        arts = list(arts)       # a stream to read once (update._ingest_each)
        ingested[rel] = len(arts)
        new_entries[rel] = _entry(files[rel], hashes[rel], arts, mining)
        for article in arts:
            spill.add(rel, article, _cost(article))

    _ingest_each(todo, files, root, report, keep, ids)
    entries = {rel: old_files[rel] for rel in files if rel not in ingested}
    entries.update(new_entries)
    lexicon = sorted({n for e in entries.values() for n in e.names})
    if old is not None and lexicon != old.lexicon:
        gained = len(set(lexicon) - set(old.lexicon))
        lost = len(set(old.lexicon) - set(lexicon))
        report.reason = (f"the mined lexicon changed (+{gained}/-{lost} names): "
                         "re-analysed every file")
        _ingest_each([rel for rel in files if rel not in ingested], files, root, report,
                     keep, ids)
        entries.update(new_entries)
        old = None
    spill.finish()
    report.rebuilt = old is None

    new = _new_name(alias)
    try:
        _start_index(client, alias, live if old is not None else None, new, shards,
                     replicas)
        if old is not None:
            gone = list(ingested) + report.deleted
            if gone:
                _delete_sources(client, new, gone)
        send_spill(client, config, new, spill, build_schema(lexicon), procs, progress)
        report.indexed_chars = spill.chars
        _finish_index(client, new, fresh=old is None, replicas=replicas)
        removed = [aid for rel in report.changed + report.deleted
                   for aid in old_files[rel].articles] if old is not None else []
        glossary = _glossary(client, alias, live if old is not None else None, root,
                             mining, removed, report)
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
    report.indexed_passages = spill.passages
    report.seconds = time.perf_counter() - started
    return report


# While a fresh index is filled no one searches it (the alias names the previous one): no
# replicas (they are copied whole at the end, cheaper than indexing every document twice),
# no refreshes, and the translog synced in the background rather than per bulk request.
# `_finish_index` restores what searches and node failures need before the alias moves.
BUILD_SETTINGS = {"number_of_replicas": 0, "refresh_interval": "-1",
                  "translog.durability": "async"}
REPLICAS_WAIT = 600         # seconds the finished index may take to copy its replicas


def _start_index(client, alias, live, new, shards, replicas) -> None:
    """A fresh index (with BUILD_SETTINGS), or a clone of the live one (which must block
    writes to be cloned: no one else writes it, since we hold the lock)."""
    if live is None:
        body = index_body(**({"shards": shards} if shards is not None else {}))
        body["settings"].update(BUILD_SETTINGS)
        client.indices.create(index=new, body=body)
    else:
        client.indices.put_settings(index=live, body={"index": {"blocks.write": True}})
        try:
            client.indices.clone(index=live, target=new, body={"settings": {
                "index.blocks.write": None}}, wait_for_active_shards="1")
        finally:
            client.indices.put_settings(index=live, body={"index": {"blocks.write": None}})
    client.cluster.health(index=new, wait_for_status="yellow")


def _finish_index(client, new: str, fresh: bool, replicas: int | None) -> None:
    """Searchable and as safe as the settings ask: a fresh index gets its replicas back
    (and waits for them, on a cluster with the nodes to hold them), its refreshes and a
    per-request translog; then it is refreshed."""
    from search.backends.opensearch.mapping import REPLICAS

    if fresh:
        want = REPLICAS if replicas is None else replicas
        client.indices.put_settings(index=new, body={"index": {
            "number_of_replicas": want, "refresh_interval": None,
            "translog.durability": None}})
        nodes = client.cluster.health()["number_of_data_nodes"]
        _wait_for(client, new, "green" if nodes > want else "yellow")
    else:
        client.indices.put_settings(index=new, body={"index": {"refresh_interval": None}})
    client.indices.refresh(index=new)


def _wait_for(client, index: str, status: str) -> None:
    """Until `index` is `status` or REPLICAS_WAIT passed (each wait is the server's 30 s;
    a wait that times out answers 408)."""
    from opensearchpy import TransportError

    deadline = time.monotonic() + REPLICAS_WAIT
    while time.monotonic() < deadline:
        try:
            if not client.cluster.health(index=index, wait_for_status=status,
                                         request_timeout=60)["timed_out"]:
                return
        except TransportError as err:
            if err.status_code != 408:
                raise


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


def _glossary(client, alias, live, root, mining, removed, report):
    """The new index's glossary: the live one updated with the articles `mining`
    (`search.glossary.Mining`) mined as they were read and without the `removed` ones (as
    `search.glossary.update_glossary` does beside a Whoosh generation), or built anew; a
    glossary problem is reported, it never costs the index."""
    from search.glossary import Glossary
    from search.glossary.indexing import user_tsv_path

    try:
        old = store.glossary_from_doc(store.read_doc(client, alias, f"glossary:{live}")) \
            if live else None
        tsv = user_tsv_path(root)
        if old is None:
            return Glossary.build((), user_tsv=tsv, mining=mining)
        return old.update(removed=removed, user_tsv=tsv, mining=mining)
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
