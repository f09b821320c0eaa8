"""Fuse the BM25 and dense result lists into one ranking.

Each channel's scores are min-max normalised over its own candidates, then combined
with a weight. The weight is chosen per query (see ``FusionConfig``) because the two
channels win on different questions: BM25 when the question reuses the document's words,
the dense model on paraphrases and English. Chosen and measured in ``evals/fusion_search.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbcore.schema import Chunk
from kbcore.store import ScoredChunk


@dataclass(frozen=True)
class FusionConfig:
    bm25_weight: float = 0.5


@dataclass(frozen=True)
class Fused:
    chunk: Chunk
    score: float
    bm25: float | None = None  # raw BM25 score, when BM25 found the chunk
    dense: float | None = None  # cosine similarity, when the dense search found it


def _minmax(results: list[ScoredChunk]) -> dict[str, float]:
    if not results:
        return {}
    scores = [r.score for r in results]
    low, high = min(scores), max(scores)
    span = high - low
    return {r.chunk.chunk_id: (r.score - low) / span if span > 0 else 1.0 for r in results}


def bm25_weight(lexical: list[ScoredChunk], dense: list[ScoredChunk], config: FusionConfig) -> float:
    return config.bm25_weight


def fuse(lexical: list[ScoredChunk], dense: list[ScoredChunk], config: FusionConfig) -> list[Fused]:
    """One list, best first; ties keep the dense order (the better channel on paraphrases)."""
    weight = bm25_weight(lexical, dense, config)
    lexical_norm, dense_norm = _minmax(lexical), _minmax(dense)
    chunks = {r.chunk.chunk_id: r.chunk for r in dense} | {r.chunk.chunk_id: r.chunk for r in lexical}
    raw_bm25 = {r.chunk.chunk_id: r.score for r in lexical}
    raw_dense = {r.chunk.chunk_id: r.score for r in dense}
    fused = [
        Fused(
            chunk,
            weight * lexical_norm.get(cid, 0.0) + (1 - weight) * dense_norm.get(cid, 0.0),
            raw_bm25.get(cid),
            raw_dense.get(cid),
        )
        for cid, chunk in chunks.items()
    ]
    fused.sort(key=lambda item: -item.score)
    return fused
