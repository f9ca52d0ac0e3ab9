"""The staged pipeline gives exactly the tokens of the one-class analyzer it replaced.

The old `search/analysis.py` (commit 8fada71) is not kept as code: its tokens were recorded
once by tests/data/analysis/record.py into tests/data/analysis/tokens_v1.jsonl.xz, for the
inputs and flag combinations defined here (seed texts, a sample of the eval pool, hand-picked
edge cases under every flag combination, seeded random strings). The current analyzers run on
the same inputs and every token is compared with the recording field by field (text,
position, offsets, boost, stopped, original) in order. Ranking and highlighting depend on
these tokens, so any difference is a failure. If an *input* changes (a seed text, an edge
case), the test says so and asks for a new recording, which is again made from the old code.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import json
import random
import re
from pathlib import Path

import pytest
from recording import read_lines, write_lines

from search.analysis import GramAnalyzer, WordAnalyzer, mine_names
from search.analysis.jieba_dictionary import shared_dictionary

ROOT = Path(__file__).resolve().parents[1]
RECORDING = Path(__file__).resolve().parent / "data" / "analysis" / "tokens_v1.jsonl.xz"
RECORD_COMMAND = ".venv/bin/python tests/data/analysis/record.py"
POOL = ROOT.parent / "shared" / "eval" / "corpus.jsonl"

SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]

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


# The inputs, by group, and the analyzers each group runs through. record.py reads these.
INPUTS = {
    "seeds": lambda: SEEDS,
    "pool": _pool_sample,
    "edge": lambda: EDGE_CASES,
    "random": lambda: _random_texts(500),
    "guard": lambda: ["透過信心建立措施與裁軍"],
}
ANALYZERS = {"seeds": ["words", "lexicon", "grams"], "pool": ["words", "grams"],
             "edge": ["words", "grams"], "random": ["words", "grams"], "guard": ["words"]}

# How the code calls the analyzers: indexing (segwriter: body without positions, grams with
# them) and the query builder (positions, chars, query mode, stop words kept), here with
# everything else switched on as well.
INDEX = {"words": {"mode": "index"}, "lexicon": {"mode": "index"},
         "grams": {"positions": True, "mode": "index"}}
EVERYTHING = {"positions": True, "chars": True, "keeporiginal": True, "removestops": False,
              "mode": "query", "start_pos": 7, "start_char": 100}
# every combination of the flags Whoosh passes, for the edge cases
FLAGS = [dict(zip(("positions", "chars", "keeporiginal", "removestops", "tokenize"), combo))
         for combo in itertools.product([False, True], repeat=5)]


def calls(group: str, name: str) -> list[dict]:
    """The keyword arguments the analyzer `name` is called with on the inputs of `group`."""
    if group == "edge":
        return [{**flags, **({"start_pos": 3, "start_char": 10, "mode": "query"}
                             if flags["chars"] else {})} for flags in FLAGS]
    if group == "guard":
        return [{"positions": True}]
    return [INDEX[name], EVERYTHING]


def lexicon(seeds) -> list[str]:
    """The corpus lexicon the "lexicon" analyzer adds to jieba (`mine_names`, as indexing)."""
    return sorted(mine_names(seeds))


def digest(value) -> str:
    """A short fingerprint of an input (a text, the lexicon), so the recording can name its
    inputs without holding a second copy of them."""
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def call_key(group: str, name: str, kwargs: dict) -> str:
    return json.dumps([group, name, kwargs], sort_keys=True)


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


# --------------------------------------------------------------------------- the recording

def write_recording(path: Path, header: dict, rows) -> None:
    """The recording file: xz-compressed JSON lines (stdlib `lzma`: 0.5 MB, half of gzip's),
    the header (input fingerprints, where the tokens came from) first, then one line per
    (group, analyzer, call) with the snapshot of each input's tokens in input order."""
    write_lines(path, [header, *({"group": group, "analyzer": name, "kwargs": kwargs,
                                  "tokens": tokens} for group, name, kwargs, tokens in rows)])


def load_recording(path: Path = RECORDING) -> dict:
    """{"header": ..., "calls": {call_key: [tokens of each input]}} from a recording file."""
    lines = read_lines(path)
    header = next(lines)
    recorded = {call_key(row["group"], row["analyzer"], row["kwargs"]):
                [[tuple(token) for token in tokens] for tokens in row["tokens"]]
                for row in lines}
    return {"header": header, "calls": recorded}


@functools.cache
def recording() -> dict:
    return load_recording()


def assert_inputs_recorded(header: dict, group: str, texts: list[str]) -> None:
    """The texts are the ones the recording was made from (else the comparison is moot)."""
    stale = f"re-record them from the old analyzer: {RECORD_COMMAND}"
    recorded = header["inputs"][group]
    assert len(texts) == len(recorded), (
        f"{group}: {len(texts)} inputs now, {len(recorded)} recorded; {stale}")
    for i, (text, fingerprint) in enumerate(zip(texts, recorded)):
        assert digest(text) == fingerprint, f"{group} input {i} ({text[:40]!r}) changed; {stale}"


_ANALYZERS = {}


def analyzer(name, lexicon_words):
    """The current analyzer `name`, built once per test run."""
    if name not in _ANALYZERS:
        _ANALYZERS[name] = (GramAnalyzer() if name == "grams" else
                            WordAnalyzer(user_words=lexicon_words if name == "lexicon" else ()))
    return _ANALYZERS[name]


def assert_same_as_recorded(record: dict, group: str, name: str, texts, new=None) -> None:
    """Every call `calls(group, name)` of the current analyzer (or `new`) on `texts` gives the
    recorded tokens, token by token and field by field."""
    header = record["header"]
    assert_inputs_recorded(header, group, texts)
    if name == "lexicon":
        assert digest(lexicon(SEEDS)) == header["lexicon"], (
            f"the seed lexicon changed; re-record: {RECORD_COMMAND}")
    new = new or analyzer(name, lexicon(SEEDS))
    for kwargs in calls(group, name):
        expected_per_text = record["calls"][call_key(group, name, kwargs)]
        for text, expected in zip(texts, expected_per_text, strict=True):
            got = snapshot(new(text, **kwargs), **kwargs)
            assert got == expected, (text[:80], kwargs)


# --------------------------------------------------------------------------- the tests

shared_dictionary()     # loaded once: the analyzers copy it instead of loading it each


@pytest.mark.parametrize("name", ANALYZERS["seeds"])
def test_seed_texts(name):
    assert_same_as_recorded(recording(), "seeds", name, SEEDS)


@pytest.mark.skipif(not POOL.exists(), reason="no eval pool at ../shared/eval")
@pytest.mark.parametrize("name", ANALYZERS["pool"])
def test_eval_pool_sample(name):
    texts = _pool_sample()
    assert len(texts) > 100
    assert_same_as_recorded(recording(), "pool", name, texts)


@pytest.mark.parametrize("name", ANALYZERS["edge"])
def test_edge_cases_under_every_flag_combination(name):
    assert_same_as_recorded(recording(), "edge", name, EDGE_CASES)


@pytest.mark.parametrize("name", ANALYZERS["random"])
def test_random_strings(name):
    assert_same_as_recorded(recording(), "random", name, _random_texts(500))


def test_the_comparison_sees_differences():
    """A guard for the guard: a one-token difference (another lexicon) is caught."""
    texts = INPUTS["guard"]()
    assert_same_as_recorded(recording(), "guard", "words", texts)
    with pytest.raises(AssertionError, match=re.escape(repr(texts[0]))):
        assert_same_as_recorded(recording(), "guard", "words", texts,
                                new=WordAnalyzer(user_words=["建立措施"]))


def test_a_changed_token_in_the_recording_is_caught(tmp_path):
    """The recording file is really compared: one token edited in a copy fails the test."""
    record = load_recording()
    rows = [json.loads(key) + [tokens] for key, tokens in record["calls"].items()
            if json.loads(key)[:2] == ["edge", "words"]]
    tokens = rows[-1][-1]                                   # all flags on
    i = next(i for i, row in enumerate(tokens) if row)      # the first input with tokens
    tokens[i][0] = (tokens[i][0][0] + "x",) + tokens[i][0][1:]
    path = tmp_path / "edited.jsonl.xz"
    write_recording(path, record["header"], rows)
    with pytest.raises(AssertionError, match=re.escape(repr(EDGE_CASES[i][:80]))):
        assert_same_as_recorded(load_recording(path), "edge", "words", EDGE_CASES)
