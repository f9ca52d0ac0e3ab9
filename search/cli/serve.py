"""`defsearch serve`: the web search page on a production WSGI server (waitress).

On a fresh clone there is no index yet: build it from the corpus first (the same library
call as `defsearch index`, with a progress bar), then serve.
"""
from __future__ import annotations

from pathlib import Path

import click

from search.cli.backend import backend_options, config_of

from search.errors import DefsearchError, IndexDamaged, IndexNotFound, IndexOutOfDate


def ensure_index(index_dir: Path, corpus: Path) -> bool:
    """Build (or rebuild, when incompatible) the index at `index_dir` from `corpus`, with
    the progress bar and report of `defsearch index`. True if it built."""
    from search.index.manifest import check_servable
    try:
        check_servable(index_dir)
        return False
    except IndexNotFound:
        if index_dir.exists() and not index_dir.is_dir():
            raise
        reason, rebuild = f"no index at {index_dir}: building it from {corpus}", False
    except (IndexOutOfDate, IndexDamaged) as err:
        reason, rebuild = f"{err} - rebuilding it from {corpus}", True
    if not Path(corpus).exists():
        raise DefsearchError(
            f"{reason.split(':')[0]}, and no corpus at {corpus} to build it from "
            "(pass --index DIR or --corpus DIR)")
    click.echo(reason, err=True)
    from search.cli.index import run_update
    run_update(str(corpus), str(index_dir), rebuild)
    return True


def ensure_cluster_index(config, corpus: Path) -> bool:
    """`ensure_index` for the OpenSearch backend: build the alias's index from `corpus`
    when the cluster has none yet. True if it built."""
    from search.backends.opensearch.engine import OpenSearchEngine
    try:
        OpenSearchEngine(config).close()
        return False
    except IndexNotFound as err:
        if not Path(corpus).exists():
            raise DefsearchError(f"{err}, and no corpus at {corpus} to build it from "
                                 "(pass --corpus DIR)") from None
    click.echo(f"no index {config.index!r} in OpenSearch: building it from {corpus}", err=True)
    from search.cli.index import run_update
    run_update(str(corpus), "", False, config)
    return True


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0 exposes it to the network).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=Path), help="Index directory.")
@click.option("--corpus", default="corpus", show_default=True,
              type=click.Path(path_type=Path),
              help="Corpus to build the index from when there is none yet.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads of the WSGI server.")
@click.option("--cache", "cache_size", default=512, show_default=True,
              type=click.IntRange(0, 100_000),
              help="Recent search results kept in memory per index generation (0 = off).")
@click.option("--header-timeout", default=10.0, show_default=True,
              type=click.FloatRange(0.1, 3600),
              help="Seconds a client may take to send a request's headers (slow clients "
                   "are cut off; each client also holds at most 32 connections).")
@click.option("--watch", is_flag=True,
              help="Also watch CORPUS and update the index as files arrive (as `defsearch "
                   "watch` does, in a process of its own); the page follows each update.")
@click.option("--poll", is_flag=True,
              help="With --watch: poll the folder instead of using the OS's file events.")
@click.option("--workers", type=click.IntRange(1, 32),
              help="Server processes sharing the port, each with its own engine and cache "
                   "[default: one per CPU core, at most 4].")
@backend_options
def serve(host: str, port: int, index_dir: Path, corpus: Path, threads: int,
          cache_size: int, header_timeout: float, watch: bool, poll: bool,
          workers: int, backend, opensearch_url) -> None:
    """Serve the search page, article pages and JSON API with waitress.

    Builds the index from CORPUS first if INDEX has none (e.g. on a fresh clone).
    """
    index_dir = index_dir.resolve()
    if workers is None:
        import os
        workers = max(1, min(os.cpu_count() or 1, 4))   # Python serves a request per core
    backend_config = config_of(backend, opensearch_url)
    if backend_config.backend == "opensearch":
        ensure_cluster_index(backend_config, corpus)
        from search.backends.opensearch.indexer import cluster_name
        where = cluster_name(backend_config)
    else:
        ensure_index(index_dir, corpus)
        where = index_dir
    from web.serving import serve as serve_app
    config = {"INDEX_DIR": str(index_dir), "SEARCH_CACHE_SIZE": cache_size,
              "BACKEND": backend_config}
    options = dict(threads=threads, ident="defsearch", channel_timeout=30,
                   connection_limit=200, header_timeout=header_timeout)
    banner = (f"defsearch: serving {where} on http://{host}:{port}/ "
              f"({workers} process{'es' if workers > 1 else ''} x {threads} threads; "
              "Ctrl-C to stop)")
    watcher = _start_watcher(corpus, index_dir, poll) if watch else None
    try:
        serve_app(config, host, port, workers, options,
                  announce=lambda: click.echo(banner, err=True))
    finally:
        if watcher is not None:
            _stop(watcher)


def _start_watcher(corpus: Path, index_dir: Path, poll: bool):
    """`defsearch watch` in a process of its own (its lines go to this terminal): the
    server forks its workers, which must not inherit the watcher's threads."""
    import subprocess
    import sys

    if not Path(corpus).is_dir():
        raise DefsearchError(f"--watch: no corpus folder at {corpus} to watch: "
                             "pass --corpus DIR")
    args = [sys.executable, "-c", "from search.cli import main; main()", "watch",
            "--corpus", str(corpus), "--index", str(index_dir)] + (["--poll"] if poll else [])
    return subprocess.Popen(args)


def _stop(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


command = serve
