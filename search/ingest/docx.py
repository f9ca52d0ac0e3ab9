"""`.docx`: a Word file -> one Article.

python-docx (MIT, maintained) opens the package and gives each paragraph with its style:
"Title" is the title, "Heading N" a section heading of level N, other paragraphs are
passages. Footnotes live in their own part (`word/footnotes.xml`), which python-docx does
not expose, so they are read from it with lxml: each `w:footnoteReference` in the text
becomes a note reference at its place, numbered as Word prints them (in order of first
reference). Title, author and date fall back to the file's core properties.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import IngestError
from ..model import Footnote, NoteRef
from .blocks import Block, build_article

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parse_docx(data: bytes, path: Path, slug: str, source: str):
    import docx

    if not data.startswith(b"PK"):
        raise IngestError(path, "not a Word .docx file (not a zip package); save it as "
                                ".docx from Word, or as .txt")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:      # noqa: BLE001 - a damaged or foreign zip
        raise IngestError(path, f"unreadable .docx ({type(err).__name__}: {err})") from None
    bodies = _footnote_bodies(document)
    numbers: dict[str, str] = {}           # footnote id -> printed number
    blocks: list[Block] = []
    title = ""
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        refs: list[NoteRef] = []
        text = _text(paragraph._p, refs, numbers)
        if not text.strip():
            continue
        heading = re.match(r"Heading (\d)", style)
        if style == "Title" and not title:
            title = text
        elif heading:
            blocks.append(Block("heading", text, int(heading.group(1))))
        else:
            blocks.append(Block("para", text, refs=refs))
    notes = [Footnote(label=number, text=bodies.get(fid, "")) for fid, number in
             sorted(numbers.items(), key=lambda item: int(item[1]))]
    props = document.core_properties
    date = props.created.date().isoformat() if props.created else ""
    return build_article(path, slug, source, blocks, notes, title=title or props.title or "",
                         authors=[a.strip() for a in (props.author or "").split(";")
                                  if a.strip()], date=date)


def _text(p, refs: list[NoteRef], numbers: dict[str, str]) -> str:
    out: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}footnoteReference"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}footnoteReference":
            fid = node.get(f"{W}id")
            number = numbers.setdefault(fid, str(len(numbers) + 1))
            refs.append(NoteRef(number, len("".join(out))))
        else:
            out.append(" ")
    return "".join(out)


def _footnote_bodies(document) -> dict[str, str]:
    from lxml import etree

    part = next((p for p in document.part.package.parts
                 if str(p.partname) == "/word/footnotes.xml"), None)
    if part is None:
        return {}
    root = etree.fromstring(part.blob)
    bodies = {}
    for note in root.iter(f"{W}footnote"):
        texts = ["".join(t.text or "" for t in para.iter(f"{W}t"))
                 for para in note.iter(f"{W}p")]
        text = " ".join(t.strip() for t in texts if t.strip())
        if text:
            bodies[note.get(f"{W}id")] = text
    return bodies
