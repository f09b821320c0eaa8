"""DOCX -> one Markdown-like page: paragraphs and tables in document order, as a reader sees them.

Read with python-docx: Word headings become '#' headings, each table a Markdown table under
the heading it stands under (a merged cell once per row), text boxes where they are anchored.
Headers and footers, footnotes, endnotes and comments are read as their own marked sections
at the end. Text a reader cannot see (hidden runs, text coloured like its background) is not
indexed; the notices say how much was left out and which parts were read specially.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ingest.document import Page, ReadDocument, ReadError

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_BACKGROUND = "FFFFFF"  # a page without a background colour is white


def read_docx(data: bytes) -> ReadDocument:
    """Read a DOCX file (bytes) into one page of Markdown-like text with '#' headings and
    Markdown tables. Raises ReadError when the file is not a readable DOCX package."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError("inte en giltig DOCX-fil (inget zip-arkiv)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ReadError(f"DOCX-filen kunde inte öppnas: {error}") from None
    reader = _DocxText(document)
    blocks = [reader.block(block) for block in _body_blocks(document.element.body, document)]
    blocks += reader.extra_sections(document)
    meta: dict[str, Any] = {}
    if document.core_properties.title:
        meta["title"] = document.core_properties.title
    text = "\n\n".join(block for block in blocks if block)
    return ReadDocument([Page(text)], meta, has_headings=True, notices=reader.notices())


def _body_blocks(element: Any, parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, like python-docx's ``iter_inner_content()``,
    but also inside block-level content controls (w:sdt), which it passes over."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_blocks(content, parent)


class _DocxText:
    """Text of paragraphs and tables without invisible runs, counting what it leaves out."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        background = document.element.find(qn("w:background"))
        colour = background.get(qn("w:color")) if background is not None else None
        self._background = (colour or _BACKGROUND).upper()
        self.hidden_chars = 0
        self.background_chars = 0
        self.text_boxes = 0
        self.sections: list[str] = []

    def block(self, block: Any) -> str:
        from docx.table import Table

        if isinstance(block, Table):
            return self.table(block)
        text = self.paragraph(block)
        if not text:
            return ""
        style = block.style.name if block.style is not None else ""
        level = _HEADING_STYLE.match(style)
        if level:
            return f"{'#' * int(level.group(1))} {text}"
        if style.lower() == "title":
            return f"# {text}"
        return text + self._text_boxes(block)

    def paragraph(self, paragraph: Any) -> str:
        """The visible text of a paragraph (runs inside hyperlinks included), one line."""
        from docx.oxml.ns import qn
        from docx.text.run import Run

        shading = _fill(paragraph._p.find(qn("w:pPr")))
        parts = []
        for element in paragraph._p.iter(qn("w:r")):
            if _inside_text_box(element, paragraph._p):
                continue
            run = Run(element, paragraph)
            text = run.text
            if _is_hidden(run):
                self.hidden_chars += len(text.strip())
            elif self._same_as_background(run, shading):
                self.background_chars += len(text.strip())
            else:
                parts.append(text)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def _same_as_background(self, run: Any, paragraph_fill: str | None) -> bool:
        from docx.oxml.ns import qn

        colour = run.font.color.rgb if run.font.color is not None and run.font.color.type else None
        if colour is None:
            return False
        fill = _fill(run._r.find(qn("w:rPr"))) or paragraph_fill or self._background
        return str(colour).upper() == fill

    def _text_boxes(self, paragraph: Any) -> str:
        """Text boxes anchored in the paragraph, each as a marked line after it (the VML
        fallback copy Word writes of each box is not read twice)."""
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        boxes = []
        for content in paragraph._p.iter(qn("w:txbxContent")):
            if any(ancestor.tag.endswith("}Fallback") for ancestor in content.iterancestors()):
                continue
            text = " ".join(
                filter(None, (self.paragraph(Paragraph(p, paragraph)) for p in content.iter(qn("w:p"))))
            )
            if text:
                self.text_boxes += 1
                boxes.append(f"\n\n(Textruta) {text}")
        return "".join(boxes)

    def table(self, table: Any) -> str:
        """A Markdown table, the first row as its header; a cell merged across columns once."""
        rows = []
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                text = " ".join(filter(None, (self.paragraph(p) for p in cell.paragraphs)))
                cells.append(text.replace("|", "\\|"))
            if any(cells):
                rows.append(cells)
        if not rows:
            return ""
        width = max(len(cells) for cells in rows)
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows[1:]]
        return "\n".join(lines)

    def extra_sections(self, document: Any) -> list[str]:
        """Headers and footers, footnotes, endnotes and comments as marked sections."""
        from docx.text.paragraph import Paragraph

        blocks = []
        margins: list[str] = []
        for section in document.sections:
            for part in (section.header, section.footer):
                if part.is_linked_to_previous:
                    continue
                for paragraph in part.paragraphs:
                    text = self.paragraph(paragraph)
                    if text and text not in margins:
                        margins.append(text)
        if margins:
            blocks.append("# Sidhuvud och sidfot\n\n" + "\n\n".join(margins))
            self.sections.append("sidhuvud/sidfot")
        for partname, heading, tag in (
            ("/word/footnotes.xml", "Fotnoter", "footnote"),
            ("/word/endnotes.xml", "Slutnoter", "endnote"),
            ("/word/comments.xml", "Kommentarer", "comment"),
        ):
            notes = []
            for note in _part_elements(document, partname, tag):
                if note.get(_w("type")) in ("separator", "continuationSeparator"):
                    continue
                text = " ".join(
                    filter(None, (self.paragraph(Paragraph(p, document)) for p in note.iter(_w("p"))))
                )
                if text:
                    notes.append(text)
            if notes:
                blocks.append(f"# {heading}\n\n" + "\n\n".join(notes))
                self.sections.append(f"{len(notes)} {heading.lower()}")
        return blocks

    def notices(self) -> list[str]:
        notices = []
        if self.sections or self.text_boxes:
            read = self.sections + ([f"{self.text_boxes} textrutor"] if self.text_boxes else [])
            notices.append("lästes som egna avsnitt: " + ", ".join(read))
        if self.hidden_chars:
            notices.append(f"{self.hidden_chars} tecken dold text (formatet Dold) indexerades inte")
        if self.background_chars:
            notices.append(f"{self.background_chars} tecken text i bakgrundens färg indexerades inte")
        return notices


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _part_elements(document: Any, partname: str, tag: str) -> list[Any]:
    """The ``w:<tag>`` elements of a package part (footnotes, endnotes, comments), if any."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if part.partname == partname:
            return list(etree.fromstring(part.blob).iter(_w(tag)))
    return []


def _inside_text_box(run: Any, paragraph: Any) -> bool:
    for ancestor in run.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == _w("txbxContent"):
            return True
    return False


def _is_hidden(run: Any) -> bool:
    if run.font.hidden:
        return True
    style = run.style
    return bool(style is not None and style.font.hidden)


def _fill(properties: Any) -> str | None:
    """The shading fill colour of run or paragraph properties ('FFFF00'), if set."""
    if properties is None:
        return None
    shading = properties.find(_w("shd"))
    fill = shading.get(_w("fill")) if shading is not None else None
    return fill.upper() if fill and fill.lower() != "auto" else None
