"""One bad corpus entry never stops a run: a file name that is not UTF-8, a file deleted
while the index is being built. Each is one reported, skipped file; the rest indexes."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from search.cli import main
from search.index.update import IndexReport, _hash_files, _ingest_safely, corpus_files, \
    update_index
from search.ingest import ingest_path
from search.engine.engine import Engine

TXT = "Title {0}\n\nA paragraph about {0} and the modern battlefield, long enough here.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_name_that_is_not_utf8_is_skipped_and_named(tmp_path):
    c = tmp_path / "c"
    write(c / "good.txt", TXT.format("public"))
    with open(os.fsencode(c) + b"/bad\xff.txt", "wb") as fh:
        fh.write(TXT.format("hidden").encode("utf-8"))
    message = f"{c}/bad\\xff.txt: the file name is not valid UTF-8: rename the file"
    assert [str(f) for f in ingest_path(c).failures] == [message]
    result = CliRunner().invoke(main, ["index", "--corpus", str(c), "--index",
                                       str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert f"defsearch: skipped {message}\n" in result.output
    assert "1 added" in result.output and "index holds 1 articles" in result.output
    assert Engine(tmp_path / "index").search("public").total == 1
    result = CliRunner().invoke(main, ["ingest", str(c)])
    assert result.exit_code == 1 and f"defsearch: {message}\n" in result.output


def test_a_file_deleted_between_the_walk_and_its_hash_is_skipped(tmp_path):
    c = tmp_path / "c"
    write(c / "a.txt", TXT.format("alpha"))
    write(c / "b.txt", TXT.format("beta"))
    report = IndexReport()
    root, files = corpus_files(c, report.failures)
    (c / "a.txt").unlink()
    hashes = _hash_files(files, report)
    assert list(hashes) == ["b.txt"] and list(files) == ["b.txt"]
    assert report.failures == [f"{c / 'a.txt'}: deleted while indexing: skipped"]


def test_a_file_deleted_between_its_hash_and_reading_is_skipped(tmp_path):
    c = tmp_path / "c"
    write(c / "a.txt", TXT.format("alpha"))
    write(c / "b.txt", TXT.format("beta"))
    report = IndexReport()
    root, files = corpus_files(c, report.failures)
    hashes = _hash_files(files, report)
    (c / "a.txt").unlink()
    articles = _ingest_safely(list(files), files, root, report)
    assert articles["a.txt"] == [] and [a.id for a in articles["b.txt"]] == ["b"]
    assert report.failures == [f"{c / 'a.txt'}: no such file"]
    assert len(hashes) == 2


def test_a_file_deleted_during_a_run_leaves_a_good_index(tmp_path):
    """Deleted while its passages are being written: this run indexes what it read, the
    next one removes it."""
    c = tmp_path / "c"
    write(c / "a.txt", TXT.format("alpha"))
    write(c / "b.txt", TXT.format("beta"))

    def progress(done, total):
        if (c / "a.txt").exists():
            (c / "a.txt").unlink()

    update_index(c, tmp_path / "index", progress=progress)
    report = update_index(c, tmp_path / "index")
    assert report.deleted == ["a.txt"] and report.failures == []
    assert report.articles == 1
    engine = Engine(tmp_path / "index")
    assert engine.search("alpha").total == 0 and engine.search("beta").total >= 1


def test_a_jsonl_line_with_a_lone_surrogate_escape_is_skipped(tmp_path):
    c = tmp_path / "c"
    write(c / "a.jsonl", '{"id": "s1", "title": "t", "text": "bad \\udcff drones"}\n'
                         '{"id": "s2", "title": "t\\ud800", "text": "drones"}\n'
                         '{"id": "s3", "title": "t", "text": "good drones"}\n')
    expected = [f'{c / "a.jsonl"}:1: "text" holds a lone surrogate escape (\\ud800-\\udfff '
                'is not a character), line skipped',
                f'{c / "a.jsonl"}:2: "title" holds a lone surrogate escape (\\ud800-\\udfff '
                'is not a character), line skipped']
    assert [str(f) for f in ingest_path(c).failures] == expected
    report = update_index(c, tmp_path / "index")
    assert report.failures == expected and report.passages == 1
    assert [h.passage_id for h in Engine(tmp_path / "index").search("drones").hits] == ["s3"]
