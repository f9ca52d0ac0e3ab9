"""The analyzer: offsets, positions, script/variant equivalence, designators, English."""
import pickle
import unicodedata
from pathlib import Path

import pytest

from search.analysis import GramAnalyzer, WordAnalyzer, english_term, fold, mine_names

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
WORDS = WordAnalyzer()
GRAMS = GramAnalyzer()


def terms(analyzer, text, **kw):
    return [t.text for t in analyzer(text, **kw)]


def tokens(analyzer, text):
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True)]


def seed_texts():
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


@pytest.mark.parametrize("analyzer", [WORDS, GRAMS], ids=["words", "grams"])
def test_every_token_slices_its_original_text(analyzer):
    """Highlighting depends on it: the original slice folds to what was matched."""
    checked = 0
    for text in seed_texts():
        for text_, _pos, start, end in tokens(analyzer, text):
            original = text[start:end]
            folded = fold(original)
            if text_.isascii() and not any("\u4e00" <= c <= "\u9fff" for c in folded):
                # English: the token is the stem (or joined designator) of the slice.
                squeezed = folded.replace("-", "").replace(" ", "")
                if "." not in text_:
                    squeezed = squeezed.replace(".", "")
                assert text_ in (squeezed, english_term(squeezed)), (original, text_)
            else:
                assert folded == text_, (original, text_)
            checked += 1
    assert checked > 5000


def test_offsets_are_shifted_by_start_char():
    toks = [(t.startchar, t.endchar) for t in WORDS("軍事合作", chars=True, start_char=100)]
    assert toks[0] == (100, 102)


@pytest.mark.parametrize("analyzer", [WORDS, GRAMS], ids=["words", "grams"])
def test_positions_never_go_backwards_and_subwords_share_their_word(analyzer):
    for text in seed_texts():
        last = -1
        for _text, pos, _s, _e in tokens(analyzer, text):
            assert pos >= last
            last = pos


def test_subwords_share_the_long_words_position():
    toks = tokens(WORDS, "邊境地區")
    assert ("边境地区", 0, 0, 4) in toks
    assert ("边境", 0, 0, 2) in toks and ("地区", 0, 2, 4) in toks


def test_grams_positions_are_consecutive_for_phrases():
    assert tokens(GRAMS, "邊境地區") == [("边境", 0, 0, 2), ("境地", 1, 1, 3), ("地区", 2, 2, 4)]


@pytest.mark.parametrize("variants", [
    ("聯合軍演", "联合军演"),
    ("夥伴", "伙伴"),
    ("戰略夥伴關係", "战略伙伴关系"),
    ("ＳＵ－２７", "Su-27"),
])
def test_scripts_and_variants_give_the_same_tokens(variants):
    first, *rest = variants
    for other in rest:
        assert terms(WORDS, first) == terms(WORDS, other)
        assert terms(GRAMS, first) == terms(GRAMS, other)


def test_compatibility_ideographs_match_unified_characters():
    paper = (CORPUS / "004_c926736664f9ed5b.txt").read_text(encoding="utf-8")
    compat = [c for c in paper if 0xF900 <= ord(c) <= 0xFAFF]
    assert len(compat) == 653
    for c in set(compat):
        unified = unicodedata.normalize("NFKC", c)
        assert terms(GRAMS, c + "國") == terms(GRAMS, unified + "國")
        assert fold(c) == fold(unified)


def test_fold_keeps_length():
    for text in seed_texts():
        assert len(fold(text)) == len(text)


@pytest.mark.parametrize("spelling", ["Su-27", "su27", "SU 27", "SU-27", "Su27"])
def test_designator_spellings_meet(spelling):
    assert "su27" in terms(WORDS, spelling)


@pytest.mark.parametrize("text,token", [
    ("S-300", "s300"), ("IL-76", "il76"), ("Tu-22M3", "tu22m3"), ("C4ISR", "c4isr"),
    ("in 2005", "2005"), ("殲-20", "20"),
])
def test_designators_and_numbers_survive_whole(text, token):
    assert token in terms(WORDS, text)
    assert token in terms(GRAMS, text)


def test_chinese_function_words_are_not_stop_words():
    assert terms(WORDS, "和") == ["和"]
    assert terms(GRAMS, "和") == ["和"]


