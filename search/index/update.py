"""Build and update the passage index.

`update_index(corpus, index_dir)` compares the corpus with the manifest of the live
generation and writes a new generation holding only the differences: new files added,
changed files replaced, deleted files removed. The new generation starts as a hard-linked
copy of the live one (Whoosh never rewrites a file it has written: new segments and a new TOC
get new names), so an update costs what changed, not the whole index. `rebuild=True` starts
from an empty generation. Either way the swap is one `os.replace` of `CURRENT` (see
`search.index.manifest`), so a killed run leaves the previous index serving, and a search
opened on the previous generation keeps its files.

When the mined lexicon (names added to jieba) changes, passages already indexed were
segmented without the new names, so everything is re-analysed and the report says so.
"""
from __future__ import annotations

import errno
import fcntl
import heapq
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from search.errors import (DefsearchError, IndexDamaged, IndexLocked, IndexNotFound,
                           IndexWriteError)
from search.index.documents import passage_docs
from search.index.checksums import (generation_file, sha256_file, verify_generation,
                                    write_checksums)
from search.index.manifest import (
    FileEntry, Manifest, analyzer_settings, check_compatible, current_generation, fsync_tree,
    generation_number, library_versions, new_generation_name, read_current, read_manifest,
    swap_current, write_manifest)
from search.index.schema import FORMAT_VERSION, build_schema, codec
from search.index.spill import ArticleSpill
from search.semantic import store as semantic_store
from search.model import Article
from search.whoosh_internals import (MergingWriter, commit_toc, finish_segment,
                                     merge_small_segments)

PROCS = 2
MP_THRESHOLD = 1500        # passages to add before worker processes pay for themselves
WRITER_LIMITMB = 64        # the parent's writer: merges of small segments only
WORKER_LIMITMB = 96        # postings buffered per segment writer before a run is spilled


class _Clock:
    def __init__(self, report):
        self.report, self.last = report, time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.report.timings[phase] = round(self.report.timings.get(phase, 0) + now - self.last, 2)
        self.last = now


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)      # new files that gave articles
    changed: list[str] = field(default_factory=list)    # changed files that gave articles
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)    # new or changed files that gave none
    files: int = 0             # corpus files seen by this run
    corpus: str = ""
    failures: list[str] = field(default_factory=list)     # "path: problem"
    articles: int = 0          # in the index after the update
    passages: int = 0
    indexed_passages: int = 0  # analysed by this run
    indexed_chars: int = 0
    rebuilt: bool = False      # written from an empty generation (every file analysed)
    first_build: bool = False  # there was no index to update
    lexicon_changed: bool = False  # an update that analysed every file again (see `reason`)
    reason: str = ""           # why everything was re-analysed
    generation: str = ""
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)   # seconds per phase, for benchmarks

    glossary_changed: bool = False
    # meaning vectors (search.semantic, `defsearch index --semantic`): "" when the index
    # has none, else the passages with a vector and how many were embedded by this run
    vectors: str = ""
    vector_passages: int = 0
    embedded: int = 0
    vectors_changed: bool = False    # turned on or off since the live generation

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.changed or self.deleted or self.skipped
                    or self.rebuilt or self.glossary_changed or self.vectors_changed)


# -- corpus -----------------------------------------------------------------------------

def corpus_files(corpus, failures: list[str] | None = None) -> tuple[Path, dict[str, Path]]:
    """(root, {relative path: path}) of the indexable files of a folder or a single file:
    the walk of `defsearch ingest` (`search.ingest.corpus`). Entries it skips (symlinks out
    of the corpus, names that are not UTF-8) go to `failures` as "path: problem"."""
    from search.ingest.corpus import corpus_files as walk

    skipped: list = []
    root, files = walk(corpus, skipped)
    if failures is not None:
        failures.extend(str(f) for f in skipped)
    return root, files


def _hash_files(files: dict[str, Path], report: IndexReport) -> dict[str, str]:
    """sha256 of each file. One deleted (or unreadable) since the walk is reported and
    dropped from `files`: this run treats it as gone, the rest still indexes."""
    hashes = {}
    for rel, path in list(files.items()):
        try:
            hashes[rel] = sha256_file(path)
        except FileNotFoundError:
            report.failures.append(f"{path}: deleted while indexing: skipped")
            del files[rel]
        except OSError as err:
            report.failures.append(f"{path}: cannot read: {err.strerror or err}")
            del files[rel]
    return hashes


