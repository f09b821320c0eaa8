"""The default answer writer: quote the sentences of the top passages that answer the
question, with numbered citations, or decline.

It needs no language model and cannot state anything the material does not say. Every
sentence and list item of the top passages is a candidate; a learned selector scores each
(``assistant/selection.py``), a learned abstention model decides from the best candidates
whether the passages answer at all, and the chosen sentences are composed with each fact
said once (``assistant/composer.py``). Two rules stay beside the models because they are
exact: a "not stated" sentence that the dense model finds closer to the question than every
chosen sentence is the answer (declined, with that sentence cited), and a question asking
for a number, year or contact detail is declined when no chosen sentence holds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer import Answer, Citation
from assistant.answer_kind import absence_of_asked, can_answer, states_absence
from assistant.bm25_view import Bm25View
from assistant.composer import compose
from assistant.fusion import Fused
from assistant.language import abstention_phrase
from assistant.linear_model import MODELS_DIR, LinearModel
from assistant.selection import (
    QUESTION_FEATURES,
    SENTENCE_FEATURES,
    Candidate,
    CandidateScorer,
    CandidateScores,
    question_features,
)
from assistant.sentence_vectors import SentenceVectorCache
from kbcore.embedder import Embedder


@dataclass(frozen=True)
class WriterConfig:
    """How many passages and sentences an answer may draw on, and which models score them.

    ``min_relative_probability``: a further sentence joins the best one when the selector
    gives it at least this share of the best one's probability; ``min_probability`` is the
    floor under that. ``answer_threshold`` None takes the abstention model's operating
    point (chosen on dev in training, recorded in its file).
    """

    max_passages: int = 4
    max_units: int = 4
    max_list_items: int = 8
    min_relative_probability: float = 0.5
    min_probability: float = 0.15
    answer_threshold: float | None = None
    selector_path: str = str(MODELS_DIR / "selector.json")
    abstention_path: str = str(MODELS_DIR / "abstention.json")


class ExtractiveWriter:
    """Quotes the chosen sentences with citations, or declines; see the module text."""

    def __init__(self, bm25: Bm25View, embedder: Embedder, config: WriterConfig) -> None:
        self._bm25 = bm25
        self._embedder = embedder
        self._config = config
        self.sentence_vectors = SentenceVectorCache(embedder)
        self.scorer = CandidateScorer(bm25, self.sentence_vectors, config.max_passages)
        self._selector = LinearModel.load(Path(config.selector_path), SENTENCE_FEATURES)
        self._abstention = LinearModel.load(Path(config.abstention_path), QUESTION_FEATURES)
        point = self._abstention.provenance.get("operating_point", {}).get("threshold", 0.5)
        self._threshold = config.answer_threshold if config.answer_threshold is not None else float(point)
        self._titles = _titles_by_file(bm25)

    def answer_probability(
        self, question: str, language: str, scores: CandidateScores
    ) -> tuple[float, np.ndarray]:
        """The abstention model's probability that the passages answer, and the selector's
        log-odds per candidate (shape (n,))."""
        logits = self._selector.logits(scores.rows) if scores.candidates else np.zeros(0)
        row = question_features(
            question, language, scores.terms, scores.candidates, scores.rows, logits, scores.unknown_share
        )
        return float(self._abstention.probabilities(row[None, :])[0]), logits

    def write(
        self,
        question: str,
        retrieved: list[Fused],
        language: str,
        query_embedding: np.ndarray,
        context: str = "",
    ) -> Answer:
        scores = self.scorer.score(question, retrieved, query_embedding, context)
        if not scores.candidates:
            return self._decline(question, retrieved, language)
        probability, logits = self.answer_probability(question, language, scores)
        chosen = self._choose(scores.candidates, logits)
        # What is asked is the follow-up's own question when it names something the material
        # knows ("Vilket mandat har den?"); "Och när ska det ske?" needs its conversation.
        names_something = any(self._bm25.knows(term) for term in self.scorer.content_terms(question))
        asked = (
            self._embedder.embed_queries([question])[0] if context and names_something else query_embedding
        )
        absence = self._stated_absence(scores, chosen, asked)
        if absence is not None:
            return self._decline(question, retrieved, language, absence)
        if probability < self._threshold or not chosen:
            return self._decline(question, retrieved, language)
        if not can_answer(question, [c.unit.text for c in chosen]):
            # The material may say that the asked thing is not given ("Kontaktuppgifter anges
            # inte i materialet."): that sentence is the precise decline.
            evidence = next(
                (c for c in self._window(scores.candidates) if absence_of_asked(question, c.unit.text)), None
            )
            return self._decline(question, retrieved, language, evidence)
        text, citations = compose(
            chosen, self._all_units(scores.candidates), self.sentence_vectors, self._titles
        )
        return Answer(question, text, False, citations, retrieved, language)

    def _choose(self, candidates: list[Candidate], logits: np.ndarray) -> list[Candidate]:
        """The best candidate and those close to it, each list introduction with its items;
        at most ``max_units`` sentences (items not counted) from at most three passages."""
        config = self._config
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        best = float(probabilities.max())
        floor = max(config.min_probability, config.min_relative_probability * best)
        chosen: list[int] = []
        sentences = 0
        passages: set[int] = set()
        for i in np.argsort(-logits, kind="stable"):
            c = candidates[int(i)]
            if chosen and probabilities[i] < floor:
                break
            if c.passage_rank not in passages and len(passages) >= 3:
                continue
            if not c.unit.is_item:
                if sentences >= config.max_units:
                    continue
                sentences += 1
            chosen.append(int(i))
            passages.add(c.passage_rank)
        return self._with_list_items(candidates, chosen)

    def _with_list_items(self, candidates: list[Candidate], chosen: list[int]) -> list[Candidate]:
        """Rank then source order; a chosen line that introduces a list brings its items."""
        picked = set(chosen)
        for i in chosen:
            if candidates[i].unit.introduces_list:
                for j in range(i + 1, min(len(candidates), i + 1 + self._config.max_list_items)):
                    following = candidates[j]
                    if following.passage is not candidates[i].passage or not following.unit.is_item:
                        break
                    picked.add(j)
        return [candidates[i] for i in sorted(picked)]

    def _all_units(self, candidates: list[Candidate]) -> dict[tuple[int, int], Candidate]:
        return {(c.passage_rank, c.position): c for c in candidates}

    def _stated_absence(
        self, scores: CandidateScores, chosen: list[Candidate], query_embedding: np.ndarray
    ) -> Candidate | None:
        """A "not stated" sentence of the top passages that answers better than every
        sentence chosen: it holds a word of the question that none of them holds ("Vilket
        mandat har Länsstyrelsen?" -> "mandat ... anges inte"), or the dense model finds it
        closer to the question. (Shared words alone are no judge: "Datum för beslutet anges
        inte" shares "beslut" with most questions.)"""
        absent = [c for c in self._window(scores.candidates) if states_absence(c.unit.text)]
        answering = [c for c in chosen if not states_absence(c.unit.text)]
        if not absent:
            return None
        if not answering:
            return absent[0]
        own = self.scorer.content_terms(scores.question)
        answered = set().union(*(self._bm25.stems(c.unit.text) for c in answering))
        missing = {term for term in own if term not in answered}
        for c in absent:
            if missing & set(self._bm25.stems(c.unit.text)):
                return c
        vectors = self.sentence_vectors([c.unit.text for c in absent + answering])
        similarity = (vectors @ query_embedding).tolist()
        best = max(range(len(absent)), key=lambda i: similarity[i])
        if similarity[best] > max(similarity[len(absent) :]):
            return absent[best]
        return None

    @staticmethod
    def _window(candidates: list[Candidate]) -> list[Candidate]:
        """Candidates of the top three passages: the window the quoted answer draws on."""
        return [c for c in candidates if c.passage_rank < 3]

    def _decline(
        self,
        question: str,
        retrieved: list[Fused],
        language: str,
        evidence: Candidate | None = None,
    ) -> Answer:
        """The abstention phrase; cites the passage when the material itself says the thing
        is not stated."""
        citations = [Citation.from_fused(1, evidence.passage, (evidence.unit.text,))] if evidence else []
        return Answer(question, abstention_phrase(language), True, citations, retrieved, language)


def _titles_by_file(bm25: Bm25View) -> dict[str, tuple[str, int]]:
    """File name -> (title, access rank) of every indexed document: a derived record's
    "avsnitt 7" is named by its source document's title."""
    titles: dict[str, tuple[str, int]] = {}
    for chunk in bm25.chunks:
        name = chunk.doc_id.rsplit("/", 1)[-1]
        titles.setdefault(
            name, (str(chunk.metadata.get("title", "")), int(chunk.metadata.get("access_rank", 0)))
        )
    return titles
