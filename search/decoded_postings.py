"""A segment's posting lists stored decoded: int32 ids and float32 weights, read by mmap.

A search reads each of its terms' posting lists, and the first read of a list in a
generation decodes it from Whoosh's W3 blocks (zlib, pickles, delta-coded ids): at a
million passages that was half of a keyword search (a first-seen list is ten times longer
than at 100k, ~250 ns a posting to decode). The indexer's segment writer
(`search.index.writer.FastSegmentWriter`) has every list's ids and weights in arrays as it
writes them, so it also writes them once more, undecoded, beside the segment:

- ``<segment>.dpd``: for each posting list written to the postings file (not the inlined
  short ones, which live in the term table and are cheap), its ids as 32-bit integers
  then its weights as 32-bit floats (what W3 stores, so nothing is lost), lists in the
  order they were written;
- ``<segment>.dpi``: a .npy array of (offset of the list in the segment's postings file,
  first word in .dpd, number of postings) rows, ascending by offset.

`Whoosh's TermInfo.extent()` gives a term's offset, so a reader finds its list by one
binary search and gets two array views of the mmapped file: no copy, no decoding, and
the operating system's page cache, not the process, holds the lists. Both files follow
Whoosh's segment file names (``MAIN_<id>.ext``), so Whoosh removes them with their
segment after a merge, and an update hard-links them into the next generation as it does
the segment's other files. A segment without them (one Whoosh's own writer wrote: merges
of small segments, older indexes) is decoded as before (`whoosh_internals.posting_arrays`);
`tests/test_decoded_postings.py` checks the two give the same postings.
"""
from __future__ import annotations

import mmap
import os
from array import array

import numpy as np

DATA, INDEX = ".dpd", ".dpi"
_PART = "decoding-"
_BUFFER = 1 << 20


class DecodedWriter:
    """Writes a segment's decoded lists as its postings writer writes them: `start` a list
    at its offset in the postings file, `add` each block's ids and weights (the writer's
    own ``array("I")`` / ``array("f")``), `finish` the list; `close` writes the index."""

    def __init__(self, folder: str, segment):
        self.data_path = os.path.join(folder, segment.make_filename(DATA))
        self.index_path = os.path.join(folder, segment.make_filename(INDEX))
        # written under other names until `publish`: Whoosh packs every file named after
        # the segment into its compound file when the segment is finished
        self._parts = [os.path.join(folder, _PART + os.path.basename(path))
                       for path in (self.data_path, self.index_path)]
        self._fh = open(self._parts[0], "wb", buffering=_BUFFER)
        self.closed = False
        self._rows = array("q")
        self._words = 0
        self._offset = None
        self._ids = array("I")
        self._weights = array("f")

    def start(self, offset: int) -> None:
        self._offset = offset
        self._ids = array("I")
        self._weights = array("f")

    def add(self, ids: array, weights: array) -> None:
        self._ids.extend(ids)
        self._weights.extend(weights)

    def finish(self) -> None:
        n = len(self._ids)
        self._rows.extend((self._offset, self._words, n))
        self._fh.write(self._ids.tobytes())
        self._fh.write(self._weights.tobytes())
        self._words += 2 * n
        self._offset = None

    def close(self) -> None:
        """Finish both files (still under their working names)."""
        self._fh.close()
        rows = np.frombuffer(self._rows, dtype=np.int64).reshape(-1, 3) if self._rows \
            else np.zeros((0, 3), dtype=np.int64)
        with open(self._parts[1], "wb") as fh:
            np.save(fh, rows)
        self.closed = True

    def publish(self) -> None:
        """Give the closed files their segment names (after Whoosh assembled the segment:
        from now on Whoosh deletes them with it)."""
        os.replace(self._parts[0], self.data_path)
        os.replace(self._parts[1], self.index_path)

    def abandon(self) -> None:
        """Remove what was written (the segment was not finished)."""
        self._fh.close()
        for path in self._parts + [self.data_path, self.index_path]:
            try:
                os.remove(path)
            except OSError:
                pass


class DecodedReader:
    """One segment's decoded lists (see module): `get(offset)` -> (int32 ids, float32
    weights) views, or None when the segment has no decoded copy of that list."""

    def __init__(self, data_path: str, index_path: str):
        rows = np.load(index_path)
        self.offsets = np.ascontiguousarray(rows[:, 0])
        self.starts = rows[:, 1]
        self.counts = rows[:, 2]
        size = os.path.getsize(data_path)
        words = int(self.starts[-1] + 2 * self.counts[-1]) if len(rows) else 0
        if size != 4 * words:
            raise ValueError(f"{data_path}: {size} bytes, its index says {4 * words}")
        if size:
            with open(data_path, "rb") as fh:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            self.words = np.frombuffer(self._map, dtype=np.int32)
        else:
            self.words = np.zeros(0, dtype=np.int32)

    def get(self, offset: int):
        at = int(np.searchsorted(self.offsets, offset))
        if at == len(self.offsets) or int(self.offsets[at]) != offset:
            return None
        start, n = int(self.starts[at]), int(self.counts[at])
        return (self.words[start:start + n],
                self.words[start + n:start + 2 * n].view(np.float32))


def open_decoded(folder: str | None, segment) -> DecodedReader | None:
    """The segment's decoded lists, or None when it has none (or they do not read back:
    the caller then decodes the postings file, which is always complete)."""
    if folder is None:
        return None
    data = os.path.join(folder, segment.make_filename(DATA))
    index = os.path.join(folder, segment.make_filename(INDEX))
    if not (os.path.exists(data) and os.path.exists(index)):
        return None
    try:
        return DecodedReader(data, index)
    except (OSError, ValueError, IndexError):
        return None
