"""Term statistics without deleted documents, so an updated index ranks as a fresh build.

Whoosh deletes a document by marking it in its segment; until a merge rewrites that segment
the document still counts in the segment's statistics: in the document frequency of each of
its terms and in the field length totals (so in the average field length). BM25 reads both,
so after an update a query scored, and ranked, differently from a fresh build of the same
files (issue 9: `中俄` 3.618 against 4.293). Merging every segment that has a deletion would
make a one-file change rewrite the biggest segment of the index; instead each generation
keeps, in `livestats.json`, what its deleted-but-present documents add to the statistics of
their segment, and `LiveSearcher` subtracts it wherever Whoosh or our evaluator reads them.

The numbers come from analysing the deleted documents again at delete time, with the
schema's own fields: their stored fields give back the Article (`article_from_stored`) and
`passage_docs` the very documents that were indexed.

Whoosh's merges of small segments are not exact either: they copy each document's field
length as its one-byte approximation, so a merged segment's length totals drift from the
sums a fresh build records. The same file holds that correction for merged segments.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.searching import Searcher

from search.errors import DefsearchError

STATS_FILE = "livestats.json"


class Unaccounted(DefsearchError):
    pass


@dataclass
class SegmentStats:
    """What one segment's recorded statistics hold beyond its live documents."""

    lengths: dict[str, int] = field(default_factory=dict)        # field -> token count
    df: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> term -> docs

    def add_document(self, schema, doc: dict) -> None:
        """Count one document as `SegmentWriter.add_document` indexes it."""
        for name, value in doc.items():
            if name.startswith("_") or value is None or not schema[name].indexed:
                continue
            fieldobj = schema[name]
            terms = self.df.setdefault(name, {})
            length = 0
            for btext, freq, _weight, _value in fieldobj.index(value):
                length += freq
                term = _term_key(btext)
                terms[term] = terms.get(term, 0) + 1
            if fieldobj.scorable and length:
                self.lengths[name] = self.lengths.get(name, 0) + length

    def merged(self, other: "SegmentStats | None") -> "SegmentStats":
        out = SegmentStats(dict(self.lengths), {f: dict(t) for f, t in self.df.items()})
        if other is not None:
            for name, n in other.lengths.items():
                out.lengths[name] = out.lengths.get(name, 0) + n
            for name, terms in other.df.items():
                mine = out.df.setdefault(name, {})
                for term, n in terms.items():
                    mine[term] = mine.get(term, 0) + n
        return out

    def empty(self) -> bool:
        return not any(self.lengths.values()) and not any(self.df.values())


def _term_key(btext: bytes) -> str:
    """A term's bytes as a JSON-safe string (numeric fields' terms are not UTF-8)."""
    return btext.decode("utf-8", "surrogateescape")


# -- the file of a generation ---------------------------------------------------------------

