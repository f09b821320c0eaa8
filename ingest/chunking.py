"""Documents -> chunks: heading-aware sections, then passages of a few hundred tokens.

Sections come from llama-index's MarkdownNodeParser (a chunk never spans two headings);
long sections are split by its SentenceSplitter, measured in the embedding model's own
tokens so no chunk is cut off by the model's length cap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core import Document
from llama_index.core.node_parser import MarkdownNodeParser, SentenceSplitter

from ingest.document import ReadDocument
from ingest.frontmatter import access_level
from kbcore.schema import EXTRA_PREFIX, REFERENCE_TYPE, Chunk, MetadataValue, chunk_id
from kbcore.settings import ACCESS_LEVELS

DOC_TYPES = ("strategi", "workshop", "beslut", "aktor", REFERENCE_TYPE, "ovrigt")

CHUNKER_VERSION = 1
"""Raised when the chunks made of unchanged text change (their bounds, heading path or
metadata), so that an index built by an older chunker is chunked again at the next ingest:
the version is part of a document's hash (``ingest.sync``), as ``readers.READER_VERSIONS`` is
for the readers. Before it, only a document's bytes and the chunk sizes were: the haystack
evaluation index kept the corpus's chunks from an older ingest until its paths changed
(evals/README.md, 2026-12-03). 1: the first versioned chunker; an older index is chunked
again once."""


@dataclass(frozen=True)
class DocumentIdentity:
    doc_id: str
    doc_hash: str
    source_root: str
    path: str  # the file as the user named it when ingesting


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    page: int | None


def _scalar(value: Any) -> MetadataValue | None:
    """Front-matter values as Chroma can store them (dates as ISO strings, lists joined)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return "; ".join(str(item) for item in value)
    return None


def document_metadata(
    read: ReadDocument, identity: DocumentIdentity, default_access: str, fallback_title: str
) -> dict[str, MetadataValue]:
    """Metadata every chunk of the document carries (front matter keys already canonical);
    raises ReadError for an access level that cannot be read, since indexing a restricted
    file at the wrong level would leak it."""
    front = read.front_matter
    access = access_level(front.get("access"), default_access)
    doc_type = str(front.get("type") or "ovrigt").strip().lower()
    if doc_type not in DOC_TYPES:
        read.notices.append(f"okänd typ '{doc_type}', sparas som 'ovrigt'")
        doc_type = "ovrigt"
    metadata: dict[str, MetadataValue] = {
        "doc_id": identity.doc_id,
        "doc_hash": identity.doc_hash,
        "source_root": identity.source_root,
        "path": identity.path,
        "title": str(front.get("title") or fallback_title),
        "access": access,
        "access_rank": ACCESS_LEVELS.index(access),
        "doc_type": doc_type,
        "date": str(_scalar(front.get("date")) or ""),
        "owner": str(_scalar(front.get("owner")) or ""),
    }
    for key, value in front.items():
        if key in ("title", "access", "type", "date", "owner"):
            continue
        scalar = _scalar(value)
        if scalar is not None and scalar != "":
            metadata[f"{EXTRA_PREFIX}{key}"] = scalar
    return metadata


# joins the heading path inside llama-index; a character no heading contains ('Mål 2025/2026')
_PATH_SEPARATOR = "\x1f"


def _heading_sections(text: str) -> list[Section]:
    nodes = MarkdownNodeParser(header_path_separator=_PATH_SEPARATOR).get_nodes_from_documents(
        [Document(text=text)]
    )
    sections: list[Section] = []
    for node in nodes:
        lines = node.get_content().strip().splitlines()
        own_heading = ""
        if lines and lines[0].lstrip().startswith("#"):
            own_heading = lines[0].lstrip("# ").strip()
            lines = lines[1:]
        body = "\n".join(lines).strip()
        if not body:
            continue  # a heading with no text of its own
        parents = [part for part in str(node.metadata.get("header_path", "")).split(_PATH_SEPARATOR) if part]
        sections.append(Section(" › ".join([*parents, own_heading] if own_heading else parents), body, None))
    return sections


