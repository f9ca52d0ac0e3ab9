"""Every use of Whoosh 2.7.4's private attributes and its one patch, behind named functions.

Whoosh is pinned at 2.7.4 (`pyproject.toml`) and unmaintained: what is private here will not
change under us, but it is still private, so it is touched in this one module, each place
saying why the public API is not enough. A Whoosh upgrade (or the maintained fork) starts by
reading this file and running the tests that check each speed-up against Whoosh itself:

- `tests/test_segwriter.py`: the lean writer's segments (`write_postings`, `inlining_codec`)
  equal `SegmentWriter`'s, and updates through `MergingWriter` / `commit_toc` rank as a
  fresh build does (also `tests/test_index.py`, `tests/test_index_updates.py`);
- `tests/test_whoosh_internals.py`: `posting_arrays` (a term's extent parsed block by
  block, inlined postings, deleted documents) gives the postings Whoosh's matcher gives;
- `tests/test_search.py::test_maxscore_pruning_equals_exhaustive_scoring`: the dense
  scoring and MaxScore's skipping (`term_postings`) give the scores and totals of
  exhaustive term-at-a-time scoring, and `test_prefix...`-style tests cover
  `prefix_terms`;
- `tests/test_search.py::test_each_terms_bound_holds_for_every_passage` and
  `tests/test_whoosh_internals.py`: MaxScore's bound from `term_extremes` is never below a
  term's real contribution, and `field_length_codes` gives each document's
  `doc_field_length`.

Why one top-level module, not `search/index/whoosh2.py`: the index side (writer, workers,
update, livestats) and the query side (engine's evaluator and pruning) both need it, and
neither package should import the other's internals.

Two classes also subclass Whoosh and override its private hooks; they stay beside their
idea and are listed here so an upgrade finds them:
- `search.index.writer.FastSegmentWriter(SegmentWriter)`: overrides `_flush_segment`, uses
  `_check_state`, `_check_fields`, `_added`, `perdocwriter`, `fieldwriter`, `pool`;
- `search.index.livestats.LiveSearcher(Searcher)`: overrides `_subsearcher` (so
  sub-searchers ask it for statistics) and replaces the `doc_frequency` that `Searcher`
  copies from its reader onto the instance; reads `_ix`.
One clamp lives elsewhere: `search.query.whoosh_compile.date_query` clamps a NumericRange to
the years the 32-bit `datenum` field holds (MIN_DATENUM/MAX_DATENUM), because Whoosh's
NumericRange raises on a bound outside the field's range.
"""
from __future__ import annotations

import os
import zlib
from array import array
from io import BytesIO
from itertools import groupby
from pickle import load as load_pickle, loads
from struct import Struct

from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec,
                                  W3LeafMatcher, W3TermInfo, W3TermsReader)
from whoosh.compat import dumps
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort, unpack_int as _unpack_int
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.decoded_postings import open_decoded

_unpack_double = Struct(">d").unpack


# -- reading postings (engine: evaluate, pruning) -----------------------------------------

def term_postings(reader, field, text):
    """A term's leaf matcher in one segment and the deleted doc ids it would have filtered
    out, or (None, ()) if absent.

    Whoosh wraps the postings of a segment with deletions in a FilterMatcher that checks
    every id against the deleted set; reading the child unfiltered and dropping the deleted
    ids once per term (callers do) is what makes term-at-a-time scoring fast."""
    try:
        m = reader.postings(field, text)
    except TermNotFound:
        return None, ()
    if isinstance(m, FilterMatcher):
        return m.child, m._ids
    return m, ()


def is_block_matcher(m) -> bool:
    """True for a W3 on-disk posting list, which `posting_blocks` can walk (an inlined or
    in-memory list is a plain matcher: use its public `id()`/`weight()`/`next()`)."""
    return isinstance(m, W3LeafMatcher)


