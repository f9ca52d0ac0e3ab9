"""Symlinks: the walker never leaves the corpus. Symlinks are not followed; one pointing
outside the corpus folder is reported once by name and skipped, by `defsearch ingest` and
`defsearch index` alike (a symlink inside it adds nothing: its target is indexed itself)."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from search.cli import main
from search.index.update import update_index
from search.ingest import ingest_path
from search.engine.engine import Engine

TXT = "Title {0}\n\nA paragraph about {0} and the modern battlefield, long enough here.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def outside_message(link: Path, target: Path) -> str:
    return (f"{link}: a symlink to {target}, outside the corpus: skipped "
            "(copy it into the corpus to index it)")


def test_file_symlink_outside_the_corpus_is_skipped_and_reported(tmp_path):
    secret = write(tmp_path / "private" / "secret.txt", TXT.format("confidential"))
    c = tmp_path / "c"
    write(c / "real.txt", TXT.format("public"))
    os.symlink(secret, c / "link.txt")
    message = outside_message(c / "link.txt", secret)
    assert [str(f) for f in ingest_path(c).failures] == [message]
    result = CliRunner().invoke(main, ["index", "--corpus", str(c), "--index",
                                       str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert result.output.count(message) == 1 and f"defsearch: skipped {message}\n" in result.output
    engine = Engine(tmp_path / "index")
    assert engine.search("confidential").total == 0
    assert engine.search("public").total == 1


def test_folder_symlink_outside_is_reported_once(tmp_path):
    outside = tmp_path / "elsewhere"
    write(outside / "one.txt", TXT.format("one"))
    write(outside / "two.txt", TXT.format("two"))
    c = tmp_path / "c"
    write(c / "real.txt", TXT.format("public"))
    os.symlink(outside, c / "ext")
    report = update_index(c, tmp_path / "index")
    assert report.failures == [outside_message(c / "ext", outside)]
    assert report.articles == 1


def test_symlink_inside_the_corpus_adds_nothing(tmp_path):
    c = tmp_path / "c"
    write(c / "sub" / "real.txt", TXT.format("public"))
    os.symlink(c / "sub" / "real.txt", c / "alias.txt")
    os.symlink(c / "sub", c / "again")
    report = update_index(c, tmp_path / "index")
    assert report.failures == [] and report.added == ["sub/real.txt"]
    assert [a.source for a in ingest_path(c).articles] == ["sub/real.txt"]
    assert Engine(tmp_path / "index").search("public").total == 1


def test_a_symlinked_corpus_folder_is_walked(tmp_path):
    c = tmp_path / "c"
    write(c / "real.txt", TXT.format("public"))
    os.symlink(c, tmp_path / "link")
    report = update_index(tmp_path / "link", tmp_path / "index")
    assert report.failures == [] and report.added == ["real.txt"]