def changes(files: dict[str, Path], old, root: Path, report: IndexReport):
    """What an update has to do against the previous manifest `old` (None: everything):
    fills report.added/changed/deleted/unchanged; returns (hashes, old files, the files to
    ingest, the glossary's digest). The one comparison of both backends' indexers."""
    hashes = _hash_files(files, report)
    old_files = old.files if old else {}
    report.added = [rel for rel in files if rel not in old_files]
    report.changed = [rel for rel in files
                      if rel in old_files and old_files[rel].sha256 != hashes[rel]]
    report.deleted = [rel for rel in old_files if rel not in files]
    todo = report.added + report.changed
    report.unchanged = len(files) - len(todo)
    return hashes, old_files, todo, _glossary_digest(root)


def _ingest(path: Path, root: Path, problems: list | None = None, scratch=None):
    """The file's articles, one at a time (`search.ingest.stream_file`: a huge `.jsonl` is
    never held whole, its passages wait in `scratch`)."""
    from search.ingest import stream_file
    return stream_file(path, root=root, problems=problems, scratch=scratch)


# -- generations ------------------------------------------------------------------------

def _generations(index_dir: Path, upto: str | None = None) -> list[str]:
    """Generation directories, oldest first (by number); with `upto`, that one and older."""
    gens = sorted((generation_number(p.name), p.name) for p in index_dir.iterdir()
                  if generation_number(p.name) is not None and p.is_dir())
    if upto is not None:
        gens = [g for g in gens if g <= (generation_number(upto), upto)]
    return [name for _, name in gens]


def _new_generation(index_dir: Path) -> Path:
    gens = _generations(index_dir)
    gen = index_dir / new_generation_name(generation_number(gens[-1]) if gens else 0)
    gen.mkdir()
    return gen


def _link_copy(src: Path, dst: Path) -> None:
    for item in src.iterdir():
        if not generation_file(item):       # checksums.json is written anew for each
            continue
        try:
            os.link(item, dst / item.name)
        except OSError:
            shutil.copy2(item, dst / item.name)


def _cleanup(index_dir: Path, keep: set[str]) -> None:
    """Remove generations other than `keep` (unfinished ones from killed runs, old ones)."""
    for name in _generations(index_dir):
        if name not in keep:
            shutil.rmtree(index_dir / name, ignore_errors=True)


