"""Mine Chinese <-> English term pairs from parenthetical glosses.

Authors gloss terms the first time they use them, in both orders:

    俄羅斯外長拉夫羅夫（Sergey Lavrov）            zh（en）
    「信心建立措施」（confidence-building measures, CBMs）   zh（en, ACRONYM）
    Sergey Lavrov（拉夫羅夫）                       en（zh）

Everything else in parentheses is noise to reject: citations `（台北：鼎茂出版社， 2005 年）`,
`(New York: Walter de Gruyter Inc., 1991)`, dates `明（2007）年`, enumerations `（一）`,
page ranges, Roman numerals, mixed text `（JR東日本）`.

The English side is validated token by token (words, or codes such as C2/Su-27 with an
upper-case letter); one bad part rejects the whole parenthetical, because a citation that
half-parses is still a citation.

The Chinese side of zh（en） is the term immediately before the parenthesis. Its left
boundary is decided by the first rule that applies, in this order (each is tested on every
seed pair in tests/test_glossary_mining.py):

1. quote: the parenthesis follows a closing quote 」』”》 -> the quoted text
   (`「印太戰略」（Indo-Pacific Strategy）` -> 印太戰略);
2. title: the CJK run before the parenthesis contains a title word (外長, 總統, 國務卿,
   領導人, 部長 ...) -> the text after the last title, 2–6 characters
   (`美國國務卿布林肯（Antony Blinken）` -> 布林肯);
   (a cue word 原名/又名/又稱/簡稱 ... is handled the same way, and wins over titles:
   `原名奧奈達（Oneida）` -> 奧奈達);
3. dotted: a transliterated name with a middle dot -> the dotted chain plus the jieba word
   before its first dot (`設計師拉爾夫·克拉姆（Ralph Adams Cram）` -> 拉爾夫·克拉姆);
4. name: the English is a personal name and jieba (on the folded run) tags the last words
   as person names -> those words (`有別於川普（Donald Trump）` -> 川普);
5. nouns: walk back over jieba words tagged as nouns / place words while the term stays
   within 8 characters; a run still going at 8 characters is rejected, not truncated, and
   so is a run that a number interrupts (`鑫諾一號通信衛星（SINOSAT-1）`) and a result under
   3 characters, too often a fragment of a transliteration
   (`與空中指管（C2）` -> 空中指管; `比提尼亞（Bithynia）` -> nothing, not 尼亞).

jieba is only imported here, at index time; query-time lookups never load it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import UNFOLDED_CJK_CHARS
from search.glossary.folding import fold

# --- character classes ---------------------------------------------------------------

_CJK = UNFOLDED_CJK_CHARS + "〇"            # text as written: compatibility ideographs too
_DOTS = "·‧•・"
_IS_CJK = re.compile(f"[{_CJK}]")
_CJK_RUN_END = re.compile(f"[{_CJK}{_DOTS}]+$")
_ONLY_CJK = re.compile(f"^[{_CJK}{_DOTS}]+$")
_PAREN = re.compile(r"[（(]([^（）()\n]{1,120})[）)]")
_CLOSE_QUOTES = {"」": "「", "』": "『", "”": "“", "》": "《", "〉": "〈", "\"": "\""}

# English side
_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-\.&]*$")
_CODE = re.compile(r"^(?=.*[A-Z])(?=.*\d)[A-Za-z][A-Za-z0-9\-]*$")      # C2, C4ISR, Su-27
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_CITATION_MARKS = re.compile(
    r"(?i)(?:^|\s)(?:pp?\.|eds?\.?|ed\.|vol\.|no\.|inc\.|ltd\.?|ibid\.?|et al\.?|op\. cit\.?)(?:\s|$)")
_PART_SPLIT = re.compile(r"\s*[,，;；、]\s*")
_PART_PREFIX = re.compile(r"^(?:簡稱|简称|縮寫|缩写|或稱|或称|又稱|又称|即|or |aka |a\.k\.a\. |abbreviated )\s*",
                          re.I)
_LATIN_TAIL = re.compile(r"([A-Za-zÀ-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ'’\-\.& ]*[A-Za-z0-9À-ÖØ-öø-ÿ\.])\s?$")
_CONNECTORS = {"of", "for", "and", "the", "de", "von", "van", "der", "la", "le", "du", "da", "&"}

# Chinese side
_TITLES = sorted({fold(t) for t in """
    外長 外交部長 外相 總統 副總統 國務卿 領導人 部長 國防部長 防長 首相 總理 主席 副主席
    總書記 書記 司令員 司令 總司令 參謀長 總參謀長 大使 發言人 議員 參議員 眾議員 國王 女王
    王子 總督 州長 市長 將軍 上將 中將 少將 上校 元帥 教授 博士 學者 作家 記者 主任 主編
    執行長 董事長 總裁 顧問 助理 特使 首長 秘書長 總監 局長 處長 院長 署長 委員長 委員
    經理 設計師 建築師 艦長 總編輯 分析家 專家 國防部 外交部 首席 總參 助卿 次長 副部長
