"""The staged pipeline gives exactly the tokens of the one-class analyzer it replaced.

The reference is the old `search/analysis.py`, frozen in tests/data/analysis/reference_v1.py.
Both analyzers run on the seed texts, a sample of the eval pool (when present), hand-picked
edge cases and seeded random strings, under every flag combination the code and Whoosh use;
every token is compared field by field (text, position, offsets, boost, stopped, original)
in order. Ranking and highlighting depend on these tokens, so any difference is a failure.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import random
from pathlib import Path

import pytest

from search.analysis import GramAnalyzer, WordAnalyzer, mine_names
from search.analysis.jieba_dictionary import shared_dictionary

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parent / "data" / "analysis" / "reference_v1.py"
POOL = ROOT.parent / "shared" / "eval" / "corpus.jsonl"


def _load_reference():
    spec = importlib.util.spec_from_file_location("analysis_reference_v1", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shared_dictionary()     # loaded once: both implementations copy it instead of loading twice
OLD = _load_reference()

SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
LEXICON = sorted(mine_names(SEEDS))

EDGE_CASES = [
    "", " ", "\n\t", "。", "中", "a", "A", "I", "the", "The THE", "和", "中文",
    "Su-27", "SU 27", "SU-27", "su27", "Su27", "ＳＵ－２７", "SU 27-A", "F 16", "F-16 and F 16",
    "ABCD 12", "AB 1234567890123456", "SU  27", "SU 27.5", "SU\u00a027", "Su 27", "X 9z",
    "S-300", "IL-76", "Tu-22M3", "C4ISR", "u.s.", "U.S.", "the U.S. Navy", "U.S.-Su-27",
    "1.5", "3.14.15", "1.5km", "v1.5", "in 2005", "殲-20", "殲20", "20世紀", "F-A 27",
    "confidence-building measures", "China's", "China’s", "state-of-the-art", "a-b-c",
    "rock'n'roll", "--A 27", "x-A 27", "é-A 12", "café", "naïve", "Ωmega", "Москва 2008",
    "a×b", "ÀB 12", "\uf9b5\uf900\uf901", "\U0002f800\U0002f801", "𠀀𠀁中", "戰略\U00020000",
    "😀 emoji 😀中國😀", "👍🏽", "中\u200b國", "e\u0301", "ﬁ", "Ⅻ 12", "K 5", "ＡＢ 12",
    "邊境地區", "聯合軍演與Su-27戰機", "軍事合作", "戰略夥伴關係", "信心建立措施",
    "透過「信心建立措施」（confidence-building measures, CBMs）與《中俄睦鄰友好合作條約》",
    "中俄軍事合作 2005年 和平使命-2005 聯合軍演",
    "The missiles were deployed; 飛彈部署於 SU 27 與 Tu-22M3 之間。",
    "ABC" * 50, "中" * 200, "a " * 100,
]

_ALPHABET = ("中國軍事合作邊境地區联合军演戰略夥伴關係信心建立措施和的了一\uf9b5\uf900𠀀"
             "abcdefsuAFSUXIT0123456789-.'’ ,;()「」《》　ＡＢ１２ÀéΩж😀\n")


def _random_texts(n: int, seed: int = 20261201) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
            for _ in range(n)]


def _pool_sample(every: int = 100) -> list[str]:
    if not POOL.exists():
        return []
    lines = POOL.read_text(encoding="utf-8").splitlines()
    texts = []
    for line in lines[::every]:
        item = json.loads(line)
        texts.extend([item.get("title") or "", item.get("text") or ""])
    return texts


def snapshot(tokens, positions=False, chars=False, keeporiginal=False, tokenize=True, **_):
    """Every field a consumer may read, copied at yield time (the token object is reused)."""
    out = []
    for t in tokens:
        row = [t.text, t.boost, t.stopped]
        if positions:
            row.append(t.pos)
        if chars:
            row.extend((t.startchar, t.endchar))
        if keeporiginal or not tokenize:
            row.append(t.original)
        out.append(tuple(row))
    return out


def assert_same(old, new, texts, **kwargs):
    for text in texts:
        expected = snapshot(old(text, **kwargs), **kwargs)
        got = snapshot(new(text, **kwargs), **kwargs)
        assert got == expected, (text[:80], kwargs)


_ANALYZERS = {}


def pair(name):
    """(old, new) analyzers, built once per test run."""
    if name not in _ANALYZERS:
        user_words = LEXICON if name == "lexicon" else ()
        _ANALYZERS[name] = (
            (OLD.GramAnalyzer(), GramAnalyzer()) if name == "grams"
            else (OLD.WordAnalyzer(user_words=user_words), WordAnalyzer(user_words=user_words)))
    return _ANALYZERS[name]


# How the code calls the analyzers: indexing (segwriter: body without positions, grams with
# them) and the query builder (positions, chars, query mode, stop words kept), here with
# everything else switched on as well.
INDEX = {"words": {"mode": "index"}, "lexicon": {"mode": "index"},
         "grams": {"positions": True, "mode": "index"}}
EVERYTHING = {"positions": True, "chars": True, "keeporiginal": True, "removestops": False,
              "mode": "query", "start_pos": 7, "start_char": 100}


@pytest.mark.parametrize("name", ["words", "lexicon", "grams"])
def test_seed_texts(name):
    assert_same(*pair(name), SEEDS, **INDEX[name])
    assert_same(*pair(name), SEEDS, **EVERYTHING)


@pytest.mark.skipif(not POOL.exists(), reason="no eval pool at ../shared/eval")
@pytest.mark.parametrize("name", ["words", "grams"])
def test_eval_pool_sample(name):
    texts = _pool_sample()
    assert len(texts) > 100
    assert_same(*pair(name), texts, **INDEX[name])
    assert_same(*pair(name), texts, **EVERYTHING)


# every combination of the flags Whoosh passes, on the edge cases
FLAGS = [dict(zip(("positions", "chars", "keeporiginal", "removestops", "tokenize"), combo))
         for combo in itertools.product([False, True], repeat=5)]


@pytest.mark.parametrize("name", ["words", "grams"])
def test_edge_cases_under_every_flag_combination(name):
    for flags in FLAGS:
        extra = {"start_pos": 3, "start_char": 10, "mode": "query"} if flags["chars"] else {}
        assert_same(*pair(name), EDGE_CASES, **flags, **extra)


@pytest.mark.parametrize("name", ["words", "grams"])
def test_random_strings(name):
    texts = _random_texts(500)
    assert_same(*pair(name), texts, **INDEX[name])
    assert_same(*pair(name), texts, **EVERYTHING)


def test_the_comparison_sees_differences():
    """A guard for the guard: a one-token difference (another lexicon) is caught."""
    with pytest.raises(AssertionError):
        assert_same(OLD.WordAnalyzer(), WordAnalyzer(user_words=["建立措施"]),
                    ["透過信心建立措施與裁軍"], positions=True)
