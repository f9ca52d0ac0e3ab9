"""Ingest: files -> `Article`s (metadata, sections, passages, footnotes).

One code path for `defsearch ingest` and the indexer:

* `ingest_file(path, root=None)` -> list[Article], raises `IngestError` naming the problem;
* `iter_articles(path, failures)` streams articles file by file (the indexer never holds the
  whole corpus twice) and records bad files in `failures` instead of stopping;
* `ingest_path(path)` -> `IngestReport` (articles + failures).

Folders are walked recursively in sorted order; files with other extensions (the glossary
`.tsv`, a README) are skipped silently; hidden files and folders are ignored.

Modules, one concern each: `decode` (bytes -> str), `clean` (characters), `layout` (lines ->
paragraphs, page furniture), `notes` (footnote bodies and markers), `metadata` (title, authors,
date...), `sections` (headings -> section paths), `passages` (ids, splitting), and one module
per format: `txt`, `pdf`, `jsonl`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import IngestError
from ..model import Article, IngestFailure, IngestReport
from .decode import decode_bytes
from .ids import article_slug

SUFFIXES = (".txt", ".pdf", ".jsonl")

__all__ = ["SUFFIXES", "ingest_file", "ingest_path", "iter_articles", "iter_files"]


def iter_files(path: Path) -> Iterator[Path]:
    """Ingestible files under `path` (a file is returned as is), sorted, recursively."""
    path = Path(path)
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        rel = child.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if child.is_file() and child.suffix.lower() in SUFFIXES:
            yield child


def ingest_file(path, root=None, problems: list[IngestFailure] | None = None) -> list[Article]:
    """Parse one file. Raises IngestError(path, problem) when nothing usable comes out of it.

    Non-fatal problems (a malformed `.jsonl` line) are appended to `problems` when given.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(path, f"unsupported file type {suffix or '(no extension)'!r}: "
                                "expected .txt, .pdf or .jsonl")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    except IsADirectoryError:
        raise IngestError(path, "is a directory") from None
    except OSError as err:
        raise IngestError(path, f"cannot read: {err.strerror or err}") from None
    slug = article_slug(path, root)
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        source = path.name
    if suffix == ".pdf":
        from .pdf import pdf_text
        from .txt import parse_text
        return [parse_text(pdf_text(data, path), path, slug, source)]
    text = decode_bytes(data, path)
    if suffix == ".jsonl":
        from .jsonl import parse_jsonl
        articles = parse_jsonl(text, path, slug, source, problems)
        if not articles:
            raise IngestError(path, "no valid passages (every line was malformed)")
        return articles
    from .txt import parse_text
    return [parse_text(text, path, slug, source)]


def iter_articles(path, failures: list[IngestFailure] | None = None) -> Iterator[Article]:
    """Stream the articles of a file or folder; bad files go to `failures` (if given)."""
    path = Path(path)
    if not path.exists():
        if failures is not None:
            failures.append(IngestFailure(str(path), "no such file or directory"))
        return
    root = path if path.is_dir() else path.parent
    owners: dict[str, str] = {}          # article id -> source that produced it
    for file in iter_files(path):
        try:
            articles = ingest_file(file, root, failures)
            for article in articles:
                if article.id in owners:
                    raise IngestError(file, f"article id {article.id!r} is already used by "
                                            f"{owners[article.id]}: rename one of the files")
            for article in articles:
                owners[article.id] = article.source
                yield article
        except IngestError as err:
            if failures is not None:
                failures.append(IngestFailure(err.path, err.problem))


def ingest_path(path) -> IngestReport:
    """Everything under `path`: the articles and, for each bad file, one IngestFailure."""
    report = IngestReport()
    report.articles.extend(iter_articles(path, report.failures))
    return report