""".split()}, key=len, reverse=True)
# words after which a glossed term starts ("原名奧奈達（Oneida）" -> 奧奈達)
_CUES = sorted({fold(t) for t in "原名 又名 又稱 或稱 簡稱 俗稱 稱為 名為 譯為 譯作 叫做 亦即 即為".split()},
               key=len, reverse=True)
_NOUNISH = ("n", "s", "vn", "an", "b", "j", "l", "nz", "eng")
_FUNCTION_FLAGS = ("p", "c", "u", "d", "r", "m", "q", "f", "y", "e", "o", "t", "z", "x", "w")
_NOT_ZH_TERMS = {"等", "下同", "同上", "下稱", "下称", "以下簡稱", "以下简称", "原文", "英文", "英語",
                 "英语", "譯註", "译注", "音譯", "音译", "意譯", "意译", "全稱", "全称"}
_MAX_NOUN_RUN = 8


@dataclass(frozen=True)
class MinedPair:
    """One gloss found in text. `rule` says which boundary rule chose the Chinese side
    ("quote", "title", "dotted", "name", "nouns", or "en-first" for en（zh））;
    `person` is True when the pair names a person (used to index the surname alone)."""

    zh: str
    en: str
    rule: str
    person: bool = False


_COMPAT_IDEOGRAPH = re.compile("[\uf900-\ufaff]")


def _nfkc(m: re.Match) -> str:
    return unicodedata.normalize("NFKC", m.group())


def normalise_text(text: str) -> str:
    """Unify compatibility ideographs (U+F900–U+FAFF, per character NFKC) and rejoin
    hard-wrapped lines: no space between CJK, one space between Latin words."""
    text = _COMPAT_IDEOGRAPH.sub(_nfkc, text)

    def join(m: re.Match) -> str:
        left = text[m.start() - 1] if m.start() else ""
        right = text[m.end()] if m.end() < len(text) else ""
        if _is_wide(left) or _is_wide(right):
            return ""
        return " "

    return re.sub(r"[ \t\u3000]*\n\s*", join, text)


def _is_wide(ch: str) -> bool:
    return bool(ch) and (bool(_IS_CJK.match(ch)) or "\u3000" <= ch <= "\u303f"
                         or "\uff00" <= ch <= "\uffef")


# --- English side ---------------------------------------------------------------------

def _valid_en(part: str) -> bool:
    tokens = part.split()
    if not tokens or len(tokens) > 8:
        return False
    if _IS_CJK.search(part) or ":" in part or "：" in part or _YEAR.search(part):
        return False
    if _ROMAN.match(part) or (sum(c.isalpha() for c in part) < 2 and not _CODE.match(part)):
        return False
    for tok in tokens:
        if not (_WORD.match(tok) or _CODE.match(tok)):
            return False
    return True


def parse_english(inner: str) -> list[str]:
    """The English terms of one parenthetical, or [] when any part is not a term."""
    if _CITATION_MARKS.search(" " + inner + " ") or _YEAR.search(inner):
        return []
    if "、" in inner:                  # （VU、EN、CR）: a list of things, not a gloss
        return []
    parts = []
    for raw in _PART_SPLIT.split(inner.strip()):
        part = _PART_PREFIX.sub("", raw.strip()).strip().rstrip(".") if raw.strip() else ""
        if raw.strip().endswith(".") and len(raw.strip().split()[-1]) <= 3:
            part = raw.strip()            # keep "Co." / "S." intact
            part = _PART_PREFIX.sub("", part).strip()
        if not part:
            continue
        if not _valid_en(part):
            return []
        if part not in parts:
            parts.append(part)
    if len(parts) > 2:                 # a gloss is a full form and at most one acronym
        return []
    if len(parts) == 2 and not _is_acronym(parts[1]):
        return []                      # （Fundamental Rights, Fundamental ...）: not a gloss
    return parts


def is_person_name(en: str) -> bool:
    """`Sergey Lavrov`, `Mikhail S. Gorbachev`, `Joe Biden`: 2–4 capitalised tokens, the
    last a capitalised word of 3+ letters, no connectors or acronyms."""
    tokens = en.split()
    if not 2 <= len(tokens) <= 4:
        return False
    for tok in tokens[:-1]:
        if not re.match(r"^(?:[A-Z][a-zà-ÿ'’\-]+|[A-Z]\.)$", tok):
            return False
    return bool(re.match(r"^[A-Z][a-zà-ÿ'’\-]{2,}$", tokens[-1]))


def _is_acronym(en: str) -> bool:
    return " " not in en and bool(re.match(r"^[A-Z][A-Z0-9\-]*[A-Z0-9]s?$", en))


_PINYIN = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|iao|ian|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in"
    r"|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)$")


def is_pinyin_name(en: str) -> bool:
    """`Wang Yi`, `Ling Yun`, `Xiong Guang-kai`: every syllable is pinyin, so the surname
    comes first and the last word is a given name (no surname key for these)."""
    sylls = re.split(r"[\s\-]+", en.lower())
    return bool(sylls) and all(_PINYIN.match(s) for s in sylls if s)


def surname(en: str) -> str:
    return en.split()[-1]


# --- Chinese side ---------------------------------------------------------------------

_JIEBA = None


def _posseg(text: str):
    global _JIEBA
    if _JIEBA is None:     # jieba.posseg tags with jieba's shared, read-only dictionary
        from search.analysis.jieba_dictionary import pos_tagger
        _JIEBA = pos_tagger()
    return [(w.word, w.flag) for w in _JIEBA.lcut(text)]


def _quoted(before: str) -> str | None:
    close = before[-1]
    opener = _CLOSE_QUOTES[close]
    start = before.rfind(opener, 0, len(before) - 1)
    if start < 0 or len(before) - 1 - start > 24:
        return None
    inner = before[start + 1:len(before) - 1].strip()
    return inner if _ONLY_CJK.match(inner or "x") else None


def _after_title(run: str, folded: str, words=None) -> str | None:
    best = -1
    for title in words or _TITLES:
        pos = folded.rfind(title)
        if pos >= 0:
            best = max(best, pos + len(title))
    if best < 0 or best >= len(run):
        return None
    cand = run[best:]
    limit = 14 if any(d in cand for d in _DOTS) else 6
    return cand if 2 <= len(cand) <= limit else None


def _noun_walk(run: str, folded: str, person: bool) -> tuple[str, str] | None:
    words = _posseg(folded)
    if not words:
        return None
    if person and words[-1][1].startswith("nr"):
        size = 0
        for word, flag in reversed(words):
            if not flag.startswith("nr") or size + len(word) > 6:
                break
            size += len(word)
        return (run[len(run) - size:], "name") if size >= 2 else None
    last_word, last_flag = words[-1]
    if last_flag.startswith(_FUNCTION_FLAGS) and not last_flag.startswith(("nr", "ns", "nt")):
        return None
    size = len(last_word)
    if not last_flag.startswith(_NOUNISH):        # a verb/adjective: only the word itself
        return (run[len(run) - size:], "nouns") if size >= 3 else None
    for word, flag in reversed(words[:-1]):
        if flag.startswith(("m", "q")):            # 鑫諾一號通信衛星: the name goes on
            return None                            # past the number; 通信衛星 is a slip
        if not flag.startswith(_NOUNISH) or word in _TITLES:
            break
        if size + len(word) > _MAX_NOUN_RUN:
            return None                            # ambiguous long noun run: reject
        size += len(word)
    if size < 3 or (size > _MAX_NOUN_RUN and size != len(last_word)) or size > 16:
        return None           # 2 characters is too often a fragment (比提尼亞 -> 尼亞)
                              # (one long dictionary word is fine)
    return run[len(run) - size:], "nouns"


def chinese_before(before: str, person: bool) -> tuple[str, str] | None:
    """(term, rule) for the Chinese term ending at the end of `before`, or None."""
    before = before.rstrip(" ")
    if not before:
        return None
    if before[-1] in _CLOSE_QUOTES:
        quoted = _quoted(before)
        return (quoted, "quote") if quoted else None
    m = _CJK_RUN_END.search(before)
    if not m:
        return None
    run = m.group(0).lstrip(_DOTS)
    folded = fold(run)
    if person:                                  # "迦得弗利茲教授（Pascal Godefroit）"
        for title in _TITLES:
            if folded.endswith(title) and len(run) > len(title) + 1:
                run, folded = run[:-len(title)], folded[:-len(title)]
                break
    by_cue = _after_title(run, folded, _CUES)
    if by_cue:
        return by_cue, "cue"
    by_title = _after_title(run, folded)
    if by_title:
        return by_title, "title"
    dot = next((i for i, ch in enumerate(run) if ch in _DOTS), -1)
    if dot > 0:
        head = chinese_before(run[:dot], person=True)
        if head is None:
            return None
        return head[0] + run[dot:], "dotted"
    return _noun_walk(run, folded, person)


def english_before(before: str) -> str | None:
    """The English term ending at the end of `before` (for en（zh））, or None."""
    m = _LATIN_TAIL.search(before)
    if not m:
        return None
    start = m.start(1)
    prev = before[start - 1] if start > 0 else ""
    if prev and ((prev.isascii() and prev.isalnum()) or prev in "-'’"):
        return None
    tokens = m.group(1).split()
    if len(tokens) > 6:                   # inside English prose: trailing capitalised chain
        chain: list[str] = []
        for tok in reversed(tokens):
            if tok[0].isupper() or tok[0].isdigit() or tok.lower() in _CONNECTORS:
                chain.insert(0, tok)
            else:
                break
        while chain and chain[0].lower() in _CONNECTORS:
            chain.pop(0)
        if not chain or len(chain) > 6:
            return None
        tokens = chain
    en = " ".join(tokens).rstrip(".") if not tokens[-1].endswith(".") or len(tokens[-1]) > 4 \
        else " ".join(tokens)
    return en if _valid_en(en) else None


# --- entry points ---------------------------------------------------------------------

def mine_pairs_detailed(text: str) -> list[MinedPair]:
    """Every gloss of `text` with the rule that chose its Chinese side. Cached: the indexer
    mines each file twice (jieba lexicon, then the glossary)."""
    return list(_mine_cached(text))


@lru_cache(maxsize=8192)
def _mine_cached(text: str) -> tuple[MinedPair, ...]:
    return tuple(_mine(text))


def _mine(text: str) -> list[MinedPair]:
    if "(" not in text and "（" not in text:    # no gloss (normalising adds no bracket)
        return []
    text = normalise_text(text)
    out: list[MinedPair] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        before = text[:m.start()]
        if not inner or not before:
            continue
        compact = inner.replace(" ", "")
        if _ONLY_CJK.match(compact):                      # en（zh）
            if compact in _NOT_ZH_TERMS or not 2 <= len(compact) <= 12:
                continue
            en = english_before(before)
            if en:
                out.append(MinedPair(compact, en, "en-first", is_person_name(en)))
            continue
        if not re.search(r"[A-Za-z]", inner):
            continue
        ens = parse_english(inner)
        if not ens:
            continue
        person = len(ens) == 1 and is_person_name(ens[0])
        found = chinese_before(before[-40:], person)
        if not found:
            continue
        zh, rule = found
        if zh in _NOT_ZH_TERMS or len(_IS_CJK.findall(zh)) < 2:
            continue
        if rule == "nouns" and len(zh) <= 2 and all(_is_acronym(en) for en in ens):
            continue                              # "學習（APL）": too short to trust
        for en in ens:
            out.append(MinedPair(zh, en, rule,
                                 person and rule in ("title", "dotted", "name")))
    return out


def mine_pairs(text: str) -> list[tuple[str, str]]:
    """(zh, en) pairs glossed in `text`, in order of appearance (repeats kept)."""
    return [(p.zh, p.en) for p in mine_pairs_detailed(text)]
