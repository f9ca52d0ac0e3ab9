"""The user glossary: `corpus/glossary.tsv` (format in docs/glossary.md).

    # comment                       ignored, as are blank lines
    拉夫羅夫<TAB>Lavrov              add a pair (a mined pair with the same sides becomes "user")
    信心建立措施<TAB>CBM<TAB>CBMs     several English forms for one Chinese term
    -川普<TAB>Donald Trump           suppress a mined pair
    -學習<TAB>*                      suppress every mined pair of 學習 ("*" on either side)
    导弹<TAB>飛彈                    two Chinese terms: a cross-Strait / synonym pair

A line that cannot be read is reported (line number + reason) and skipped, never fatal: a
typo in the glossary must not stop an index build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis import UNFOLDED_CJK_CHARS

_CJK = re.compile(f"[{UNFOLDED_CJK_CHARS}]")


@dataclass
class UserGlossary:
    pairs: list[tuple[str, str]] = field(default_factory=list)        # (zh, en) added
    variants: list[tuple[str, str]] = field(default_factory=list)     # (zh, zh) added
    suppress: list[tuple[str, str]] = field(default_factory=list)     # (zh|*, en|*) removed
    problems: list[str] = field(default_factory=list)                 # "line 7: ..."


def _is_zh(text: str) -> bool:
    return bool(_CJK.search(text))


def parse_user_tsv(text: str) -> UserGlossary:
    out = UserGlossary()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        remove = line.startswith("-")
        if remove:
            line = line[1:].strip()
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if len(cells) < 2:
            out.problems.append(f"line {n}: expected two columns separated by a TAB: {raw!r}")
            continue
        head, rest = cells[0], cells[1:]
        if remove:
            for other in rest:
                out.suppress.append((head, other))
            continue
        if not _is_zh(head):
            out.problems.append(f"line {n}: the first column must be Chinese: {head!r}")
            continue
        for other in rest:
            if other == "*":
                out.problems.append(f"line {n}: '*' only makes sense on a '-' line")
            elif _is_zh(other) and re.search(r"[A-Za-z]", other) is None:
                out.variants.append((head, other))
            elif _is_zh(other):
                out.problems.append(f"line {n}: mixed Chinese/English term {other!r}")
            else:
                out.pairs.append((head, other))
    return out


def read_user_tsv(path) -> UserGlossary:
    """Parse `path`; a missing file is an empty glossary."""
    p = Path(path)
    if not p.is_file():
        return UserGlossary()
    return parse_user_tsv(p.read_text(encoding="utf-8-sig"))
