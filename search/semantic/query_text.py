"""The text a query's vector is made of: its words and phrases as typed, without the
operators, field clauses (title:, year:, lang: …) or excluded words: `Su-27 -MiG year:2005`
is embedded as "Su-27"."""
from __future__ import annotations

from search.query import syntax


def meaning_text(query: str) -> str:
    try:
        clauses = syntax.parse(syntax.clean(query))
    except Exception:       # noqa: BLE001 - an unparsable query has no meaning text
        return ""
    out: list[str] = []

    def add(c) -> None:
        if c.negated:
            return
        if c.kind in ("word", "phrase"):
            out.append(c.text)
        elif c.kind == "or":
            for m in c.members:
                add(m)
    for c in clauses:
        add(c)
    return " ".join(out)
