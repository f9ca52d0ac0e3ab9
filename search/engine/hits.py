"""A Hit from a passage's stored fields: the hit assembly shared by every front end."""
from __future__ import annotations

import json

from search.model import Footnote, Hit, NoteRef


def hit_from_stored(hit: dict, score, highlighter) -> Hit:
    """The Hit of one passage: its stored fields (`search.index.documents.passage_docs`),
    its score, and its highlights and snippet window from `highlighter`."""
    from search.engine.snippets import snippet_window, to_html

    text = hit["text"]
    meta = json.loads(hit["meta"])
    spans = highlighter.spans(text)
    window = snippet_window(text, spans)
    footnotes = [Footnote(label, body, list(urls)) for label, body, urls in
                 meta.get("footnotes", [])]
    # a passage found through its notes (a note holds a query word its text lacks) shows
    # those notes opened with the words marked
    note_marks, in_text = {}, None
    for f in footnotes:
        marks = highlighter.spans(f.text) if f.text else None
        if marks:
            if in_text is None:         # folded once, only for a passage with marked notes
                in_text = {highlighter.fold(text[s:e]) for s, e in spans}
            if {highlighter.fold(f.text[s:e]) for s, e in marks} - in_text:
                note_marks[f.label] = marks
    return Hit(
        passage_id=hit["pid"], article_id=hit["article_id"], title=meta.get("title", ""),
        section=" › ".join(meta.get("section") or []), date=meta.get("date", ""),
        score=round(float(score), 4), text=text, snippet=to_html(text, window),
        footnotes=footnotes,
        lang=hit.get("lang", ""), ordinal=meta.get("ordinal", 0),
        notes=[NoteRef(label, offset) for label, offset in meta.get("notes", [])],
        highlights=spans, venue=meta.get("venue", ""), window=window,
        pages=list(meta.get("pages") or []), note_marks=note_marks, ocr=bool(meta.get("ocr")))
