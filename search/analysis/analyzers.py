"""The two analyzers of the index, composed from the stages, and what the manifest records.

Stage order matters for speed, not for the tokens: the Latin stages come before the CJK
ones, so they see one token per CJK *run* rather than one per word or bigram; only the
stages that must see every CJK token (sub-words, English) come after the expansion. With
that order and a fast path for plain Latin words no stage needed fusing: on 2,000 eval-pool
passages (bench/analysis_speed.py) both analyzers together went from 577k to 693k chars/s
against the one-class tokenizer they replaced.
"""
from __future__ import annotations

from whoosh.analysis import Composable

from search.analysis.cjk import BigramFilter, JiebaWordFilter, SubWordFilter
from search.analysis.english import EnglishFilter
from search.analysis.jieba_dictionary import Lexicon
from search.analysis.latin import LatinWordFilter, SpacedDesignatorFilter
from search.analysis.runs import RunTokenizer

ANALYZER_VERSION = 1


def WordAnalyzer(user_words=()) -> Composable:
    """Analyzer for the ``body`` field (and titles): jieba words + sub-words, English stems.

    >>> [t.text for t in WordAnalyzer()("聯合軍演與Su-27戰機")]
    ['联合', '军演', '与', 'su27', '战机']
    """
    lexicon = Lexicon(user_words)       # one object: pickled once, one segmenter lookup
    return (RunTokenizer() | SpacedDesignatorFilter() | LatinWordFilter()
            | JiebaWordFilter(lexicon) | SubWordFilter(lexicon) | EnglishFilter())


def GramAnalyzer() -> Composable:
    """Analyzer for the ``grams`` field: CJK bigrams + English stems, for phrases and
    segmentation-independent matching.

    >>> [t.text for t in GramAnalyzer()("邊境地區 SU 27")]
    ['边境', '境地', '地区', 'su', 'su27', '27']
    """
    return (RunTokenizer() | SpacedDesignatorFilter() | LatinWordFilter()
            | BigramFilter() | EnglishFilter())


def settings() -> dict:
    """What the manifest records about analysis; a change means the index must be rebuilt."""
    return {"analyzer_version": ANALYZER_VERSION, "fold": "nfkc+lower+opencc-t2s-chars",
            "segmenter": "jieba-hmm+subwords", "grams": "cjk-bigrams",
            "english": "porter+stop"}
