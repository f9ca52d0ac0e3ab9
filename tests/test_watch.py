"""Watching the corpus (issue 15, item 1): real file events in a temp corpus, a real
`Watcher` thread updating a real index, searched with a real Engine."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from search.engine.engine import Engine
from search.watch import Logger, Watcher

TIMEOUT = 30


def article(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n"


@pytest.fixture
def corpus(seed_corpus_copy) -> Path:
    return seed_corpus_copy


class Log:
    def __init__(self):
        self.info: list[str] = []
        self.problems: list[str] = []
        self.lock = threading.Lock()

    def logger(self) -> Logger:
        def info(line):
            with self.lock:
                self.info.append(line)

        def problem(line):
            with self.lock:
                self.problems.append(line)
        return Logger(info, problem)

    def wait_for(self, text: str, problems: bool = False, count: int = 1) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with self.lock:
                lines = self.problems if problems else self.info
                if sum(text in line for line in lines) >= count:
                    return
            time.sleep(0.02)
        raise AssertionError(f"no line with {text!r}: {self.info} {self.problems}")

    def count(self, text: str, problems: bool = False) -> int:
        with self.lock:
            return sum(text in line for line in (self.problems if problems else self.info))


@contextlib.contextmanager
def watching(corpus: Path, index_dir: Path, polling: bool = False, **options):
    log = Log()
    watcher = Watcher(corpus, index_dir, log.logger(), polling=polling,
                      interval=0.2, retry=0.3, **options)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        log.wait_for("index gen-")          # caught up with the corpus
        yield watcher, log
    finally:
        watcher.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()


def hits(index_dir: Path, query: str) -> list[str]:
    return [h.passage_id for h in Engine(index_dir).search(query, translate=False).hits]


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_add_change_rename_delete(corpus, tmp_path, polling):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir, polling=polling) as (watcher, log):
        assert log.info[0] == (f"watching {corpus} ({'polling' if polling else 'inotify'}) "
                               f"for the index at {index_dir}")
        (corpus / "new.txt").write_text(article("Airships", "Zeppelins crossed the sea."))
        log.wait_for("added new.txt")
        assert hits(index_dir, "zeppelins")

        (corpus / "new.txt").write_text(article("Airships", "Dirigibles crossed the sea."))
        log.wait_for("changed new.txt")
        assert hits(index_dir, "dirigibles") and not hits(index_dir, "zeppelins")

        (corpus / "sub").mkdir()
        os.rename(corpus / "new.txt", corpus / "sub" / "moved.txt")
        log.wait_for("added sub/moved.txt")
        log.wait_for("deleted new.txt")
        assert [p.split("#")[0] for p in hits(index_dir, "dirigibles")] == ["sub--moved"]

        (corpus / "sub" / "moved.txt").unlink()
        log.wait_for("deleted sub/moved.txt")
        assert hits(index_dir, "dirigibles") == []
        assert log.problems == []


def test_moved_in_and_out_of_the_corpus(corpus, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(article("Outside", "Hovercraft landings on the beach."))
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        os.rename(outside, corpus / "in.txt")
        log.wait_for("added in.txt")
        assert hits(index_dir, "hovercraft")
        os.rename(corpus / "in.txt", outside)
        log.wait_for("deleted in.txt")
        assert hits(index_dir, "hovercraft") == []


def test_slow_copy_is_indexed_once_complete(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir, quiet=0.4) as (watcher, log):
        with open(corpus / "slow.txt", "w") as fh:       # a copy stalling between chunks
            fh.write("Slow copy\n\n")
            for n in range(12):
                fh.write(f"Paragraph {n} about convoy number{n} and its escorts.\n\n")
                fh.flush()
                time.sleep(0.15)
            fh.write("The last words: finale.\n")
        log.wait_for("added slow.txt")
        time.sleep(1.5)
        assert log.count("slow.txt") == 1            # no half-read file changed later
        assert hits(index_dir, "finale") and hits(index_dir, "number0")


def test_burst_of_200_files_is_a_few_updates(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        for n in range(200):
            (corpus / f"b{n:03}.txt").write_text(article(f"Burst {n}", f"Item burst{n} here."))
        log.wait_for("index gen-", count=2)
        deadline = time.monotonic() + TIMEOUT
        while Engine(index_dir).stats().articles < 202:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert watcher.updates <= 3, log.info
        assert log.count("added b") == 200


def test_changes_during_an_update_are_queued(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        for n in range(150):
            (corpus / f"c{n:03}.txt").write_text(article(f"Many {n}", f"Text many{n}."))
        deadline = time.monotonic() + TIMEOUT
        while not watcher.updating:
            assert time.monotonic() < deadline
            time.sleep(0.001)
        (corpus / "late.txt").write_text(article("Late", "Arrived during the update."))
        assert watcher.updating          # written while the update ran
        log.wait_for("added late.txt")
        assert hits(index_dir, "arrived")


def test_temporary_and_hidden_files_are_ignored(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        before = list(log.info)
        for name in ("report.pdf.part", "page.htm.crdownload", "~$draft.docx", ".#note.txt",
                     ".hidden.txt", "backup.txt~"):
            (corpus / name).write_text(article("Temp", "Temporary words tempword."))
        time.sleep(1.0)
        assert log.info == before and watcher.updates == 1
        os.rename(corpus / "report.pdf.part", corpus / "report.txt")   # the download ends
        log.wait_for("added report.txt")
        assert len(hits(index_dir, "tempword")) == 1


def test_bad_file_is_reported_once_and_watching_goes_on(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        bad = corpus / "bad.txt"
        bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
        log.wait_for(f"skipped {bad}: binary file, not text", problems=True)
        log.wait_for("skipped bad.txt")
        for n in range(3):
            (corpus / f"good{n}.txt").write_text(article("Good", f"Good words goodword{n}."))
            log.wait_for(f"added good{n}.txt")
        assert log.count("bad.txt", problems=True) == 1
        assert hits(index_dir, "goodword2")


def test_corpus_folder_deleted_and_recreated(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with watching(corpus, index_dir) as (watcher, log):
        shutil.rmtree(corpus)
        log.wait_for(f"corpus {corpus} is gone: the index keeps its last generation; "
                     "waiting for the folder to come back", problems=True)
        assert Engine(index_dir).stats().articles == 2      # still serving
        corpus.mkdir()
        log.wait_for(f"corpus {corpus} is back")
        (corpus / "again.txt").write_text(article("Again", "Phoenix rising."))
        log.wait_for("added again.txt")
        assert hits(index_dir, "phoenix")
        assert Engine(index_dir).stats().articles == 1      # the new folder's one file


def test_read_only_index_is_retried_with_a_clear_message(corpus, tmpfs):
    disk, remount = tmpfs
    index_dir = disk / "index"
    with watching(corpus, index_dir) as (watcher, log):
        remount("ro")
        (corpus / "new.txt").write_text(article("New", "Written while read-only: rowords."))
        log.wait_for(f"cannot write to {index_dir} (Read-only file system): make it writable "
                     "or pass --index DIR (the watcher tries again every 0.3 s)",
                     problems=True)
        time.sleep(1.0)                        # several retries, one message
        assert len(log.problems) == 1
        remount("rw")
        log.wait_for("the index is being updated again")
        log.wait_for("added new.txt")
        assert hits(index_dir, "rowords")


def test_full_disk_is_retried_with_a_clear_message(corpus, tmpfs):
    disk, remount = tmpfs
    index_dir = disk / "index"
    with watching(corpus, index_dir) as (watcher, log):
        used = shutil.disk_usage(disk).used
        remount(f"size={used + 16 * 1024}")
        (corpus / "big.txt").write_text(article("Big", " ".join(
            f"fullword{n}" for n in range(40000))))
        log.wait_for(f"cannot write the index at {index_dir} (No space left on device): "
                     "free some space; the previous index still serves (the watcher tries "
                     "again every 0.3 s)", problems=True)
        assert Engine(index_dir).stats().articles == 2
        remount("size=64M")
        log.wait_for("added big.txt")
        assert hits(index_dir, "fullword7")
        assert len(log.problems) == 1
