"""The one analysis pipeline: makes Traditional, Simplified and English text meet.

Whoosh-style stages, each adding one thing (modules in data-flow order):

=====================  =====================================================================
``folding``            ``fold`` (NFKC + lowercase + t2s per character, length-preserving)
                       and ``CJK_CHARS``, the one class of CJK characters
``runs``               ``RunTokenizer``: folded CJK runs and Latin runs, offsets into the
                       original text
``latin``              ``SpacedDesignatorFilter`` (SU 27 -> su27), ``LatinWordFilter``
                       (words; designators and numbers whole: Su-27 -> su27, 1.5, u.s. -> us)
``cjk``                ``JiebaWordFilter``, ``SubWordFilter`` (軍事合作 -> 军事合作, 军事,
                       合作 at one position), ``BigramFilter`` (边境, 境地, 地区)
``english``            ``english_term`` (the one stemmer), stop words, ``EnglishFilter``
``jieba_dictionary``   jieba without pkg_resources, the lazy SQLite dictionary, one
                       segmenter per ``Lexicon``; the only module touching jieba internals
``names``              ``mine_names``: names the corpus marks with 「」/《》, for the lexicon
``analyzers``          ``WordAnalyzer`` (field ``body``), ``GramAnalyzer`` (field ``grams``)
``jieba_cut``          ``cut_words``: jieba's accurate + HMM words, the route found by
                       jieba-rs (its words exactly)
``index_terms``        ``index_terms``: the indexer's fast path, the analyzers' terms without
                       a ``Token`` per term (same terms, same positions)
=====================  =====================================================================

    WordAnalyzer = RunTokenizer | SpacedDesignatorFilter | LatinWordFilter
                   | JiebaWordFilter | SubWordFilter | EnglishFilter
    GramAnalyzer = RunTokenizer | SpacedDesignatorFilter | LatinWordFilter
                   | BigramFilter | EnglishFilter

Token text is the folded form; ``startchar``/``endchar`` index the original string, so
highlights land on the author's own characters. Analyzers pickle as their settings only
(Whoosh stores the schema in the index); jieba is loaded at the first CJK run.

>>> [t.text for t in WordAnalyzer()("聯合軍演與Su-27戰機")]
['联合', '军演', '与', 'su27', '战机']
>>> [t.text for t in GramAnalyzer()("邊境地區")]
['边境', '境地', '地区']
"""
from search.analysis.analyzers import ANALYZER_VERSION, GramAnalyzer, WordAnalyzer, settings
from search.analysis.english import ENGLISH_STOP_WORDS, EnglishFilter, english_term
from search.analysis.folding import CJK_CHARS, UNFOLDED_CJK_CHARS, fold
from search.analysis.jieba_dictionary import Lexicon, use_lazy_dictionary
from search.analysis.names import mine_names

__all__ = ["ANALYZER_VERSION", "CJK_CHARS", "ENGLISH_STOP_WORDS", "EnglishFilter",
           "GramAnalyzer", "Lexicon", "UNFOLDED_CJK_CHARS", "WordAnalyzer", "english_term",
           "fold", "mine_names", "settings", "use_lazy_dictionary"]
