"""`.html`/`.htm`: a saved article page -> one Article.

trafilatura (Apache-2.0, maintained, the best-scored main-text extractor in its own and
independent evaluations) finds the article in the page: navigation, menus, sidebars,
comments and footers are dropped; title, author, date and site name come from the page's
metadata (`<meta>`, Open Graph, JSON-LD). Its XML output keeps the structure: headings
become sections, paragraphs passages, and each link a note (its URL in `Footnote.urls`,
the reference right after the linked words), so a passage can point to its sources.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import IngestError
from ..model import Footnote, NoteRef
from .blocks import Block, build_article


def parse_html(data: bytes, path: Path, slug: str, source: str):
    import logging
    import warnings

    import trafilatura
    from lxml import etree

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL + 1)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL + 1)
    if not data.strip():
        raise IngestError(path, "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(path, "binary file, not HTML (contains NUL bytes)")
    try:
        with warnings.catch_warnings():          # only defsearch: lines reach stderr
            warnings.simplefilter("ignore")
            xml = trafilatura.extract(data, output_format="xml", include_links=True,
                                      with_metadata=True, include_comments=False,
                                      include_tables=True, favor_precision=True)
    except Exception as err:       # noqa: BLE001 - a page lxml cannot parse at all
        raise IngestError(path, f"unreadable HTML ({type(err).__name__})") from None
    if not xml:
        raise IngestError(path, "no article text found in the page (only navigation or "
                                "boilerplate?)")
    doc = etree.fromstring(xml.encode("utf-8"))
    blocks: list[Block] = []
    notes: list[Footnote] = []
    main = doc.find("main")
    for el in (main if main is not None else []):
        if el.tag == "head":
            level = int((el.get("rend") or "h2").lstrip("h") or 2)
            blocks.append(Block("heading", _text(el, None, None), level))
        elif el.tag in ("p", "quote", "list", "table"):
            refs: list[NoteRef] = []
            text = _text(el, refs, notes)
            blocks.append(Block("para", text, refs=refs))
    if not any(b.kind == "para" and b.text.strip() for b in blocks):
        raise IngestError(path, "no article text found in the page (only navigation or "
                                "boilerplate?)")
    return build_article(path, slug, source, blocks, notes, title=doc.get("title") or "",
                         authors=_authors(doc.get("author") or _meta_author(data)),
                         date=doc.get("date") or "", venue=doc.get("sitename") or "",
                         url=doc.get("url") or "")


def _text(el, refs, notes) -> str:
    """The element's text; each <ref target=URL> adds a note (label 1, 2, ...) whose
    reference stands right after the linked words."""
    out: list[str] = []

    def walk(node):
        if node.text:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tag == "ref" and refs is not None and child.get("target", "").startswith(
                    ("http://", "https://")):
                url = child.get("target")
                note = next((n for n in notes if n.urls == [url]), None)
                if note is None:
                    note = Footnote(label=str(len(notes) + 1), text=url, urls=[url])
                    notes.append(note)
                refs.append(NoteRef(note.label, len("".join(out))))
            elif child.tag in ("item", "row", "lb"):
                out.append(" ")
            if child.tail:
                out.append(child.tail)
    walk(el)
    return "".join(out)


def _meta_author(data: bytes) -> str:
    """`<meta name="author">`, which trafilatura skips when the page has Open Graph tags."""
    import lxml.html

    try:
        found = lxml.html.fromstring(data).xpath('//meta[@name="author"]/@content')
    except Exception:           # noqa: BLE001 - only a fallback
        return ""
    return found[0].strip() if found else ""


def _authors(text: str) -> list[str]:
    return [a.strip() for a in text.replace("；", ";").split(";") if a.strip()]
