"""One immutable view of the index: the store handle and everything derived from its chunks.

A reload builds a whole new Snapshot and the service swaps one reference to it, so a request
that started on the old snapshot finishes on it: it never sees a new BM25 view beside an old
store, or a catalog of another ingest than the passages it quotes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from assistant.bm25_view import Bm25View
from assistant.catalog import Catalog
from assistant.extractive import ExtractiveWriter
from assistant.generative import GenerativeWriter
from assistant.retrieval import HybridRetriever
from kbcore.embedder import Embedder
from kbcore.settings import Settings
from kbcore.store import ChunkIndex, open_index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """The index as of one moment: store, BM25 view, catalog, retriever and the writers built
    over them (``generator`` is None without a language model endpoint). ``version`` is the
    store's version read before its chunks: an ingest during the build shows as a newer one."""

    store: ChunkIndex
    bm25: Bm25View
    catalog: Catalog
    retriever: HybridRetriever
    writer: ExtractiveWriter
    generator: GenerativeWriter | None
    version: str

    @classmethod
    def build(cls, settings: Settings, embedder: Embedder) -> Snapshot:
        """Open the index read-only and derive the rest from its chunks.

        Raises IndexMismatch when the index was built with another embedding model.
        """
        started = time.perf_counter()
        store = open_index(settings, embedder.identity, for_writing=False)
        version = store.version()
        chunks = store.all_chunks()
        bm25 = Bm25View(chunks)
        writer = ExtractiveWriter(bm25, embedder, settings.extractive, settings.abstention)
        snapshot = cls(
            store,
            bm25,
            Catalog(chunks),
            HybridRetriever(store, bm25, embedder, settings.fusion),
            writer,
            _generator(settings, writer) if settings.llm_base_url else None,
            version,
        )
        log.info("Index laddat på %.1f s (%d chunkar)", time.perf_counter() - started, len(bm25))
        return snapshot


def _generator(settings: Settings, writer: ExtractiveWriter) -> GenerativeWriter:
    from assistant.llm import ChatModel
    from assistant.verifier import Verifier

    verifier = Verifier(settings.verifier, writer.sentence_vectors)
    return GenerativeWriter(ChatModel(settings), verifier, writer, settings.generation, settings.verifier)
