"""Numbers that count something, as one token in one spelling.

A reader treats ``第9條``, ``第九條`` and ``第 9 條`` as one thing, and ``800 名`` as
``800名``; the run stages cut them into 第 / 9 / 条. ``number_units`` finds such a number
with what it counts (a counter word after it, or 第 before it) in folded text and gives its
canonical form: Arabic digits (Chinese numerals converted, thousands separators dropped),
no spaces, the folded counter: ``第9条``, ``800名``, ``15年``, ``1990年代``, ``5000人``.
``2+2`` (the talks) is one unit too. The ``units`` field holds these forms
(``search.analysis.units``) and the query builder looks a query's units up there.

Chinese numerals count only where they count something: after 第, or before a counter when
the value is 2 or more (一年, 一名 are idioms as often as counts).
"""
from __future__ import annotations

import re

# Longest first: 年代 before 年, 周年 before 年.
COUNTERS = ("年代", "周年", "公里", "公尺", "美元", "年", "月", "日", "名", "条", "款", "章",
            "节", "架", "辆", "艘", "人", "次", "届", "期", "项", "部", "门", "万", "亿", "个",
            "岁", "倍")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_POWERS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
_COUNTER = "|".join(COUNTERS)
_UNIT_RE = re.compile(
    rf"(第)?\s{{0,2}}(?:(?<![a-z0-9.,\-/])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?![0-9a-z])"
    rf"|([{_CN}]+))\s{{0,2}}({_COUNTER})?")
_PLUS_RE = re.compile(r"(?<![0-9])(\d{1,2})\s?\+\s?(\d{1,2})(?![0-9])")


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral, None if it is not one.

    >>> [chinese_number(s) for s in ("九", "十五", "二十", "三千九百", "二〇〇五", "百", "十十")]
    [9, 15, 20, 3900, 2005, 100, None]
    """
    if not text or any(c not in _CN for c in text):
        return None
    if not any(c in _CN_POWERS for c in text):          # digit by digit: 二〇〇五
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit, last_power = 0, None, 10 ** 9
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[c]
        else:
            power = _CN_POWERS[c]
            if power >= last_power:
                return None
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
    return total + (digit or 0)


def number_units(folded: str):
    """(start, end, canonical) of each counted number in folded text.

    >>> [u[2] for u in number_units("第9条 第九条 第 9 条 800 名 十五年 1990 年代 5,000 名 2+2")]
    ['第9条', '第9条', '第9条', '800名', '15年', '1990年代', '5000名', '2+2']
    >>> [u[2] for u in number_units("一年 统一 三大 su-27 10-15%")]
    []
    """
    for m in _UNIT_RE.finditer(folded):
        ordinal, digits, numeral, counter = m.groups()
        if digits is not None:
            value = digits.replace(",", "")
        else:
            n = chinese_number(numeral)
            if n is None or (not ordinal and n < 2):
                continue
            value = str(n)
        if not ordinal and not counter:
            continue
        start, end = m.span()
        if ordinal is None:
            start = m.start(2) if digits is not None else m.start(3)
        if counter is None:
            end = m.end(2) if digits is not None else m.end(3)
        yield start, end, (ordinal or "") + value + (counter or "")
    for m in _PLUS_RE.finditer(folded):
        yield m.start(), m.end(), f"{m.group(1)}+{m.group(2)}"
