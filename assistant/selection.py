"""Candidate answer sentences of the top passages, their features, and the learned scores.

Every sentence and list item of the top passages is a candidate. Each gets a feature row
(``SENTENCE_FEATURES``): how much of the question it covers (stemmed, IDF-weighted), how
close the dense model finds it, where its passage ranks, what kind of thing it holds
against what the question asks for (``answer_kind``), its shape. A logistic model trained
on SweQUAD-MC train and the corpus dev set (``assistant train``; weights and provenance in
``assistant/models/selector.json``) turns a row into the probability that the sentence holds
the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer_kind import AnswerKind, asked_kind, holds_kind, states_absence
from assistant.bm25_view import Bm25View
from assistant.fusion import Fused
from assistant.sentences import Unit, split_units

SENTENCE_FEATURES: tuple[str, ...] = (
    "coverage",
    "coverage_with_heading",
    "heading_coverage",
    "coverage_share_of_best",
    "dense",
    "dense_gap_to_best",
    "passage_reciprocal_rank",
    "passage_score",
    "passage_dense",
    "first_in_passage",
    "relative_position",
    "is_list_item",
    "introduces_list",
    "log_words",
    "kind_asked_and_held",
    "kind_asked_not_held",
    "list_asked_and_item",
    "states_absence",
    "unit_precision",
)


@dataclass(frozen=True)
class Candidate:
    """One sentence or list item of a retrieved passage."""

    passage: Fused
    passage_rank: int  # 0-based rank of its passage among the fused results
    unit: Unit
    position: int  # 0-based index of the unit within its passage


SentenceVectors = Callable[[list[str]], np.ndarray]
"""texts -> shape (len(texts), dim) unit-normalised document embeddings."""


@dataclass(frozen=True)
class CandidateScores:
    """A question's candidates with their feature rows, before any model has scored them."""

    question: str
    candidates: list[Candidate]
    rows: np.ndarray  # shape (len(candidates), len(SENTENCE_FEATURES))
    terms: dict[str, float]  # the question's content terms, IDF-weighted
    unknown_share: float  # IDF-weighted share of those terms the material never uses


class CandidateScorer:
    """Builds the candidates of a question's top passages and their feature rows."""

    def __init__(
        self, lexicon: Bm25View, vectors: SentenceVectors, max_passages: int, context_weight: float
    ) -> None:
        self.lexicon = lexicon
        self.vectors = vectors
        self.max_passages = max_passages
        self.context_weight = context_weight

    def content_terms(self, question: str, context: str = "") -> dict[str, float]:
        """The question's stemmed content words with their IDF weights; the words of the
        conversation it follows up (``context``) join at ``context_weight``."""
        terms = self.lexicon.content_terms(question) if question else {}
        for term, weight in (self.lexicon.content_terms(context) if context else {}).items():
            terms.setdefault(term, self.context_weight * weight)
        return terms

    def unknown_share(self, terms: dict[str, float]) -> float:
        """Share of the content (IDF-weighted) in words the material never uses."""
        total = sum(terms.values())
        if total <= 0:
            return 0.0
        return sum(weight for term, weight in terms.items() if not self.lexicon.knows(term)) / total

    def score(
        self, question: str, retrieved: list[Fused], query_embedding: np.ndarray, context: str = ""
    ) -> CandidateScores:
        """The candidates of the top ``max_passages`` passages and their feature rows."""
        terms = self.content_terms(question, context)
        candidates = candidates_of(prefer_named_version(question, retrieved)[: self.max_passages])
        rows = sentence_features(question, terms, candidates, query_embedding, self.lexicon, self.vectors)
        return CandidateScores(question, candidates, rows, terms, self.unknown_share(terms))


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def version_key(item: Fused) -> str:
    """A document's title without its years: versions of one plan share it."""
    return " ".join(_YEAR.sub(" ", str(item.chunk.metadata.get("title", ""))).split()).casefold()


def _years(item: Fused) -> set[str]:
    meta = item.chunk.metadata
    return set(_YEAR.findall(f"{meta.get('title', '')} {meta.get('date', '')}"))


def prefer_named_version(question: str, passages: list[Fused]) -> list[Fused]:
    """When the question names a year and the passages come from versions of one document
    (same title but for the year), only the version of that year answers: "budgeten i
    projektplanen 2026" is not answered from the 2025 plan."""
    named = set(_YEAR.findall(question))
    if not named:
        return passages
    matching = {version_key(item) for item in passages if _years(item) & named}
    return [
        item
        for item in passages
        if version_key(item) not in matching or _years(item) & named or not _years(item)
    ]


def candidates_of(passages: list[Fused]) -> list[Candidate]:
    """Every unit of every passage, in rank then source order."""
    return [
        Candidate(item, rank, unit, position)
        for rank, item in enumerate(passages)
        for position, unit in enumerate(split_units(item.chunk.text))
    ]


def _heading(item: Fused) -> str:
    meta = item.chunk.metadata
    return " ".join(str(part) for part in (meta.get("title"), meta.get("heading")) if part)


def sentence_features(
    question: str,
    terms: dict[str, float],
    candidates: list[Candidate],
    query_embedding: np.ndarray,
    lexicon: Bm25View,
    vectors: SentenceVectors,
) -> np.ndarray:
    """Rows of ``SENTENCE_FEATURES`` for the candidates: shape (len(candidates), 19).

    ``terms`` are the question's stemmed content words with IDF weights (the follow-up's
    conversation joins at lower weight); ``query_embedding`` is the question's unit vector.
    """
    if not candidates:
        return np.zeros((0, len(SENTENCE_FEATURES)))
    kind = asked_kind(question)
    headings = {id(c.passage): _heading(c.passage) for c in candidates}
    heading_cov = {key: lexicon.coverage(terms, text) for key, text in headings.items()}
    coverage = np.array([lexicon.coverage(terms, c.unit.text) for c in candidates])
    with_heading = np.array(
        [lexicon.coverage(terms, f"{headings[id(c.passage)]} {c.unit.text}") for c in candidates]
    )
    dense = vectors([c.unit.text for c in candidates]) @ query_embedding
    lengths = {id(c.passage): 0 for c in candidates}
    for c in candidates:
        lengths[id(c.passage)] = max(lengths[id(c.passage)], c.position + 1)
    best_coverage = float(coverage.max())
    best_dense = float(dense.max())
    rows = []
    for i, c in enumerate(candidates):
        held = holds_kind(kind, c.unit.text)
        stems = [s for s in lexicon.stems(c.unit.text) if s in terms]
        words = max(1, len(c.unit.text.split()))
        rows.append(
            (
                coverage[i],
                with_heading[i],
                heading_cov[id(c.passage)],
                coverage[i] / best_coverage if best_coverage > 0 else 0.0,
                dense[i],
                dense[i] - best_dense,
                1.0 / (1 + c.passage_rank),
                c.passage.score,
                c.passage.dense or 0.0,
                float(c.position == 0),
                c.position / max(1, lengths[id(c.passage)] - 1),
                float(c.unit.is_item),
                float(c.unit.introduces_list),
                math.log(words),
                float(kind is not None and kind is not AnswerKind.LIST and held),
                float(kind is not None and kind is not AnswerKind.LIST and not held),
                float(kind is AnswerKind.LIST and (c.unit.is_item or c.unit.introduces_list)),
                float(states_absence(c.unit.text)),
                len(set(stems)) / words,
            )
        )
    return np.asarray(rows, dtype=np.float64)