def posting_arrays(reader, field, text):
    """(doc ids, weights) of a term's live postings in one segment as numpy arrays (local
    ids ascending, weights), or None if the segment lacks the term: int32 ids and float32
    weights (views of a mmapped file) when the segment has its lists stored decoded
    (`search.decoded_postings`), else int64 and float64 decoded from the postings file.

    The term's postings are one extent of the W3 postings file (`W3TermInfo.extent`): it is
    read as one slice and its blocks parsed here as `W3LeafMatcher._goto`/`_read_data` do
    (a length, a pickled info tuple, then the pickled, maybe compressed, data tuple:
    delta-coded ids, weights as a tuple, one float for all, or None for all 1.0), without
    building a matcher; the deltas are summed per block in one numpy pass. Inlined postings
    (short lists, in the term table) are read from the term info. The weights are the
    floats Whoosh's `weight()` gives, so a score computed from them is the one the
    matcher's would be, bit for bit. A reader that is not a W3 segment's is read through
    its matcher.

    Decoding is what a search at a million passages spends most on (a question reads
    ~600k postings): a field with positions (`grams`) pickles one bytes value per posting,
    which the unpickler rebuilds through a `_codecs.encode` call each (2/3 of the
    unpickling), so its blocks' ids and weights are read straight from the pickles' bytes
    (`_blocks_arrays`: about half the unpickling time) and the positions never
    unpickled."""
    import numpy as np

    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return _matcher_arrays(reader, field, text)
    if field not in reader.schema:
        return None
    try:
        info = terms.term_info(field, reader._text_to_bytes(field, text))
    except TermNotFound:
        return None
    if info.is_inlined():
        ids, raw_weights, _values = info.inlined_postings()
        out = np.array(ids, dtype=np.int64)
        w = np.array(list(raw_weights), dtype=np.float64)
    else:
        side = _decoded_lists(reader)
        decoded = side.get(_extent(info)[0]) if side is not None else None
        out, w = decoded if decoded is not None else \
            _extent_arrays(reader, terms, field, text, info)
    if reader.has_deletions():
        deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
        keep = ~np.isin(out, deleted)
        out, w = out[keep], w[keep]
    return out, w


def term_positions(reader, field, text, wanted) -> dict | None:
    """{local docnum: positions} of a term in one segment, for the docnums of `wanted`
    (ascending numpy array) that hold it; None when the segment is not a W3 one or a
    block is not in the shape expected (the caller then asks Whoosh's matcher).

    For phrase checks (`Evaluator.phrase_among`): Whoosh's phrase matcher walks its terms'
    lists a posting at a time through Python (~100 µs a candidate passage, most of a
    question at a million passages); here only the blocks holding a wanted docnum are
    unpickled (their block headers say their last id), and only the wanted postings'
    positions decoded (`Positions.decode_positions`)."""
    import numpy as np

    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        return None
    try:
        info = terms.term_info(field, reader._text_to_bytes(field, text))
    except TermNotFound:
        return {}
    decode = reader.schema[field].format.decode_positions
    out = {}
    if info.is_inlined():
        ids, _weights, values = info.inlined_postings()
        if len(values) != len(ids):
            return None
        want = set(wanted.tolist())
        for d, v in zip(ids, values):
            if d in want:
                out[d] = decode(v)
        return out
    last = -1
    for count, maxid, compression, data in _extent_blocks(terms, field, text, info):
        lo = int(np.searchsorted(wanted, last, side="right"))
        hi = int(np.searchsorted(wanted, maxid, side="right"))
        if hi > lo:
            deltas, _weights, values = loads(zlib.decompress(data) if compression
                                             else data)[:3]
            if not isinstance(values, tuple) or len(values) != count:
                return None
            want = set(wanted[lo:hi].tolist())
            d = 0
            for delta, v in zip(deltas, values):
                d += delta
                if d in want:
                    out[d] = decode(v)
        last = maxid
        if last >= wanted[-1]:
            break
    return out


def _extent(info) -> tuple[int, int]:
    """A term's (offset, length) in the W3 postings file (2.7.4's `from_bytes` leaves the
    length a 1-tuple)."""
    offset, length = info.extent()
    return offset, length[0] if isinstance(length, tuple) else length


