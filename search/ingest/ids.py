"""Stable, unique identifiers: the same file always yields the same article and passage ids,
and no two files share one.

Ids are derived from the path relative to the corpus root (never from content or time), so
re-ingesting an unchanged file reproduces them and an index can be updated in place. They
must also travel: in a URL (`/articles/<id>`), in a TREC run line, in JSON. So

* an article id is the relative path's slug (`sub/a.txt` -> `sub--a`), characters outside
  `[0-9A-Za-z_.-]` replaced and at most MAX_SLUG characters; whenever the slug had to lose
  something, a hash of the whole path keeps it distinct;
* a `.txt`/`.pdf` passage id is `<article id>#p<ordinal>`; a `.jsonl` article id is
  `<slug>:<hash of the title>` and its passage ids are the lines' own ids, which must pass
  `valid_passage_id` (they cannot collide with generated ids: those have `#` or `article:`);
* an id claimed twice (`same.txt` beside `same.pdf`, one `.jsonl` id in two files) is kept
  by the file first in path order; `IdRegistry` reports the other one by name and skips it.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
import unicodedata
import weakref
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..model import Article, IngestFailure
from .corpus import path_order

MAX_SLUG = 100
MAX_ID = 200
ID_RULE = ('is not a valid id (1-200 characters, no spaces, control characters or "#", '
           'not starting with "article:")')
_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]+")
_SAFE_ASCII = re.compile(r'[!-"$-~]{1,%d}' % MAX_ID)     # printable, no space, no "#"


def short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def article_slug(path: Path, root: Path | None = None) -> str:
    """Slug of `path` relative to `root`, without the extension.

    >>> article_slug(Path("corpus/000_b276265bf07c8e54.txt"), Path("corpus"))
    '000_b276265bf07c8e54'
    >>> article_slug(Path("c/sub/國防 評析.txt"), Path("c"))
    'sub-2db064a250'
    >>> len(article_slug(Path("c/" + "deep-folder/" * 40 + "a.txt"), Path("c")))
    100
    """
    path = Path(path)
    try:
        rel = path.relative_to(root) if root is not None else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    plain = rel.with_suffix("").as_posix().replace("/", "--")
    slug = _UNSAFE.sub("-", plain).strip("-")
    if slug != plain or not slug or len(slug) > MAX_SLUG:   # keep ids distinct with a hash
        keep = slug[:MAX_SLUG - 11].rstrip("-")
        slug = f"{keep}-{short_hash(rel.as_posix())}" if keep else short_hash(rel.as_posix())
    return slug


def valid_passage_id(pid: str) -> bool:
    """A `.jsonl` line's id: fits a URL query and a TREC line, cannot be a generated id.

    >>> [valid_passage_id(i) for i in ("drcd:1147-5", "squad:(a),b", "名稱", "a b", "a#p0")]
    [True, True, True, False, False]
    """
    if pid.startswith("article:"):
        return False
    if pid.isascii():
        return _SAFE_ASCII.fullmatch(pid) is not None
    return (0 < len(pid) <= MAX_ID and "#" not in pid
            and not any(unicodedata.category(ch)[0] in "CZ" for ch in pid))


def shown_id(pid: str) -> str:
    """An id quoted for a message, long ones cut."""
    return repr(pid if len(pid) <= 60 else pid[:57] + "…")


class IdRegistry:
    """Which file holds each article and passage id while a corpus is read in path order.

    `held_by(key)`, when given, names the file holding an id in an index being updated
    (key: ("a", article id) or ("p", passage id)); such a file that sorts after the one
    claiming the id now loses it, so it is listed in `displaced` to be read again (the
    result is the same as a fresh build's). `losers` are the files that lost an id: they
    must be read again when another file changes, as the holder may be gone.
    """

    def __init__(self, held_by: Callable[[tuple[str, str]], str | None] | None = None,
                 folder: str | Path | None = None):
        # "a" + article id or "p" + passage id -> the file holding it, on disk (`_Owners`):
        # a corpus's ids held in memory were the indexer's largest cost that grew with it
        self.owner = _Owners(folder)
        self.held_by = held_by
        self.reading: set[str] = set()
        self.displaced: list[str] = []
        self.losers: set[str] = set()

    def close(self) -> None:
        """Remove the registry's file (also done when it is garbage)."""
        self.owner.close()

    def claim(self, source: str, path, articles: list[Article],
              failures: list[IngestFailure]) -> list[Article]:
        """The articles of `source` (its relative path) minus the ids already held by a
        file before it; each loss is one failure naming both files."""
        return list(self.claim_each(source, path, articles, failures))

    def claim_each(self, source: str, path, articles: Iterable[Article],
                   failures: list[IngestFailure]) -> Iterator[Article]:
        """`claim`, one article at a time (`articles` may be a stream of a huge file)."""
        self.reading.add(source)
        for article in articles:
            fresh = self.held_by is None and self.owner.add_new(["a" + article.id], source)
            if not fresh:
                holder = self._take(("a", article.id), source)
                if holder is not None:
                    failures.append(IngestFailure(str(path), f"article id {article.id!r} is "
                                                  f"already used by {holder}: rename one of "
                                                  "the files"))
                    continue
            derived = article.id + "#"        # unique with the article id
            own = [p for p in article.passages if not p.id.startswith(derived)]
            if own and self.held_by is None and self.owner.add_new(
                    ["p" + p.id for p in own], source):
                yield article                 # the usual case: every id new, one statement
                continue
            passages = []
            for passage in article.passages:
                if not passage.id.startswith(derived):
                    holder = self._take(("p", passage.id), source)
                    if holder is not None:
                        failures.append(IngestFailure(str(path), f"id {shown_id(passage.id)}"
                                                      f" is already used by {holder}, line "
                                                      "skipped"))
                        continue
                passages.append(passage)
            if passages:
                article.passages = passages
                yield article

    def _take(self, key: tuple[str, str], source: str) -> str | None:
        """Give `key` to `source` and return None, or return the other file holding it
        (`source` then lost an id: `losers`)."""
        holder = self._holder(key, source)
        if holder is None:
            self.owner[key[0] + key[1]] = source
        else:
            self.losers.add(source)
        return holder

    def _holder(self, key: tuple[str, str], source: str) -> str | None:
        """The other file holding `key`, or None when `source` may take it."""
        slot = key[0] + key[1]
        owner = self.owner.get(slot)
        if owner is None and self.held_by is not None:
            owner = self.held_by(key)
            if owner is None or owner in self.reading:
                return None
            if path_order(source) < path_order(owner):
                self.displaced.append(owner)
                self.reading.add(owner)
                return None
            self.owner[slot] = owner
        return owner if owner != source else None


class _Owners:
    """The registry's id -> file table in a SQLite file (in `folder`, or the system's
    temporary folder): memory stays at SQLite's page cache whatever the corpus's size.

    `get` and `[]=` as a dict's; `add_new(keys, source)` gives `source` every key not yet held and
    says whether all of them were new (then nothing else needs asking)."""

    CACHE_KIB = 8192

    def __init__(self, folder: str | Path | None = None):
        fd, self.path = tempfile.mkstemp(prefix="ids-", suffix=".sqlite.tmp",
                                         dir=str(folder) if folder is not None else None)
        os.close(fd)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "locking_mode=EXCLUSIVE",
                       "temp_store=MEMORY", f"cache_size=-{self.CACHE_KIB}"):
            self.db.execute("PRAGMA " + pragma)
        self.db.execute("CREATE TABLE owner (key TEXT PRIMARY KEY, file INTEGER NOT NULL)"
                        " WITHOUT ROWID")
        self.files: list[str] = []              # the files, by number
        self.numbers: dict[str, int] = {}
        self.db.execute("BEGIN")        # one transaction: no write reaches the file per id
        self._finalizer = weakref.finalize(self, _Owners._remove, self.db, self.path,
                                           os.getpid())

    @staticmethod
    def _remove(db, path: str, pid: int) -> None:
        if os.getpid() != pid:          # a forked process leaves the file to its parent
            return
        db.close()
        try:
            os.remove(path)
        except OSError:
            pass

    def close(self) -> None:
        self._finalizer()

    def _number(self, source: str) -> int:
        n = self.numbers.get(source)
        if n is None:
            n = self.numbers[source] = len(self.files)
            self.files.append(source)
        return n

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT file FROM owner WHERE key = ?", (key,)).fetchone()
        return None if row is None else self.files[row[0]]

    def __setitem__(self, key: str, source: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO owner VALUES (?, ?)", (key, self._number(source)))

    def add_new(self, keys: list[str], source: str) -> bool:
        before = self.db.total_changes
        n = self._number(source)
        self.db.executemany("INSERT OR IGNORE INTO owner VALUES (?, ?)", [(k, n) for k in keys])
        return self.db.total_changes - before == len(keys)
