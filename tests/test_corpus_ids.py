"""Identity: every article and passage id is unique, fits in a URL and a TREC line, and a
collision is reported by name (the file first in path order keeps the id), by
`defsearch ingest` and `defsearch index` alike, and by an update as by a fresh build."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.index.update import update_index
from search.ingest import ingest_path
from search.engine.engine import Engine

TXT = "Title {0}\n\nA paragraph about {0} drones and the modern battlefield, long enough.\n"
ID_RULE = ('is not a valid id (1-200 characters, no spaces, control characters or "#", '
           'not starting with "article:"), line skipped')


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(path: Path, *rows) -> Path:
    return write(path, "".join(json.dumps(dict(zip(("id", "title", "text"), r)),
                                          ensure_ascii=False) + "\n" for r in rows))


def pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF
    doc = FPDF()
    doc.set_font("Helvetica", size=11)
    doc.add_page()
    doc.multi_cell(0, 6, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.output(str(path))
    return path


def pids(index_dir, query="drones", limit=50) -> list[str]:
    return [h.passage_id for h in Engine(index_dir).search(query, limit=limit).hits]


def test_same_stem_txt_and_pdf_keep_one_and_name_both(cli, tmp_path):
    c = tmp_path / "c"
    write(c / "same.txt", TXT.format("textfile"))
    pdf(c / "same.pdf", "Pdf Title\n\nA paragraph about pdffile drones in a PDF, long enough.")
    message = (f"{c / 'same.txt'}: article id 'same' is already used by same.pdf: "
               "rename one of the files")
    assert [str(f) for f in ingest_path(c).failures] == [message]
    result = cli("index", "--corpus", c, "--index", tmp_path / "index")
    assert result.exit_code == 0, result.output
    assert f"defsearch: skipped {message}\n" in result.output
    assert "index holds 1 articles, 1 passages" in result.output
    engine = Engine(tmp_path / "index")
    assert engine.article("same").source == "same.pdf"
    assert engine.search("textfile").total == 0


def test_same_jsonl_id_in_two_files_is_kept_once(cli, tmp_path):
    c = tmp_path / "c"
    jsonl(c / "a.jsonl", ("x1", "A", "drones over the strait"))
    jsonl(c / "b.jsonl", ("x1", "B", "drones over the sea"), ("x2", "B", "drones at night"))
    message = f"{c / 'b.jsonl'}: id 'x1' is already used by a.jsonl, line skipped"
    assert [str(f) for f in ingest_path(c).failures] == [message]
    report = update_index(c, tmp_path / "index")
    assert report.failures == [message]
    assert sorted(pids(tmp_path / "index")) == ["x1", "x2"]
    write(tmp_path / "q.jsonl", '{"id": "q1", "text": "drones"}\n')
    result = cli("search", "--index", tmp_path / "index", "--batch", tmp_path / "q.jsonl",
                 "--run", tmp_path / "run.trec")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "run.trec").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split()[2] for line in lines) == ["x1", "x2"]


@pytest.mark.parametrize("bad", ["a#p0", "a b", "a\nb", "a\x00b", "a\u3000b", "article:a",
                                 "x" * 201])
def test_unsafe_jsonl_ids_are_reported_and_skipped(cli, tmp_path, bad):
    c = tmp_path / "c"
    write(c / "a.txt", TXT.format("plain"))
    jsonl(c / "b.jsonl", (bad, "T", "drones taken from a bad line"), ("ok", "T", "drones ok"))
    shown = repr(bad) if len(bad) <= 60 else repr(bad[:57] + "…")
    message = f'{c / "b.jsonl"}:1: "id" {shown} {ID_RULE}'
    assert [str(f) for f in ingest_path(c).failures] == [message]
    report = update_index(c, tmp_path / "index")
    assert report.failures == [message]
    assert sorted(pids(tmp_path / "index")) == ["a#p0", "ok"]
    write(tmp_path / "q.jsonl", '{"id": "q1", "text": "drones"}\n')
    cli("search", "--index", tmp_path / "index", "--batch", tmp_path / "q.jsonl",
        "--run", tmp_path / "run.trec")
    lines = (tmp_path / "run.trec").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and all(len(line.split(" ")) == 6 for line in lines[:-1])


def test_query_ids_that_would_break_a_run_file_are_refused(cli, tmp_path, engine_index):
    write(tmp_path / "q.jsonl", '{"id": "q 1", "text": "drones"}\n')
    result = cli("search", "--index", engine_index, "--batch", tmp_path / "q.jsonl",
                 "--run", tmp_path / "run.trec")
    assert result.exit_code == 1
    assert result.output == (f"defsearch: {tmp_path / 'q.jsonl'}:1: query id 'q 1' has a "
                             "space or control character: TREC run lines cannot hold it\n")


def test_an_update_resolves_collisions_as_a_fresh_build(tmp_path):
    """The file first in path order keeps an id, whichever was indexed first; when it goes,
    the other file gets its line back."""
    c = tmp_path / "c"
    jsonl(c / "b.jsonl", ("x1", "B", "drones of b"), ("b2", "B", "drones of b two"))
    index_dir = tmp_path / "index"
    update_index(c, index_dir)
    jsonl(c / "a.jsonl", ("x1", "A", "drones of a"))
    report = update_index(c, index_dir)
    assert report.failures == [f"{c / 'b.jsonl'}: id 'x1' is already used by a.jsonl, "
                               "line skipped"]
    fresh = tmp_path / "fresh"
    update_index(c, fresh)
    assert [(h.passage_id, h.text) for h in Engine(index_dir).search("drones").hits] == \
        [(h.passage_id, h.text) for h in Engine(fresh).search("drones").hits]
    assert Engine(index_dir).search("x1 OR drones").total == 2
    assert "drones of a" in [h.text for h in Engine(index_dir).search("drones").hits]

    (c / "a.jsonl").unlink()
    report = update_index(c, index_dir)
    assert report.failures == [] and report.passages == 2
    hits = [(h.passage_id, h.text) for h in Engine(index_dir).search("drones").hits]
    assert sorted(hits) == [("b2", "drones of b two"), ("x1", "drones of b")]


def test_an_update_keeps_the_earlier_files_id(tmp_path):
    c = tmp_path / "c"
    jsonl(c / "a.jsonl", ("x1", "A", "drones of a"))
    index_dir = tmp_path / "index"
    update_index(c, index_dir)
    jsonl(c / "b.jsonl", ("x1", "B", "drones of b"), ("b2", "B", "drones of b two"))
    report = update_index(c, index_dir)
    assert report.failures == [f"{c / 'b.jsonl'}: id 'x1' is already used by a.jsonl, "
                               "line skipped"]
    assert sorted((h.passage_id, h.text) for h in Engine(index_dir).search("drones").hits) \
        == [("b2", "drones of b two"), ("x1", "drones of a")]
    assert update_index(c, index_dir).nothing_changed


def test_long_paths_give_short_stable_distinct_ids_that_open(tmp_path):
    from web import create_app

    c = tmp_path / "c"
    deep = c.joinpath(*[f"folder-number-{i:02d}-of-a-deep-archive" for i in range(14)])
    write(deep / "report-one.txt", TXT.format("alpha"))
    write(deep / "report-two.txt", TXT.format("beta"))
    ids = sorted(a.id for a in ingest_path(c).articles)
    assert len(ids) == 2 and ids[0] != ids[1]
    assert all(len(i) <= 100 for i in ids)
    assert ids == sorted(a.id for a in ingest_path(c).articles)          # stable
    index_dir = tmp_path / "index"
    update_index(c, index_dir)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    import html
    import re
    links = re.findall(r'href="(/articles/[^"#]+)#(p\d+)"',
                       client.get("/search?q=alpha").get_data(as_text=True))
    page, anchor = links[0]
    resp = client.get(html.unescape(page))
    assert resp.status_code == 200
    assert f'id="{anchor}"' in resp.get_data(as_text=True)
    [hit] = client.get("/api/search?q=alpha").get_json()["results"]
    assert client.get(f"/api/articles/{hit['article_id']}").status_code == 200


def test_thousands_of_ids_collide_only_where_they_repeat(tmp_path):
    """The registry keeps its table on disk (`search.ingest.ids._Owners`): at this size the
    usual all-new articles and the articles holding a repeated id are both many. Exactly
    the repeated ids are reported, each once, and the table's file is gone afterwards,
    also after a run given up half way."""
    c = tmp_path / "c"
    rows = [(f"a{i}", f"Title {i // 3}", f"drones line {i}") for i in range(3000)]
    jsonl(c / "a.jsonl", *rows)
    repeated = {7, 500, 2999}
    # b: 3 lines an article (shared titles); three of its lines reuse a.jsonl's ids
    jsonl(c / "b.jsonl", *[(f"a{i // 10}" if i in repeated else f"b{i}", f"B {i // 3}",
                            f"drones of b {i}") for i in range(3000)])
    index_dir = tmp_path / "index"
    report = update_index(c, index_dir)
    assert report.failures == [f"{c / 'b.jsonl'}: id 'a{i // 10}' is already used by "
                               "a.jsonl, line skipped" for i in sorted(repeated)]
    assert report.passages == 6000 - len(repeated)
    assert Engine(index_dir).search("drones", limit=1).total == 6000 - len(repeated)
    assert [h.text for h in Engine(index_dir).search('"drones line 50"').hits] == \
        ["drones line 50"]
    assert not list(index_dir.rglob("ids-*"))

    jsonl(c / "c.jsonl", *[(f"c{i}", "C", f"drones of c {i}") for i in range(2000)])

    def give_up(done, total):
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        update_index(c, index_dir, progress=give_up, procs=1)
    assert not list(index_dir.rglob("ids-*"))
    assert Engine(index_dir).search("drones", limit=1).total == 6000 - len(repeated)
