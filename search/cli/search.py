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


def page_label(pages: list[str]) -> str:
    """`p. 3`, `pp. 14–15`, or "" (the source has no pages)."""
    from search.cite.source import page_range

    return "" if not pages else ("p. " if len(set(pages)) == 1 else "pp. ") + page_range(pages)


def print_listing(results, color: bool) -> None:
    took = f"{results.took_ms:.0f} ms"
    last = results.last_page
    if not results.total:
        click.echo(f"no passages match {results.query!r}")
    elif results.page > last:
        click.echo(f"{results.query!r}: {results.count_line()} ({took})")
        click.echo(f"page {results.page} is past the end: the results end on page {last} "
                   f"(--page {last})")
    else:
        click.echo(f"{results.query!r}: {results.count_line()} "
                   f"(page {results.page} of {last}, {took})")
    for line in results.notices():
        click.echo(line)
    if results.did_you_mean:
        click.echo(f"did you mean: {results.did_you_mean}")
    if results.expansions:
        click.echo(f"also searched: {' · '.join(results.expansions)}")
    if results.facets is not None:
        print_facets(results)
    start = (results.page - 1) * results.limit
    for n, hit in enumerate(results.hits, start + 1):
        click.echo("")
        head = click.style(hit.title or hit.article_id, bold=True) if color else \
            (hit.title or hit.article_id)
        where = " › ".join(x for x in (hit.section,) if x)
        click.echo(f"{n:>3}. {head}" + (f" › {where}" if where else "")
                   + (f"  ({hit.date})" if hit.date else ""))
        if hit.authors:
            click.echo(f"     {', '.join(hit.authors)}")
        pages = page_label(hit.pages)
        click.echo(f"     {hit.passage_id}  score {hit.score:.3f}" + (f"  {pages}" if pages else "")
                   + ("  OCR text" if hit.ocr else "")
                   + (f"  {BY_MEANING}" if hit.by_meaning else ""))
        click.echo("     " + _plain(hit, color).replace("\n", " "))
        for note in hit.footnotes:
            urls = " ".join(note.urls)
            body = note.text or "(note text not in the source)"
            click.echo(f"     [{note.label}] {body}" + (f" {urls}" if urls and urls not in body
                                                         else ""))
        if hit.more:
            click.echo(f"     + {hit.more} more passage{'s' if hit.more > 1 else ''} from "
                       f"this article (--article {hit.article_id})")


BY_MEANING = "close in meaning (holds no word of the query)"

FACET_NAMES = {"year": "year", "venue": "venue", "author": "author", "lang": "language",
               "article": "article"}


def print_facets(results) -> None:
    """The facets of the whole result set, one line each (`--facets`)."""
    f = results.facets
    click.echo(f"facets of the {results.total:,} passages shown:")
    for name, title in FACET_NAMES.items():
        values = getattr(f, name)
        if not values and not (name == "year" and f.undated):
            continue
        if name == "lang":
            items = [f"{v.label} [{v.value}] ({v.count:,})" for v in values]
        elif name == "article":
            items = [f"{v.label} [{v.value}] ({v.count:,})" for v in values]
        else:
            items = [f"{v.label} ({v.count:,})" for v in values]
        if name == "year" and f.undated:
            items.append(f"no date ({f.undated:,})")
        click.echo(f"  {title}: " + " · ".join(items))


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
@click.option("--author", default=None,
              help="Only passages of articles listing this author (exactly, as --facets shows).")
@click.option("--match", "match", type=click.Choice(["any", "all"]), default="any",
              show_default=True,
              help="any: every passage with some of the words, those with every word first; "
                   "all: only passages with every word.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True, help="Order of the results.")
@click.option("--group", is_flag=True,
              help="One result per article (its best passage), its other passages counted.")
@click.option("--facets", "show_facets", is_flag=True,
              help="Also print counts of all matched passages by year, venue, author, "
                   "language and article.")
@click.option("--no-expand", is_flag=True,
              help="Do not add glossary alternatives, translations or passages close in "
                   "meaning.")
@click.option("--no-translate", is_flag=True,
              help="Do not also search the query's translation (English <-> Chinese) or, "
                   "on an index with meaning vectors, the passages closest in meaning.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("--export", "export_format", type=click.Choice(["bibtex", "ris", "csv", "json"]),
              default=None, help="Export the result list (its first 500 passages; BibTeX "
                                 "and RIS: one entry per article) instead of listing it.")
@click.option("--explain", is_flag=True,
              help="Show normalisation, segmentation, expansion and scoring.")
@click.option("--batch", type=click.Path(path_type=str), default=None,
              help="Run every query of a JSONL file ({\"id\", \"text\"} per line), ranked "
                   "by relevance alone (every-word passages are not moved first).")
@click.option("--run", "run_path", type=click.Path(path_type=str), default=None,
              help="With --batch: write a TREC run file here ('-' for stdout).")
@click.option("--tag", default="defsearch", show_default=True, help="Run tag for --run.")
@click.option("--procs", default=2, show_default=True, type=int,
              help="With --batch: worker processes (each keeps one searcher).")
@backend_options
def search_command(query, index_dir, page, limit, lang, article, venue, year_from, year_to,
                   author, match, sort, group, show_facets, no_expand, no_translate, as_json,
                   export_format, explain, batch, run_path, tag, procs, backend, opensearch_url):
    """Search the index: words, "phrases", OR, NOT/-, title: author: venue: lang: article:
    year: date:."""
    from search.backends import open_engine
    from search.engine.engine import API_MAX_LIMIT, MAX_LIMIT
    from search.errors import QueryError
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
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit} "
                         f"(the web API allows up to {API_MAX_LIMIT} a request)")
    if page < 1:
        raise QueryError(f"--page must be 1 or more, not {page}")
    search = engine.search
    from search.cite import works
    if works.split_cites(query)[1]:          # cites:"…": passages citing a work
        entries = works.corpus_works(engine)
        search = lambda q, **kw: works.search_citing(engine, entries, q, **kw)   # noqa: E731
    if export_format is not None:
        from search.cite import export
        hits, articles, total = export.collect(engine, query, search, expand=not no_expand,
                                               translate=not no_translate, **options)
        click.echo(export.export_hits(export_format, hits, articles, query), nl=False)
        if total > len(hits):
            click.echo(f"defsearch: exported the first {len(hits)} of {total} passages "
                       f"(the export limit is {export.EXPORT_LIMIT})", err=True)
        return
    results = search(query, page=page, limit=limit, expand=not no_expand,
                     translate=not no_translate, explain=explain, author=author,
                     match=match, sort=sort, group=group, facets=show_facets, **options)
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
