"""Answer-sentence selection learned from data: how likely each candidate sentence (or list
item) of the writer's top passages is to hold the answer.

A logistic regression over the features in ``FEATURES``, trained by ``assistant train``
(``evals.train_selector``) on SweQUAD-MC train (the sentence holding the gold answer span is
the positive) and ``evals/sets/dev.jsonl`` (a sentence holding a key fact is). The weights are
checked in as ``sentence_selector.json`` with the data hashes and the command that produced
them; the corpus sets, SweQUAD-MC dev, SweFAQ and ``blind/`` only ever judge it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer_type import asks_when, holds_time, kind_test

MODEL_FILE = Path(__file__).with_name("sentence_selector.json")

FEATURES = (
    "coverage",  # IDF-weighted share (0-1) of the question's content words the unit holds
    "coverage_share",  # coverage / the best candidate's coverage (0 when no unit shares a word)
    "similarity",  # cosine unit <-> question, EmbeddingGemma
    "similarity_gap",  # similarity - the best candidate's similarity (<= 0)
    "passage_rank",  # 0-based place of the unit's passage among the writer's passages
    "passage_score_share",  # the passage's fused score / the first passage's
    "position_share",  # the unit's place in its passage / the passage's number of units (0-1)
    "opens_passage",  # 1.0 for the passage's first unit (a title line in SweQUAD-MC passages)
    "says_when",  # 1.0 when the question asks when and the unit says when
    "holds_asked_kind",  # 1.0 when the question asks a kind (an amount, a person, ...) the unit holds
    "log_words",  # ln(1 + the unit's number of words)
)


@dataclass(frozen=True)
class Candidate:
    """One unit of a passage as the selector sees it: its text, its place, and the two
    measures of how it meets the question."""

    text: str
    passage_rank: int
    position: int
    units_in_passage: int
    coverage: float
    similarity: float


def feature_rows(question: str, candidates: list[Candidate], passage_scores: list[float]) -> np.ndarray:
    """The (len(candidates), len(FEATURES)) matrix of ``candidates``, all from the passages
    whose fused scores are ``passage_scores`` (rank order) for ``question``."""
    if not candidates:
        return np.zeros((0, len(FEATURES)))
    best_coverage = max(c.coverage for c in candidates)
    best_similarity = max(c.similarity for c in candidates)
    first = passage_scores[0] or 1.0
    when = asks_when(question)
    holds_kind = kind_test(question)
    return np.array(
        [
            [
                c.coverage,
                c.coverage / best_coverage if best_coverage > 0 else 0.0,
                c.similarity,
                c.similarity - best_similarity,
                float(c.passage_rank),
                passage_scores[c.passage_rank] / first,
                c.position / c.units_in_passage,
                float(c.position == 0),
                float(when and holds_time(c.text, question)),
                float(holds_kind is not None and holds_kind(c.text)),
                math.log1p(len(c.text.split())),
            ]
            for c in candidates
        ]
    )


@dataclass(frozen=True)
class SentenceSelector:
    """The trained weights: ``probabilities`` maps feature rows to P(the unit holds the answer)."""

    weights: np.ndarray  # (len(FEATURES),)
    intercept: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SentenceSelector:
        """The selector stored at ``path`` (JSON written by ``evals.train_selector``).
        Raises ValueError naming the file when it is not such a file or was trained on other
        features than ``FEATURES``; OSError when it cannot be read."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            features, weights, intercept = stored["features"], stored["weights"], stored["intercept"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: ingen giltig meningsväljare ({error})") from error
        if tuple(features) != FEATURES or len(weights) != len(FEATURES):
            raise ValueError(
                f"{path}: meningsväljaren är tränad på särdragen {features}, koden räknar {list(FEATURES)}; "
                "träna om med `assistant train`"
            )
        return cls(np.asarray(weights, dtype=float), float(intercept))

    def score(
        self, question: str, candidates: list[list[Candidate]], passage_scores: list[float]
    ) -> list[list[float]]:
        """P(holds the answer), 0-1, of each candidate, per passage as given (``candidates``:
        the units of the passages whose fused scores are ``passage_scores``, rank order)."""
        flat = [c for passage in candidates for c in passage]
        probabilities = self.probabilities(feature_rows(question, flat, passage_scores)).tolist()
        shaped, start = [], 0
        for passage in candidates:
            shaped.append(probabilities[start : start + len(passage)])
            start += len(passage)
        return shaped

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(holds the answer) per row of ``rows`` ((n, len(FEATURES)) -> (n,), each 0-1)."""
        return 1.0 / (1.0 + np.exp(-(rows @ self.weights + self.intercept)))
