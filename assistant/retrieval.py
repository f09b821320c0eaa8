"""Query -> ranked chunks: BM25 and dense search, each filtered by access inside the
query, fused into one list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.bm25_view import Bm25View
from assistant.fusion import Fused, bm25_weight, fuse, prefer_own_material, read_the_source
from assistant.query import Query
from kbcore.embedder import Embedder
from kbcore.store import ChunkIndex, ScoredChunk
from kbcore.tuning import FusionSettings


@dataclass(frozen=True)
class Retrieval:
    """The query, now with its embedding, and the fused passages, best first."""

    query: Query
    fused: list[Fused]


class HybridRetriever:
    """BM25 over one snapshot's view and dense search in its store, fused per query."""

    def __init__(self, store: ChunkIndex, bm25: Bm25View, embedder: Embedder, fusion: FusionSettings) -> None:
        self._store = store
        self._bm25 = bm25
        self._embedder = embedder
        self._fusion = fusion

    def retrieve(self, query: Query, top_k: int) -> Retrieval:
        """The ``top_k`` best passages the asker (``query.max_rank``) may read, the platform's
        own material before reference material that matches alike (``prefer_own_material``),
        and a document that its derived records crowd out of the top brought up among them
        (``read_the_source``)."""
        query = query.embedded(self._embedder.embed_queries([query.search_text])[0])
        lexical, dense = self.candidates(query.search_text, query.embedding, query.max_rank)
        weight = bm25_weight(self._fusion, self.lexical_coverage(query.search_text, lexical))
        fused = read_the_source(prefer_own_material(fuse(lexical, dense, weight), self._fusion), self._fusion)
        return Retrieval(query, fused[:top_k])

    def candidates(
        self, text: str, embedding: np.ndarray, max_rank: int
    ) -> tuple[list[ScoredChunk], list[ScoredChunk]]:
        """Each channel's candidates (BM25, dense) for ``text`` among the chunks of access rank
        at most ``max_rank``; ``fusion.candidates`` from each."""
        return (
            self._bm25.search(text, self._fusion.candidates, max_rank),
            self._store.query(embedding, self._fusion.candidates, max_rank),
        )

    def lexical_coverage(self, text: str, lexical: list[ScoredChunk]) -> float:
        """Share (0-1) of ``text``'s content (IDF-weighted) that BM25's best chunk contains."""
        if not lexical:
            return 0.0
        return self._bm25.coverage(self._bm25.content_terms(text), lexical[0].chunk.search_text)
