"""Question -> ranked chunks: BM25 and dense search, each filtered by access inside the
query, fused into one list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.bm25_view import Bm25View
from assistant.fusion import Fused, bm25_weight, fuse
from kbcore.embedder import Embedder
from kbcore.settings import FusionSettings
from kbcore.store import IndexStore, ScoredChunk


@dataclass(frozen=True)
class RetrievalResult:
    fused: list[Fused]
    query_embedding: np.ndarray


class HybridRetriever:
    def __init__(
        self,
        store: IndexStore,
        bm25: Bm25View,
        embedder: Embedder,
        fusion: FusionSettings,
    ) -> None:
        self._store = store
        self._bm25 = bm25
        self._embedder = embedder
        self._fusion = fusion

    @property
    def bm25(self) -> Bm25View:
        return self._bm25

    def retrieve(self, query: str, max_rank: int, top_k: int) -> RetrievalResult:
        embedding = self._embedder.embed_queries([query])[0]
        lexical, dense = self.candidates(query, embedding, max_rank)
        weight = bm25_weight(self._fusion, self.lexical_coverage(query, lexical))
        return RetrievalResult(fuse(lexical, dense, weight)[:top_k], embedding)

    def candidates(
        self, query: str, embedding: np.ndarray, max_rank: int
    ) -> tuple[list[ScoredChunk], list[ScoredChunk]]:
        """Each channel's candidates (BM25, dense) among the chunks the asker may read."""
        return (
            self._bm25.search(query, self._fusion.candidates, max_rank),
            self._store.query(embedding, self._fusion.candidates, max_rank),
        )

    def lexical_coverage(self, query: str, lexical: list[ScoredChunk]) -> float:
        """Share of the question's content (IDF-weighted) that BM25's best chunk contains."""
        if not lexical:
            return 0.0
        return self._bm25.coverage(self._bm25.content_terms(query), lexical[0].chunk.search_text)
