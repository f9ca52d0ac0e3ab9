"""Opening a generation's Whoosh index without copying its segments into memory.

Whoosh 2.7.4 maps a compound segment file (`*.seg`) with mmap, then opens each file inside
it as a `BufferFile`, whose `BytesIO(memoryview)` copies that file's bytes: opening a
reader copies the segment's term table and postings, reading stored fields copies their
column. On a 100k-passage index that is ~300 MiB per reader, on a million ~3 GiB, which is
what made a one-article update peak at 3.8 GiB (docs/benchmarks.md). With
`FileStorage(supports_mmap=False)` (a public switch) the same files are read through
ordinary file handles, a block at a time: memory no longer depends on the index size.
"""
from __future__ import annotations

from pathlib import Path


def open_unmapped(gen_dir):
    """The Whoosh index of `gen_dir`, read through file handles (see the module docstring)."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(Path(gen_dir)), supports_mmap=False).open_index()
