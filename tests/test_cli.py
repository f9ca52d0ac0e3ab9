"""`defsearch index` and `defsearch search` through the real click group."""
from __future__ import annotations

import json
import shutil
from pathlib import Path


from search.index.manifest import current_generation

ENGINE_DATA = Path(__file__).resolve().parent / "data" / "engine"


def test_index_then_update_reports_counts(cli, corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    result = cli("index", "--corpus", corpus_copy, "--index", index_dir)
    assert result.exit_code == 0, result.output
    gen = current_generation(index_dir).name
    assert f"built index at {index_dir} ({gen}): 3 added, 0 changed, 0 deleted, " \
           "0 unchanged" in result.output
    assert "index holds 7 articles, 64 passages" in result.output
    assert "indexing: 64/64 passages" in result.output      # plain lines, not a tty

    result = cli("index", "--corpus", corpus_copy, "--index", index_dir)
    assert result.output.startswith(f"index at {index_dir} is up to date: 3 files unchanged")

    shutil.copy(ENGINE_DATA / "extra.jsonl", corpus_copy / "extra.jsonl")
    (corpus_copy / "news.jsonl").unlink()
    result = cli("index", "--corpus", corpus_copy, "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert "1 added, 0 changed, 1 deleted, 2 unchanged" in result.output

    result = cli("index", "--corpus", corpus_copy, "--index", index_dir, "--rebuild")
    assert "re-analysed everything: --rebuild" in result.output
    assert "rebuilt index" in result.output


def test_missing_index_message(cli, tmp_path):
    result = cli("search", "中俄", "--index", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.output == (f"defsearch: index not found at {tmp_path / 'nope'}: "
                             "run `defsearch index` first\n")


def test_missing_corpus_message(cli, tmp_path):
    result = cli("index", "--corpus", tmp_path / "none", "--index", tmp_path / "ix")
    assert result.exit_code == 1
    assert result.output == f"defsearch: corpus not found at {tmp_path / 'none'}: " \
                            "pass --corpus PATH\n"


def test_bad_query_message(cli, engine_index):
    result = cli("search", "lang:xx", "--index", engine_index)
    assert result.exit_code == 2
    assert result.output == ("defsearch: unknown language 'xx': use lang:en, lang:zh, "
                             "lang:zh-Hant or lang:zh-Hans\n")
    result = cli("search", '"', "--index", engine_index)
    assert result.output == 'defsearch: empty query: type a word or a "phrase" to search\n'


def test_listing(cli, engine_index):
    result = cli("search", "柯茲烈夫", "--index", engine_index, "--limit", "1", "--no-expand")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("'柯茲烈夫': 1 passage matches 「柯茲烈夫」 (page 1 of 1,")
    assert "俄中軍事合作關係的發展與影響 › 貳、俄、中軍事合作的政治基礎  (2006-12)" in lines[2]
    assert lines[3].strip() == "蔡明彥"                       # the authors
    assert lines[4].strip().startswith("004_c926736664f9ed5b#p7  score ")
    assert "柯茲烈夫" in lines[5] and "<mark>" not in lines[5]
    assert any(line.strip().startswith("[5] Andrei Kozyrev") for line in lines)
    result = cli("search", "柯茲烈夫", "--index", engine_index, "--limit", "1")
    assert "also searched: Kozyrev (glossary)" in result.output


def test_json_shape(cli, engine_index):
    result = cli("search", "missile defense", "--index", engine_index, "--json",
                 "--limit", "2", "--page", "1")
    data = json.loads(result.output)
    assert {"query", "total", "results"} <= set(data)
    assert data["query"] == "missile defense" and data["total"] >= 2
    hit = data["results"][0]
    assert list(hit)[:10] == ["passage_id", "article_id", "title", "section", "date", "score",
                              "text", "snippet", "footnotes", "venue"]    # new keys after them
    assert hit["passage_id"] == "n3" and "<mark>missile</mark>" in hit["snippet"]
    result = cli("search", "拉夫羅夫", "--index", engine_index, "--json")
    note = json.loads(result.output)["results"][0]["footnotes"][0]
    assert set(note) == {"label", "text", "urls", "marks"}


def test_explain(cli, engine_index):
    result = cli("search", "中俄 missiles", "--index", engine_index, "--explain")
    assert "# normalised: '中俄 missiles'" in result.output
    assert "# segmented: missiles -> missil" in result.output
    assert "# #1 " in result.output


def test_batch_run_is_trec_and_matches_interactive(cli, engine_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "q1", "text": "missile defense"}, {"id": "q2", "text": "中俄睦鄰友好合作條約"},
        {"id": "q3", "text": '"'}]) + "\n", encoding="utf-8")
    out = tmp_path / "run.trec"
    result = cli("search", "--index", engine_index, "--batch", queries, "--limit", "100",
                 "--run", out)
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in out.read_text().splitlines()]
    assert all(len(p) == 6 and p[1] == "Q0" and p[5] == "defsearch" for p in lines)
    q1 = [p for p in lines if p[0] == "q1"]
    assert [p[3] for p in q1] == [str(i) for i in range(1, len(q1) + 1)]
    # the run ranks by relevance alone (every-word passages are not moved first)
    from search.engine.engine import Engine
    listing = Engine(engine_index).search("missile defense", limit=100, every_first=False)
    assert [p[2] for p in q1] == [h.passage_id for h in listing.hits]
    assert not [p for p in lines if p[0] == "q3"]


def test_batch_needs_run(cli, engine_index, tmp_path):
    result = cli("search", "--index", engine_index, "--batch", tmp_path / "q.jsonl")
    assert result.exit_code == 2
    assert "--batch needs --run OUT" in result.output


def test_no_passage_contains_names_only_the_words_that_matched_nothing(cli, seed_index):
    missing = cli("search", "中俄 zzqqxx", "--index", seed_index, "--limit", "1")
    assert missing.exit_code == 0
    assert "\nno passage contains 「zzqqxx」\n" in missing.output
    found = cli("search", "中俄", "--index", seed_index, "--limit", "1")
    assert found.exit_code == 0 and "no passage contains" not in found.output


def test_also_searched_lists_every_alternative_with_its_source(cli, seed_index):
    result = cli("search", "導彈 early warning", "--index", seed_index, "--limit", "1")
    assert result.exit_code == 0
    assert "\nalso searched: 飛彈 (cross-strait) · 預警 (early warning)\n" in result.output
    plain = cli("search", "導彈 early warning", "--index", seed_index, "--limit", "1",
                "--no-expand")
    assert "also searched" not in plain.output
