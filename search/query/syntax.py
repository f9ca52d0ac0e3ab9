"""Query syntax: cleaning the typed text and parsing it into clauses. Never raises anything
but QueryError (and only for an empty query).

    words            plain words: any may be absent, passages matching more rank higher
    "a phrase"       exact sequence, also across jieba's segmentation (grams positions);
                     “…” and 「…」 quote too; an unclosed quote runs to the end
    a OR b           either (also `|`)
    NOT a, -a        exclude
    +a               require a word
    title:x  author:x  venue:x  lang:en|zh|zh-Hant|zh-Hans  article:ID
    year:2005  year:2005..2010  year:..2010  date:2021-04  date:2021-01..2021-06-30

Anything the grammar does not expect (a lone operator, stray quote, emoji, control
characters) is dropped, not an error. What a clause means (which terms, which fields) is
the builder's business (`search.query.builder`); what a filter value may be, `filters`'.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search.errors import QueryError

MAX_QUERY_CHARS = 2000
FIELD_ALIASES = {"title": "title", "author": "author", "authors": "author", "lang": "lang",
                 "language": "lang", "article": "article", "year": "year", "date": "date",
                 "venue": "venue", "journal": "venue"}
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}
_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_SPACED_HEAD = re.compile(r"^[A-Z]{1,3}$")
EMPTY_QUERY = 'empty query: type a word or a "phrase" to search'


@dataclass
class Clause:
    kind: str                  # "word" | "phrase" | "field" | "or"
    text: str = ""
    fname: str = ""            # for kind "field": title author venue lang article year date
    negated: bool = False
    required: bool = False
    members: list["Clause"] = field(default_factory=list)


# -- lexing -----------------------------------------------------------------------------

def clean(text: str) -> str:
    """Drop control/format characters and emoji-like symbols; collapse whitespace."""
    if not isinstance(text, str):
        raise QueryError(EMPTY_QUERY)
    text = text[:MAX_QUERY_CHARS * 3]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn") or cat == "So":
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())[:MAX_QUERY_CHARS]


PASTE_CHARS = 120      # longer input is a pasted text: its 「」/“” are not phrase operators


def parse(text: str) -> list[Clause]:
    """Clauses of a cleaned query string, OR groups folded in."""
    quotes = QUOTES if len(text) <= PASTE_CHARS else {'"': '"'}
    clauses: list[Clause] = []
    i, n = 0, len(text)
    negate = require = False
    pending_or = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in quotes:
            close = quotes[ch]
            j = text.find(close, i + 1)
            j = n if j < 0 else j
            body = text[i + 1:j].strip()
            i = j + 1
            if body:
                clauses.append(Clause("phrase", body, negated=negate, required=True))
                pending_or = _merge_or(clauses, pending_or)
            negate = require = False
            continue
        j = i
        while j < n and not text[j].isspace() and not (j > i and text[j] in quotes
                                                      and text[j - 1] != ":"):
            j += 1
        word = text[i:j]
        i = j
        if word in ("OR", "|", "||"):
            pending_or = bool(clauses) and not negate
            continue
        if word in ("AND", "&&", "&"):
            continue
        if word == "NOT" or (word in ("-", "+") and i < n and text[i] in quotes):
            negate, require = (True, False) if word != "+" else (negate, True)
            continue
        if word.startswith("-") and len(word) > 1 and not word[1].isdigit():
            negate, word = True, word.lstrip("-")
        elif word.startswith("+") and len(word) > 1:
            require, word = True, word.lstrip("+")
        name, sep, value = word.partition(":")
        if sep and name.lower() in FIELD_ALIASES:
            fname = FIELD_ALIASES[name.lower()]
            if not value and i < n and text[i] in quotes:
                close = quotes[text[i]]
                j = text.find(close, i + 1)
                j = n if j < 0 else j
                value, i = text[i + 1:j].strip(), j + 1
            elif value and value[0] in quotes:
                close = quotes[value[0]]
                if close in value[1:]:
                    value = value[1:value.index(close, 1)]
                else:
                    j = text.find(close, i)
                    j = n if j < 0 else j
                    value, i = (value[1:] + text[i:j]).strip(), j + 1
            value = value.strip()
            if value:
                clauses.append(Clause("field", value, fname=fname, negated=negate,
                                      required=True))
                pending_or = _merge_or(clauses, pending_or)
            negate = require = False
            continue
        if not _WORD_CHAR.search(word):
            negate = require = False
            continue
        prev = clauses[-1] if clauses else None
        if (prev is not None and prev.kind == "word" and not prev.negated
                and _SPACED_HEAD.match(prev.text)
                and word[0].isdigit() and not pending_or and not negate and not require):
            prev.text += " " + word          # "SU 27": one designator for the analyzer
        else:
            clauses.append(Clause("word", word, negated=negate, required=require))
            pending_or = _merge_or(clauses, pending_or)
        negate = require = False
    return clauses


def _merge_or(clauses: list[Clause], pending: bool) -> bool:
    """Fold the clause just appended into an OR group with the one before it."""
    if not pending or len(clauses) < 2 or clauses[-1].negated or clauses[-2].negated:
        return False
    last = clauses.pop()
    prev = clauses[-1]
    if prev.kind != "or":
        prev = Clause("or", members=[prev])
        clauses[-1] = prev
    prev.members.append(last)
    prev.required = all(m.required for m in prev.members)
    return False
