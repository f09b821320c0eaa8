"""What every reader returns: the shared types of ``ingest.readers`` and the format readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ReadError(Exception):
    """The file cannot be indexed at all; the message says why, in Swedish."""


@dataclass
class Page:
    """Text of one page (paged formats, ``number`` 1-based) or of the whole file (``None``)."""

    text: str
    number: int | None = None


@dataclass
class ReadDocument:
    """A file as read: its pages, its front matter (canonical English keys, see
    ``ingest.frontmatter``) and notices about what was read specially or left out, one
    Swedish line each, shown per file in the ingest report."""

    pages: list[Page]
    front_matter: dict[str, Any] = field(default_factory=dict)
    has_headings: bool = False  # Markdown-style '#' headings mark the sections
    notices: list[str] = field(default_factory=list)