def test_english_is_stemmed_and_stopped():
    assert terms(WORDS, "The missiles were deployed") == ["missil", "deploi"]
    assert terms(WORDS, "confidence-building measures") == ["confid", "build", "measur"]
    assert terms(WORDS, "the U.S. Navy") == ["us", "navi"]


def test_stop_words_are_kept_but_marked_in_query_mode():
    toks = [(t.text, t.stopped) for t in WORDS("the treaty", mode="query", removestops=False)]
    assert toks == [("the", True), ("treati", False)]


def test_user_words_stay_whole():
    plain = terms(WordAnalyzer(), "信心建立措施")
    assert "信心建立措施" not in plain
    lexicon = WordAnalyzer(user_words=["信心建立措施"])
    assert "信心建立措施" in terms(lexicon, "透過信心建立措施與裁軍")


def test_analyzers_pickle_without_jieba_state():
    analyzer = WordAnalyzer(user_words=["信心建立措施"])
    data = pickle.dumps(analyzer)
    assert len(data) < 2000
    restored = pickle.loads(data)
    assert restored == analyzer
    assert terms(restored, "信心建立措施") == terms(analyzer, "信心建立措施")


def test_names_marked_by_the_corpus_are_mined():
    names = mine_names(seed_texts())
    assert "信心建立措施" in names
    assert "中俄睦邻友好合作条约" in names
    assert all(len(n) >= 2 for n in names)


def test_lazy_dictionary_segments_exactly_like_the_full_one():
    import search.analysis as analysis
    from search.analysis.jieba_dictionary import Lexicon, _LazyFreq
    text = (CORPUS / "004_c926736664f9ed5b.txt").read_text(encoding="utf-8")[:6000]
    analyzer = WordAnalyzer(user_words=["信心建立措施"])
    full = terms(analyzer, text)
    analysis.use_lazy_dictionary(True)      # drops the segmenters built so far
    try:
        assert isinstance(Lexicon(["信心建立措施"]).segmenter().FREQ, _LazyFreq)
        lazy = terms(analyzer, text)
    finally:
        analysis.use_lazy_dictionary(False)
    assert lazy == full
    assert "信心建立措施" in lazy


# The examples in the stages' docstrings say what each stage adds; they are tests too.
ANALYSIS_MODULES = ["search.analysis", "search.analysis.folding", "search.analysis.runs",
                    "search.analysis.latin", "search.analysis.cjk", "search.analysis.english",
                    "search.analysis.jieba_dictionary", "search.analysis.names",
                    "search.analysis.analyzers", "search.analysis.numbers",
                    "search.analysis.designators", "search.analysis.units"]


@pytest.mark.parametrize("name", ANALYSIS_MODULES)
def test_doctests(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_glossary_keys_fold_and_stem_like_the_index():
    """One fold and one stemmer: a glossary key is the token the analyzer indexes."""
    from search.glossary.core import en_keys
    from search.glossary.folding import fold as glossary_fold, key

    assert glossary_fold is fold
    assert key("拉夫羅夫\uf9b5") == fold("拉夫羅夫\uf9b5")
    assert terms(WORDS, "diplomacy") == ["diplomaci"]
    assert "diplomaci" in en_keys("diplomacy", person=False)


def test_corpus_names_never_reach_jiebas_shared_dictionary():
    """The glossary reads jieba's own dictionary (is a word common?); the analyzer's user
    words go into private copies only, whatever order the two run in."""
    from search.analysis.jieba_dictionary import shared_dictionary
    from search.glossary.core import _jieba_freq

    name = "中俄睦鄰測試條約"
    assert "中俄睦邻测试条约" in terms(WordAnalyzer(user_words=[fold(name)]), name)
    assert _jieba_freq() is shared_dictionary().FREQ
    assert "中俄睦邻测试条约" not in shared_dictionary().FREQ
    assert "中俄睦邻测试条约" not in terms(WORDS, name)


def test_a_large_lexicon_is_pickled_once():
    """Whoosh pickles the schema into the index: the lexicon's words, once, and nothing of
    jieba."""
    names = [f"名稱{i:04d}" for i in range(2000)]
    data = pickle.dumps(WordAnalyzer(user_words=names))
    assert data.count("名稱0007".encode("utf-8")) == 1
    assert len(data) < 2000 + 14 * len(names)          # no dictionary, no segmenter
