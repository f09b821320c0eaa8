"""The chunk store: one Chroma collection, embedded on disk or on a `chroma run` server.

Chroma holds chunk text, metadata and the embeddings the project computed; it is the
source of truth for what is indexed. The BM25 view is derived from it.

llama-index's ChromaVectorStore is not used for this: its ``add`` is not idempotent
(a re-run after a crash must be able to write the same ids again), it can only delete
a whole document (we write the new version before deleting the old one), it stores a
second JSON copy of all metadata in every chunk, and it reports exp(-distance) where
the fusion and the abstention threshold want cosine similarity.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kbcore.schema import Chunk
from kbcore.settings import Settings

_PAGE = 2000  # rows fetched per Chroma `get`, to bound memory on large collections
_WRITE_BATCH = 1000


class IndexMismatch(RuntimeError):
    """The index was built with another embedding model than the configured one."""


class IndexUnavailable(RuntimeError):
    """The Chroma server cannot be reached (stopped, restarting); the message is for the user."""


UNAVAILABLE = "Kunskapsbasen går inte att nå just nu (databasservern svarar inte). Försök igen om en stund."


@contextlib.contextmanager
def _reachable() -> Iterator[None]:
    """Turn a lost connection to the `chroma run` server into IndexUnavailable."""
    import httpx

    try:
        yield
    except httpx.TransportError as error:
        raise IndexUnavailable(UNAVAILABLE) from error


@dataclass(frozen=True)
class ScoredChunk:
    """A chunk and its score in one channel (cosine similarity for the dense search)."""

    chunk: Chunk
    score: float


class ChunkIndex(Protocol):
    """What the rest of the project needs of the chunk index. ``IndexStore`` (Chroma, embedded
    or on a `chroma run` server) implements it; tests/kbcore/test_store_contract.py is the
    behaviour every implementation must show.

    Chunk metadata carries at least ``doc_id``, ``doc_hash``, ``access_rank`` (int) and
    ``source_root``; embeddings are float32 rows, one per chunk, of the model ``model_id``.
    """

    model_id: str  # the embedding model the stored vectors belong to
    reset: bool  # True when opening for writing found another model's vectors and started afresh

    def count(self) -> int:
        """Number of chunks stored."""
        ...

    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        """Write chunks with their vectors; writing the same ids again changes nothing."""
        ...

    def delete(self, chunk_ids: list[str]) -> None:
        """Remove these chunks; unknown ids are ignored."""
        ...

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of one document, whatever its version."""
        ...

    def document_versions(self, source_root: str | None = None) -> dict[str, dict[str, list[str]]]:
        """doc_id -> {doc_hash: [chunk ids]} for one source root's documents (None: all)."""
        ...

    def query(self, embedding: np.ndarray, k: int, max_rank: int) -> list[ScoredChunk]:
        """The ``k`` nearest chunks by cosine similarity among those with access_rank <= max_rank."""
        ...

    def all_chunks(self) -> list[Chunk]:
        """Every chunk with its text and metadata."""
        ...

    def chunks_with_vectors(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk and its stored vector, row i belonging to chunk i."""
        ...

    def version(self) -> str:
        """The index's version as stored now (one cheap read): it changes with every
        ``bump_version``, so processes that share the index see another's ingest."""
        ...

    def bump_version(self) -> None:
        """Mark the index changed (an ingest that added, changed or removed something)."""
        ...


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def open_index(settings: Settings, model_id: str, *, for_writing: bool) -> IndexStore:
    """Open the collection ``settings.collection`` (embedded, or on ``settings.chroma_host``)
    for vectors of ``model_id``.

    A writer that finds vectors of another model starts the collection afresh (every document
    is then re-embedded; the store's ``reset`` is True); a reader raises IndexMismatch, since
    its query vectors would not be comparable.
    """
    with _reachable():
        client = _client(settings)
        metadata = {"hnsw:space": "cosine", "embed_model": model_id}
        collection = client.get_or_create_collection(settings.collection, metadata=metadata)
    stored_model = (collection.metadata or {}).get("embed_model")
    if stored_model == model_id:
        if for_writing:
            _set_search_ef(collection, settings.search_ef)
        return IndexStore(client, collection, model_id, reset=False)
    if not for_writing:
        raise IndexMismatch(
            f"Indexet byggdes med modellen {stored_model}, men {model_id} är vald. "
            "Kör 'assistant ingest' för att bygga om det."
        )
    client.delete_collection(settings.collection)
    collection = client.create_collection(settings.collection, metadata=metadata)
    _set_search_ef(collection, settings.search_ef)
    return IndexStore(client, collection, model_id, reset=True)


def _set_search_ef(collection: Any, search_ef: int) -> None:
    """The collection's HNSW ``ef_search`` set to ``search_ef`` (``Settings.search_ef``) when
    it differs. Only a writer sets it (every ingest opens the collection for writing); Chroma
    keeps it with the collection, and a process that has already searched the collection
    (a serving worker, a `chroma run` server) uses the new value once restarted."""
    with _reachable():
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != search_ef:
            collection.modify(configuration={"hnsw": {"ef_search": search_ef}})


class IndexStore:
    """The ChunkIndex in one Chroma collection: chunk storage and dense search, filtered by
    access rank inside the query. Open it with ``open_index``."""

    def __init__(self, client: Any, collection: Any, model_id: str, reset: bool) -> None:
        self._client = client
        self._collection = collection
        self.model_id = model_id
        self.reset = reset

    def count(self) -> int:
        """Number of chunks stored."""
        return int(self._collection.count())

    def _pages(self, where: dict | None, include: list[str]) -> Iterator[dict]:
        offset = 0
        while True:
            page = self._collection.get(where=where, include=include, limit=_PAGE, offset=offset)
            if not page["ids"]:
                return
            yield page
            offset += len(page["ids"])

    def document_versions(self, source_root: str | None = None) -> dict[str, dict[str, list[str]]]:
        """doc_id -> {doc_hash: [chunk ids]} for the documents of one source root (or all)."""
        where = {"source_root": source_root} if source_root else None
        versions: dict[str, dict[str, list[str]]] = {}
        for page in self._pages(where, ["metadatas"]):
            for chunk_id, meta in zip(page["ids"], page["metadatas"]):
                by_hash = versions.setdefault(str(meta["doc_id"]), {})
                by_hash.setdefault(str(meta["doc_hash"]), []).append(chunk_id)
        return versions

    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        """Write chunks; writing the same ids again is harmless (a re-run after a crash)."""
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            self._collection.upsert(
                ids=[chunk.chunk_id for chunk in batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[dict(chunk.metadata) for chunk in batch],
                embeddings=embeddings[start : start + _WRITE_BATCH].tolist(),
            )

    def delete(self, chunk_ids: list[str]) -> None:
        """Remove these chunks; unknown ids are ignored."""
        for start in range(0, len(chunk_ids), _WRITE_BATCH):
            self._collection.delete(ids=chunk_ids[start : start + _WRITE_BATCH])

    def delete_document(self, doc_id: str) -> None:
        """Remove every chunk of one document, whatever its version."""
        self._collection.delete(where={"doc_id": doc_id})

    def query(self, embedding: np.ndarray, k: int, max_rank: int) -> list[ScoredChunk]:
        """Nearest chunks by cosine similarity among those the asker may read."""
        if k <= 0:
            return []
        with _reachable():
            result = self._collection.query(
                query_embeddings=[embedding.tolist()],
                n_results=k,
                where={"access_rank": {"$lte": max_rank}},
                include=["documents", "metadatas", "distances"],
            )
        return [
            ScoredChunk(Chunk(chunk_id, text, dict(meta)), 1.0 - float(distance))
            for chunk_id, text, meta, distance in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
            )
        ]

    def chunks_with_vectors(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk and its stored vector (the benchmark grows an index from these)."""
        pages = list(self._pages(None, ["documents", "metadatas", "embeddings"]))
        vectors = [np.asarray(page["embeddings"], dtype=np.float32) for page in pages]
        return _chunks_of(pages), np.concatenate(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)

    def all_chunks(self) -> list[Chunk]:
        """Every chunk with its text and metadata."""
        with _reachable():
            return _chunks_of(self._pages(None, ["documents", "metadatas"]))

    def version(self) -> str:
        """The collection's ``index_version`` as the server holds it now ('' before any ingest
        bumped it); one metadata read, so a reader may check it once a second."""
        with _reachable():
            metadata = self._client.get_collection(self._collection.name).metadata or {}
        return str(metadata.get("index_version", ""))

    def bump_version(self) -> None:
        """A new random ``index_version`` in the collection's metadata. The distance function
        is fixed at creation and Chroma refuses to see it in a modify, so it is left out."""
        metadata = {k: v for k, v in (self._collection.metadata or {}).items() if not k.startswith("hnsw:")}
        self._collection.modify(metadata=metadata | {"index_version": uuid.uuid4().hex})


def _chunks_of(pages: Iterable[dict]) -> list[Chunk]:
    return [
        Chunk(chunk_id, text, dict(meta))
        for page in pages
        for chunk_id, text, meta in zip(page["ids"], page["documents"], page["metadatas"])
    ]
