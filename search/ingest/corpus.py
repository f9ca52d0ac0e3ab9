"""The corpus walker: which files of a corpus folder are articles, for `defsearch ingest`
and the indexer alike (one walk, one suffix list, one set of rules).

* `.txt`, `.pdf`, `.jsonl`, `.html`/`.htm` and `.docx` files, recursively, in path order
  (`path_order`); any other file is reported as skipped (never silently), except the user
  glossary `glossary.tsv` at the corpus root; hidden files and folders are ignored.
* Symlinks are never followed, so the walk stays inside the corpus folder: one pointing
  outside it is reported once and skipped (its content would otherwise become searchable
  without being part of the corpus); one pointing inside adds nothing, as its target is
  walked under its own name. A corpus given as a symlink, or as one file, is taken as named.
* Files still being written under a temporary name (`.part`, `.crdownload`, `~$report.docx`,
  `x~`, `.tmp`: `temporary_name`) are not articles yet; the watcher ignores them too.
* A file name that is not valid UTF-8 cannot become an id, a manifest key or a line of
  output: it is reported (its bytes shown as `\\xff`) and skipped.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import DefsearchError
from ..model import IngestFailure

SUFFIXES = (".txt", ".pdf", ".jsonl", ".html", ".htm", ".docx")
NOT_ARTICLES = ("glossary.tsv",)       # at the corpus root: read by the glossary


class CorpusNotFound(DefsearchError):
    def __init__(self, corpus):
        super().__init__(f"corpus not found at {corpus}: pass --corpus PATH")


TEMPORARY_SUFFIXES = (".part", ".partial", ".crdownload", ".download", ".tmp", ".temp",
                      ".swp", ".opdownload")


def temporary_name(name: str) -> bool:
    """A hidden name or one a program writes to before renaming it to its final name
    (browser downloads, office lock files, editors' backups).

    >>> [temporary_name(n) for n in ("a.pdf", "a.pdf.part", "~$a.docx", ".#a.txt", "a.txt~")]
    [False, True, True, True, True]
    """
    return (name.startswith((".", "~$")) or name.endswith("~")
            or name.lower().endswith(TEMPORARY_SUFFIXES))


def path_order(rel: str) -> list[str]:
    """Sort key of a relative path, folder by folder (the order of the walk): the file
    first in this order keeps an id claimed twice (see `search.ingest.ids`)."""
    return rel.split("/")


def shown(path) -> str:
    """`path` printable: bytes of a name that is not UTF-8 as `\\xff`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def corpus_files(corpus, failures: list | None = None) -> tuple[Path, dict[str, Path]]:
    """(root, {relative posix path: path}) of the article files of a folder or one file,
    in path order. Skipped entries that need the user's attention go to `failures` as
    `IngestFailure`s; raises CorpusNotFound when there is no such file or folder."""
    corpus = Path(corpus)
    report = failures.append if failures is not None else (lambda failure: None)
    if corpus.is_file():
        return corpus.parent, ({corpus.name: corpus} if _utf8(corpus, corpus.name, report)
                               else {})
    if not corpus.is_dir():
        raise CorpusNotFound(corpus)
    inside = corpus.resolve()
    files = {}
    for path in sorted(corpus.rglob("*")):       # rglob does not descend into symlinks
        rel = path.relative_to(corpus)
        if any(temporary_name(part) for part in rel.parts):
            continue
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(inside) and (
                    target.is_dir() or path.suffix.lower() in SUFFIXES):
                report(IngestFailure(shown(path), f"a symlink to {shown(target)}, outside "
                                     "the corpus: skipped (copy it into the corpus to "
                                     "index it)"))
            continue
        if not path.is_file() or not _utf8(path, rel.as_posix(), report):
            continue
        if path.suffix.lower() in SUFFIXES:
            files[rel.as_posix()] = path
        elif rel.as_posix() not in NOT_ARTICLES:
            report(IngestFailure(shown(path), f"not an article file "
                                 f"({path.suffix or 'no extension'}; articles are "
                                 f"{', '.join(SUFFIXES)})"))
    return corpus, files


def _utf8(path: Path, rel: str, report) -> bool:
    try:
        rel.encode("utf-8")
        return True
    except UnicodeEncodeError:
        report(IngestFailure(shown(path), "the file name is not valid UTF-8: rename the file"))
        return False
