"""Turning stored text into safe HTML: highlights, footnote markers, script conversion.

Every string from the corpus or the query is escaped here or by Jinja; snippets are rendered
here from their windows (`Hit.window`), not taken from the engine's HTML.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Callable, Iterable

from markupsafe import Markup, escape

from search.model import Footnote, NoteRef, SnippetWindow

SCRIPTS = ("orig", "hant", "hans")          # as stored / Traditional / Simplified
SCRIPT_LANG = {"hant": "zh-Hant", "hans": "zh-Hans"}
_OPENCC_CONFIG = {"hant": "s2t", "hans": "t2s"}
_opencc_lock = threading.Lock()


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc
    conv = opencc.OpenCC(config)
    conv.convert("")        # loads its dictionaries now: lazily, two threads could race
    return conv


def convert(text, script: str):
    """`text` in the chosen script; Markup stays Markup (OpenCC never emits <, >, & or
    quotes, and leaves ASCII - tags, entities, URLs - untouched)."""
    if script not in _OPENCC_CONFIG or not text:
        return text
    out = _convert_cached(str(text), _OPENCC_CONFIG[script])
    return Markup(out) if isinstance(text, Markup) else out


@lru_cache(maxsize=20_000)
def _convert_cached(text: str, config: str) -> str:
    """OpenCC is pure Python (~1 ms per passage); titles, snippets and notes repeat."""
    with _opencc_lock:                      # built once, then shared read-only
        conv = _converter(config)
    return conv.convert(text)


def display_lang(lang: str, script: str) -> str:
    """The `lang` attribute of text stored in `lang` once shown in `script`."""
    if lang.startswith("zh") and script in SCRIPT_LANG:
        return SCRIPT_LANG[script]
    return lang or "zh-Hant"


def note_anchor(label: str) -> str:
    """A DOM id for note `label` ("1" -> "fn-1", "＊" -> "fn-uff0a")."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", label):
        return f"fn-{label}"
    return "fn-u" + "-".join(f"{ord(c):x}" for c in label)


_URL_RE = re.compile(r"https?://[^\s<>\"'，。；、「」（）()\[\]]+")


def linkify(text: str, urls: Iterable[str] = ()) -> Markup:
    """Escape a note's text and turn the URLs in it into links; URLs listed in the note but
    absent from its text are appended."""
    parts, last, seen = [], 0, set()
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:")
        parts.append(escape(text[last:m.start()]))
        parts.append(_link(url))
        seen.add(url)
        last = m.start() + len(url)
    parts.append(escape(text[last:]))
    extra = [u for u in urls if u not in seen and u.startswith(("http://", "https://"))]
    for url in extra:
        parts.append(Markup(" ") + _link(url))
    return Markup("").join(parts)


def marked_note(note: Footnote, marks=None) -> Markup:
    """A note's text as `linkify` gives it, with the query's words (`marks`: (start, end)
    in its text, from the hit) wrapped in <mark>."""
    if not marks:
        return linkify(note.text, note.urls)
    parts, last = [], 0
    for start, end in marks:
        parts.append(linkify(note.text[last:start]))
        parts.append(Markup("<mark>{0}</mark>").format(note.text[start:end]))
        last = end
    parts.append(linkify(note.text[last:], note.urls))
    return Markup("").join(parts)


def _link(url: str) -> Markup:
    return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url)


class MarkerFactory:
    """Builds footnote-marker HTML for one page, with page-unique ids.

    `href(label)` gives the link target; on the article page markers also get an id
    (`ref-<label>-<n>`) that the notes section links back to."""

    def __init__(self, footnotes: Iterable[Footnote], href: Callable[[str], str],
                 with_ref_ids: bool = False, prefix: str = "t"):
        self.notes = {n.label: n for n in footnotes}
        self.href = href
        self.with_ref_ids = with_ref_ids
        self.prefix = prefix
        self.count = 0
        self.refs: dict[str, list[str]] = {}     # label -> ids of its markers, in page order

    def __call__(self, label: str) -> Markup:
        self.count += 1
        tip = f"{self.prefix}tip{self.count}"
        note = self.notes.get(label)
        if note is not None and note.text:
            body = linkify(note.text, note.urls)
        elif note is not None and note.urls:
            body = linkify("", note.urls)
        else:
            body = Markup('<span class="muted">Note text not in the source extract.</span>')
        ref_attr = ""
        if self.with_ref_ids:
            ids = self.refs.setdefault(label, [])
            ref_id = f"ref-{note_anchor(label)[3:]}-{len(ids) + 1}"
            ids.append(ref_id)
            ref_attr = f' id="{ref_id}"'
        label_html = escape(label)
        # on a result page the note also links to itself in the article (a phone's first
        # tap opens this popup, app.js); the article page's marker is already that link
        open_link = "" if self.with_ref_ids else Markup(
            ' <a class="fnpop-open" href="{0}" lang="en">Note in the article →</a>'
        ).format(self.href(label))
        return Markup(
            f'<span class="fnref"><a class="fnlink" href="{escape(self.href(label))}"{ref_attr}'
            f' aria-describedby="{tip}"><sup>[{label_html}]</sup></a><span class="fnpop"'
            f' role="tooltip" id="{tip}"><span class="fnpop-label">{label_html}</span> {body}'
            f'{open_link}</span></span>')


def render_text(text: str, highlights: Iterable[tuple[int, int]] = (),
                notes: Iterable[NoteRef] = (), marker: Callable[[str], Markup] | None = None,
                start: int = 0, end: int | None = None) -> Markup:
    """`text[start:end]` escaped, with highlight spans in <mark> and footnote markers at
    their offsets (a marker at a highlight's end goes after the </mark>)."""
    end = len(text) if end is None else end
    spans = _merge([(max(a, start), min(b, end)) for a, b in highlights
                    if b > a and b > start and a < end])
    events: list[tuple[int, int, object]] = []      # (offset, order, payload)
    for a, b in spans:
        events.append((a, 2, "open"))
        events.append((b, 0, "close"))
    if marker is not None:
        for i, ref in enumerate(notes):
            if start <= ref.offset <= end:
                events.append((ref.offset, 1, ref.label))
    events.sort(key=lambda e: (e[0], e[1]))
    # plain strings joined once: every piece is escaped text, a tag or a marker's Markup
    out, pos, in_mark = [], start, False
    for offset, order, payload in events:
        out.append(escape(text[pos:offset]))
        pos = offset
        if payload == "open":
            out.append("<mark>")
            in_mark = True
        elif payload == "close":
            out.append("</mark>")
            in_mark = False
        else:
            if in_mark:
                out.append("</mark>")
            out.append(marker(payload))
            if in_mark:
                out.append("<mark>")
    out.append(escape(text[pos:end]))
    return Markup("".join(out))


def _merge(spans):
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [tuple(s) for s in merged]


def snippet_html(text: str, window: SnippetWindow, notes: Iterable[NoteRef] = (),
                 marker: Callable[[str], Markup] | None = None) -> Markup:
    """A hit's snippet window of `text`: marks in <mark>, footnote markers where they stood,
    and an ellipsis where the window cuts the passage."""
    body = render_text(text, window.marks, notes, marker, start=window.start, end=window.end)
    return Markup("…" if window.cut_before else "") + body + \
        Markup("…" if window.cut_after else "")
