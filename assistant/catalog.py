"""What the index holds, per document: the document list, the decision register, the actors
and their mandates, and a document's full text for the viewer. All of it is read from the
indexed chunks (front matter included), so it follows the corpus and the asker's access level.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from assistant.versions import find_versions
from kbcore.schema import EXTRA_PREFIX, Chunk

NOT_STATED = "Framgår inte av materialet."


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    doc_type: str
    date: str
    access: str
    access_rank: int
    path: str
    chunks: tuple[Chunk, ...]

    def field(self, name: str) -> str:
        """A front-matter field of the document, "" when it has none."""
        return str(self.chunks[0].metadata.get(f"{EXTRA_PREFIX}{name}", "")).strip()


DECISION_COLUMNS = ("Beslut", "När", "Beslutat av", "Förbereds av", "Status", "Källa")
ACTOR_COLUMNS = ("Aktör", "Slag", "Person", "Roll", "Mandat", "Kontakt", "Källa")
DOCUMENT_COLUMNS = ("Dokument", "Titel", "Typ", "Datum", "Åtkomst", "Chunkar", "Andra versioner")
# Share of the table's width per column: long free text gets room, short codes little.
COLUMN_WIDTHS = {
    DECISION_COLUMNS: ["30%", "14%", "13%", "19%", "8%", "16%"],
    ACTOR_COLUMNS: ["14%", "8%", "11%", "17%", "26%", "10%", "14%"],
    DOCUMENT_COLUMNS: ["26%", "26%", "8%", "8%", "8%", "6%", "18%"],
}


class Catalog:
    def __init__(self, chunks: list[Chunk]) -> None:
        grouped: dict[str, list[Chunk]] = defaultdict(list)
        for chunk in chunks:
            grouped[chunk.doc_id].append(chunk)
        self._documents = {
            doc_id: _document(sorted(parts, key=lambda c: int(c.metadata.get("chunk_index", 0))))
            for doc_id, parts in grouped.items()
        }
        self._document_rows: dict[int, list[list[str | int]]] = {}

    def documents(self, max_rank: int) -> list[Document]:
        return sorted(
            (d for d in self._documents.values() if d.access_rank <= max_rank), key=lambda d: d.doc_id
        )

    def document(self, doc_id: str, max_rank: int) -> Document | None:
        """The document, or None when it does not exist or the asker may not read it."""
        document = self._documents.get(doc_id)
        return document if document is not None and document.access_rank <= max_rank else None

    def document_rows(self, max_rank: int) -> list[list[str | int]]:
        """One row per document readable at ``max_rank``; "Andra versioner" names the other
        readable documents that are versions of it (``versions.find_versions``: near-
        duplicate text, another year). Built once per rank: the catalog never changes, and
        the Dokument tab asks for the rows at every search."""
        if max_rank not in self._document_rows:
            documents = self.documents(max_rank)
            texts = {d.doc_id: (d.title, d.date, "\n".join(c.text for c in d.chunks)) for d in documents}
            versions = find_versions(texts)
            titles = {d.doc_id: d.title for d in documents}
            self._document_rows[max_rank] = [
                [
                    d.doc_id,
                    d.title,
                    d.doc_type,
                    d.date,
                    d.access,
                    len(d.chunks),
                    "; ".join(titles[other] for other in versions.get(d.doc_id, [])),
                ]  # fmt: skip
                for d in documents
            ]
        return [list(row) for row in self._document_rows[max_rank]]

    def decision_rows(self, max_rank: int) -> list[list[str]]:
        return [
            [
                d.field("decision") or d.title,
                d.field("when") or d.date or NOT_STATED,
                d.field("decided_by") or NOT_STATED,
                d.field("prepared_by") or NOT_STATED,
                d.field("status") or NOT_STATED,
                _source(d),
            ]
            for d in self.documents(max_rank)
            if d.doc_type == "beslut"
        ]

    def actor_rows(self, max_rank: int) -> list[list[str]]:
        return [
            [
                d.field("organisation") or d.title,
                d.field("actor_kind"),
                d.field("person"),
                d.field("role") or NOT_STATED,
                d.field("mandate") or NOT_STATED,
                d.field("contact") or NOT_STATED,
                _source(d),
            ]
            for d in self.documents(max_rank)
            if d.doc_type == "aktor"
        ]


def _document(chunks: list[Chunk]) -> Document:
    meta = chunks[0].metadata
    return Document(
        doc_id=chunks[0].doc_id,
        title=str(meta.get("title", "")),
        doc_type=str(meta.get("doc_type", "")),
        date=str(meta.get("date", "")),
        access=str(meta.get("access", "")),
        access_rank=int(meta.get("access_rank", 0)),
        path=str(meta.get("path", "")),
        chunks=tuple(chunks),
    )


def _source(document: Document) -> str:
    """The record itself, and the section of the material it was taken from."""
    section = document.field("source_section")
    return f"{document.doc_id}" + (f" (ur {document.field('source')}, {section})" if section else "")


def filter_rows(rows: list[list], query: str) -> list[list]:
    """Rows where every word of the query occurs in some cell (case-insensitive)."""
    words = query.casefold().split()
    return [row for row in rows if all(any(w in str(cell).casefold() for cell in row) for w in words)]