class _Lock:
    def __init__(self, index_dir: Path):
        self.path = index_dir / ".lock"

    def __enter__(self):
        try:
            self.fh = open(self.path, "w")
        except IsADirectoryError:
            raise IndexWriteError(f"{self.path} is a directory: remove it, then run "
                                  "`defsearch index` again") from None
        except OSError as err:
            raise _write_error(self.path.parent, err) from None
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            raise IndexLocked(f"another `defsearch index` is updating {self.path.parent}: "
                              "wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


# -- update -----------------------------------------------------------------------------

def update_index(corpus="corpus", index_dir="index", rebuild: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 procs: int = PROCS,
                 embedding: Callable[[int, int], None] | None = None) -> IndexReport:
    """Bring the index at `index_dir` up to date with `corpus` (a folder or one file).

    `progress(done, total)` is called with passage counts as documents are added, and
    `embedding(done, total)` as passages new to the vector cache are embedded (an index
    with meaning vectors: search.semantic); either may raise to abort: the live generation
    is untouched. Returns an IndexReport.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = IndexReport(corpus=str(corpus))
    root, files = corpus_files(corpus, report.failures)
    _make_dir(index_dir)
    with _Lock(index_dir):
        old_gen, old = _live(index_dir, rebuild, report)
        report.first_build = old_gen is None and not report.reason
        report.files = len(files)
        hashes, old_files, todo, glossary_sha = changes(files, old, root, report)
        semantic = semantic_store.enabled(index_dir)
        report.vectors_changed = old is not None and semantic != _has_vectors(old_gen)
        if old is not None and not todo and not report.deleted \
                and glossary_sha == old.glossary_sha256 and not report.vectors_changed:
            report.generation = old_gen.name
            # as after a swap: the live generation and the one before it (searches may still
            # be open on it); newer ones are a killed run's, older ones a killed cleanup's
            _cleanup(index_dir, keep=set(_generations(index_dir, upto=old_gen.name)[-2:]))
            _fill_counts(report, old)
            if semantic:
                report.vectors, report.vector_passages = "kept", old.passages
            report.seconds = time.perf_counter() - started
            return report

        report.glossary_changed = old is not None and glossary_sha != old.glossary_sha256
        clock = _Clock(report)
        recheck = [rel for rel in files if rel in old_files and old_files[rel].collided
                   and rel not in todo] if todo or report.deleted else []
        previous = _live_name(index_dir)
        gen = _new_generation(index_dir)
        spill = ArticleSpill(gen)
        ids = _id_registry(gen)
        try:
            # Read every file first (the lexicon mined from all of them decides how each
            # passage is segmented), parking its articles on disk: see search.index.spill.
            ingested: dict[str, int] = {}       # rel -> articles it gave
            new_entries: dict[str, FileEntry] = {}
            naming = [0.0]
            mining = _mining()      # each article mined once: names now, glossary later

            def keep(rel: str, arts) -> None:      # arts: read one at a time, once
                entry = new_entries[rel] = _entry(files[rel], hashes[rel], [], mining)
                names: set[str] = set()
                for article in arts:
                    started_names = time.perf_counter()
                    _count_into(entry, names, article, mining)
                    naming[0] += time.perf_counter() - started_names
                    spill.add(rel, article, _cost(article))
                entry.names = sorted(names)
                ingested[rel] = len(entry.articles)

            _ingest_each(todo + recheck, files, root, report, keep, ids, old_gen, old, gen)
            clock("ingest")
            entries = {rel: old_files[rel] for rel in files if rel not in ingested}
            entries.update(new_entries)
            lexicon = sorted({n for e in entries.values() for n in e.names})
            clock("names")

            if old is not None and lexicon != old.lexicon:
                gained = len(set(lexicon) - set(old.lexicon))
                lost = len(set(old.lexicon) - set(lexicon))
                report.rebuilt = report.lexicon_changed = True
                report.reason = f"the mined lexicon changed (+{gained}/-{lost} names)"
                rest = [rel for rel in files if rel not in ingested]
                new_entries = {}
                _ingest_each(rest, files, root, report, keep, ids, scratch=gen)
                entries.update(new_entries)
                clock("ingest")
                old_gen = None
            elif old is None:
                # --rebuild, a first build, or an incompatible index: a fresh, empty
                # generation (the live one is only kept on disk for searches still open on it)
                report.rebuilt = True
                old_gen = None
            # mining the names was timed apart from reading the files
            report.timings["ingest"] = round(report.timings["ingest"] - naming[0], 2)
            report.timings["names"] = round(report.timings["names"] + naming[0], 2)
            spill.finish()

            # a new or changed file that gave no article was reported (failures): count it
            # apart
            report.skipped = [rel for rel in todo if not ingested.get(rel)]
            report.added = [rel for rel in report.added if ingested.get(rel)]
            report.changed = [rel for rel in report.changed if ingested.get(rel)]
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            for rel in ingested:        # when this content entered the index (Atom feeds)
                same = old_files.get(rel)
                entries[rel].added = same.added if same and same.sha256 == hashes[rel] \
                    and same.added else now
            for rel in ids.losers:      # read again when the corpus changes (_ingest_each)
                entries[rel].collided = True
            ids.close()
            _write(gen, old_gen, lexicon, spill, list(ingested), report.deleted, report,
                   progress, procs)
            clock("write")
            if semantic:
                _embed(gen, index_dir, report, embedding, procs)
                clock("vectors")
            else:
                from search.semantic import vectors
                vectors.remove(gen)
            gone = report.changed + report.deleted if old_gen is not None else []
            removed = [aid for rel in gone for aid in old_files[rel].articles]
            _update_glossary(gen, root, mining, removed, old_gen, report,
                             _stored_articles(old_gen, gone) if gone else ())
            spill.remove()
            clock("glossary")
            manifest = Manifest(
                glossary_sha256=glossary_sha,
                format_version=FORMAT_VERSION, analyzer=analyzer_settings(), lexicon=lexicon,
                libraries=library_versions(), corpus=str(Path(corpus)), files=entries,
                passages=sum(e.passages for e in entries.values()),
                articles=sum(len(e.articles) for e in entries.values()),
                built=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            write_manifest(gen, manifest)
            write_checksums(gen, previous=old_gen)
            fsync_tree(gen)
            clock("fsync")
            swap_current(index_dir, gen.name)
        except BaseException as err:
            spill.remove()
            ids.close()
            if _live_name(index_dir) != gen.name:
                shutil.rmtree(gen, ignore_errors=True)
            if isinstance(err, OSError):
                raise _write_error(index_dir, err, previous) from err
            raise
        _cleanup(index_dir, keep={gen.name, previous})
        report.generation = gen.name
        _fill_counts(report, manifest)
    report.seconds = time.perf_counter() - started
    return report


def _has_vectors(gen: Path | None) -> bool:
    from search.semantic import vectors

    return gen is not None and vectors.load(gen) is not None


def _embed(gen: Path, index_dir: Path, report: IndexReport, progress, procs: int) -> None:
    """The new generation's meaning vectors, from the index's vector cache plus the
    passages it has not seen (search.semantic.vectors)."""
    from search.semantic import vectors

    cache = semantic_store.VectorCache(semantic_store.cache_path(index_dir))
    try:
        report.vector_passages, report.embedded = vectors.write(gen, cache, progress, procs)
    finally:
        cache.close()
    report.vectors = "written"


def _live(index_dir: Path, rebuild: bool, report: IndexReport):
    """(generation dir, manifest) of the live index to update, or (dir or None, None) for a
    fresh build. The live generation is verified in full first: an update hard-links its
    files into the next generation, so damage would outlive the update."""
    try:
        gen = current_generation(index_dir)
        if rebuild:
            report.reason = "--rebuild"
            return gen, None
        checked = verify_generation(gen, full=True)
        manifest = read_manifest(gen)
    except IndexNotFound:
        return None, None
    except IndexDamaged as err:
        report.reason = "--rebuild" if rebuild else \
            f"the index was damaged ({err.problem}): rebuilt from scratch"
        return None, None
    try:
        check_compatible(manifest)
    except DefsearchError:
        report.reason = "the index format or analyzer changed: rebuilt from scratch"
        return gen, None
    if checked is None:
        report.reason = ("the index has no checksums (built by an older defsearch): "
                         "rebuilt from scratch")
        return gen, None
    return gen, manifest


def _live_name(index_dir: Path) -> str:
    try:
        return read_current(index_dir)
    except DefsearchError:
        return ""


def _make_dir(index_dir: Path) -> None:
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexWriteError(f"{index_dir} is a file, not an index directory: "
                              "pass --index DIR")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _write_error(index_dir, err) from None


def _write_error(index_dir: Path, err: OSError, previous: str = "") -> IndexWriteError:
    """What to do about an OSError while writing the index (the live one is untouched)."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexWriteError(
            f"cannot write the index at {index_dir} ({err.strerror}): free some space, then "
            "run `defsearch index` again" + ("; the previous index still serves" if previous
                                             else ""))
    return IndexWriteError(f"cannot write to {index_dir} ({err.strerror}): make it writable "
                           "or pass --index DIR")


