"""Problems of the machine, not of the data: one `defsearch:` line naming what to fix, a
non-zero exit, and the index that was serving still serves.

Read-only and full disks are real tmpfs mounts (root only: as root, chmod does not stop a
write); the tests are skipped where mounting is not allowed."""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from search.index.manifest import CURRENT
from search.engine.engine import Engine

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    shutil.copy(ENGINE_DATA / "news.jsonl", path / "news.jsonl")
    return path


def test_index_option_pointing_at_a_file(cli, corpus, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not an index")
    expected = f"defsearch: {path} is a file, not an index directory: pass --index DIR\n"
    for args in (("index", "--corpus", corpus), ("search", "中國"), ("index", "--check"),
                 ("serve", "--corpus", corpus)):
        result = cli(*args, "--index", path)
        assert (result.exit_code, result.output) == (1, expected), args


def test_a_directory_where_the_lock_should_be(cli, corpus, tmp_path):
    index_dir = tmp_path / "index"
    (index_dir / ".lock").mkdir(parents=True)
    result = cli("index", "--corpus", corpus, "--index", index_dir)
    assert (result.exit_code, result.output) == (1, (
        f"defsearch: {index_dir / '.lock'} is a directory: remove it, then run "
        "`defsearch index` again\n"))


def test_read_only_index_directory(cli, corpus, tmpfs):
    disk, remount = tmpfs
    index_dir = disk / "index"
    assert cli("index", "--corpus", corpus, "--index", index_dir).exit_code == 0
    (corpus / "more.jsonl").write_text('{"id": "m1", "text": "新的文章"}\n')
    remount("ro")
    result = cli("index", "--corpus", corpus, "--index", index_dir)
    assert (result.exit_code, result.output) == (1, (
        f"defsearch: cannot write to {index_dir} (Read-only file system): make it writable "
        "or pass --index DIR\n"))
    # searching needs no writes
    result = cli("search", "中國", "--index", index_dir)
    assert result.exit_code == 0 and "n1" in result.output
    result = cli("index", "--check", "--index", index_dir)
    assert result.exit_code == 0 and "is intact" in result.output


def test_disk_full_during_a_rebuild_keeps_the_index_and_says_what_to_do(cli, corpus, tmpfs):
    disk, remount = tmpfs
    index_dir = disk / "index"
    assert cli("index", "--corpus", corpus, "--index", index_dir).exit_code == 0
    live = (index_dir / CURRENT).read_text()
    used = shutil.disk_usage(disk).used
    remount(f"size={used + 64 * 1024}")      # room for a fraction of a second generation
    result = cli("index", "--corpus", corpus, "--index", index_dir, "--rebuild")
    assert result.exit_code == 1
    assert result.output.endswith(
        f"defsearch: cannot write the index at {index_dir} (No space left on device): free "
        "some space, then run `defsearch index` again; the previous index still serves\n")
    assert "Traceback" not in result.output
    assert (index_dir / CURRENT).read_text() == live
    assert sorted(p.name for p in index_dir.iterdir()) == [".lock", CURRENT, live.strip()]
    assert Engine(index_dir).search("中國").hits
    assert cli("index", "--check", "--index", index_dir).exit_code == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_port_in_use(cli, tmp_path, workers):
    from search.index.update import update_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ENGINE_DATA / "news.jsonl", corpus / "news.jsonl")
    update_index(corpus, tmp_path / "index")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli("serve", "--port", port, "--index", tmp_path / "index",
                     "--workers", workers)
    assert (result.exit_code, result.output) == (1, (
        f"defsearch: cannot listen on 127.0.0.1:{port} (Address already in use): stop the "
        "other server or pass --port N\n"))


def test_disk_full_during_a_multi_process_build(tmp_path, tmpfs):
    from search.errors import IndexWriteError
    from search.index.update import MP_THRESHOLD, update_index

    disk, remount = tmpfs
    corpus = tmp_path / "many"
    corpus.mkdir()
    with open(corpus / "many.jsonl", "w", encoding="utf-8") as fh:
        for n in range(MP_THRESHOLD + 100):
            fh.write(f'{{"id": "d{n}", "text": "第{n}段 military exercise number {n}"}}\n')
    remount("size=256k")
    with pytest.raises(IndexWriteError) as err:
        update_index(corpus, disk / "index", procs=2)
    assert str(err.value) == (
        f"cannot write the index at {disk / 'index'} (No space left on device): free some "
        "space, then run `defsearch index` again")
    assert sorted(p.name for p in (disk / "index").iterdir()) == [".lock"]
