"""What a chunk is, shared by the writer (ingest) and the readers (assistant) of the index."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

MetadataValue = str | int | float | bool

# Scalar front-matter fields beyond title/type/date/access/owner are kept as chunk metadata
# with this prefix, so a field such as "path" cannot shadow the chunk's own metadata.
EXTRA_PREFIX = "fm_"

# The document type (front matter ``type: referens``) of reference material: what the
# knowledge base holds beside the platform's own documents (``FusionSettings.reference_prior``).
REFERENCE_TYPE = "referens"


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage: its text exactly as in the source, and where it came from."""

    chunk_id: str
    text: str
    metadata: dict[str, MetadataValue] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))

    @property
    def search_text(self) -> str:
        return search_text(self.text, self.metadata)


def search_text(text: str, metadata: dict[str, MetadataValue]) -> str:
    """The text both channels index: heading context first, so a chunk deep in a section
    still matches words of its title and heading."""
    context = " › ".join(str(part) for part in (metadata.get("title"), metadata.get("heading")) if part)
    return f"{context}\n{text}" if context else text


def file_name(path: MetadataValue | None) -> str:
    """The file name at the end of a stored path (a chunk's ``path`` or a record's
    ``fm_source``): "corpus/aktorer/lansstyrelsen.md" -> "lansstyrelsen.md"; "" for none."""
    return str(path or "").replace("\\", "/").rsplit("/", 1)[-1]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chunk_id(doc_id: str, doc_hash: str, position: int) -> str:
    """Stable while the document is unchanged; a new version gets new ids, so it can be
    written completely before the old version is deleted."""
    return f"{doc_id}::{doc_hash[:16]}::{position:05d}"
