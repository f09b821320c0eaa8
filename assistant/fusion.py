"""Fuse the BM25 and dense result lists into one ranking.

Each channel's scores are min-max normalised over its own candidates, then combined
with a weight chosen per query. The two channels win on different questions: BM25 when
the question reuses the document's words (SweQUAD-MC), the dense model on paraphrases
(SweFAQ) and English. How much of the question (IDF-weighted) BM25's best chunk contains
tells the two apart: on SweQUAD-MC 61% of questions have coverage >= 0.8, on SweFAQ 16%.
A fixed weight cannot serve both (best fixed: 0.2 -> 0.752 / 0.707, 0.6 -> 0.709 / 0.829);
the switch reaches 0.752 / 0.836 (SweFAQ dev / SweQUAD-MC train+dev MRR@10), above the
better single channel on each. Measured by ``python -m evals.retrieval``; see evals/README.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from kbcore.schema import REFERENCE_TYPE, Chunk, file_name
from kbcore.store import ScoredChunk
from kbcore.text import fold_key
from kbcore.tuning import FusionSettings


def bm25_weight(config: FusionSettings, coverage: float) -> float:
    """BM25's weight in the fusion (0-1) for a question whose ``coverage`` (0-1) of BM25's best
    chunk is known: BM25 leads when the question reuses the documents' words."""
    return (
        config.bm25_weight_matched if coverage >= config.coverage_threshold else config.bm25_weight_paraphrase
    )


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


def reciprocal_rank_fusion(lexical: list[ScoredChunk], dense: list[ScoredChunk], k: int = 60) -> list[Fused]:
    """Equal-weight RRF, the usual baseline; kept for the measurements in evals/retrieval.py."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for results in (lexical, dense):
        for rank, result in enumerate(results):
            chunks[result.chunk.chunk_id] = result.chunk
            scores[result.chunk.chunk_id] = scores.get(result.chunk.chunk_id, 0.0) + 1.0 / (k + rank + 1)
    return sorted((Fused(chunks[cid], score) for cid, score in scores.items()), key=lambda f: -f.score)


def fuse(lexical: list[ScoredChunk], dense: list[ScoredChunk], weight: float) -> list[Fused]:
    """One list, best first, with ``weight`` on BM25 and the rest on the dense channel."""
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


def prefer_own_material(fused: list[Fused], config: FusionSettings) -> list[Fused]:
    """``fused`` re-ranked with reference material's scores times ``config.reference_prior``:
    beside the platform's own documents, reference material added to the knowledge base
    (government pages, reports) answers a question about the platform only when it matches
    clearly better. Reference material is a document of type "referens" or one under a
    folder named in ``config.reference_folders``."""
    if config.reference_prior == 1.0:
        return fused
    folders = {fold_key(name) for name in config.reference_folders}
    preferred = [
        replace(item, score=item.score * config.reference_prior) if _is_reference(item, folders) else item
        for item in fused
    ]
    return sorted(preferred, key=lambda item: -item.score)


def _is_reference(item: Fused, folders: set[str]) -> bool:
    metadata = item.chunk.metadata
    if metadata.get("doc_type") == REFERENCE_TYPE:
        return True
    parts = str(metadata.get("path", "")).replace("\\", "/").split("/")[:-1]
    return any(fold_key(part) in folders for part in parts)


def read_the_source(fused: list[Fused], config: FusionSettings) -> list[Fused]:
    """``fused`` with a source document's best passage moved up to rank
    ``config.source_rank`` (0-based) when at least ``config.source_crowd`` of the first
    ``config.source_window`` passages are records derived from that document (front matter
    ``source``) and none of its own passages is among them. The actor records each restate
    one line of the workshop summary ("X deltog med högsta ledningsnivå …"): six of them
    crowded out the summary's list of all participants, which answers "Which organisations
    took part?" whole."""
    top = fused[: config.source_window]
    counts = Counter(source for source in map(source_of, top) if source)
    crowding = [source for source, n in counts.most_common() if n >= config.source_crowd]
    if not crowding or any(file_of(item) == crowding[0] for item in top):
        return fused
    found = next((i for i, item in enumerate(fused) if file_of(item) == crowding[0]), None)
    if found is None:
        return fused
    reordered = fused[:found] + fused[found + 1 :]
    reordered.insert(min(config.source_rank, len(reordered)), fused[found])
    return reordered


def source_of(item: Fused) -> str:
    """The file name of the document a record is derived from ("" for a primary document)."""
    return file_name(item.chunk.metadata.get("fm_source"))


def file_of(item: Fused) -> str:
    """The file name of the passage's document."""
    return file_name(item.chunk.metadata.get("path"))


def source_sections(item: Fused) -> list[str]:
    """The sections of its source a record names (front matter ``source_section``): the whole
    value and, when it names several separated by ";", each of them, e.g. ["8. Vad som
    händer efter beslut (förberedelsefas)"]; [] for a primary document or a record that
    names none."""
    named = str(item.chunk.metadata.get("fm_source_section") or "").strip()
    if not named or not source_of(item):
        return []
    parts = [part.strip() for part in named.split(";") if part.strip()]
    return [named, *parts] if len(parts) > 1 else [named]


def _heading_key(heading: str) -> str:
    return fold_key(heading.rstrip(": "))


def under_heading(item: Fused, section: str) -> bool:
    """Whether the passage sits under the heading ``section`` (any level of its heading path;
    case, diacritics, Unicode form, spaces and a closing colon aside: "3. Vad har vi gjort
    hittills i arbetet:")."""
    path = str(item.chunk.metadata.get("heading") or "").split(" › ")
    return _heading_key(section) in {_heading_key(part) for part in path}
