#!/usr/bin/env python3
"""Are two Whoosh indexes of the same corpus the same, byte for byte, inside their segments?

A speed-up of the analysis or of the writer must not change what the index holds. This
opens both indexes (their live generations), reads each segment's inner files (term table
`trm`, postings `pst`, stored fields, field lengths) out of its compound file, and compares
them by content, segments in TOC order, and the schemas; segment names (random) are ignored.

    .venv/bin/python bench/same_index.py INDEX_A INDEX_B

Prints one line per inner file and ALL SAME (exit 0) or DIFFERENT (exit 1).
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from whoosh import index


def _live(folder: str) -> str:
    path = Path(folder)
    current = path / "CURRENT"
    return str(path / current.read_text().strip()) if current.exists() else str(path)


def digests(folder: str):
    ix = index.open_dir(_live(folder))
    out = []
    for segment in ix._segments():
        storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
        files = {}
        for name in storage.list():
            data = storage.open_file(name).read()
            files[name.split(".", 1)[-1]] = (len(data), hashlib.sha256(data).hexdigest()[:16])
        out.append((segment.doc_count_all(), sorted(files.items())))
    return ix.schema, out


def main() -> int:
    schema_a, a = digests(sys.argv[1])
    schema_b, b = digests(sys.argv[2])
    for k, ((docs_a, files_a), (docs_b, files_b)) in enumerate(zip(a, b)):
        print(f"segment {k}: {docs_a} / {docs_b} documents")
        other = dict(files_b)
        for ext, (size, digest) in files_a:
            same = other.get(ext) == (size, digest)
            print(f"  {ext:22} {size:>12,} {digest}  {'same' if same else 'DIFFERENT'}")
    same = a == b and schema_a == schema_b
    print(f"schemas {'equal' if schema_a == schema_b else 'DIFFERENT'}, {len(a)} / {len(b)} "
          f"segments: {'ALL SAME' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
