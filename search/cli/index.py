"""`defsearch index`: build or update the passage index from the corpus."""
from __future__ import annotations

import sys
import time

import click

from search.cli.backend import backend_options, config_of


class Progress:
    """A tqdm bar on a terminal; plain lines (about every 10%) otherwise."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.next_line = 0.0
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm
                self.bar = tqdm(total=total, unit="passage", desc="indexing",
                                file=sys.stderr, leave=False)
            self.bar.update(done - self.bar.n)
        elif total and (done >= self.next_line * total or done == total):
            click.echo(f"indexing: {done}/{total} passages "
                       f"({time.perf_counter() - self.started:.1f} s)", err=True)
            self.next_line = done / total + 0.1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _dictionary_ready() -> None:
    """Build the machine's CC-CEDICT cache (query translation, ~6 s, once per machine) here
    rather than in the first search after indexing."""
    from search.glossary import cedict

    path = cedict.cache_path()
    fresh = not path.exists()
    started = time.perf_counter()
    cedict.get()
    if fresh and path.exists():
        click.echo(f"built the CC-CEDICT dictionary cache for query translation at {path} "
                   f"({time.perf_counter() - started:.1f} s, once per machine)", err=True)


@click.command("index")
@click.option("--corpus", default="corpus", show_default=True,
              type=click.Path(path_type=str), help="Folder (or one .jsonl/.txt/.pdf file) to index.")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=str), help="Index directory.")
@click.option("--rebuild", is_flag=True,
              help="Build afresh in a new directory and swap it in atomically.")
@click.option("--check", is_flag=True,
              help="Verify every byte of the live index against its checksums (sha256) "
                   "and change nothing.")
@backend_options
def index_command(corpus: str, index_dir: str, rebuild: bool, check: bool, backend,
                  opensearch_url) -> None:
    """Build or update the index: only new, changed and deleted files are processed.

    A damaged index (a file missing or changed since it was written) is rebuilt.
    """
    config = config_of(backend, opensearch_url)
    if check and config.backend != "whoosh":
        raise click.UsageError("--check verifies a Whoosh index folder; an OpenSearch "
                               "cluster checks its own shards")
    if check:
        from search.index.manifest import check_index
        gen, files, size = check_index(index_dir)
        click.echo(f"index at {index_dir} is intact: {gen}, {files} files, "
                   f"{size / 1e6:.1f} MB checked (sha256)")
        return

    run_update(corpus, index_dir, rebuild, config)


def run_update(corpus, index_dir, rebuild: bool = False, config=None) -> None:
    """`update_index` with a progress bar and its report printed (`defsearch index`, and
    `defsearch serve` when it has to build the index first)."""
    import signal

    from search import backends

    def stop(signum, frame):       # `kill`: clean up (workers, half-written generation)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    progress = Progress()
    try:
        report = backends.update(corpus, index_dir, config, rebuild=rebuild,
                                 progress=progress)
    finally:
        progress.close()
    _dictionary_ready()
    if config is not None and config.backend == "opensearch":
        from search.backends.opensearch.indexer import cluster_name
        index_dir = cluster_name(config)
    print_report(report, index_dir)


def print_report(report, index_dir) -> None:
    """What `update_index` did, as `defsearch index` (and `defsearch serve`) print it."""
    for failure in report.failures:
        click.echo(f"defsearch: skipped {failure}", err=True)
    if report.lexicon_changed:
        click.echo(f"re-analysed all {report.files} files: {report.reason}", err=True)
    elif report.reason:
        click.echo(f"re-analysed everything: {report.reason}", err=True)
    if report.nothing_changed:
        click.echo(f"index at {index_dir} is up to date: {report.unchanged} files unchanged "
                   f"({report.articles} articles, {report.passages} passages)")
        _warn_if_empty(report)
        return
    rate = report.indexed_chars / report.seconds / 1000 if report.seconds else 0
    done = "built" if report.first_build else \
        "rebuilt" if report.rebuilt and not report.lexicon_changed else "updated"
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    click.echo(f"{done} index at {index_dir} "
               f"({report.generation}): {len(report.added)} added, {len(report.changed)} "
               f"changed, {len(report.deleted)} deleted, {report.unchanged} unchanged"
               f"{skipped}")
    click.echo(f"analysed {report.indexed_passages} passages in {report.seconds:.1f} s "
               f"({rate:.0f}k chars/s); index holds {report.articles} articles, "
               f"{report.passages} passages")
    if report.timings:
        click.echo("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    _warn_if_empty(report)


def _warn_if_empty(report) -> None:
    if not report.articles:
        click.echo(f"defsearch: warning: the index is empty: {_why_empty(report)}", err=True)


def _why_empty(report) -> str:
    from search.ingest.corpus import SUFFIXES

    if report.files:
        return f"no file of {report.corpus} could be read (see the skipped files above)"
    return (f"{report.corpus} has no {', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]} files: "
            "add articles there, then run `defsearch index` again")


command = index_command