def _id_registry(folder: Path | None = None):
    """A registry of claimed ids (`search.ingest.ids.IdRegistry`) keeping its table in
    `folder` (the generation being written: a killed run's is removed with it)."""
    from search.ingest.ids import IdRegistry
    return IdRegistry(folder=folder)


def _ingest_safely(rels, files: dict[str, Path], root: Path, report: IndexReport, ids=None,
                   old_gen: Path | None = None, old: Manifest | None = None
                   ) -> dict[str, list[Article]]:
    """{rel: articles} of the files `rels` (see `_ingest_each`), all held in memory."""
    out: dict[str, list[Article]] = {}
    _ingest_each(rels, files, root, report, lambda rel, arts: out.__setitem__(rel, list(arts)),
                 ids, old_gen, old)
    return out


def _ingest_each(rels, files: dict[str, Path], root: Path, report: IndexReport,
                 take: Callable[[str, Iterable[Article]], None], ids=None,
                 old_gen: Path | None = None, old: Manifest | None = None,
                 scratch: Path | None = None) -> None:
    """`take(rel, articles)` for each of the files `rels`, read in path order, one file at
    a time; `articles` is a stream to read once (a huge `.jsonl` waits in `scratch`, see
    `_ingest`); a bad file is reported and gives no articles. Ids go through `ids` (a
    `search.ingest.ids.IdRegistry`): the file first in path order keeps an id, as
    `defsearch ingest` does. When updating the index of `old_gen`, a file of it that now
    loses an id to a new file sorting before it is read again here too, and the files that
    lost one (`ids.losers`) are marked in the manifest: an update resolves ids as a fresh
    build of the same corpus does."""
    from search.ingest.corpus import path_order

    ids = ids if ids is not None else _id_registry()
    pending = set(rels)
    held = _HeldIds(old_gen, old, {rel for rel in files if rel not in pending}) \
        if old_gen is not None and old is not None else None
    ids.held_by = held
    queue = [(path_order(rel), rel) for rel in rels]
    heapq.heapify(queue)
    done: set[str] = set()
    try:
        while queue:
            rel = heapq.heappop(queue)[1]
            if rel in done:
                continue
            done.add(rel)
            problems: list = []
            try:
                articles = ids.claim_each(rel, files[rel],
                                          _ingest(files[rel], root, problems, scratch),
                                          problems)
            except DefsearchError as err:
                problems.append(err)
                articles = iter(())
            take(rel, articles)
            report.failures.extend(str(p) for p in problems)
            for other in ids.displaced:
                heapq.heappush(queue, (path_order(other), other))
            ids.displaced.clear()
    finally:
        ids.held_by = None
        if held is not None:
            held.close()


