"""Ingest: files -> `Article`s (metadata, sections, passages, footnotes).

One code path for `defsearch ingest` and the indexer:

* `ingest_file(path, root=None)` -> list[Article], raises `IngestError` naming the problem;
  `stream_file` gives the same articles one at a time (a huge `.jsonl` is never held whole);
* `iter_articles(path, failures)` streams articles file by file (the indexer never holds the
  whole corpus twice) and records bad files in `failures` instead of stopping;
* `ingest_path(path)` -> `IngestReport` (articles + failures).

Folders are walked by `corpus.corpus_files` (the indexer's walker too): recursively in path
order, `.txt`/`.pdf`/`.jsonl` only, hidden entries ignored, symlinks not followed. Ids come
from `ids` and are unique: an id a file claims after another file is reported and skipped.

Modules, one concern each: `corpus` (which files), `ids` (article and passage ids),
`decode` (bytes -> str), `clean` (characters), `layout` (lines ->
paragraphs, page furniture), `notes` (footnote bodies and markers), `metadata` (title, authors,
date...), `sections` (headings -> section paths), `passages` (ids, splitting), and one module
per format: `txt`, `pdf`, `jsonl`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import IngestError
from ..model import Article, IngestFailure, IngestReport
from .corpus import SUFFIXES, CorpusNotFound, corpus_files
from .decode import decode_bytes
from .ids import IdRegistry, article_slug

__all__ = ["SUFFIXES", "corpus_files", "ingest_file", "ingest_path", "iter_articles",
           "stream_file"]


def ingest_file(path, root=None, problems: list[IngestFailure] | None = None) -> list[Article]:
    """Parse one file. Raises IngestError(path, problem) when nothing usable comes out of it.

    Non-fatal problems (a malformed `.jsonl` line) are appended to `problems` when given.
    """
    return list(stream_file(path, root, problems))


def stream_file(path, root=None, problems: list[IngestFailure] | None = None,
                scratch=None) -> Iterator[Article]:
    """`ingest_file`'s articles one at a time, for the indexer: a `.jsonl` (which may be a
    whole corpus) is read line by line, its passages parked in a temporary file in
    `scratch` (a folder, None: the system's) until its articles are complete
    (`jsonl.stream_jsonl`); other files are read whole. The file is read, and IngestError
    raised, before this returns."""
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        from .jsonl import stream_jsonl

        root = Path(root) if root is not None else path.parent
        return stream_jsonl(path, article_slug(path, root), _source(path, root), problems,
                            scratch, whole=lambda: _read_file(path, root, problems))
    return iter(_read_file(path, root, problems))


def _source(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _read_file(path, root=None, problems: list[IngestFailure] | None = None) -> list[Article]:
    """`ingest_file` of a file read whole."""
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(path, f"unsupported file type {suffix or '(no extension)'!r}: "
                                f"expected one of {', '.join(SUFFIXES)}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    except IsADirectoryError:
        raise IngestError(path, "is a directory") from None
    except OSError as err:
        raise IngestError(path, f"cannot read: {err.strerror or err}") from None
    slug = article_slug(path, root)
    source = _source(path, root)
    if suffix in (".html", ".htm"):
        from .html import parse_html
        return [parse_html(data, path, slug, source)]
    if suffix == ".docx":
        from .docx import parse_docx
        return [parse_docx(data, path, slug, source)]
    if suffix == ".pdf":
        from .pdf import assign_pages, pdf_pages
        from .txt import parse_text
        pdf = pdf_pages(data, path)
        article = parse_text(pdf.text, path, slug, source)
        assign_pages(article, pdf.text, pdf.line_pages, pdf.ocr_pages)
        article.title = article.title or pdf.title
        article.authors = article.authors or pdf.authors
        return [article]
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
    failures = failures if failures is not None else []
    try:
        root, files = corpus_files(path, failures)
    except CorpusNotFound:
        failures.append(IngestFailure(str(path), "no such file or directory"))
        return
    ids = IdRegistry()
    for rel, file in files.items():
        try:
            articles = stream_file(file, root, failures)
        except IngestError as err:
            failures.append(IngestFailure(err.path, err.problem))
            continue
        yield from ids.claim_each(rel, file, articles, failures)


def ingest_path(path) -> IngestReport:
    """Everything under `path`: the articles and, for each bad file, one IngestFailure."""
    report = IngestReport()
    report.articles.extend(iter_articles(path, report.failures))
    return report
