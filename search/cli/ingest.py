"""`defsearch ingest PATH [--json]`: show what the ingester recovers from a file or folder.

The same `search.ingest` code path the indexer uses, so this is how to check a new source
before indexing it. Bad files are reported on stderr, one line each, and make the exit
status 1; the other files are still printed.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from ..ingest import iter_articles
from ..model import Article, IngestFailure


def _text(article: Article) -> str:
    out = [f"== {article.id}  ({article.source})", f"{'title:':<13}{article.title}"]
    for label, value in (("title (en)", article.title_en),
                         ("authors", "、".join(article.authors)),
                         ("affiliation", article.affiliation), ("date", article.date),
                         ("venue", article.venue), ("url", article.url),
                         ("keywords", "；".join(article.keywords)),
                         ("keywords en", "; ".join(article.keywords_en)),
                         ("language", article.lang)):
        if value:
            out.append(f"{label + ':':<13}{value}")
    for label, value in (("abstract", article.abstract), ("abstract en", article.abstract_en)):
        if value:               # shown in full as passages below
            out.append(f"{label + ':':<13}{value[:80]}{'…' if len(value) > 80 else ''}")
    section = None
    for passage in article.passages:
        if passage.section != section:
            section = passage.section
            out.append("")
            out.append("## " + (" › ".join(section) if section else "(no section)"))
        notes = ""
        if passage.notes:
            notes = "  notes: " + ", ".join(n.label for n in passage.notes)
        out.append(f"[{passage.id}] ({passage.lang}){notes}")
        out.append(f"  {passage.text}")
    if article.footnotes:
        out.append("")
        out.append("## footnotes")
        for note in article.footnotes:
            out.append(f"  {note.label}. {note.text or '(text not in the source)'}")
    out.append("")
    return "\n".join(out)


@click.command("ingest")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print {articles, failures} as JSON instead of text.")
def command(path: Path, as_json: bool) -> None:
    """Print the articles parsed from PATH (a .txt, .pdf or .jsonl file, or a folder):
    metadata, sections, passages with their ids and note references, footnotes.

    Exit status 1 if any file could not be ingested (the others are still printed).
    """
    failures: list[IngestFailure] = []
    if as_json:
        articles = [dataclasses.asdict(a) for a in iter_articles(path, failures)]
        click.echo(json.dumps({"articles": articles,
                               "failures": [dataclasses.asdict(f) for f in failures]},
                              ensure_ascii=False, indent=2))
    else:
        for article in iter_articles(path, failures):
            click.echo(_text(article))
    for failure in failures:
        click.echo(f"defsearch: {failure.path}: {failure.problem}", err=True)
    if failures:
        sys.exit(1)
