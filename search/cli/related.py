"""`defsearch related ID`: passages on the same subject as one passage, in other articles
and in either language."""
from __future__ import annotations

import json

import click


@click.command("related")
@click.argument("passage_id")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=str), help="Index directory.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100),
              help="How many passages.")
@click.option("--same-article", is_flag=True,
              help="Also passages of the passage's own article.")
@click.option("--json", "as_json", is_flag=True, help="Print the passages as JSON.")
def related_command(passage_id, index_dir, limit, same_article, as_json):
    """Passages like PASSAGE_ID (more like this), other articles first, both languages."""
    from search.cite.lookup import find
    from search.cite.source import page_range
    from search.engine.engine import Engine
    from search.errors import QueryError
    from search.related import related

    engine = Engine(index_dir)
    article, passage = find(engine, passage_id)
    if passage is None:
        raise QueryError(f"{passage_id!r} is an article: give one of its passages "
                         f"({article.passages[0].id if article.passages else passage_id + '#p0'})")
    hits, terms = related(engine, article, passage, limit, same_article)
    if as_json:
        click.echo(json.dumps({"passage_id": passage.id, "terms": terms, "results": [{
            "passage_id": h.passage_id, "article_id": h.article_id, "title": h.title,
            "section": h.section, "lang": h.lang, "pages": h.pages, "score": h.score,
            "text": h.text} for h in hits]}, ensure_ascii=False, indent=1))
        return
    if not hits:
        click.echo(f"no related passages for {passage.id} (searched: {' '.join(terms)})")
        return
    click.echo(f"{len(hits)} passages like {passage.id} (searched: {' '.join(terms)})")
    for n, hit in enumerate(hits, 1):
        pages = page_range(hit.pages)
        click.echo("")
        click.echo(f"{n:>3}. {hit.title or hit.article_id}"
                   + (f" › {hit.section}" if hit.section else "")
                   + (f"  ({'p.' if len(hit.pages) == 1 else 'pp.'} {pages})" if pages else ""))
        click.echo(f"     {hit.passage_id}  [{hit.lang}]")
        text = hit.text.replace("\n", " ")
        click.echo("     " + (text[:160] + "…" if len(text) > 160 else text))


command = related_command