class _HeldIds:
    """Which file of the live index holds an id, for `IdRegistry.held_by`: article ids from
    the manifest; `.jsonl` passage ids (the only ones not derived from an article id) by
    looking the id up in the index: its live passage document names its article (a
    changed file's own ids, the usual hit, are told apart by their document numbers without
    reading a stored field). What it costs follows the claimed ids, never a pass over every
    stored passage, and the index is read unmapped (`search.index.storage`), so neither time
    nor memory depends on the size of the index. Only the files `kept` (in the corpus, not
    being read again) hold ids."""

    def __init__(self, gen: Path, manifest: Manifest, kept: set[str]):
        self.gen = gen
        self.article_file = {aid: rel for rel, entry in manifest.files.items()
                             if rel in kept for aid in entry.articles}
        self.jsonl = any(":" in aid for aid in self.article_file)   # txt/pdf ids have none
        self.others = [rel for rel in manifest.files if rel not in kept]
        self.ix = self.reader = None
        self.not_kept: set[int] = set()

    def __call__(self, key: tuple[str, str]) -> str | None:
        kind, value = key
        if kind == "a":
            return self.article_file.get(value)
        if not self.jsonl:
            return None
        if self.reader is None:
            self._open()
        if ("pid", value) not in self.reader:
            return None
        for docnum in self.reader.postings("pid", value).all_ids():     # live documents
            if docnum in self.not_kept:         # a changed file's own id: the usual case
                continue
            fields = self.reader.stored_fields(docnum)
            owner = self.article_file.get(fields.get("article_id", "")) \
                if fields.get("kind") == "p" else None
            if owner is not None:
                return owner
        return None

    def _open(self) -> None:
        """The live index, and the documents of its files not kept (changed, deleted: the
        ids they hold are free), so their ids are answered without reading stored fields."""
        from whoosh.reading import TermNotFound

        from search.index.storage import open_unmapped
        self.ix = open_unmapped(self.gen)
        self.reader = self.ix.reader()
        for rel in self.others:
            try:
                self.not_kept.update(self.reader.postings("source", rel).all_ids())
            except TermNotFound:
                pass

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.ix.close()


def _entry(path: Path, sha: str, arts: list[Article], mining) -> FileEntry:
    try:
        size = path.stat().st_size
    except OSError:                 # deleted since it was hashed: reported by _ingest_safely
        size = 0
    entry = FileEntry(sha256=sha, size=size)
    names: set[str] = set()
    for article in arts:
        _count_into(entry, names, article, mining)
    entry.names = sorted(names)
    return entry


def _count_into(entry: FileEntry, names: set[str], article: Article, mining) -> None:
    """Add one article of a file to its manifest entry (`names`: the names mined so far),
    and to `mining` (`search.glossary.Mining`: its glossary pairs)."""
    entry.articles.append(article.id)
    entry.passages += len(article.passages)
    names |= _file_names([article], mining)


def _cost(article: Article) -> int:
    """About how long an article takes to index, to balance the workers' shares: a CJK
    character (jieba, a bigram and a word posting) costs ~5 times an ASCII one (measured:
    87k vs 470k chars/s per core). UTF-8 length tells them apart without a Python loop."""
    chars = sum(len(p.text) for p in article.passages)
    wide = (sum(len(p.text.encode("utf-8")) for p in article.passages) - chars) // 2
    return chars + 4 * wide


def _glossary_digest(root: Path) -> str:
    from search.glossary import glossary_digest

    return glossary_digest(root)