def _extent_blocks(terms, field, text, info):
    """(count, last id, compression, data) of each W3 block of a term's extent, the data
    still compressed when `compression`: the extent read as one slice and walked as
    `W3LeafMatcher._goto`/`_read_data` do (a length, a pickled info tuple, the data)."""
    offset, length = _extent(info)
    raw = terms._postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings of {field}:{text!r}: block tag error")
    buf = BytesIO(raw)
    pos = 4
    while True:
        size = _unpack_int(raw[pos:pos + 4])[0]
        buf.seek(pos + 4)
        count, maxid, _maxweight, compression, _mn, _mx = load_pickle(buf)
        end = pos + 4 + abs(size)
        yield count, maxid, compression, raw[buf.tell():end]
        if size < 0 or end >= len(raw):
            return
        pos = end


def _extent_arrays(reader, terms, field, text, info):
    """(int64 ids, float64 weights) of a posting list decoded from its W3 blocks."""
    import numpy as np

    blocks = [(zlib.decompress(data) if compression else data, count)
              for count, _maxid, compression, data in _extent_blocks(terms, field, text,
                                                                     info)]
    # positions (`grams`) make unpickling slow: only then, and for a list of several
    # blocks (the parse costs ~20 numpy calls a list), are the pickles parsed
    parse = len(blocks) >= PARSE_MIN_BLOCKS and \
        reader.schema[field].format.fixed_value_size() is None
    deltas, w = _blocks_arrays(blocks) if parse else _unpickled_arrays(blocks)
    out = np.cumsum(deltas)
    if len(blocks) > 1:       # each block's deltas start from 0 again
        lengths = np.array([count for _data, count in blocks])
        ends = np.cumsum(lengths)
        before = np.concatenate(([0], out[ends[:-1] - 1]))
        out -= np.repeat(before, lengths)
    return out, w


def _decoded_lists(reader):
    """The segment's `DecodedReader` (opened once per reader), or None."""
    found = getattr(reader, "_defsearch_decoded", False)
    if found is False:
        found = None
        if READ_DECODED:
            storage = reader._storage       # a compound segment's: an OverlayStorage
            storage = getattr(storage, "b", storage)    # (its files, then the folder's)
            found = open_decoded(getattr(storage, "folder", None), reader._segment)
        reader._defsearch_decoded = found
    return found


# DEFSEARCH_DECODED_POSTINGS=0 decodes every list from the postings file, as before the
# decoded copies existed (bench/speed.py's comparison on one index)
READ_DECODED = os.environ.get("DEFSEARCH_DECODED_POSTINGS", "1") != "0"
PARSE_MIN_BLOCKS = 8
# pickle protocol 2 opcodes of a W3 block's data tuple (ids, weights, values)
_MARK, _TUPLE, _BININT1, _BININT2, _BININT = 0x28, 0x74, 0x4B, 0x4D, 0x4A
_BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT = 0x71, 0x72, 0x4E, 0x47


