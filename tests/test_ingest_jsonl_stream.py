"""A corpus that is one huge `.jsonl` is read in a stream (issue 17): its passages wait on
disk until its articles are complete, and the articles come back one at a time, exactly
those of reading the file whole (`parse_jsonl`), with the same skipped lines reported.

Memory itself is measured by bench/speed.py (peak PSS indexing one 100k-line file against
ten 10k-line files); here, the property that bounds it and the equality of the results.
"""
from __future__ import annotations

import codecs
import gc
import json
import subprocess

import pytest

from search.engine.engine import Engine
from search.index.manifest import current_generation
from search.index.update import update_index
from search.ingest import ingest_file, stream_file
from search.ingest.decode import decode_bytes
from search.ingest.ids import article_slug
from search.ingest.jsonl import parse_jsonl
from search.model import Article
from tests.test_index_crash import DEFSEARCH, ROOT

WORDS = ["中俄", "軍事合作", "missile", "defense", "無人機", "radar", "預警", "北約", "Su-27"]


def _line(n: int, title: str, **extra) -> str:
    text = " ".join(WORDS[(n * 5 + k * 2) % len(WORDS)] for k in range(10))
    return json.dumps({"id": f"L{n}", "title": title, "text": text, **extra},
                      ensure_ascii=False)


def _awkward_file(path, lines: int = 120) -> None:
    """Titles interleaved all over the file (an article is complete only at its end), bad
    lines of every kind, CRLF ends, blank lines, and line breaks splitlines knows inside a
    line (U+2028 written raw by ensure_ascii=False)."""
    out = []
    for n in range(lines):
        out.append(_line(n, f"Title {n % 7}"))
        if n % 17 == 3:
            out.append("{not json")
        if n % 23 == 5:
            out.append(json.dumps({"id": f"L{n}", "title": "dup", "text": "again"}))
        if n % 29 == 7:
            out.append("")
            out.append(json.dumps({"id": "", "text": "no id"}))
        if n % 31 == 11:
            out.append(json.dumps({"id": f"sep{n}", "title": "T", "text": "a\u2028b"},
                                  ensure_ascii=False))
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(out).encode("utf-8") + b"\r\n")


def _whole(path):
    problems = []
    slug = article_slug(path, path.parent)
    return parse_jsonl(decode_bytes(path.read_bytes(), path), path, slug, path.name,
                       problems), [str(p) for p in problems]


def test_a_streamed_file_gives_the_articles_and_problems_of_reading_it_whole(tmp_path):
    path = tmp_path / "big.jsonl"
    _awkward_file(path)
    want, want_problems = _whole(path)
    problems = []
    got = list(stream_file(path, tmp_path, problems, scratch=tmp_path))
    assert got == want
    assert [str(p) for p in problems] == want_problems
    assert any(":5: not valid JSON" in p for p in want_problems)
    assert any("duplicate id 'L5'" in p for p in want_problems)
    assert [a.title for a in got][:7] == [f"Title {n}" for n in range(7)]
    assert len(got[0].passages) == len([n for n in range(120) if n % 7 == 0])
    assert list(tmp_path.iterdir()) == [path]        # the parked passages are gone


def test_articles_come_back_one_at_a_time(tmp_path):
    path = tmp_path / "big.jsonl"
    _awkward_file(path, lines=400)
    gc.collect()
    before = sum(1 for o in gc.get_objects() if type(o) is Article)
    articles = stream_file(path, tmp_path, [], scratch=tmp_path)
    held = [sum(1 for o in gc.get_objects() if type(o) is Article) - before]
    for article in articles:
        held.append(sum(1 for o in gc.get_objects() if type(o) is Article) - before)
        del article
    # read whole, all 7+ articles would be held at once; streamed, the one being used
    assert held[0] == 0 and max(held) == 1


@pytest.mark.parametrize("name,data,problem", [
    ("empty.jsonl", b"\n \n", "empty file"),
    ("allbad.jsonl", b"{not json}\n[1]\n", "no valid passages"),
    ("utf16.jsonl", codecs.BOM_UTF16_LE + '{"id": "u1", "text": "中俄"}\n'.encode("utf-16-le"),
     None),
    ("big5.jsonl", '{"id": "b1", "title": "軍事", "text": "中俄軍事合作"}\n'.encode("cp950"), None),
    ("badbyte.jsonl", b'{"id": "x1", "text": "ok"}\n\xff\xfe\xfa\n', "cannot decode"),
    ("nul.jsonl", b'{"id": "x1", "text": "ok"}\n\x00\x00\n', "binary file"),
])
def test_files_that_are_not_plain_utf8_read_as_before(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    if problem is None:
        assert ingest_file(path, tmp_path) == _whole(path)[0]
        return
    with pytest.raises(Exception) as err:
        ingest_file(path, tmp_path)
    assert problem in str(err.value)


def test_one_huge_file_indexes_as_reading_it_whole(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    _awkward_file(corpus / "all.jsonl", lines=300)
    report = update_index(corpus, index_dir)
    want, want_problems = _whole(corpus / "all.jsonl")
    assert report.failures == want_problems
    assert report.articles == len(want)
    assert report.passages == sum(len(a.passages) for a in want)
    engine = Engine(index_dir)
    for article in want:
        assert engine.article(article.id) == article
    # nothing parked is left in the generation
    assert not [p for p in current_generation(index_dir).iterdir() if p.suffix == ".tmp"]


def test_a_bad_line_is_one_defsearch_line_and_an_interrupted_update_keeps_the_index(
        tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    big = corpus / "all.jsonl"
    big.write_text("\n".join(_line(n, f"T{n % 9}") for n in range(200)) + "\n",
                   encoding="utf-8")
    update_index(corpus, index_dir)
    live = (index_dir / "CURRENT").read_text()
    before = [h.passage_id for h in Engine(index_dir).search("radar", limit=50).hits]

    with big.open("a", encoding="utf-8") as fh:
        fh.write("{broken\n" + _line(999, "T1") + "\n")

    def stop(done, total):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        update_index(corpus, index_dir, progress=stop)
    assert (index_dir / "CURRENT").read_text() == live
    assert [h.passage_id for h in Engine(index_dir).search("radar", limit=50).hits] == before
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("gen-")] == [live.strip()]

    run = subprocess.run([*DEFSEARCH, "index", "--corpus", str(corpus), "--index",
                          str(index_dir)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("defsearch:")]
    assert lines == [f"defsearch: skipped {big}:201: not valid JSON (Expecting property name "
                     "enclosed in double quotes), line skipped"]
    assert "L999" in [h.passage_id for h in Engine(index_dir).search("radar", limit=300).hits]