def _update_glossary(gen: Path, root: Path, mining, removed: list, old_gen,
                     report: IndexReport, removed_articles=()) -> None:
    """The new generation's glossary.json from the (re)ingested articles as `mining`
    (`search.glossary.Mining`) mined them; `removed_articles`: the live index's articles
    of the ids `removed` (their lower-case words leave the glossary's counts). A glossary
    problem is reported, it never costs the index."""
    from search.glossary import update_glossary

    try:
        update_glossary(gen, root, (), removed, old_gen, removed_articles,
                        old_articles=lambda: _stored_articles(old_gen, None), mining=mining)
    except Exception as err:    # noqa: BLE001 - the index is still good without expansions
        report.failures.append(f"glossary: {err}")


def _stored_articles(gen: Path, sources: list[str] | None):
    """The live articles of the files `sources` (None: of every file) as generation `gen`
    stores them, one at a time (`article_from_stored`): what an update removes, read at the
    cost of what it removes (the file's documents, found by its `source` term; the index
    read unmapped)."""
    import json

    from whoosh.reading import TermNotFound

    from search.index.documents import article_from_stored
    from search.index.storage import open_unmapped

    ix = open_unmapped(gen)
    try:
        with ix.reader() as reader:
            for rel in sources if sources is not None else [None]:
                try:
                    docnums = reader.all_doc_ids() if rel is None else \
                        list(reader.postings("source", rel).all_ids())
                except TermNotFound:
                    continue
                passages: dict[str, dict] = {}    # an article's come before its record
                for docnum in docnums:
                    fields = reader.stored_fields(docnum)
                    if fields.get("kind") == "p":
                        passages[fields["pid"]] = fields
                    elif fields.get("kind") == "a":
                        yield article_from_stored(json.loads(fields["record"]),
                                                  lambda pid: passages.pop(pid, None))
                        passages.clear()
    finally:
        ix.close()


def _mining():
    from search.glossary import Mining

    return Mining()


def _file_names(arts: list[Article], mining) -> set[str]:
    """Names for jieba's user words: 「」/《》 names and the Chinese sides of glossed pairs
    (mined into `mining`, a `search.glossary.Mining`, which keeps them for the glossary)."""
    from search.analysis import mine_names
    from search.glossary import pair_names

    texts = [p.text for a in arts for p in a.passages] + [a.title for a in arts]
    glossed: set[str] = set()
    for a in arts:
        glossed |= pair_names(mining.add(a))
    return set(mine_names(texts)) | glossed


def _fill_counts(report: IndexReport, manifest: Manifest) -> None:
    report.articles = manifest.articles
    report.passages = manifest.passages


def _write(gen: Path, old_gen: Path | None, lexicon, spill: ArticleSpill,
           replaced: list[str], deleted: list[str], report: IndexReport, progress,
           procs: int) -> None:
    """Write the new generation: the live one's segments (if updating) minus the files
    `replaced` and `deleted`, plus new segments for the articles of `spill` (see
    `search.index.workers`), and the statistics of what is deleted but still in segments
    (see `search.index.livestats`)."""
    from whoosh import index

    from search.index import livestats
    from search.index.storage import open_unmapped
    from search.index.workers import write_segments

    total = spill.passages
    if old_gen is None:
        ix = index.create_in(str(gen), build_schema(lexicon))
    else:
        _link_copy(old_gen, gen)
        ix = open_unmapped(gen)         # the live segments are read, never copied whole
    # This writer holds the lock, applies deletions (and Whoosh's merge of small segments)
    # and writes the TOC; new documents go to segments of their own.
    writer = MergingWriter(ix, limitmb=WRITER_LIMITMB, codec=codec())
    try:
        removed = livestats.delete_sources(writer, replaced + list(deleted)) \
            if old_gen is not None else {}
        # Load jieba and the lexicon once, here: forked workers inherit it.
        list(ix.schema["body"].analyzer("中文"))

        def docs_of(n: int):
            source, article = spill.get(n)
            return passage_docs(article, source)

        segments = write_segments(
            ix, range(len(spill)), spill.costs, docs_of,
            procs=procs if total >= MP_THRESHOLD else 1, limitmb=WORKER_LIMITMB,
            codec=codec(), total=total, failures=report.failures, progress=progress)
        report.indexed_passages = total
        report.indexed_chars = spill.chars
        before = list(writer.segments)
        final = merge_small_segments(writer)
        kept = list(final)
        merged = finish_segment(writer)
        if merged is not None:
            final.append(merged)
        livestats.save(gen, livestats.carry_forward(
            livestats.load(gen) if old_gen is not None else {}, removed, before, kept,
            merged))
        commit_toc(writer, final + segments)
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
