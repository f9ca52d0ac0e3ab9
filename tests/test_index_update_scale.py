"""What an update costs depends on what changed, not on the size of the index (issue 17).

Memory itself is measured by bench/speed.py and bench/update.py (peak PSS of a one-article
update at two index sizes); here, the properties that make it so, each checked on a real
index: the update reads the live segments through file handles instead of mapping them
(Whoosh copies a mapped segment's files into memory whole: `search.index.storage`), and
the glossary it writes equals the one a fresh build writes, while mining only what changed.
"""
from __future__ import annotations

import json
import os
import sys

import pytest

from search.glossary.core import FILENAME, Glossary
from search.index.manifest import current_generation
from search.index.update import update_index
from search.engine.engine import Engine

_MAPS: list[str] | None = None       # paths mapped while recording (an audit hook stays)


def _audit(event, args):
    if event == "mmap.__new__" and _MAPS is not None:
        try:
            _MAPS.append(os.readlink(f"/proc/self/fd/{args[0]}"))
        except (OSError, TypeError):
            _MAPS.append(str(args))


sys.addaudithook(_audit)


def _write_jsonl(path, prefix: str, lines: int, title_every: int = 5) -> None:
    words = ["中俄", "軍事合作", "missile", "defense", "無人機", "radar", "預警", "北約"]
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(lines):
            text = " ".join(words[(n * 3 + k * 5) % len(words)] for k in range(12))
            fh.write(json.dumps({"id": f"{prefix}-{n}", "title": f"{prefix} {n % title_every}",
                                 "text": text}, ensure_ascii=False) + "\n")


def test_an_update_never_maps_the_live_segments(tmp_path):
    """Adding, changing and deleting files (`.jsonl`: their passage ids are looked up in
    the live index) reads the live segments without mapping them."""
    global _MAPS
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for f in range(3):
        _write_jsonl(corpus / f"part-{f}.jsonl", f"p{f}", 40)
    update_index(corpus, index_dir)
    _write_jsonl(corpus / "part-0.jsonl", "p0", 41)          # changed
    (corpus / "part-2.jsonl").unlink()                       # deleted
    _write_jsonl(corpus / "zz-new.jsonl", "p1", 3)           # added: ids p1-0.. are taken
    _MAPS = []
    try:
        report = update_index(corpus, index_dir)
        mapped = [p for p in _MAPS if str(index_dir) in p]
    finally:
        _MAPS = None
    assert report.changed == ["part-0.jsonl"] and report.deleted == ["part-2.jsonl"]
    assert any("already used by part-1.jsonl" in f for f in report.failures)
    assert mapped == []
    fresh = tmp_path / "fresh"
    update_index(corpus, fresh, rebuild=True)
    for q in ("中俄", "missile defense", "預警 北約"):
        got = Engine(index_dir).search(q, limit=20)
        want = Engine(fresh).search(q, limit=20)
        assert [(h.passage_id, round(h.score, 6)) for h in got.hits] == \
            [(h.passage_id, round(h.score, 6)) for h in want.hits]


GLOSSING = "比爾蓋茲訪台\n\n微軟創辦人比爾·蓋茲（Bill Gates）表示，蓋茲說合作很重要。\n"
LOWERCASE = "City walls\n\nThe city gates were closed at night, the guards said.\n"
OTHER = "北約東擴\n\n北約（NATO）東擴引起俄羅斯不滿。\n"


def _glossary_file(index_dir) -> dict:
    return json.loads((current_generation(index_dir) / FILENAME).read_text(encoding="utf-8"))


@pytest.mark.parametrize("steps", [
    # a surname the corpus also writes as a lower-case word ("the city gates") is not
    # searched alone: the update must see the words of articles it did not read again
    [("add", "w.txt", LOWERCASE)],
    [("add", "w.txt", LOWERCASE), ("delete", "w.txt", None)],
    [("add", "w.txt", LOWERCASE), ("change", "w.txt", LOWERCASE.replace("gates", "doors"))],
    [("add", "n.txt", OTHER), ("change", "g.txt", GLOSSING + "\n蓋茲又說。\n")],
])
def test_the_glossary_after_updates_equals_a_rebuilds(tmp_path, steps):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "g.txt").write_text(GLOSSING, encoding="utf-8")
    update_index(corpus, index_dir)
    for n, (what, name, text) in enumerate(steps):
        if what == "delete":
            (corpus / name).unlink()
        else:
            (corpus / name).write_text(text, encoding="utf-8")
        report = update_index(corpus, index_dir)
        assert not report.rebuilt and not report.failures
        fresh = tmp_path / f"fresh-{n}"
        update_index(corpus, fresh, rebuild=True)
        assert _glossary_file(index_dir) == _glossary_file(fresh), (what, name)
        got = Glossary.load(current_generation(index_dir))
        want = Glossary.load(current_generation(fresh))
        for term in ("Gates", "Bill Gates", "蓋茲", "NATO", "北約"):
            assert got.expansions(term) == want.expansions(term), term
    lowercase = (corpus / "w.txt").exists() and "gates" in (corpus / "w.txt").read_text()
    # what a user sees: "Gates" alone is searched as 蓋茲 unless the corpus says "gates"
    assert bool(Glossary.load(current_generation(index_dir)).expansions(
        "Gates", cross_strait_vocab=False)) is not lowercase


def test_an_update_mines_only_what_changed(tmp_path):
    """The glossary keeps each article's pairs: an update that glosses nothing new keeps
    the others' pairs and counts without reading their files again."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "g.txt").write_text(GLOSSING, encoding="utf-8")
    (corpus / "n.txt").write_text(OTHER, encoding="utf-8")
    update_index(corpus, index_dir)
    before = _glossary_file(index_dir)
    (corpus / "w.txt").write_text(LOWERCASE.replace("gates", "doors"), encoding="utf-8")
    report = update_index(corpus, index_dir)
    assert report.added == ["w.txt"] and report.indexed_passages == 1
    after = _glossary_file(index_dir)
    assert after["entries"] == before["entries"] and after["common_zh"] == before["common_zh"]
    assert after["lowercase"]["doors"] == 1 and "doors" not in before["lowercase"]


def test_a_glossary_saved_without_the_counts_is_exact_after_one_update(tmp_path):
    """An index whose glossary.json an older defsearch wrote (no word counts): the next
    update counts them once from the live index, and from then on equals a rebuild."""
    from search.index.checksums import write_checksums

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "g.txt").write_text(GLOSSING, encoding="utf-8")
    (corpus / "w.txt").write_text(LOWERCASE, encoding="utf-8")
    update_index(corpus, index_dir)
    gen = current_generation(index_dir)
    old = _glossary_file(index_dir)
    del old["lowercase"], old["common_zh"]
    (gen / FILENAME).unlink()              # a new inode, as an older defsearch wrote it
    (gen / FILENAME).write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    write_checksums(gen)
    for n, change in enumerate(("delete", "add")):
        if change == "delete":
            (corpus / "w.txt").unlink()
        else:
            (corpus / "w.txt").write_text(LOWERCASE, encoding="utf-8")
        report = update_index(corpus, index_dir)
        assert not report.rebuilt and not report.failures
        fresh = tmp_path / f"fresh-{n}"
        update_index(corpus, fresh, rebuild=True)
        assert _glossary_file(index_dir) == _glossary_file(fresh), change
