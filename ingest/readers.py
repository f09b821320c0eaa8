"""Files -> documents: text per page or per file, plus the front matter.

One reader per format; each either returns a ``ReadDocument`` (possibly with notices
about parts it could not read) or raises ``ReadError`` with one clear line that names
the problem. The caller names the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")


class ReadError(Exception):
    """The file cannot be indexed at all; the message says why, in Swedish."""


@dataclass
class Page:
    text: str
    number: int | None = None  # 1-based page number for paged formats


@dataclass
class ReadDocument:
    pages: list[Page]
    front_matter: dict[str, Any] = field(default_factory=dict)
    has_headings: bool = False  # Markdown-style '#' headings mark the sections
    notices: list[str] = field(default_factory=list)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 text, or Windows-1252 for older Swedish files, with a notice when so."""
    if b"\x00" in data[:8192]:
        raise ReadError("binärfil, inte text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ReadError(f"ogiltig UTF-8 vid byte {error.start}") from None
        return text, [f"inte giltig UTF-8 (byte {error.start}); lästes som Windows-1252"]


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between '---' lines, and the body after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise ReadError(f"trasig front matter (YAML): {first_line}") from None
    if not isinstance(meta, dict):
        raise ReadError("front matter är inte en lista av fält (nyckel: värde)")
    return meta, text[match.end() :]


def read_text(data: bytes, *, has_headings: bool) -> ReadDocument:
    """Markdown (headings mark sections) or plain text, each with optional front matter."""
    text, notices = decode_text(data)
    meta, body = split_front_matter(text)
    return ReadDocument([Page(body)], meta, has_headings=has_headings, notices=notices)


_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes) -> ReadDocument:
    """Paragraphs in order, Word headings turned into Markdown headings, tables as rows."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError("inte en giltig DOCX-fil (inget zip-arkiv)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ReadError(f"DOCX-filen kunde inte öppnas: {error}") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        level = _HEADING_STYLE.match(paragraph.style.name if paragraph.style else "")
        if level:
            lines.append(f"\n{'#' * int(level.group(1))} {text}\n")
        elif paragraph.style and paragraph.style.name.lower() == "title":
            lines.append(f"\n# {text}\n")
        else:
            lines.append(text + "\n")
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            lines.append(" | ".join(cell for cell in cells if cell) + "\n")
    meta: dict[str, Any] = {}
    title = document.core_properties.title
    if title:
        meta["title"] = title
    return ReadDocument([Page("\n".join(lines))], meta, has_headings=True)


def too_large(size: int, max_bytes: int) -> str:
    return f"för stor ({size / 1e6:.0f} MB, gränsen är {max_bytes / 1e6:.0f} MB; ändra ASSISTANT_MAX_FILE_MB)"


def read_file(
    path: Path, *, max_bytes: int, pdf_options: dict[str, Any], data: bytes | None = None
) -> ReadDocument:
    """Read one file of a supported format; raise ReadError when nothing can be used.
    ``data`` is the file's content when the caller has already read it."""
    size = len(data) if data is not None else path.stat().st_size
    if size == 0:
        raise ReadError("tom fil")
    if size > max_bytes:
        raise ReadError(too_large(size, max_bytes))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"filtypen {suffix or '(ingen)'} stöds inte")
    data = path.read_bytes() if data is None else data
    if suffix == ".pdf":
        from ingest.pdf import read_pdf

        return read_pdf(data, **pdf_options)
    if suffix == ".docx":
        return read_docx(data)
    return read_text(data, has_headings=suffix in (".md", ".markdown"))
