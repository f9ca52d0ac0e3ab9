"""`defsearch cite ID`: an article's or a passage's citation in GB/T 7714-2015, APA 7 and
Chicago, or its BibTeX / RIS entry."""
from __future__ import annotations

import datetime

import click

CHOICES = ["all", "gbt7714", "apa", "chicago", "bibtex", "ris"]
_PARTS = {"gbt7714": ("passage", "reference"), "apa": ("in text", "reference"),
          "chicago": ("note", "bibliography")}


def citation_lines(article, passage, style: str, accessed: str) -> list[str]:
    """What `defsearch cite` prints for one style (also the web's plain-text view)."""
    from search.cite import export, styles

    if style in ("bibtex", "ris"):
        pages = [passage.pages] if passage is not None else None
        text = (export.bibtex if style == "bibtex" else export.ris)(article, pages)
        return text.rstrip("\n").split("\n")
    c = styles.cite(article, passage, style, accessed)
    pin_name, ref_name = _PARTS[style]
    if passage is None:
        return [c.label, f"  {ref_name}: {c.reference}"]
    if style == "gbt7714":
        return [c.label, f"  {pin_name}: {c.pinpoint}"]
    return [c.label, f"  {pin_name}: {c.pinpoint}", f"  {ref_name}: {c.reference}"]


@click.command("cite")
@click.argument("item_id", metavar="PASSAGE_OR_ARTICLE_ID")
@click.option("--style", type=click.Choice(CHOICES), default="all", show_default=True,
              help="Citation style, or an export format (bibtex, ris).")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=str), help="Index directory.")
@click.option("--accessed", default=None, metavar="YYYY-MM-DD",
              help="Access date GB/T 7714 prints for online sources (default: today).")
def cite_command(item_id, style, index_dir, accessed):
    """Cite an article (ID) or one passage (ID#pN, with its page) for a bibliography."""
    from search.cite.lookup import find
    from search.engine.engine import Engine

    if accessed is not None:
        try:
            datetime.date.fromisoformat(accessed)
        except ValueError:
            raise click.BadParameter(f"{accessed!r} is not a date like 2026-12-01",
                                     param_hint="--accessed") from None
    accessed = accessed or datetime.date.today().isoformat()
    article, passage = find(Engine(index_dir), item_id)
    chosen = ["gbt7714", "apa", "chicago"] if style == "all" else [style]
    for one in chosen:
        for line in citation_lines(article, passage, one, accessed):
            click.echo(line)


command = cite_command
