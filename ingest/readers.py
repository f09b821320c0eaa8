"""Files -> documents: a reader per file suffix, each returning text per page or per file.

Each reader either returns a ``ReadDocument`` (with notices about parts it read specially
or left out) or raises ``ReadError`` with one clear line that names the problem; the caller
names the file. All text leaves here in NFC without soft hyphens (``kbcore.text``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ingest.document import Page, ReadDocument, ReadError
from ingest.frontmatter import canonical_front_matter
from ingest.pdf import read_pdf
from ingest.word import read_docx
from kbcore.text import normalize_text

__all__ = ["SUPPORTED_SUFFIXES", "Page", "ReadDocument", "ReadError", "read_file"]

# byte-order marks, longest first: UTF-32 LE starts with the UTF-16 LE mark
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text of a file: by its byte-order mark (UTF-8/16/32), else UTF-8, else Windows-1252
    for older Swedish files (with a notice). Raises ReadError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError as error:
                raise ReadError(f"ogiltig {encoding.upper()} vid byte {error.start + len(bom)}") from None
    if b"\x00" in data[:8192]:
        raise ReadError("binärfil, inte text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ReadError(f"ogiltig UTF-8 vid byte {error.start}") from None
        return text, [f"inte giltig UTF-8 (byte {error.start}); lästes som Windows-1252"]


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, list[str]]:
    """YAML front matter between '---' lines (keys made canonical, see
    ``ingest.frontmatter``), the body after it, and notices about the front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, []
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        raise ReadError(f"trasig front matter (YAML): {first_line}") from None
    if not isinstance(meta, dict):
        raise ReadError("front matter är inte en lista av fält (nyckel: värde)")
    front, notices = canonical_front_matter(meta)
    return front, text[match.end() :], notices


def _text_reader(has_headings: bool) -> Callable[[bytes, dict[str, Any]], ReadDocument]:
    def read(data: bytes, options: dict[str, Any]) -> ReadDocument:
        """Markdown (headings mark sections) or plain text, each with optional front matter."""
        text, notices = decode_text(data)
        meta, body, front_notices = split_front_matter(normalize_text(text))
        return ReadDocument([Page(body)], meta, has_headings=has_headings, notices=notices + front_notices)

    return read


# suffix -> reader(data, pdf_options)
READERS: dict[str, Callable[[bytes, dict[str, Any]], ReadDocument]] = {
    ".md": _text_reader(has_headings=True),
    ".markdown": _text_reader(has_headings=True),
    ".txt": _text_reader(has_headings=False),
    ".pdf": lambda data, options: read_pdf(data, **options),
    ".docx": lambda data, options: read_docx(data),
}
SUPPORTED_SUFFIXES = tuple(READERS)

READER_VERSIONS: dict[str, int] = {".md": 2, ".markdown": 2, ".pdf": 2, ".docx": 2}
"""Raised when a reader's output changes, so that files read the old way are read again at the
next ingest (the version is part of a document's hash). 2: PDF layout, DOCX in order, tables by
rows, Unicode forms (issue 13). Plain text is unchanged (its indexes stay valid)."""


def too_large(size: int, max_bytes: int) -> str:
    return f"för stor ({size / 1e6:.0f} MB, gränsen är {max_bytes / 1e6:.0f} MB; ändra ASSISTANT_MAX_FILE_MB)"


def read_file(
    path: Path, *, max_bytes: int, pdf_options: dict[str, Any], data: bytes | None = None
) -> ReadDocument:
    """Read one file of a supported format (by suffix, see READERS); raise ReadError when
    nothing can be used. ``data`` is the file's content when the caller has already read
    it; ``pdf_options`` are ``read_pdf``'s keyword arguments (cache_dir, ocr_enabled, ...)."""
    size = len(data) if data is not None else path.stat().st_size
    if size == 0:
        raise ReadError("tom fil")
    if size > max_bytes:
        raise ReadError(too_large(size, max_bytes))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ReadError(f"filtypen {path.suffix.lower() or '(ingen)'} stöds inte")
    read = reader(path.read_bytes() if data is None else data, pdf_options)
    for page in read.pages:
        page.text = normalize_text(page.text)
    return read
