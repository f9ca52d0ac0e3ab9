"""The user glossary corpus/glossary.tsv: add, override, suppress; an update sees edits."""
from pathlib import Path

from search.glossary import Glossary
from search.glossary.user import parse_user_tsv
from search.model import Article, Passage

ROOT = Path(__file__).resolve().parent.parent


def _article(aid, *texts):
    return Article(id=aid, source=f"{aid}.txt", passages=[
        Passage(id=f"{aid}#p{i}", article_id=aid, ordinal=i, text=t) for i, t in enumerate(texts)])


ARTS = [_article("a", "美國國務卿布林肯（Antony Blinken）訪歐，有別於川普（Donald Trump），"
                      "「信心建立措施」（confidence-building measures, CBMs）")]


def terms(g, word, **kw):
    return [x.term for x in g.expansions(word, **kw)]


def test_parse_format():
    u = parse_user_tsv("# comment\n\n拉夫羅夫\tLavrov\n信心建立措施\tCBM\tCBMs\n"
                       "-川普\tDonald Trump\n-學習\t*\n导弹\t飛彈\nnot chinese\tx\nonecolumn\n")
    assert u.pairs == [("拉夫羅夫", "Lavrov"), ("信心建立措施", "CBM"), ("信心建立措施", "CBMs")]
    assert u.suppress == [("川普", "Donald Trump"), ("學習", "*")]
    assert u.variants == [("导弹", "飛彈")]
    assert u.problems == [
        "line 8: the first column must be Chinese: 'not chinese'",
        "line 9: expected two columns separated by a TAB: 'onecolumn'"]


def test_add_suppress_and_variant(tmp_path):
    tsv = tmp_path / "glossary.tsv"
    tsv.write_text("川普\tTrump\n-川普\tDonald Trump\n國務卿\tSecretary of State\n"
                   "-信心建立措施\t*\n共軍\tPLA\n", encoding="utf-8")
    g = Glossary.build(ARTS, user_tsv=tsv)
    pairs = {(e.zh, e.en, e.source) for e in g.entries()}
    assert ("川普", "Donald Trump", "glossary") not in pairs
    assert ("川普", "Trump", "user") in pairs
    assert not any(e.zh == "信心建立措施" for e in g.entries())
    assert terms(g, "Secretary of State") == ["國務卿"]
    assert terms(g, "CBMs") == []
    assert [(x.term, x.source) for x in g.expansions("Trump", cross_strait_vocab=False)] == [("川普", "user")]
    assert g.expansions("PLA")[0].weight == 0.8


def test_user_pair_equal_to_mined_becomes_user(tmp_path):
    tsv = tmp_path / "glossary.tsv"
    tsv.write_text("布林肯\tAntony Blinken\n", encoding="utf-8")
    (e,) = [e for e in Glossary.build(ARTS, user_tsv=tsv).entries() if e.zh == "布林肯"]
    assert (e.source, e.count) == ("user", 1)


def test_user_variants_and_cross_strait_suppression(tmp_path):
    tsv = tmp_path / "glossary.tsv"
    tsv.write_text("反艦飛彈\t攻船飛彈\n-导弹\t飛彈\n", encoding="utf-8")
    g = Glossary.build([], user_tsv=tsv)
    assert terms(g, "攻船飛彈") == ["反艦飛彈", "反舰导弹"]   # + the built-in mainland form
    assert "攻船飛彈" in terms(g, "反艦飛彈")
    assert terms(g, "导弹") == []          # the built-in pair is switched off


def test_update_rereads_the_tsv_and_records_its_hash(tmp_path):
    tsv = tmp_path / "glossary.tsv"
    tsv.write_text("拉夫羅夫\tLavrov\n", encoding="utf-8")
    g = Glossary.build(ARTS, user_tsv=tsv)
    first = g.user_tsv_sha256
    tsv.write_text("拉夫羅夫\tLavrov\n王毅\tWang Yi\n", encoding="utf-8")
    g2 = g.update(user_tsv=tsv)
    assert terms(g2, "Wang Yi") == ["王毅"] and terms(g, "Wang Yi") == []
    assert g2.user_tsv_sha256 != first and len(first) == 64


def test_missing_tsv_is_fine(tmp_path):
    g = Glossary.build(ARTS, user_tsv=tmp_path / "nope.tsv")
    assert g.entries() and g.problems == []


def test_example_glossary_in_corpus_parses_cleanly():
    tsv = ROOT / "corpus" / "glossary.tsv"
    u = parse_user_tsv(tsv.read_text(encoding="utf-8"))
    assert u.problems == [] and u.pairs and u.suppress
    g = Glossary.build([], user_tsv=tsv)
    assert g.problems == []
