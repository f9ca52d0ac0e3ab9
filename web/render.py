"""Turning stored text into safe HTML: highlights, footnote markers, script conversion.

Every string from the corpus or the query is escaped here or by Jinja; the only HTML we
trust from elsewhere is the engine's snippet (escaped text plus <mark> tags).
"""
from __future__ import annotations

import html
import re
import threading
from functools import lru_cache
from typing import Callable, Iterable

from markupsafe import Markup, escape

from search.model import Footnote, NoteRef

SCRIPTS = ("orig", "hant", "hans")          # as stored / Traditional / Simplified
SCRIPT_LANG = {"hant": "zh-Hant", "hans": "zh-Hans"}
_OPENCC_CONFIG = {"hant": "s2t", "hans": "t2s"}
_opencc_lock = threading.Lock()


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc
    return opencc.OpenCC(config)


def convert(text, script: str):
    """`text` in the chosen script; Markup stays Markup (OpenCC never emits <, >, & or
    quotes, and leaves ASCII - tags, entities, URLs - untouched)."""
    if script not in _OPENCC_CONFIG or not text:
        return text
    with _opencc_lock:                      # building the dictionaries once, not per thread
        conv = _converter(_OPENCC_CONFIG[script])
    out = conv.convert(str(text))
    return Markup(out) if isinstance(text, Markup) else out


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
        ref_attr = Markup("")
        if self.with_ref_ids:
            ids = self.refs.setdefault(label, [])
            ref_id = f"ref-{note_anchor(label)[3:]}-{len(ids) + 1}"
            ids.append(ref_id)
            ref_attr = Markup(' id="{}"').format(ref_id)
        return Markup(
            '<span class="fnref"><a class="fnlink" href="{href}"{ref} aria-describedby="{tip}">'
            '<sup>[{label}]</sup></a><span class="fnpop" role="tooltip" id="{tip}">'
            '<span class="fnpop-label">{label}</span> {body}</span></span>'
        ).format(href=self.href(label), ref=ref_attr, tip=tip, label=label, body=body)


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
    out, pos, in_mark = [], start, False
    for offset, order, payload in events:
        out.append(escape(text[pos:offset]))
        pos = offset
        if payload == "open":
            out.append(Markup("<mark>"))
            in_mark = True
        elif payload == "close":
            out.append(Markup("</mark>"))
            in_mark = False
        else:
            if in_mark:
                out.append(Markup("</mark>"))
            out.append(marker(payload))
            if in_mark:
                out.append(Markup("<mark>"))
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


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


_TOKEN_RE = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|.", re.S)
_ELLIPSES = ("…", "...", "⋯")


def snippet_with_markers(snippet: str, text: str, notes: Iterable[NoteRef],
                         marker: Callable[[str], Markup]) -> Markup:
    """The engine's snippet (trusted HTML: escaped text + <mark>) with footnote markers
    inserted where they stood, when the snippet can be located in the passage text."""
    snippet_html = Markup(snippet)
    notes = list(notes)
    if not notes:
        return snippet_html
    plain = html.unescape(re.sub(r"<[^>]*>", "", snippet))
    core, lead = plain, 0
    for e in _ELLIPSES:
        if core.startswith(e):
            core, lead = core[len(e):], lead + len(e)
        if core.endswith(e):
            core = core[: -len(e)]
    core_stripped = core.strip()
    lead += len(core) - len(core.lstrip())
    base = text.find(core_stripped) if core_stripped else -1
    if base < 0:
        return snippet_html
    # plain-text position (in `text`) -> labels of markers to insert there
    wanted: dict[int, list[str]] = {}
    for ref in notes:
        if base <= ref.offset <= base + len(core_stripped):
            wanted.setdefault(ref.offset, []).append(ref.label)
    if not wanted:
        return snippet_html
    out, plain_pos = [], -lead       # position in `text`, relative to base
    pending_close = False
    for tok in _TOKEN_RE.findall(snippet):
        if tok.startswith("<"):
            out.append(tok)
            continue
        here = base + plain_pos
        if plain_pos >= 0 and here in wanted:
            for label in wanted.pop(here):
                out.append(str(marker(label)))
        out.append(tok)
        plain_pos += 1
    here = base + plain_pos
    # markers at the very end of the located text (before a trailing ellipsis or tag)
    for offset in sorted(wanted):
        for label in wanted[offset]:
            out.append(str(marker(label)))
    return Markup("".join(out))
