"""A leaner segment writer for Whoosh 2.7.4: same files, a third of the Python work.

Whoosh's `SegmentWriter` sends every posting through a generic pipeline: a 5-tuple per
(term, document) into an external-sort pool (each tuple pickled to a run file and read back
when the pool outgrows its memory limit, then heap-merged), and at commit one
`add_posting` call per posting, each looking up the document's field length in a column
reader. On the eval pool that pipeline was more than half of the indexing time.

`FastSegmentWriter` keeps Whoosh's per-document writer (stored fields, lengths, columns) and
its codec (the segment files are the ones `SegmentWriter` writes, readable by any Whoosh 2.7),
and replaces the posting side:

- `add_document` counts each text field's tokens itself (one pass over the analyzer's
  tokens, Whoosh's own `Frequency`/`Positions` encodings, memoised for the common values);
- `PostingBuffer` keeps, per field and term, one flat list of (docnum, weight, value)
  postings. Documents arrive in order, so each list is already sorted; over the memory
  budget the buffer is written as a run (terms sorted, `marshal` chunks) and at commit the
  runs are merged term by term, not posting by posting;
- `_flush_segment` hands each term's postings to the codec a block at a time
  (`search.whoosh_internals.write_postings`), and the same ids and weights to the
  segment's decoded copy of its lists (`search.decoded_postings`), which searches read
  instead of decoding the postings file.

It writes new documents only: merging existing segments (`add_reader`) stays with Whoosh's
writer (the indexer's parent writer does deletions, merges and the TOC).
"""
from __future__ import annotations

import heapq
import marshal
import os
import tempfile
from array import array
from collections import Counter
from itertools import groupby
from struct import Struct

from whoosh import formats
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from search.analysis.index_terms import index_terms
from search.decoded_postings import DecodedWriter
from search.whoosh_internals import block_limit, compact_term_table, write_postings

_FLOATS = [float(i) for i in range(512)]
_FREQ_VALUES = [pack_uint(i) for i in range(512)]
_POSITION_VALUES: dict[int, bytes] = {}
_RUN_CHUNK = 256            # terms per marshal record in a run file: the final merge holds
                            # one record per run, and runs grow with the corpus
_RUN_CHUNK_POSTINGS = 4096  # and postings per record, a long list cut into parts: the
                            # merge then holds about runs x this (~0.5 MB a run), not a
                            # whole stretch of common terms from every run (which grew
                            # with the corpus)
_POSTING_BYTES = 3 * 8 + 4  # list slots of one posting (+ list growth)
_TERM_BYTES = 200           # dict entry, key bytes, list header of one term
_UNSET = object()
_CHUNK_HEAD = Struct("<Q")   # bytes of the marshalled record that follows


def _weight(n: int) -> float:
    return _FLOATS[n] if n < 512 else float(n)


def _freq_value(n: int) -> bytes:
    return _FREQ_VALUES[n] if n < 512 else pack_uint(n)


def _positions_value(fmt, poslist: list[int]) -> bytes:
    """`fmt.encode(poslist)` (Whoosh's `Positions`), memoised for the one-position lists
    most terms have."""
    if len(poslist) != 1:
        return fmt.encode(poslist)
    pos = poslist[0]
    value = _POSITION_VALUES.get(pos)
    if value is None:
        value = _POSITION_VALUES[pos] = fmt.encode(poslist)
    return value


def _write_chunk(fh, chunk: list) -> None:
    """One record of a run file: its length, then `chunk` marshalled. Read back with
    ``marshal.loads`` of the whole record: ``marshal.load`` of a file calls the file's
    ``readinto`` for every object it reads, which made reading the runs back 40 times
    slower (a tenth of the CPU of a 20k-passage build)."""
    data = marshal.dumps(chunk)
    fh.write(_CHUNK_HEAD.pack(len(data)))
    fh.write(data)


def warm_fast_paths(schema) -> None:
    """Build, in this process, what the schema's analyzer fast paths build on first use
    (the jieba-rs twin of the dictionary, ``search.analysis.jieba_cut``): forked workers
    then share one copy instead of each building its own."""
    for _name, field in schema.items():
        analyzer = getattr(field, "analyzer", None)
        fast = index_terms(analyzer) if field.indexed and analyzer is not None else None
        if fast is not None:
            fast("中文")


