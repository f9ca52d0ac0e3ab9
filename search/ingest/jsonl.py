"""`.jsonl` of ready passages: one `{"id", "title", "text"}` object per line (benchmarks).

The benchmark ingests 100,000 passages, so per-passage work is only `clean_chars` (one
`str.translate`) and a sampled language guess: no layout or structure recovery, the passages
are already what the index needs. Lines sharing a title become one Article; a malformed line
is reported as `file:line` and skipped, it does not cost the rest of the file; so is a line
whose id would not fit a URL or a TREC line (`ids.valid_passage_id`).

One `.jsonl` can be a whole corpus (a million lines, gigabytes), so the indexer streams it
(`stream_jsonl`): each valid line's passage is parked in a temporary file as it is read,
keeping per article only where its passages are, and the articles are then given back one
at a time. The result is `parse_jsonl`'s, article for article: lines sharing a title
become one article wherever they are in the file, so no article is complete before the
last line. A file that is not plain UTF-8 (UTF-16, Big5, a bad byte) is read whole by
`decode_bytes` as any other text file, with its messages.
"""
from __future__ import annotations

import codecs
import json
import pickle
import re
import tempfile
from array import array
from pathlib import Path
from typing import Callable, Iterator

from ..errors import IngestError
from ..model import Article, IngestFailure, Passage
from .clean import clean_chars
from .ids import ID_RULE, short_hash, shown_id, valid_passage_id
from .lang import detect_lang

_SURROGATE = re.compile("[\ud800-\udfff]")     # JSON can escape them; UTF-8 cannot hold them


class _Lines:
    """The checks and the state of reading one file's lines: `add(lineno, line)` parses a
    line; a valid one gives its article's title and passage fields, a bad one a problem."""

    def __init__(self, path: Path, slug: str, source: str,
                 problems: list[IngestFailure] | None):
        self.path, self.slug, self.source, self.problems = path, slug, source, problems
        self.seen: set[str] = set()
        self.titles: dict[str, int] = {}        # raw title -> article number
        self.ids: list[str] = []                # per article: its id, its clean title
        self.clean_titles: list[str] = []

    def problem(self, lineno: int, what: str) -> None:
        if self.problems is not None:
            self.problems.append(IngestFailure(f"{self.path}:{lineno}", what))

    def add(self, lineno: int, line: str):
        """(article number, passage id, text, lang) of a valid line, else None."""
        if not line.strip():
            return None
        try:
            obj = json.loads(line)
        except ValueError as err:
            return self.problem(lineno, f"not valid JSON ({err.msg}), line skipped")
        if not isinstance(obj, dict):
            return self.problem(lineno, "not a JSON object, line skipped")
        pid, body, title = obj.get("id"), obj.get("text"), obj.get("title", "")
        if isinstance(pid, int) and not isinstance(pid, bool):
            pid = str(pid)
        if not isinstance(pid, str) or not pid.strip():
            return self.problem(lineno, 'missing "id" (a non-empty string), line skipped')
        if not isinstance(body, str):
            return self.problem(lineno, 'missing "text" (a string), line skipped')
        if title is None:
            title = ""
        if not isinstance(title, str):
            return self.problem(lineno, '"title" is not a string, line skipped')
        broken = next((name for name, value in (("text", body), ("title", title))
                       if not value.isascii() and _SURROGATE.search(value)), None)
        if broken:
            return self.problem(lineno, f'"{broken}" holds a lone surrogate escape '
                                        '(\\ud800-\\udfff is not a character), line skipped')
        if not valid_passage_id(pid):
            return self.problem(lineno, f'"id" {shown_id(pid)} {ID_RULE}, line skipped')
        if pid in self.seen:
            return self.problem(lineno, f"duplicate id {pid!r}, line skipped")
        self.seen.add(pid)
        body = clean_chars(body).strip()
        if not body:
            return self.problem(lineno, "empty text, line skipped")
        n = self.titles.get(title)
        if n is None:
            n = self.titles[title] = len(self.ids)
            self.ids.append(f"{self.slug}:{short_hash(title, 12)}")
            self.clean_titles.append(clean_chars(title).strip())
        return n, pid, body, detect_lang(body)

    def article(self, n: int, passages: list[tuple[str, str, str]]) -> Article:
        """Article `n` with its passages [(id, text, lang)] in line order."""
        aid = self.ids[n]
        article = Article(id=aid, source=self.source, title=self.clean_titles[n])
        article.passages = [Passage(id=pid, article_id=aid, ordinal=k, text=text, lang=lang)
                            for k, (pid, text, lang) in enumerate(passages)]
        langs = [p.lang for p in article.passages]
        article.lang = max(set(langs), key=langs.count)
        return article