def _block_shape(data: bytes, count: int):
    """Where one block's pickle keeps its ids and weights, or None when the block is not
    in the common shape (then it is unpickled).

    The shape `pickle.dumps((ids, weights, values), 2)` gives a block of 4 or more
    postings: PROTO 2, MARK, one BININT1/BININT2/BININT per id delta, TUPLE, BINPUT;
    then the weights: NONE (all 1.0), one BINFLOAT (all the same), or MARK, a BINFLOAT
    (8 bytes, big-endian) per posting, TUPLE; the values after them are not read. The
    leading wide deltas (a block's first id is absolute) are parsed here; the rest must
    be BININT1 (2 bytes each, checked by the caller). Returns (head deltas, offset of the
    BININT1 run, its length, weights: None, a float, or the offset of the BINFLOATs)."""
    if count < 4 or data[2] != _MARK:
        return None
    pos, head = 3, []
    while len(head) < count and data[pos] != _BININT1:
        op = data[pos]
        if op == _BININT2:
            head.append(data[pos + 1] | data[pos + 2] << 8)
            pos += 3
        elif op == _BININT:
            head.append(int.from_bytes(data[pos + 1:pos + 5], "little", signed=True))
            pos += 5
        else:
            return None
    rest = count - len(head)
    end = pos + 2 * rest
    if end + 7 >= len(data) or data[end] != _TUPLE:
        return None
    at = end + 1 + (2 if data[end + 1] == _BINPUT else 5 if data[end + 1] == _LONG_BINPUT
                    else len(data))
    if at >= len(data):
        return None
    op = data[at]
    if op == _NONE:
        return head, pos, rest, None
    if op == _BINFLOAT:
        if at + 9 > len(data):
            return None
        return head, pos, rest, _unpack_double(data[at + 1:at + 9])[0]
    last = at + 1 + 9 * count
    if op != _MARK or last >= len(data) or data[last] != _TUPLE:
        return None
    return head, pos, rest, at + 1


def _unpickled_arrays(blocks: list):
    """(id deltas, float64 weights) of a term's blocks ((decompressed data, count) each),
    each unpickled as `W3LeafMatcher._read_data` does."""
    import numpy as np

    ids, weights = [], []
    for data, count in blocks:
        raw_ids, raw_weights = loads(data)[:2]
        ids.extend(raw_ids)
        if raw_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(raw_weights, float):     # as `_read_weights`: via array("f")
            weights.extend(array("f", [raw_weights]) * count)
        else:
            weights.extend(raw_weights)
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _blocks_arrays(blocks: list):
    """(id deltas, float64 weights) of a term's blocks ((decompressed data, count) each)
    read from the pickles' bytes: each block's shape found in Python (`_block_shape`, a
    few byte lookups), then every block's one-byte deltas and weights gathered and checked
    in one numpy pass over the joined bytes. A block of another shape, or whose deltas
    turn out not all one-byte, is unpickled as Whoosh does."""
    import numpy as np

    counts = np.array([count for _data, count in blocks], dtype=np.int64)
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))      # each block's first posting
    starts = np.concatenate(([0], np.cumsum([len(d) for d, _c in blocks])[:-1]))
    joined = np.frombuffer(b"".join(d for d, _c in blocks), dtype=np.uint8)
    deltas = np.zeros(int(counts.sum()), dtype=np.int64)
    weights = np.ones(len(deltas))
    slow, fast = [], []           # block numbers; fast: (block, head, run at, run, weights)
    head_at, head_values = [], []
    for n, (data, count) in enumerate(blocks):
        shape = _block_shape(data, count)
        if shape is None:
            slow.append(n)
            continue
        head, pos, rest, w = shape
        head_at.extend(range(firsts[n], firsts[n] + len(head)))
        head_values.extend(head)
        if isinstance(w, float):        # as `_read_weights`: via array("f")
            weights[firsts[n]:firsts[n] + count] = array("f", [w])[0]
        fast.append((n, len(head), starts[n] + pos, rest,
                     None if w is None or isinstance(w, float) else starts[n] + w))
    if head_at:
        deltas[head_at] = head_values
    if fast:
        block = np.array([f[0] for f in fast], dtype=np.int64)
        rest = np.array([f[3] for f in fast], dtype=np.int64)
        step = np.arange(int(rest.sum())) - np.repeat(np.cumsum(rest) - rest, rest)
        ops = np.repeat(np.array([f[2] for f in fast], dtype=np.int64), rest) + 2 * step
        into = np.repeat(firsts[block] + np.array([f[1] for f in fast]), rest) + step
        deltas[into] = joined[ops + 1]
        bad = np.flatnonzero(joined[ops] != _BININT1)
        slow.extend(np.unique(np.repeat(block, rest)[bad]).tolist())
        tuples = [f for f in fast if f[4] is not None]
        if tuples:
            size = np.array([counts[f[0]] for f in tuples], dtype=np.int64)
            step = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
            at = np.repeat(np.array([f[4] for f in tuples], dtype=np.int64), size) + 9 * step
            into = np.repeat(firsts[[f[0] for f in tuples]], size) + step
            raw = joined[at[:, None] + np.arange(1, 9)]
            weights[into] = raw.copy().view(">f8").ravel()
            bad = np.flatnonzero(joined[at] != _BINFLOAT)
            slow.extend(np.unique(np.repeat([f[0] for f in tuples], size)[bad]).tolist())
    for n in set(slow):
        data, count = blocks[n]
        raw_ids, raw_weights = loads(data)[:2]
        deltas[firsts[n]:firsts[n] + count] = raw_ids
        if raw_weights is None:
            weights[firsts[n]:firsts[n] + count] = 1.0
        elif isinstance(raw_weights, float):     # as `_read_weights`: via array("f")
            weights[firsts[n]:firsts[n] + count] = array("f", [raw_weights])[0]
        else:
            weights[firsts[n]:firsts[n] + count] = raw_weights
    return deltas, weights