def load(gen_dir: Path) -> dict[str, SegmentStats]:
    try:
        data = json.loads((Path(gen_dir) / STATS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {segid: SegmentStats(dict(entry.get("lengths", {})), dict(entry.get("df", {})))
            for segid, entry in data["segments"].items()}


def save(gen_dir: Path, stats: dict[str, SegmentStats]) -> None:
    """Write the generation's file with a new inode: the one it may hold is a hard link to
    the previous generation's (see `search.index.update._link_copy`), which must not change."""
    path = Path(gen_dir) / STATS_FILE
    if path.exists():
        path.unlink()
    stats = {segid: s for segid, s in stats.items() if not s.empty()}
    if not stats:
        return
    data = {"segments": {segid: {"lengths": {f: n for f, n in s.lengths.items() if n},
                                 "df": {f: t for f, t in s.df.items() if t}}
                         for segid, s in sorted(stats.items())}}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=True, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


# -- at update time -------------------------------------------------------------------------

def delete_sources(writer, sources) -> dict[str, SegmentStats]:
    """Delete (in `writer`) every live document indexed from the files `sources`; returns,
    per segment id, the statistics of the documents deleted there."""
    from whoosh.reading import SegmentReader, TermNotFound

    schema = writer.schema
    found: dict[str, list] = {}          # source -> [(segment, docnum, stored fields)]
    for segment in writer.segments:
        reader = SegmentReader(writer.storage, schema, segment)
        try:
            for rel in sources:
                try:
                    ids = list(reader.postings("source", rel).all_ids())
                except TermNotFound:
                    continue
                found.setdefault(rel, []).extend(
                    (segment, d, reader.stored_fields(d)) for d in ids)
        finally:
            reader.close()
    removed: dict[str, SegmentStats] = {}
    for rel, docs in found.items():
        indexed = _indexed_documents(rel, [stored for _, _, stored in docs])
        for segment, docnum, stored in docs:
            doc = indexed.get(stored.get("pid"))
            if doc is None or any(doc.get(k) != stored.get(k) for k in
                                  ("kind", "article_id", "lang", "text", "meta")):
                raise Unaccounted(
                    f"{rel}: its indexed passages ({stored.get('pid')}) no longer match its "
                    "article record, so the index cannot be updated in place: run "
                    "`defsearch index --rebuild`")
            removed.setdefault(segment.segment_id(), SegmentStats()).add_document(schema, doc)
            segment.delete_document(docnum)
    return removed


def _indexed_documents(rel: str, stored: list[dict]) -> dict[str, dict]:
    """The documents `passage_docs` made of file `rel`, by pid, rebuilt from the stored
    fields of its article records and passages."""
    from search.index.documents import article_from_stored, passage_docs

    passages = {f["pid"]: f for f in stored if f.get("kind") == "p"}
    out = {}
    for fields in stored:
        if fields.get("kind") == "a":
            article = article_from_stored(json.loads(fields["record"]), passages.get)
            for doc in passage_docs(article, rel):
                out[doc["pid"]] = doc
    return out


def carry_forward(old: dict[str, SegmentStats], removed: dict[str, SegmentStats],
                  before: list, final: list, merged) -> dict[str, SegmentStats]:
    """The statistics file of the new generation.

    `before`: the live generation's segments (deletions applied), `final`: those still in
    the new TOC, `merged`: the segment Whoosh wrote from the others (or None). Segments
    merged away take their entries with them; the merged segment gets the difference
    between the length totals Whoosh recorded for it and the exact totals of what it holds.
    """
    kept = {s.segment_id() for s in final}
    out = {}
    for segment in before:
        segid = segment.segment_id()
        if segid in kept and (segid in old or segid in removed):
            out[segid] = old.get(segid, SegmentStats()).merged(removed.get(segid))
    sources = [s for s in before if s.segment_id() not in kept]
    if merged is not None and sources:
        recorded = _lengths(merged)
        exact: dict[str, int] = {}
        for segment in sources:
            extra = old.get(segment.segment_id(), SegmentStats()).merged(
                removed.get(segment.segment_id()))
            for name, n in _lengths(segment).items():
                exact[name] = exact.get(name, 0) + n - extra.lengths.get(name, 0)
        drift = {name: recorded.get(name, 0) - exact.get(name, 0)
                 for name in set(recorded) | set(exact)}
        out[merged.segment_id()] = SegmentStats({n: v for n, v in drift.items() if v})
    return out


def _lengths(segment) -> dict[str, int]:
    from search.whoosh_internals import segment_field_lengths
    return segment_field_lengths(segment)


# -- at search time -------------------------------------------------------------------------

class Adjustments:
    """The totals to subtract from an index reader's statistics: the sum of the entries of
    the segments that reader holds."""

    def __init__(self, stats: dict[str, SegmentStats], segment_ids):
        self.lengths: dict[str, int] = {}
        self.df: dict[tuple[str, bytes], int] = {}
        for segid in segment_ids:
            entry = stats.get(segid)
            if entry is None:
                continue
            for name, n in entry.lengths.items():
                self.lengths[name] = self.lengths.get(name, 0) + n
            for name, terms in entry.df.items():
                for term, n in terms.items():
                    key = (name, term.encode("utf-8", "surrogateescape"))
                    self.df[key] = self.df.get(key, 0) + n

    @classmethod
    def of_index(cls, gen_dir: Path, ix) -> "Adjustments":
        from search.whoosh_internals import index_segments

        return cls(load(gen_dir), [s.segment_id() for s in index_segments(ix)])


class LiveSearcher(Searcher):
    """A Whoosh searcher whose statistics count live documents only.

    Everything that scores reads them from the top-level searcher: our evaluator and
    `ranking.ScriptBM25F` (doc_frequency, doc_count), Whoosh's `BM25FScorer` for phrases
    (idf through the weighting, avg_field_length). Sub-searchers are plain Whoosh ones and
    ask their parent, as Whoosh's scorers do.
    """

    def __init__(self, reader, adjustments: Adjustments, df_cache: dict | None = None,
                 **kwargs):
        super().__init__(reader, **kwargs)
        self.adjustments = adjustments
        self._live_count = reader.doc_count()
        count = self._doc_frequency if adjustments.df else self.ixreader.doc_frequency
        self.doc_frequency = count if df_cache is None else _memoised(count, df_cache)

    def _subsearcher(self, reader):
        return Searcher(reader, fromindex=self._ix, weighting=self.weighting, parent=self)

    def _doc_frequency(self, fieldname, text):
        n = self.ixreader.doc_frequency(fieldname, text)
        key = text.encode("utf-8") if isinstance(text, str) else text
        return n - self.adjustments.df.get((fieldname, key), 0)

    def doc_count(self):
        return self._live_count

    def field_length(self, fieldname):
        return self.ixreader.field_length(fieldname) - self.adjustments.lengths.get(fieldname, 0)

    def avg_field_length(self, fieldname, default=None):
        if not self.schema[fieldname].scorable:
            return default
        return self.field_length(fieldname) / (self._live_count or 1)


DF_CACHE_LIMIT = 200_000      # entries (field, term) -> count; about 30 MB at the limit


def _memoised(count, cache: dict):
    """`count(field, text)` remembered in `cache`: a generation never changes, so its
    counts hold for every searcher on it (one query's translation alone asks ~50 of them,
    each a term-table lookup per segment). Emptied when full rather than tracked per entry."""
    def doc_frequency(fieldname, text):
        key = (fieldname, text)
        n = cache.get(key)
        if n is None:
            if len(cache) >= DF_CACHE_LIMIT:
                cache.clear()
            n = cache[key] = count(fieldname, text)
        return n
    return doc_frequency


def searcher(ix, adjustments: Adjustments, df_cache: dict | None = None,
             **kwargs) -> LiveSearcher:
    """A LiveSearcher on `ix`; `df_cache`: a dict kept per generation for its term counts."""
    return LiveSearcher(ix.reader(), adjustments, df_cache=df_cache, fromindex=ix, **kwargs)
