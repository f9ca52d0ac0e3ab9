"""Stable identifiers: the same file always yields the same article and passage ids.

Ids are derived from the path relative to the corpus root (never from content or time), so
re-ingesting an unchanged file reproduces them and an index can be updated in place.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]+")


def short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def article_slug(path: Path, root: Path | None = None) -> str:
    """Slug of `path` relative to `root`, without the extension.

    >>> article_slug(Path("corpus/000_b276265bf07c8e54.txt"), Path("corpus"))
    '000_b276265bf07c8e54'
    >>> article_slug(Path("c/sub/國防 評析.txt"), Path("c"))
    'sub-2db064a250'
    """
    path = Path(path)
    try:
        rel = path.relative_to(root) if root is not None else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    plain = rel.with_suffix("").as_posix().replace("/", "--")
    slug = _UNSAFE.sub("-", plain).strip("-")
    if slug != plain or not slug:       # characters were lost: keep ids distinct with a hash
        slug = f"{slug}-{short_hash(rel.as_posix())}" if slug else short_hash(rel.as_posix())
    return slug