def _matcher_arrays(reader, field, text):
    """`posting_arrays` through the public matcher API (one posting at a time)."""
    import numpy as np

    m, deleted = term_postings(reader, field, text)
    if m is None:
        return None
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    out, w = np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    if deleted:
        keep = ~np.isin(out, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        out, w = out[keep], w[keep]
    return out, w


def term_extremes(reader, field, text):
    """(highest frequency, shortest field length) over a term's postings in one segment,
    from its term-table entry (what the W3 writer records per term: the length one-byte
    coded as `doc_field_length` gives it back), or None if the segment lacks the term.
    MaxScore's per-term bound; the public `TermInfo` has them, `reader.term_info` is public,
    but the one-byte coding of lengths is Whoosh's own: the bound test checks both agree."""
    try:
        info = reader.term_info(field, text)
    except TermNotFound:
        return None
    return info.max_weight(), info.min_length() or 0


def field_length_codes(reader, field) -> bytes | None:
    """Each document's length in `field` as the one-byte code W3 stores (one byte per
    document of the segment, 0 for none), read as one slice of the lengths column; None
    when the segment is not a W3 one (then ask `doc_field_length` per document).

    The BM25 length norms of a segment are one of 256 values per byte code: reading the
    column whole and mapping the codes replaces a `doc_field_length` call per document
    (~1 s per field for a million passages, on the first query of a generation)."""
    perdoc = getattr(reader, "_perdoc", None)
    size = reader.doc_count_all()
    try:
        column = perdoc._cached_reader("_%s_len" % field, LENGTHS_COLUMN)
    except AttributeError:
        return None
    if column is None:
        return bytes(size)
    if getattr(column, "_fixedlen", None) != 1:
        return None
    raw = bytes(column._dbfile.get(column._basepos, min(column._count, size))) if size else b""
    return raw + bytes(size - len(raw))


def decoded_length(code: int) -> int:
    """The field length a one-byte code stands for, as `doc_field_length` gives it (0 for
    no length)."""
    return byte_to_length(code) if code else 0


def prefix_terms(q, reader):
    """The indexed terms (bytes) a `whoosh.query.Prefix` expands to in `reader`: the
    expansion Whoosh uses itself, without its choice of how to score them."""
    return q._btexts(reader)


def index_segments(ix) -> list:
    """The segments of the TOC an index was opened on (their ids key `livestats.json`);
    `FileIndex` has no public accessor."""
    return ix._segments()


def segment_field_lengths(segment) -> dict[str, int]:
    """A segment's field length totals as written (W3Segment `_fieldlengths`): livestats
    compares them with the live documents' to correct merged segments' drift."""
    return dict(getattr(segment, "_fieldlengths", {}) or {})


# -- writing (index: update, workers, writer) -----------------------------------------------

def inlining_codec(inline_limit: int):
    """Whoosh's W3 codec with posting lists shorter than `inline_limit` inlined into the
    term table.

    Most CJK bigrams of the grams field occur in a handful of passages; writing each as its
    own pickled, compressed posting block costs more than the postings themselves (~30% of
    commit time on the eval pool). Whoosh 2.7.4 supports inlined postings when reading but
    the writer calls a misspelt method (`set_inline`), so the class is patched here, once:
    the files written are ordinary W3 segments any Whoosh 2.7 reader opens.
    """
    if not hasattr(W3TermInfo, "set_inline"):
        W3TermInfo.set_inline = W3TermInfo.set_inlined
    return W3Codec(inlinelimit=inline_limit)


def block_limit(codec) -> int:
    """Postings per block of the W3 codec (Whoosh keeps it private)."""
    return codec._blocklimit


class MergingWriter(SegmentWriter):
    """Whoosh's writer, able to merge segments with inlined postings (`inlining_codec`):
    Whoosh reads an inlined posting list without values (an ID field's) back with ''
    (str) values, which its own pool then rejects (`AssertionError: vbytes=''`), so the
    update that first merged small segments (about the fifth) failed."""

    def add_postings_to_pool(self, reader, startdoc, docmap):
        add_post = self.pool.add
        for item in self._process_posts(reader.iter_postings(), startdoc, docmap):
            add_post(item if item[4] != "" else item[:4] + (b"",))


class _HashSlots:
    """One of the 256 buckets of Whoosh's `HashWriter` (the term table), as its `add` and
    `_write_hashes` use it: (hash, position) pairs, kept in an array of unsigned 64-bit ints
    (16 bytes a key) instead of a list of tuples (~130 bytes a key). A segment's term table
    has a key per passage (its `pid`), held until the segment is closed: as tuples that
    grew with the corpus (~80 MB a worker at a million passages)."""

    __slots__ = ("_pairs",)

    def __init__(self):
        self._pairs = array("Q")

    def append(self, pair) -> None:
        self._pairs.extend(pair)

    def __len__(self) -> int:
        return len(self._pairs) >> 1

    def __iter__(self):
        pairs = self._pairs
        return zip(pairs[0::2], pairs[1::2])


def compact_term_table(fieldwriter) -> None:
    """Have a new W3 field writer keep its term table's hash buckets compact
    (`_HashSlots`); the file written is the same, byte for byte."""
    tindex = fieldwriter._tindex
    assert not any(tindex.buckets), "compact the term table before adding terms"
    tindex.buckets = [_HashSlots() for _ in range(len(tindex.buckets))]


def finish_segment(writer):
    """Close a writer's own new segment: the finished segment, or None (and its files
    removed) when nothing was added. `SegmentWriter.commit` does this and also writes the
    TOC; we write the TOC ourselves, with segments from other writers (`commit_toc`)."""
    if not writer._added:
        writer._close_segment()
        return None
    return writer._finalize_segment()


def abandon_segment(writer) -> None:
    """Close a writer's new segment after a failure (the caller re-raises)."""
    writer._close_segment()


def merge_small_segments(writer) -> list:
    """The index's segments after Whoosh's default merge policy (small segments merged into
    the writer's own new segment, deletions applied), as `SegmentWriter.commit` would."""
    return writer._merge_segments(None, None, None)


def commit_toc(writer, segments: list) -> None:
    """Write a TOC listing `segments` (the writer's own and those written by other writers,
    in this or forked processes) and release the writer's lock. Whoosh's `commit` lists only
    the writer's own segment: this is how parallel writers' segments join one index."""
    writer._commit_toc(segments)
    writer._finish()


def write_postings(fieldwriter, schema, items, lengths: dict, blocklimit: int,
                   doccount: int, decoded=None) -> None:
    """Write (fieldname, term, parts) items, in order, through a W3 field writer; `parts`
    are the term's postings as flat (docnum, weight, value, ...) lists, in docnum order;
    `lengths`: {field: array("B")} of each document's field length as Whoosh codes it in
    a byte (`length_to_byte`), 0 for none.

    Short posting lists (most terms) go straight into the term table, packed as
    `W3TermInfo.to_bytes` packs inlined postings; longer ones fill the W3 postings writer's
    block buffers a block at a time. Either way the bytes are exactly those `add_posting`
    per posting would have produced (the lean writer's reason to exist: see
    `search.index.writer`). A `decoded` writer (`search.decoded_postings.DecodedWriter`)
    also gets each written list's ids and weights, keyed by its offset in the postings
    file.
    """
    for fieldname, group in groupby(items, key=lambda item: item[0]):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        pw = fieldwriter._postwriter
        inline_limit = pw._inlinelimit
        add_term = fieldwriter._tindex.add
        prefix = pack_ushort(fieldwriter._fieldid)
        lens = lengths.get(fieldname)
        if lens is not None and len(lens) < doccount:
            lens.extend(bytes(doccount - len(lens)))
        for _, btext, parts in group:
            if sum(map(len, parts)) < 3 * inline_limit:
                flat = parts[0] if len(parts) == 1 else [x for part in parts for x in part]
                ids, weights, values = flat[0::3], flat[1::3], flat[2::3]
                add_term(prefix + btext, _inlined_terminfo(ids, weights, values,
                                                           *_length_range(lens, ids)))
                continue
            fieldwriter.start_term(btext)
            if decoded is not None:
                decoded.start(pw._startoffset)
            first = True
            for block_ids, block_weights_, block_values in _blocks(parts, blocklimit):
                if not first:
                    pw._write_block()
                first = False
                pw._ids = array("I", block_ids)
                pw._weights = array("f", block_weights_)
                pw._values = [v for v in block_values if v]
                pw._maxweight = max(0, max(block_weights_))
                pw._minlength, pw._maxlength = _length_range(lens, block_ids)
                if decoded is not None:
                    decoded.add(pw._ids, pw._weights)
            fieldwriter.finish_term()
            if decoded is not None:
                decoded.finish()
        fieldwriter.finish_field()


def _blocks(parts, size: int):
    """(ids, weights, values) of consecutive blocks of `size` postings (the last may be
    shorter) across the flat postings lists `parts`, as if they were one list."""
    ids: list = []
    weights: list = []
    values: list = []
    for flat in parts:
        p_ids, p_weights, p_values = flat[0::3], flat[1::3], flat[2::3]
        pos, n = 0, len(p_ids)
        while pos < n:
            take = min(size - len(ids), n - pos)
            if not ids and take == size:
                yield (p_ids[pos:pos + take], p_weights[pos:pos + take],
                       p_values[pos:pos + take])
            else:
                ids += p_ids[pos:pos + take]
                weights += p_weights[pos:pos + take]
                values += p_values[pos:pos + take]
                if len(ids) == size:
                    yield ids, weights, values
                    ids, weights, values = [], [], []
            pos += take
    if ids:
        yield ids, weights, values


def _length_range(lens, ids) -> tuple[int | None, int]:
    """(shortest, longest) non-zero field length of documents `ids`, as the W3 postings
    writer tracks them ((None, 0) when none has a length); `lens`: the lengths' bytes
    (the coding is monotone, so the extremes of the bytes are those of the lengths)."""
    nonzero = [n for n in map(lens.__getitem__, ids) if n] if lens is not None else ()
    return (byte_to_length(min(nonzero)), byte_to_length(max(nonzero))) if nonzero \
        else (None, 0)


def _inlined_terminfo(ids, weights, values, minlen, maxlen) -> bytes:
    """`W3TermInfo.to_bytes()` of a term whose postings are inlined in the term table."""
    head = W3TermInfo._struct.pack(
        True, float(sum(weights)), len(ids), 0 if minlen is None else length_to_byte(minlen),
        length_to_byte(maxlen), max(0, max(weights)), ids[0], ids[-1])
    return head + dumps((tuple(ids), tuple(weights), tuple(v for v in values if v)), 2)
