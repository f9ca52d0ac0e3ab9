"""`defsearch search`: ranked passages for a query (listing, --json, --explain, --batch)."""
from __future__ import annotations

import json
import sys

import click

from search.cli.backend import backend_options, config_of


def _plain(hit, color: bool) -> str:
    """A hit's snippet window as terminal text: marks in bold yellow on a terminal."""
    w = hit.window
    body = "".join(click.style(piece, fg="yellow", bold=True) if marked and color else piece
                   for piece, marked in w.segments(hit.text))
    return ("…" if w.cut_before else "") + body + ("…" if w.cut_after else "")


def print_listing(results, color: bool) -> None:
    pages = max(1, -(-results.total // results.limit))
    if not results.total:
        click.echo(f"no passages match {results.query!r}")
    else:
        click.echo(f"{results.total} passages match {results.query!r} "
                   f"(page {results.page} of {pages}, {results.took_ms:.0f} ms)")
    if results.unmatched:
        click.echo(f"no match for: {', '.join(results.unmatched)}")
    if results.expansions:
        click.echo(f"also searched: {' · '.join(results.expansions)}")
    start = (results.page - 1) * results.limit
    for n, hit in enumerate(results.hits, start + 1):
        click.echo("")
        head = click.style(hit.title or hit.article_id, bold=True) if color else \
            (hit.title or hit.article_id)
        where = " › ".join(x for x in (hit.section,) if x)
        click.echo(f"{n:>3}. {head}" + (f" › {where}" if where else "")
                   + (f"  ({hit.date})" if hit.date else ""))
        click.echo(f"     {hit.passage_id}  score {hit.score:.3f}")
        click.echo("     " + _plain(hit, color).replace("\n", " "))
        for note in hit.footnotes:
            urls = " ".join(note.urls)
            body = note.text or "(note text not in the source)"
            click.echo(f"     [{note.label}] {body}" + (f" {urls}" if urls and urls not in body
                                                         else ""))


@click.command("search")
@click.argument("query", required=False)
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=str), help="Index directory.")
@click.option("--page", default=1, show_default=True, type=int, help="Page of results.")
@click.option("--limit", default=10, show_default=True, type=int, help="Results per page.")
@click.option("--lang", default=None, help="Only passages in this language (en, zh, zh-Hant, zh-Hans).")
@click.option("--article", default=None, help="Only passages of this article id.")
@click.option("--venue", default=None,
              help="Only passages of articles from this journal, publisher or institute.")
@click.option("--year-from", default=None, help="Earliest year (1-9999).")
@click.option("--year-to", default=None, help="Latest year (1-9999).")
@click.option("--no-expand", is_flag=True,
              help="Do not add glossary alternatives or translations.")
@click.option("--no-translate", is_flag=True,
              help="Do not also search the query's translation (English <-> Chinese).")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("--explain", is_flag=True,
              help="Show normalisation, segmentation, expansion and scoring.")
@click.option("--batch", type=click.Path(path_type=str), default=None,
              help="Run every query of a JSONL file ({\"id\", \"text\"} per line).")
@click.option("--run", "run_path", type=click.Path(path_type=str), default=None,
              help="With --batch: write a TREC run file here ('-' for stdout).")
@click.option("--tag", default="defsearch", show_default=True, help="Run tag for --run.")
@click.option("--procs", default=2, show_default=True, type=int,
              help="With --batch: worker processes (each keeps one searcher).")
@backend_options
def search_command(query, index_dir, page, limit, lang, article, venue, year_from, year_to,
                   no_expand, no_translate, as_json, explain, batch, run_path, tag, procs,
                   backend, opensearch_url):
    """Search the index: words, "phrases", OR, NOT/-, title: author: venue: lang: article:
    year: date:."""
    from search.backends import open_engine
    from search.query import filters

    if batch is None and query is None:
        raise click.UsageError("give a QUERY (or --batch FILE --run OUT)")
    if batch is not None and run_path is None:
        raise click.UsageError("--batch needs --run OUT (a TREC run file, '-' for stdout)")
    if batch is None:
        # One query in a fresh process: look words up in jieba's dictionary on disk rather
        # than load all of it (0.6 s); batches and the server keep the in-memory dictionary.
        from search.analysis import use_lazy_dictionary
        use_lazy_dictionary()
    # DefsearchError (missing index, bad query...) becomes one line from the `defsearch` group
    options = filters.search_options(lang=lang, article=article, venue=venue,
                                     year_from=year_from, year_to=year_to,
                                     spelling=filters.CLI)     # the web's checks, too
    engine = open_engine(index_dir, config_of(backend, opensearch_url))
    if batch is not None:
        from search.batch import run_batch
        n = run_batch(engine, batch, run_path, limit, tag, expand=not no_expand, procs=procs,
                      translate=not no_translate)
        if run_path != "-":
            click.echo(f"ran {n} queries -> {run_path}", err=True)
        return
    results = engine.search(query, page=page, limit=limit, expand=not no_expand,
                            translate=not no_translate, explain=explain, **options)
    if as_json:
        data = results.to_json()
        if explain:
            data["explain"] = results.explain
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    color = sys.stdout.isatty()
    if explain:
        for line in results.explain:
            click.echo(f"# {line}")
        click.echo("")
    print_listing(results, color)


command = search_command
