"""`defsearch serve`: the web search page on a production WSGI server (waitress).

On a fresh clone there is no index yet: build it from the corpus first (the same library
call as `defsearch index`, with a progress bar), then serve.
"""
from __future__ import annotations

from pathlib import Path

import click

from search.errors import DefsearchError, IndexDamaged, IndexNotFound, IndexOutOfDate


def ensure_index(index_dir: Path, corpus: Path) -> bool:
    """Build (or rebuild, when incompatible) the index at `index_dir` from `corpus` by
    running `defsearch index` itself (same progress bar and report). True if it built."""
    from search.index.checksums import verify_generation
    from search.index.manifest import check_compatible, current_generation, read_manifest
    try:
        gen = current_generation(index_dir)
        verify_generation(gen)
        check_compatible(read_manifest(gen))
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
    from search.cli.index import index_command
    args = ["--corpus", str(corpus), "--index", str(index_dir)] + (["--rebuild"] if rebuild else [])
    index_command.main(args, prog_name="defsearch index", standalone_mode=False)
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
@click.option("--workers", type=click.IntRange(1, 32),
              help="Server processes sharing the port, each with its own engine and cache "
                   "[default: one per CPU core, at most 4].")
def serve(host: str, port: int, index_dir: Path, corpus: Path, threads: int,
          cache_size: int, header_timeout: float, workers: int) -> None:
    """Serve the search page, article pages and JSON API with waitress.

    Builds the index from CORPUS first if INDEX has none (e.g. on a fresh clone).
    """
    index_dir = index_dir.resolve()
    if workers is None:
        import os
        workers = max(1, min(os.cpu_count() or 1, 4))   # Python serves a request per core
    ensure_index(index_dir, corpus)
    from search.cli.slow_clients import bounded_server

    from web import create_app
    config = {"INDEX_DIR": str(index_dir), "SEARCH_CACHE_SIZE": cache_size}
    options = dict(threads=threads, ident="defsearch", channel_timeout=30,
                   connection_limit=200, header_timeout=header_timeout)
    banner = (f"defsearch: serving {index_dir} on http://{host}:{port}/ "
              f"({workers} process{'es' if workers > 1 else ''} x {threads} threads; "
              "Ctrl-C to stop)")
    if workers == 1:
        import logging
        logging.basicConfig()           # as waitress.serve does: its warnings on stderr
        try:
            server = bounded_server(create_app(config), host=host, port=port, **options)
        except OSError as err:
            raise _cannot_listen(host, port, err) from None
        click.echo(banner, err=True)
        server.run()
        return
    _serve_forked(create_app, config, host, port, workers, options, banner)


def _cannot_listen(host: str, port: int, err: OSError) -> DefsearchError:
    import errno
    fix = {errno.EADDRINUSE: "stop the other server or pass --port N",
           errno.EACCES: "pass --port 1024 or above"}.get(err.errno, "check --host and --port")
    return DefsearchError(f"cannot listen on {host}:{port} ({err.strerror}): {fix}")


def _serve_forked(create_app, config, host, port, workers, options, banner) -> None:
    """Bind once, fork `workers` waitress processes accepting on the same socket (the
    kernel spreads connections), and stop them all on Ctrl-C / SIGTERM."""
    import os
    import signal
    import socket

    from search.cli.slow_clients import serve as waitress_serve

    try:
        family, kind, proto, _name, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
    except OSError as err:
        raise _cannot_listen(host, port, err) from None
    sock.listen(1024)
    click.echo(banner, err=True)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:                                    # worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                waitress_serve(create_app(config), sockets=[sock], **options)
            finally:
                os._exit(0)
        children.append(pid)
    sock.close()

    def stop(_signum, _frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break

command = serve