def parse_jsonl(text: str, path: Path, slug: str, source: str,
                problems: list[IngestFailure] | None = None) -> list[Article]:
    lines = _Lines(path, slug, source, problems)
    passages: list[list[tuple[str, str, str]]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        got = lines.add(lineno, line)
        if got is not None:
            n, pid, body, lang = got
            if n == len(passages):
                passages.append([])
            passages[n].append((pid, body, lang))
    return [lines.article(n, ps) for n, ps in enumerate(passages)]


class _NotPlainUtf8(Exception):
    """The file needs `decode_bytes`' whole-file reading (another encoding, or an error
    whose message that reading gives)."""


_BINARY_SAMPLE = 20000      # characters `decode.py` inspects for control characters


def _text_lines(fh, path: Path) -> Iterator[str]:
    """The lines of a plain UTF-8 file (an optional BOM), as `str.splitlines` gives them
    for the whole text: each b"\\n"-line is split the same way (it may hold \\r, \\u2028...;
    no line break spans a "\\n"). _NotPlainUtf8 for what `decode_bytes` must read."""
    from .decode import _looks_binary

    head = fh.read(8192)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise _NotPlainUtf8
    fh.seek(3 if head.startswith(codecs.BOM_UTF8) else 0)
    sample: list[str] = []
    sampled = 0
    raws = iter(fh)
    while True:
        try:
            raw = next(raws)
        except StopIteration:
            break
        except OSError as err:
            raise IngestError(path, f"cannot read: {err.strerror or err}") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotPlainUtf8 from None
        if sampled < _BINARY_SAMPLE:
            sample.append(text[:_BINARY_SAMPLE - sampled])
            sampled += len(sample[-1])
            if sampled >= _BINARY_SAMPLE and _looks_binary("".join(sample)):
                raise _NotPlainUtf8
        yield from text.splitlines()
    if sampled < _BINARY_SAMPLE and _looks_binary("".join(sample)):
        raise _NotPlainUtf8


def stream_jsonl(path: Path, slug: str, source: str,
                 problems: list[IngestFailure] | None = None, scratch=None,
                 whole: Callable[[], list[Article]] | None = None) -> Iterator[Article]:
    """`parse_jsonl`'s articles of the file at `path`, read and given back one at a time
    (see the module docstring). The file is read here, before this returns, so a file
    giving no passage raises IngestError now; the passages wait in a temporary file in
    `scratch` (a folder; None: the system's), removed when the articles have been read.
    `whole()` reads a file that is not plain UTF-8 the usual way."""
    problems_before = len(problems) if problems is not None else 0
    try:
        fh = open(path, "rb")
    except OSError:                     # missing, a folder, unreadable: its usual message
        return iter(whole() if whole is not None else [])
    lines = _Lines(path, slug, source, problems)
    spill = tempfile.TemporaryFile(dir=scratch, prefix="jsonl-", suffix=".tmp")
    where: list[array] = []             # per article: offsets of its passages
    try:
        try:
            with fh:
                for lineno, line in enumerate(_text_lines(fh, path), 1):
                    got = lines.add(lineno, line)
                    if got is None:
                        continue
                    n, pid, body, lang = got
                    if n == len(where):
                        where.append(array("q"))
                    where[n].append(spill.tell())
                    pickle.dump((pid, body, lang), spill, protocol=pickle.HIGHEST_PROTOCOL)
        except _NotPlainUtf8:
            spill.close()
            if problems is not None:
                del problems[problems_before:]
            return iter(whole() if whole is not None else [])
    except BaseException:
        spill.close()
        raise
    if not where:
        spill.close()
        if lines.seen or (problems is not None and len(problems) > problems_before):
            raise IngestError(path, "no valid passages (every line was malformed)")
        return iter(whole() if whole is not None else [])  # blank: decode_bytes says so
    return _articles(lines, where, spill)


def _articles(lines: _Lines, where: list[array], spill) -> Iterator[Article]:
    try:
        spill.flush()
        for n, offsets in enumerate(where):
            passages = []
            for offset in offsets:
                spill.seek(offset)
                passages.append(pickle.load(spill))
            where[n] = array("q")           # done with it
            yield lines.article(n, passages)
    finally:
        spill.close()