def first_heading(read: ReadDocument) -> str:
    for line in read.pages[0].text.splitlines() if read.has_headings else []:
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def split_sections(read: ReadDocument) -> list[Section]:
    if read.has_headings:
        return _heading_sections(read.pages[0].text)
    return [Section("", page.text.strip(), page.number) for page in read.pages if page.text.strip()]


_TABLE_ROW = re.compile(r"^\s*\|")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _blocks(text: str) -> list[tuple[bool, str | list[str]]]:
    """A section's text as (is_table, block) in order: prose as one string, each Markdown
    table as its lines."""
    blocks: list[tuple[bool, str | list[str]]] = []
    prose: list[str] = []
    table: list[str] = []
    for line in text.splitlines():
        if _TABLE_ROW.match(line):
            if prose and "\n".join(prose).strip():
                blocks.append((False, "\n".join(prose).strip()))
            prose = []
            table.append(line.strip())
        else:
            if table:
                blocks.append((True, table))
            table = []
            prose.append(line)
    if table:
        blocks.append((True, table))
    if "\n".join(prose).strip():
        blocks.append((False, "\n".join(prose).strip()))
    return blocks


def _without_title(heading: str, *titles: str) -> str:
    """The heading path below the document's own title (which every chunk carries anyway)."""
    parts = heading.split(" › ") if heading else []
    while parts and parts[0] in titles:
        parts = parts[1:]
    return " › ".join(parts)


class Chunker:
    """Turns a read document into chunks with stable ids and full metadata."""

    def __init__(self, chunk_tokens: int, overlap_tokens: int, tokenizer: Callable[[str], list]) -> None:
        self._splitter = SentenceSplitter(
            chunk_size=chunk_tokens, chunk_overlap=overlap_tokens, tokenizer=tokenizer
        )
        self._chunk_tokens = chunk_tokens
        self._tokenizer = tokenizer

    def split(self, text: str) -> list[str]:
        """Passages of a section: prose by sentences, Markdown tables by whole rows, each
        table passage starting with the table's header row (and its '|---|' line)."""
        passages: list[str] = []
        for is_table, block in _blocks(text):
            passages += self._table_passages(block) if is_table else self._splitter.split_text(block)
        return passages

    def _table_passages(self, lines: list[str]) -> list[str]:
        """Rows packed into passages of at most ``chunk_tokens`` tokens (a longer row alone);
        a row is never cut."""
        has_header = len(lines) > 1 and _TABLE_RULE.match(lines[1]) is not None
        header = lines[:2] if has_header else []
        rows = lines[2:] if has_header else lines
        budget = self._chunk_tokens - len(self._tokenizer("\n".join(header)))
        passages: list[str] = []
        current: list[str] = []
        used = 0
        for row in rows:
            size = len(self._tokenizer(row)) + 1
            if current and used + size > budget:
                passages.append("\n".join(header + current))
                current, used = [], 0
            current.append(row)
            used += size
        if current or header:
            passages.append("\n".join(header + current))
        return passages

    def chunk(self, read: ReadDocument, identity: DocumentIdentity, default_access: str) -> list[Chunk]:
        h1 = first_heading(read)
        base = document_metadata(
            read, identity, default_access, h1 or Path(identity.path).stem.replace("_", " ")
        )
        chunks: list[Chunk] = []
        for section in split_sections(read):
            heading = _without_title(section.heading, str(base["title"]), h1)
            for text in self.split(section.text):
                metadata = dict(base)
                metadata.update(
                    heading=heading,
                    page=section.page or 0,
                    chunk_index=len(chunks),
                )
                chunks.append(
                    Chunk(chunk_id(identity.doc_id, identity.doc_hash, len(chunks)), text, metadata)
                )
        return chunks