class PostingBuffer:
    """The postings of one segment, by field and term; spills sorted runs to disk.

    Also answers the bit of Whoosh's pool interface `SegmentWriter` calls (`cleanup`).
    """

    def __init__(self, limitmb: int, tempdir: str | None = None):
        self.limit = limitmb * 1024 * 1024
        self.tempdir = tempdir
        self.fields: dict[str, dict[bytes, list]] = {}
        self.postings = 0
        self.terms = 0
        self.runs: list[str] = []
        self.spilled = 0            # runs written so far

    def terms_of(self, fieldname: str) -> dict[bytes, list]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def grew(self, postings: int, terms: int) -> None:
        self.postings += postings
        self.terms += terms
        if self.postings * _POSTING_BYTES + self.terms * _TERM_BYTES > self.limit:
            self.save()

    def _sorted(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for btext in sorted(terms):
                yield fieldname, btext, terms[btext]

    def save(self) -> None:
        """Write the buffered postings as a sorted run and empty the buffer."""
        if not self.fields:
            return
        self.spilled += 1
        fd, path = tempfile.mkstemp(suffix=".run", dir=self.tempdir)
        self.runs.append(path)
        budget = _RUN_CHUNK_POSTINGS * 3          # list slots
        with os.fdopen(fd, "wb") as fh:
            chunk, slots = [], 0
            for fieldname, btext, flat in self._sorted():
                for start in range(0, len(flat), budget):
                    part = flat if len(flat) <= budget else flat[start:start + budget]
                    chunk.append((fieldname, btext, part))
                    slots += len(part)
                    if len(chunk) >= _RUN_CHUNK or slots >= budget:
                        _write_chunk(fh, chunk)
                        chunk, slots = [], 0
            if chunk:
                _write_chunk(fh, chunk)
        self.fields = {}
        self.postings = self.terms = 0

    @staticmethod
    def _read_run(path: str):
        with open(path, "rb") as fh:
            while True:
                head = fh.read(_CHUNK_HEAD.size)
                if not head:
                    return
                yield from marshal.loads(fh.read(_CHUNK_HEAD.unpack(head)[0]))

    def items(self):
        """(fieldname, term bytes, parts) in (field, term) order, runs merged: `parts` are
        the term's flat postings lists, from the earlier runs first (a run may hold a long
        list in several parts), so docnums stay increasing. They are not joined into one
        list: the writer takes them a block at a time."""
        if not self.runs:
            for fieldname, btext, flat in self._sorted():
                yield fieldname, btext, (flat,)
            return
        sources = [self._read_run(path) for path in self.runs] + [self._sorted()]
        # heapq.merge is stable: equal keys come in the order of the sources
        merged = heapq.merge(*sources, key=lambda item: (item[0], item[1]))
        for (fieldname, btext), group in groupby(merged, key=lambda item: (item[0], item[1])):
            yield fieldname, btext, [postings for _, _, postings in group]

    def cleanup(self) -> None:
        for path in self.runs:
            try:
                os.remove(path)
            except OSError:
                pass
        self.runs = []
        self.fields = {}


class FastSegmentWriter(SegmentWriter):
    """A `SegmentWriter` for new documents with a leaner posting pipeline (see module)."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        compact_term_table(self.fieldwriter)
        # Runs go beside the segment (Whoosh's own temp storage is one /tmp folder per
        # index *name*, shared by every writer on the machine), so a killed build leaves
        # them in the unfinished generation the next update removes.
        self.pool = PostingBuffer(limitmb, tempdir=getattr(self.storage, "folder", None))
        self._lengths: dict[str, array] = {}
        self._fast: dict[str, object] = {}      # field -> its analyzer's fast path or None
        self._last: dict[str, tuple] = {}       # field -> (last value, its postings)
        folder = getattr(self.storage, "folder", None)
        # each written list also stored decoded, for searches (`search.decoded_postings`)
        self._decoded = DecodedWriter(folder, self.newsegment) if folder else None

    def add_reader(self, reader):          # pragma: no cover - not used by the indexer
        raise NotImplementedError("FastSegmentWriter writes new documents only")

    def add_document(self, **fields):
        """Add one document. Its fields are analysed before anything is written, so a
        document whose analysis raises leaves no trace in the segment."""
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        analysed = []
        for fieldname in names:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            items = ()
            if field.indexed:
                fmt = field.format
                if isinstance(value, str) and type(fmt) in (formats.Frequency,
                                                            formats.Positions) \
                        and fmt.field_boost == 1.0:
                    items = self._text_postings(fieldname, field, fmt, value)
                else:
                    items = list(field.index(value))
            analysed.append((fieldname, field, value, items))

        pool = self.pool
        perdocwriter = self.perdocwriter
        perdocwriter.start_doc(docnum)
        new_postings = new_terms = 0
        for fieldname, field, value, items in analysed:
            length = 0
            if items:
                terms = pool.terms_of(fieldname)
                for tbytes, freq, weight, vbytes in items:
                    length += freq
                    postings = terms.get(tbytes)
                    if postings is None:
                        terms[tbytes] = [docnum, weight, vbytes]
                        new_terms += 1
                    else:
                        postings += (docnum, weight, vbytes)
                new_postings += len(items)
            if not field.scorable:
                length = 0
            elif length:
                lengths = self._lengths.get(fieldname)
                if lengths is None:     # Whoosh's one-byte lengths: a byte a document
                    lengths = self._lengths[fieldname] = array("B")
                if len(lengths) < docnum:
                    lengths.extend(bytes(docnum - len(lengths)))
                lengths.append(length_to_byte(length))
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        pool.grew(new_postings, new_terms)

    def _text_postings(self, fieldname, field, fmt, value):
        """(term bytes, freq, weight, value) of a text field, as `fmt.word_values` gives
        them (no boosts: every token weighs 1). The schema's two analyzers give their terms
        through their fast path (`search.analysis.index_terms`: the same terms without a
        token object per term), and a word field's value equal to its previous one (an
        article's title, authors, venue, footnotes, for each of its passages) is analysed
        once."""
        last = self._last.get(fieldname)
        if last is not None and last[0] == value:
            return last[1]
        fast = self._fast.get(fieldname, _UNSET)
        if fast is _UNSET:
            fast = self._fast[fieldname] = index_terms(field.analyzer)
        if type(fmt) is formats.Frequency:
            if fast is not None:
                counts = Counter(fast(value))
            else:
                counts = {}
                for t in field.analyzer(value, mode="index"):
                    counts[t.text] = counts.get(t.text, 0) + 1
            items = [(text.encode("utf-8"), n, _weight(n), _freq_value(n))
                     for text, n in counts.items()]
            if max(counts.values(), default=0) < len(_FREQ_VALUES):
                # Reused only where the values are the shared ones (`_freq_value`): the
                # codec pickles them, and a bytes object met twice is pickled as a
                # reference, so fresh values reused would change the bytes written.
                self._last[fieldname] = (value, items)
        else:
            poses: dict[str, list] = {}
            if fast is not None:
                terms, positions = fast(value)
                pairs = zip(terms, positions)
            else:
                pairs = ((t.text, t.pos) for t in field.analyzer(value, positions=True,
                                                                  mode="index"))
            for text, pos in pairs:
                plist = poses.get(text)
                if plist is None:
                    poses[text] = [pos]
                else:
                    plist.append(pos)
            items = [(text.encode("utf-8"), len(plist), _weight(len(plist)),
                      _positions_value(fmt, plist)) for text, plist in poses.items()]
        return items

    def _flush_segment(self):
        self.perdocwriter.close()
        write_postings(self.fieldwriter, self.schema, self.pool.items(), self._lengths,
                       block_limit(self.codec), self.docnum, decoded=self._decoded)
        self.fieldwriter.close()
        if self._decoded is not None:
            self._decoded.close()

    def _close_segment(self):
        super()._close_segment()
        if self._decoded is not None and not self._decoded.closed:
            self._decoded.abandon()         # nothing added, or given up before the flush

    def _assemble_segment(self):
        super()._assemble_segment()
        if self._decoded is not None:
            self._decoded.publish()
