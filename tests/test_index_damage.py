"""A damaged index is caught and named, never a traceback or silently wrong hits.

Each generation carries checksums.json (size, sha256 and a sampled digest of every file),
written at commit. Opening checks it cheaply, `defsearch index --check` fully; a damaged
index gives one line naming the file and `defsearch index --rebuild`, a plain
`defsearch index` rebuilds it (and says why), and `--rebuild` works whatever the old index
holds."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from search.errors import IndexDamaged
from search.index.checksums import CHECKSUMS
from search.index.manifest import CURRENT, current_generation
from search.engine.engine import Engine
from web import create_app

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


@pytest.fixture(scope="session")
def news_index(tmp_path_factory):
    from search.index.update import update_index

    corpus = tmp_path_factory.mktemp("damage") / "corpus"
    corpus.mkdir()
    shutil.copy(ENGINE_DATA / "news.jsonl", corpus / "news.jsonl")
    index_dir = corpus.parent / "index"
    update_index(corpus, index_dir)
    return corpus, index_dir


@pytest.fixture
def index(news_index, tmp_path):
    """(corpus, a copy of the news index, its live generation) to damage."""
    corpus, index_dir = news_index
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    return corpus, copy, current_generation(copy)


def segment(gen: Path) -> Path:
    return max(gen.glob("*.seg"), key=lambda p: p.stat().st_size)


def damaged(index_dir, problem):
    return f"defsearch: index at {index_dir} is damaged ({problem}): " \
           "run `defsearch index --rebuild`\n"


def truncate_segment(gen):
    seg = segment(gen)
    size = seg.stat().st_size
    os.truncate(seg, size // 2)
    return f"{gen.name}/{seg.name}: {size // 2} bytes, expected {size}"


def overwrite_segment(gen):
    seg = segment(gen)
    with open(seg, "r+b") as fh:          # same size, other bytes
        fh.seek(seg.stat().st_size // 2)
        fh.write(b"\0" * 64)
    return f"{gen.name}/{seg.name}: checksum mismatch"


def delete_toc(gen):
    toc = next(gen.glob("*.toc"))
    toc.unlink()
    return f"{gen.name}/{toc.name}: missing"


def garbage_current(gen):
    (gen.parent / CURRENT).write_bytes(bytes(range(200, 256)))
    return "CURRENT does not name a generation"


def current_is_a_directory(gen):
    (gen.parent / CURRENT).unlink()
    (gen.parent / CURRENT).mkdir()
    return "CURRENT is a directory"


def current_names_a_missing_generation(gen):
    shutil.rmtree(gen)
    return f"CURRENT names {gen.name}, which is missing"


def manifest_list(gen):
    (gen / "manifest.json").write_text("[]")
    return f"{gen.name}/manifest.json: 2 bytes, expected {_expected_size(gen, 'manifest.json')}"


def manifest_wrong_shape_without_checksums(gen):
    (gen / CHECKSUMS).unlink()            # an index from before checksums
    data = json.loads((gen / "manifest.json").read_text())
    data["files"] = {"news.jsonl": 3}
    (gen / "manifest.json").write_text(json.dumps(data))
    return f"{gen.name}/manifest.json: not a defsearch manifest"


def glossary_garbage(gen):
    path = gen / "glossary.json"
    path.write_bytes(b"x" * path.stat().st_size)
    return f"{gen.name}/glossary.json: checksum mismatch"


def checksums_garbage(gen):
    (gen / CHECKSUMS).write_text('{"files": 7}')
    return f"{gen.name}/{CHECKSUMS}: not a checksum list"


def _expected_size(gen, name):
    return json.loads((gen / CHECKSUMS).read_text())["files"][name]["size"]


DAMAGE = [truncate_segment, overwrite_segment, delete_toc, garbage_current,
          current_is_a_directory, current_names_a_missing_generation, manifest_list,
          manifest_wrong_shape_without_checksums, glossary_garbage, checksums_garbage]


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_search_names_the_damage_and_the_fix(cli, index, damage):
    _corpus, index_dir, gen = index
    problem = damage(gen)
    result = cli("search", "中國", "--index", index_dir)
    assert (result.exit_code, result.output) == (1, damaged(index_dir, problem))


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_plain_index_rebuilds_a_damaged_index_and_says_why(cli, index, damage):
    corpus, index_dir, gen = index
    problem = damage(gen)
    result = cli("index", "--corpus", corpus, "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert f"re-analysed everything: the index was damaged ({problem}): rebuilt from " \
           "scratch\n" in result.output
    assert "rebuilt index at" in result.output
    assert cli("index", "--check", "--index", index_dir).exit_code == 0
    assert Engine(index_dir).search("中國").hits


@pytest.mark.parametrize("damage", [garbage_current, current_is_a_directory,
                                    current_names_a_missing_generation, manifest_list,
                                    manifest_wrong_shape_without_checksums],
                         ids=lambda f: f.__name__)
def test_rebuild_works_whatever_the_old_index_holds(cli, index, damage):
    corpus, index_dir, gen = index
    damage(gen)
    result = cli("index", "--corpus", corpus, "--index", index_dir, "--rebuild")
    assert result.exit_code == 0, result.output
    assert "re-analysed everything: --rebuild\n" in result.output
    assert Engine(index_dir).search("中國").hits


def test_check_reads_every_byte(cli, index):
    _corpus, index_dir, gen = index
    files = json.loads((gen / CHECKSUMS).read_text())["files"]
    size = sum(f["size"] for f in files.values())
    result = cli("index", "--check", "--index", index_dir)
    assert (result.exit_code, result.output) == (0, (
        f"index at {index_dir} is intact: {gen.name}, {len(files)} files, "
        f"{size / 1e6:.1f} MB checked (sha256)\n"))
    problem = overwrite_segment(gen)
    result = cli("index", "--check", "--index", index_dir)
    assert (result.exit_code, result.output) == (1, damaged(index_dir, problem))


def test_check_of_an_index_without_checksums(cli, index):
    _corpus, index_dir, gen = index
    (gen / CHECKSUMS).unlink()
    result = cli("index", "--check", "--index", index_dir)
    assert (result.exit_code, result.output) == (1, (
        f"defsearch: index at {index_dir} has no checksums (built by an older defsearch): "
        "run `defsearch index --rebuild`\n"))


def test_damage_after_open_is_reported_by_the_running_engine(index):
    _corpus, index_dir, gen = index
    engine = Engine(index_dir)
    assert engine.search("中國").hits
    engine.close()
    problem = truncate_segment(gen)
    with pytest.raises(IndexDamaged) as err:
        engine.search("中國")
    assert err.value.problem == problem
    engine.close()


def test_web_page_says_the_index_needs_a_rebuild(index):
    _corpus, index_dir, gen = index
    problem = truncate_segment(gen)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    resp = client.get("/search?q=中國")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert "The index needs a rebuild" in html
    assert damaged(index_dir, problem)[len("defsearch: "):-1] in html
    assert "Try again" not in html
    resp = client.get("/api/search?q=中國")
    assert resp.status_code == 503
    assert resp.get_json()["error"] == damaged(index_dir, problem)[len("defsearch: "):-1]


def test_serve_rebuilds_a_damaged_index_before_serving(index, capsys):
    from search.cli.serve import ensure_index

    corpus, index_dir, gen = index
    problem = truncate_segment(gen)
    assert ensure_index(index_dir, corpus)
    err = capsys.readouterr().err
    assert err.startswith(damaged(index_dir, problem)[len("defsearch: "):-1]
                          + f" - rebuilding it from {corpus}\n")
    assert Engine(index_dir).search("中國").hits
