"""`.jsonl` of ready passages: one `{"id", "title", "text"}` object per line (benchmarks).

The benchmark ingests 100,000 passages, so per-passage work is only `clean_chars` (one
`str.translate`) and a sampled language guess: no layout or structure recovery, the passages
are already what the index needs. Lines sharing a title become one Article; a malformed line
is reported as `file:line` and skipped, it does not cost the rest of the file; so is a line
whose id would not fit a URL or a TREC line (`ids.valid_passage_id`).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..model import Article, IngestFailure, Passage
from .clean import clean_chars
from .ids import ID_RULE, short_hash, shown_id, valid_passage_id
from .lang import detect_lang

_SURROGATE = re.compile("[\ud800-\udfff]")     # JSON can escape them; UTF-8 cannot hold them


def parse_jsonl(text: str, path: Path, slug: str, source: str,
                problems: list[IngestFailure] | None = None) -> list[Article]:
    articles: dict[str, Article] = {}
    seen: set[str] = set()

    def problem(lineno: int, what: str) -> None:
        if problems is not None:
            problems.append(IngestFailure(f"{path}:{lineno}", what))

    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as err:
            problem(lineno, f"not valid JSON ({err.msg}), line skipped")
            continue
        if not isinstance(obj, dict):
            problem(lineno, "not a JSON object, line skipped")
            continue
        pid, body, title = obj.get("id"), obj.get("text"), obj.get("title", "")
        if isinstance(pid, int) and not isinstance(pid, bool):
            pid = str(pid)
        if not isinstance(pid, str) or not pid.strip():
            problem(lineno, 'missing "id" (a non-empty string), line skipped')
            continue
        if not isinstance(body, str):
            problem(lineno, 'missing "text" (a string), line skipped')
            continue
        if title is None:
            title = ""
        if not isinstance(title, str):
            problem(lineno, '"title" is not a string, line skipped')
            continue
        broken = next((name for name, value in (("text", body), ("title", title))
                       if not value.isascii() and _SURROGATE.search(value)), None)
        if broken:
            problem(lineno, f'"{broken}" holds a lone surrogate escape (\\ud800-\\udfff is '
                            'not a character), line skipped')
            continue
        if not valid_passage_id(pid):
            problem(lineno, f'"id" {shown_id(pid)} {ID_RULE}, line skipped')
            continue
        if pid in seen:
            problem(lineno, f"duplicate id {pid!r}, line skipped")
            continue
        seen.add(pid)
        body = clean_chars(body).strip()
        if not body:
            problem(lineno, "empty text, line skipped")
            continue
        article = articles.get(title)
        if article is None:
            clean_title = clean_chars(title).strip()
            article = Article(id=f"{slug}:{short_hash(title, 12)}", source=source,
                              title=clean_title)
            articles[title] = article
        article.passages.append(Passage(id=pid, article_id=article.id,
                                        ordinal=len(article.passages), text=body,
                                        lang=detect_lang(body)))
    for article in articles.values():
        langs = [p.lang for p in article.passages]
        article.lang = max(set(langs), key=langs.count)
    return list(articles.values())
