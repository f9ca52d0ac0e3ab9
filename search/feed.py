"""A saved search as an Atom feed (RFC 4287): its matching passages, newest first by when
their article entered the index.

A feed reader keeps the entries it has seen by id and shows only new ones, so an entry's
id is the passage's (stable while its file keeps its path) and its `updated` is when the
article's current content entered the index (`FileEntry.added`): an update that adds a
matching article adds entries with new ids and a later time, and leaves the others as they
were. The feed lists at most `FEED_ENTRIES` passages, taken from the search's best
`FEED_DEPTH` by ranking.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

from search.model import Hit

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
FEED_DEPTH = 1000
SUMMARY_CHARS = 600
EPOCH = "1970-01-01T00:00:00Z"


@dataclass
class FeedEntry:
    hit: Hit
    added: str          # when its article entered the index (ISO UTC)
    link: str           # absolute URL of the passage


def entry_id(passage_id: str) -> str:
    return f"tag:defsearch,2026:passage/{quote(passage_id, safe='')}"


def newest_first(hits: list[Hit], added: dict[str, str], limit: int = FEED_ENTRIES) -> list[Hit]:
    """Hits ordered by their article's time in the index, newest first (then by rank)."""
    ranked = list(enumerate(hits))
    ranked.sort(key=lambda x: (added.get(x[1].article_id) or EPOCH, -x[0]), reverse=True)
    return [hit for _, hit in ranked[:limit]]


def atom(title: str, feed_id: str, self_url: str, html_url: str,
         entries: list[FeedEntry], fallback_updated: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", feed_id)
    updated = max([e.added for e in entries if e.added] or [fallback_updated or EPOCH])
    _text(feed, "updated", updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=html_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "defsearch")
    _text(feed, "generator", "defsearch")
    for e in entries:
        hit = e.hit
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        heading = hit.title or hit.article_id
        if hit.section:
            heading += " › " + hit.section
        _text(entry, "title", heading)
        _text(entry, "id", entry_id(hit.passage_id))
        _text(entry, "updated", e.added or fallback_updated or EPOCH)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=e.link)
        summary = hit.text if len(hit.text) <= SUMMARY_CHARS else \
            hit.text[:SUMMARY_CHARS] + "…"
        node = _text(entry, "summary", summary)
        node.set("type", "text")
        if hit.lang:
            node.set("{http://www.w3.org/XML/1998/namespace}lang", hit.lang)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent, name: str, value: str):
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    node.text = value
    return node
