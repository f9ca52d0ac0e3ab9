"""`defsearch glossary`: list pairs, JSON, expansions of a word, cross-Strait table."""
import json
from pathlib import Path

from click.testing import CliRunner

from search.cli.glossary import command
from search.glossary import Glossary

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def run(*args):
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def test_lists_pairs_mined_from_corpus_folder():
    r = run("--corpus", str(CORPUS))
    assert r.exit_code == 0, r.output
    assert "拉夫羅夫" in r.output and "Sergey Lavrov" in r.output
    assert "真實敵人" not in r.output            # suppressed by corpus/glossary.tsv


def test_json_output_fields():
    r = run("--corpus", str(CORPUS), "--json")
    rows = json.loads(r.output)
    row = next(x for x in rows if x["en"] == "CBMs")
    assert row["zh"] == "信心建立措施" and row["count"] == 1
    assert row["articles"] == ["004_c926736664f9ed5b"] and row["source"] == "glossary"
    assert {x["source"] for x in rows} == {"glossary", "user"}


def test_term_shows_expansions():
    r = run("--corpus", str(CORPUS), "--term", "Lavrov", "--term", "导弹", "--term", "zzz")
    assert "Lavrov: also searches 拉夫羅夫 (glossary, 0.7)" in r.output
    assert "导弹: also searches 飛彈 (cross-strait, 0.8)" in r.output
    assert "zzz: no expansion" in r.output


def test_reads_the_glossary_saved_in_an_index_generation(tmp_path, monkeypatch):
    gen = tmp_path / "gen-1"
    gen.mkdir()
    Glossary.build([]).save(gen)
    import search.index.manifest
    monkeypatch.setattr(search.index.manifest, "current_generation", lambda d: gen)
    r = run("--index", str(tmp_path), "--json")
    assert r.exit_code == 0 and json.loads(r.output) == []


def test_missing_index_says_what_to_do(tmp_path):
    from search.cli import main
    r = CliRunner().invoke(main, ["glossary", "--index", str(tmp_path / "none")])
    assert r.exit_code == 1
    assert "defsearch: index not found at" in r.output and "run `defsearch index`" in r.output


def test_index_without_glossary_says_what_to_do(tmp_path, monkeypatch):
    from search.cli import main
    import search.index.manifest
    (tmp_path / "gen").mkdir()
    monkeypatch.setattr(search.index.manifest, "current_generation", lambda d: tmp_path / "gen")
    r = CliRunner().invoke(main, ["glossary", "--index", str(tmp_path)])
    assert r.exit_code == 1
    assert "has no glossary (glossary.json): rebuild it with `defsearch index --rebuild`" in r.output


def test_cross_strait_table():
    r = run("--cross-strait")
    assert "导弹\t飛彈\tdefsearch" in r.output
    rows = json.loads(run("--cross-strait", "--json").output)
    assert {"mainland": "软件", "taiwan": "軟體", "source": "defsearch"} in rows


def test_user_chinese_pairs_are_listed():
    r = run("--corpus", str(CORPUS))
    assert "信心建立措施 = 建立信任措施  (user, Chinese<->Chinese)" in r.output


def test_term_shows_the_translation_through_every_layer():
    r = run("--corpus", str(CORPUS), "--term", "arms embargo", "--term", "Lavrov",
            "--term", "NATO 軍售")
    assert r.exit_code == 0, r.output
    assert "arms embargo: no expansion" in r.output
    assert "  translates embargo -> 禁運 (cc-cedict, 0.6)" in r.output
    assert "  translates Lavrov -> 拉夫羅夫 (glossary, 0.7)" in r.output
    assert "  translates NATO -> 北約 (user, 0.8) · 北大西洋公約組織 (cc-cedict, 0.51)" in r.output
    assert "  translates 軍售 -> arms sales (cc-cedict, 0.6)" in r.output


def test_term_json_carries_each_translation_with_its_layer():
    found = json.loads(run("--corpus", str(CORPUS), "--term", "NATO", "--json").output)
    cands = found["NATO"]["translation"][0]["candidates"]
    assert [(c["text"], c["source"]) for c in cands] == [("北約", "user"),
                                                         ("北大西洋公約組織", "cc-cedict")]
    assert found["NATO"]["expansions"][0] == {"term": "北約", "source": "user", "weight": 0.8}


def test_layers_in_order_of_trust_credit_cc_cedict():
    lines = run("--layers").output.splitlines()
    assert [line.split()[1] for line in lines] == ["user", "glossary", "cross-strait", "cc-cedict"]
    assert "MDBG, CC BY-SA 4.0" in lines[3]


def test_source_lists_the_pairs_of_one_layer():
    user = run("--corpus", str(CORPUS), "--source", "user").output
    assert "北約" in user and "Sergey Lavrov" not in user
    mined = run("--corpus", str(CORPUS), "--source", "glossary").output
    assert "Sergey Lavrov" in mined and "(user, Chinese<->Chinese)" not in mined
    dictionary = run("--source", "cc-cedict").output
    assert "北约\tNATO\tcc-cedict\n" in dictionary            # folded, as searched
    assert "CL:" not in dictionary and "surname Wang" not in dictionary
