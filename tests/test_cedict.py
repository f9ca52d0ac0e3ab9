"""CC-CEDICT layer: cleaning senses for retrieval, both lookup directions, the cache file."""
import doctest
import sqlite3
from pathlib import Path

from search.glossary import cedict

SAMPLE = Path(__file__).resolve().parent / "data" / "cedict" / "sample.txt"


def test_doctests():
    result = doctest.testmod(cedict)
    assert result.attempted > 0 and result.failed == 0


def test_cross_references_and_grammar_notes_are_not_translations():
    assert cedict.clean_sense("CL:枚[mei2]") == []
    assert cedict.clean_sense("surname Wang") == []
    assert cedict.clean_sense("variant of 著[zhe5]") == []
    assert cedict.clean_sense("abbr. for 北大西洋公約組織|北大西洋公约组织[Bei3 Da4]") == []
    assert cedict.clean_sense("also pr. [di4] or [di5] in poetry and songs") == []
    assert cedict.clean_sense("Warsaw, capital of Poland") == ["Warsaw", "capital of Poland"]


def test_english_keys_are_index_terms():
    assert cedict.english_terms("Joint military exercises") == ("joint", "militari", "exercis")
    assert cedict.english_terms("the Su-27") == ("su27",)


def test_both_directions_from_a_cache_built_once(tmp_path):
    cache = tmp_path / "cache" / "cedict.sqlite"
    d = cedict.Cedict.load(cache, source=SAMPLE)
    assert cache.exists()
    assert d.chinese("arm sale") == [("军售", "軍售", "arms sales")]
    assert [simp for simp, _t, _g in d.chinese("missil")] == ["导弹", "飞弹"]
    assert d.chinese("joint militari exercis")[0][:2] == ("联合军演", "聯合軍演")
    assert d.chinese("nato")[0][0] == "北约"
    assert d.chinese("euphrat")[0][0] == "幼发拉底河"          # `Euphrates River`
    assert d.chinese("enter") == []                            # `Do not enter!` is not `enter`
    assert d.english("導彈") == d.english("导弹") == ["missile"]  # any script
    assert d.english("王") == ["king or monarch", "best or strongest of its type", "grand",
                               "great", "rule", "reign over"]  # no `surname Wang`
    # the second load reads the file: it works without the source
    again = cedict.Cedict.load(cache, source=tmp_path / "gone.txt")
    assert again.chinese("arm sale") == d.chinese("arm sale")


def test_a_cache_of_another_format_is_rebuilt(tmp_path):
    cache = tmp_path / "cedict.sqlite"
    con = sqlite3.connect(cache)
    con.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('format', '0')")
    con.commit()
    con.close()
    d = cedict.Cedict.load(cache, source=SAMPLE)
    assert d.chinese("arm sale")[0][0] == "军售"


def test_the_packaged_dictionary_knows_defense_terms():
    d = cedict.get()                                           # the machine's cache
    assert ("北约", "北約", "NATO") in d.chinese("nato")
    assert d.chinese("earli warn")[0][:2] == ("预警", "預警")
    assert "arms sales" in d.english("軍售")


def test_building_a_new_cache_removes_the_outdated_one(tmp_path):
    stale = tmp_path / "cedict-0.9-f1.sqlite"
    stale.write_bytes(b"old")
    cedict.Cedict.load(tmp_path / "cedict-1.2.0-f9.sqlite", source=SAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["cedict-1.2.0-f9.sqlite"]
