"""`defsearch watch`: keep the index up to date while files arrive in the corpus."""
from __future__ import annotations

import time

import click


def watch_options(f):
    for option in reversed([
            click.option("--poll", is_flag=True,
                         help="Poll the folder instead of using the OS's file events "
                              "(network shares; used anyway where events are unavailable)."),
            click.option("--quiet", "quiet", default=0.3, show_default=True,
                         type=click.FloatRange(0.05, 60),
                         help="Seconds without a change (and with every changed file's "
                              "size and mtime still) before the index is updated.")]):
        f = option(f)
    return f


def run_watcher(corpus, index_dir, poll: bool, quiet: float) -> None:
    """Watch in the foreground until Ctrl-C or SIGTERM (lines: a time, then what happened)."""
    import signal

    from search.watch import Logger, Watcher

    def info(line: str) -> None:
        click.echo(f"{time.strftime('%H:%M:%S')} {line}")

    def problem(line: str) -> None:
        click.echo(f"defsearch: {line}", err=True)

    def stop(signum, frame):          # `kill`: leave no half-written generation
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    watcher = Watcher(corpus, index_dir, Logger(info, problem), polling=poll, quiet=quiet)
    try:
        watcher.run()
    except KeyboardInterrupt:
        info("stopped watching")


@click.command("watch")
@click.option("--corpus", default="corpus", show_default=True,
              type=click.Path(path_type=str), help="Corpus folder to watch.")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=str), help="Index directory to keep up to date.")
@watch_options
def watch_command(corpus: str, index_dir: str, poll: bool, quiet: float) -> None:
    """Update the index whenever files in the corpus are added, changed, renamed or deleted.

    Runs in the foreground with a line per change; a running `defsearch serve` switches to
    each new index by itself. Files still being written, hidden and temporary files
    (.part, .crdownload, ~$...) wait or are ignored; a bad file is reported once.
    """
    from pathlib import Path

    from search.index.update import _make_dir
    from search.ingest.corpus import CorpusNotFound

    if not Path(corpus).is_dir():
        raise CorpusNotFound(corpus)
    _make_dir(Path(index_dir))         # `--index afile`: one line, before watching
    run_watcher(corpus, index_dir, poll, quiet)


command = watch_command
