"""The indexer's fast path gives exactly the terms of the analyzers' stages.

`search.analysis.index_terms` (and the jieba cut it uses, `search.analysis.jieba_cut`, its
route found by jieba-rs) exist only for speed: the index must hold the same terms, at the same
positions, as the stage pipeline gives (which tests/test_analysis_equivalence.py pins to its
recording), so every ranking stays the same. Compared here on the eval pool, the seed corpus,
the edge cases and seeded random strings, with and without a corpus lexicon;
tests/test_segwriter.py compares whole indexes (the lean writer, fast path included, against
Whoosh's own writer).
"""
from __future__ import annotations

import json
import random
import re

import pytest
from test_analysis_equivalence import EDGE_CASES, POOL, SEEDS, _random_texts

from whoosh import index
from whoosh.analysis import CompositeAnalyzer

from search.analysis import CJK_CHARS, GramAnalyzer, WordAnalyzer, fold, mine_names
from search.analysis.index_terms import index_terms
from search.analysis.jieba_cut import cut_words
from search.analysis import jieba_dictionary
from search.analysis.jieba_dictionary import Lexicon, use_lazy_dictionary
from search.analysis.units import UnitAnalyzer


@pytest.fixture(autouse=True)
def _in_memory_dictionary():
    """The indexer's dictionary, in memory: a `defsearch search` run in this process before
    (the CLI tests) leaves the lazy SQLite one on, and with it `cut_words` hands every run to
    jieba itself, so the comparisons here would compare jieba with jieba."""
    was = jieba_dictionary._lazy_dictionary
    use_lazy_dictionary(False)
    yield
    use_lazy_dictionary(was)


def _pool(every: int = 25) -> list[str]:
    if not POOL.exists():
        return []
    texts = []
    for line in POOL.read_text(encoding="utf-8").splitlines()[::every]:
        item = json.loads(line)
        texts.extend([item.get("title") or "", item.get("text") or ""])
    return texts


# designators, stop words, lone letters and CJK in every arrangement the rules look at
_ALPHABET = ("中國軍事合作邊境地區联合军演與蘇愷戰略夥伴關係信心建立措施和的了一\uf9b5㐀鿐𠀀"
             "abcdefsuAFSUXIT0123456789-.'’ ,;()「」《》　ＡＢ１２ÀéΩж\n")


def _texts() -> list[str]:
    rng = random.Random(17)
    made = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 60)))
            for _ in range(1500)]
    return SEEDS + EDGE_CASES + _random_texts(500) + made + _pool()


def _assert_same_terms(words, grams, texts):
    fast_words, fast_grams = index_terms(words), index_terms(grams)
    assert fast_words is not None and fast_grams is not None
    for text in texts:
        assert fast_words(text) == [t.text for t in words(text, mode="index")], text[:80]
        expected = [(t.text, t.pos) for t in grams(text, positions=True, mode="index")]
        terms, positions = fast_grams(text)
        assert list(zip(terms, positions)) == expected, text[:80]
        assert len(terms) == len(positions)


def test_fast_path_gives_the_stages_terms_and_positions():
    texts = _texts()
    assert len(texts) > 2000
    _assert_same_terms(WordAnalyzer(), GramAnalyzer(), texts)


def test_fast_path_with_a_corpus_lexicon():
    """The corpus's own names (the lexicon the indexer builds) are segmented alike."""
    texts = _texts()
    words = WordAnalyzer(user_words=sorted(mine_names(texts)) + ["建立措施", "邊境地區"])
    _assert_same_terms(words, GramAnalyzer(), texts)


