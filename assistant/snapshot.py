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
from assistant.sentence_selection import SentenceSelector
from kbcore.access import ACCESS_LEVELS
from kbcore.embedder import Embedder
from kbcore.schema import Chunk
from kbcore.settings import Settings
from kbcore.store import ChunkIndex, open_index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LevelView:
    """What the askers of one access level are answered from: BM25 over the chunks at that
    level and below (its vocabulary, IDF and unknown words), and the retriever and writers
    built on it. Nothing above the level takes part in any of its decisions."""

    bm25: Bm25View
    retriever: HybridRetriever
    writer: ExtractiveWriter
    generator: GenerativeWriter | None


@dataclass(frozen=True)
class Snapshot:
    """The index as of one moment: the store, the catalog and one LevelView per access rank
    (``levels[rank]``; the writers' ``generator`` is None without a language model endpoint).
    ``version`` is the store's version read before its chunks: an ingest during the build
    shows as a newer one.

    Per level rather than one view for all: a question's abstention, term weights and
    sentence selection must come out exactly as if the documents the asker cannot read did
    not exist (tests/security/test_noninterference.py). At this corpus size four BM25 views
    cost little; the dense channel is restricted by the store's access filter.
    """

    store: ChunkIndex
    catalog: Catalog
    levels: tuple[LevelView, ...]
    version: str

    def level(self, max_rank: int) -> LevelView:
        """The view for an asker who may read ranks 0..``max_rank``."""
        return self.levels[max_rank]

    @property
    def bm25(self) -> Bm25View:
        """The full-access view (every chunk), e.g. for counting."""
        return self.levels[-1].bm25

    @classmethod
    def build(cls, settings: Settings, embedder: Embedder, selector: SentenceSelector) -> Snapshot:
        """Open the index read-only and derive the rest from its chunks.

        Raises IndexMismatch when the index was built with another embedding model.
        """
        started = time.perf_counter()
        store = open_index(settings, embedder.identity, for_writing=False)
        version = store.version()
        chunks = store.all_chunks()
        levels = tuple(
            _level(
                settings,
                embedder,
                store,
                selector,
                [c for c in chunks if int(c.metadata.get("access_rank", 0)) <= rank],
            )
            for rank in range(len(ACCESS_LEVELS))
        )
        snapshot = cls(store, Catalog(chunks), levels, version)
        log.info("Index laddat på %.1f s (%d chunkar)", time.perf_counter() - started, len(chunks))
        return snapshot


def _level(
    settings: Settings, embedder: Embedder, store: ChunkIndex, selector: SentenceSelector, chunks: list[Chunk]
) -> LevelView:
    bm25 = Bm25View(chunks)
    writer = ExtractiveWriter(bm25, embedder, settings.extractive, settings.abstention, selector)
    return LevelView(
        bm25,
        HybridRetriever(store, bm25, embedder, settings.fusion),
        writer,
        _generator(settings, writer) if settings.llm_base_url else None,
    )


def _generator(settings: Settings, writer: ExtractiveWriter) -> GenerativeWriter:
    from assistant.llm import ChatModel
    from assistant.verifier import Verifier

    verifier = Verifier(settings.verifier, writer.sentence_vectors)
    return GenerativeWriter(ChatModel(settings), verifier, writer, settings.generation, settings.verifier)