@pytest.mark.skipif(not POOL.exists(), reason="no eval pool at ../shared/eval")
def test_cut_words_gives_jiebas_words_on_the_eval_pool():
    seg = Lexicon(["信心建立措施"]).segmenter()
    runs = [m.group() for text in _pool(20) for m in re.finditer(f"[{CJK_CHARS}]+", fold(text))]
    assert len(runs) > 5000
    rng = random.Random(3)
    runs += ["".join(rng.choice("中國軍事合作邊境地区联合军演与战略伙伴关系的了一是在不") for _ in
                     range(rng.randint(1, 40))) for _ in range(2000)]
    for run in runs:
        assert cut_words(seg, run) == list(seg.cut(run, HMM=True)), run
    assert seg._defsearch_twin[0] == seg.total       # jieba-rs found the routes


def test_jieba_rs_route_gives_jiebas_words_on_the_seed_articles():
    """The indexer's words come from jieba-rs (``rjieba``) with jieba's HMM on top: on the
    seed articles, with the lexicon the indexer mines from them plus words jieba already
    knows (whose counts jieba adds to its total a second time), they are jieba's own."""
    names = sorted(mine_names(SEEDS))
    assert names
    seg = Lexicon(names + ["军事", "合作", "边境"]).segmenter()
    runs = [m.group() for text in SEEDS for m in re.finditer(f"[{CJK_CHARS}]+", fold(text))]
    assert len(runs) > 1000
    for run in runs:
        assert cut_words(seg, run) == list(seg.cut(run, HMM=True)), run
    assert seg._defsearch_twin[0] == seg.total       # jieba-rs found the routes


def test_the_comparison_sees_differences():
    """A guard for the guard: the fast path of another lexicon is caught as different."""
    text = "透過信心建立措施與裁軍"
    other = index_terms(WordAnalyzer(user_words=["建立措施"]))
    assert other(text) != [t.text for t in WordAnalyzer()(text, mode="index")]


def test_other_analyzers_have_no_fast_path():
    """An analyzer the fast path does not know (the units field's, a reordered pipeline)
    is run through its own stages."""
    from search.analysis.english import EnglishFilter
    from search.analysis.runs import RunTokenizer

    assert index_terms(UnitAnalyzer()) is None
    assert index_terms(RunTokenizer() | EnglishFilter()) is None


class _StagesOnly(CompositeAnalyzer):
    """The same stages under another class: `index_terms` does not know it, so the writer
    runs its stages token by token, as before the fast path."""


def _segment_files(folder) -> dict[str, bytes]:
    ix = index.open_dir(str(folder))
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage)
    return {name.split(".", 1)[1]: storage.open_file(name).read() for name in storage.list()}


def test_the_segment_files_are_byte_for_byte_those_of_the_stages(engine_corpus, tmp_path):
    """Term table, postings, lengths and stored fields: not one byte differs between a
    segment written through the fast path and one written token by token."""
    from search.index.documents import passage_docs
    from search.index.schema import build_schema, codec
    from search.index.update import _ingest, corpus_files
    from search.index.writer import FastSegmentWriter

    root, files = corpus_files(engine_corpus)
    articles = [(rel, a) for rel, path in files.items() for a in _ingest(path, root)]
    names = sorted(mine_names(p.text for _rel, a in articles for p in a.passages))
    assert names and any(len(a.passages) > 3 for _rel, a in articles)
    for label, fast in (("fast", True), ("stages", False)):
        schema = build_schema(names)
        if not fast:
            for name in schema.names():
                field = schema[name]
                if isinstance(getattr(field, "analyzer", None), CompositeAnalyzer):
                    field.analyzer = _StagesOnly(*field.analyzer.items)
                    assert index_terms(field.analyzer) is None
        (tmp_path / label).mkdir()
        ix = index.create_in(str(tmp_path / label), schema)
        writer = FastSegmentWriter(ix, codec=codec())
        for rel, article in articles:
            for doc in passage_docs(article, rel):
                writer.add_document(**doc)
        writer.commit()
    fast_files, stage_files = _segment_files(tmp_path / "fast"), _segment_files(tmp_path / "stages")
    assert {"trm", "pst", "_stored.col", "_body_len.col"} <= set(fast_files)
    assert fast_files.keys() == stage_files.keys()
    for ext in fast_files:
        assert fast_files[ext] == stage_files[ext], ext
