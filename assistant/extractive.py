"""The default answer writer: quote the sentences of the top passages that answer the
question, with numbered citations, or decline.

It needs no language model and cannot state anything the material does not say. Every
sentence and list item of the top passages is a candidate; a learned selector scores each
(``assistant/selection.py``), the tiers of ``assistant/abstention.py`` decide whether the
passages answer at all, and the chosen sentences are composed with each fact said once
(``assistant/composer.py``). Two rules stay beside them because they are exact: a "not
stated" sentence that answers better than every chosen sentence is the answer (declined,
with that sentence cited), and a question asking for a number, year or contact
detail is declined when no chosen sentence holds one (citing the material's own "not
stated" sentence for that kind of thing when there is one).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.abstention import should_answer
from assistant.answer import Answer, Citation
from assistant.answer_kind import absence_of_asked, can_answer, states_absence
from assistant.bm25_view import Bm25View
from assistant.composer import Composer
from assistant.fusion import Fused
from assistant.linear_model import MODELS_DIR, LinearModel
from assistant.query import Query
from assistant.selection import SENTENCE_FEATURES, Candidate, CandidateScorer, CandidateScores
from assistant.sentence_vectors import SentenceVectorCache
from assistant.texts import abstention_phrase
from kbcore.embedder import Embedder
from kbcore.tuning import AbstentionSettings, ExtractiveSettings

_QUOTE_WINDOW = 3
"""Passages whose "not stated" sentences may answer: those an answer may quote from."""


class ExtractiveWriter:
    """Writes quoted answers from one index snapshot's BM25 view (its vocabulary and IDF).

    Raises ModelFileError when a trained model file is missing or does not fit the code.
    """

    def __init__(
        self, bm25: Bm25View, embedder: Embedder, config: ExtractiveSettings, abstention: AbstentionSettings
    ) -> None:
        self._bm25 = bm25
        self._embedder = embedder
        self._config = config
        self.sentence_vectors = SentenceVectorCache(embedder, config.max_cached_sentences)
        self.scorer = CandidateScorer(bm25, self.sentence_vectors, config.max_passages, config.context_weight)
        self._abstention = abstention
        self._selector = LinearModel.load(
            Path(config.models_dir or MODELS_DIR) / "selector.json", SENTENCE_FEATURES
        )
        self._composer = Composer(config, self.sentence_vectors, _titles_by_file(bm25))

    def write_stream(self, query: Query, retrieved: list[Fused]) -> Iterator[Answer]:
        """The Writer protocol: the quoted answer is ready at once, so it is the only item."""
        yield self.write(query, retrieved)

    def write(self, query: Query, retrieved: list[Fused]) -> Answer:
        """Quote the sentences of the top passages that answer ``query`` (embedded), or decline."""
        scores = self.scorer.score(query.question, retrieved, query.embedding, query.context)
        if not scores.candidates:
            return self._decline(query, retrieved)
        logits = self._selector.logits(scores.rows)
        chosen = self._choose(scores.candidates, logits)
        absence = self._stated_absence(query, scores, chosen)
        if absence is not None:
            return self._decline(query, retrieved, absence)
        if not chosen or not self._supported(query, retrieved, scores):
            return self._decline(query, retrieved)
        if not can_answer(query.question, [c.unit.text for c in chosen]):
            # The material may say that the asked thing is not given ("Kontaktuppgifter anges
            # inte i materialet."): that sentence is the precise decline.
            window = _window(scores.candidates)
            evidence = next((c for c in window if absence_of_asked(query.question, c.unit.text)), None)
            return self._decline(query, retrieved, evidence)
        text, citations = self._composer.compose(chosen, scores.candidates)
        return Answer.of(query, text, False, citations, retrieved)

    def _supported(self, query: Query, retrieved: list[Fused], scores: CandidateScores) -> bool:
        """The tiers: the best dense similarity of the passages an answer may quote, against
        the share of the question's words the material never uses."""
        similarity = max((item.dense or 0.0) for item in retrieved[: self._config.max_quoted_passages])
        return should_answer(self._abstention, query.language, similarity, scores.unknown_share)

    def _choose(self, candidates: list[Candidate], logits: np.ndarray) -> list[Candidate]:
        """The best candidate and those close to it, each list introduction with its items;
        at most ``max_units`` sentences (items not counted) from ``max_quoted_passages``."""
        config = self._config
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        floor = max(config.min_probability, config.min_relative_probability * float(probabilities.max()))
        chosen: list[int] = []
        sentences = 0
        passages: set[int] = set()
        for i in np.argsort(-logits, kind="stable"):
            c = candidates[int(i)]
            if chosen and probabilities[i] < floor:
                break
            if c.passage_rank not in passages and len(passages) >= config.max_quoted_passages:
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

    def _stated_absence(
        self, query: Query, scores: CandidateScores, chosen: list[Candidate]
    ) -> Candidate | None:
        """A "not stated" sentence of the top passages that answers better than every
        sentence chosen: it holds a word of the question that none of them holds ("Vilket
        mandat har Länsstyrelsen?" -> "mandat ... anges inte"), or the dense model finds it
        closer to the question. (Shared words alone are no judge: "Datum för beslutet anges
        inte" shares "beslut" with most questions.)"""
        absent = [c for c in _window(scores.candidates) if states_absence(c.unit.text)]
        answering = [c for c in chosen if not states_absence(c.unit.text)]
        if not absent:
            return None
        if not answering:
            return absent[0]
        own = self.scorer.content_terms(query.question)
        answered = set().union(*(self._bm25.stems(c.unit.text) for c in answering))
        missing = {term for term in own if term not in answered}
        for c in absent:
            if missing & set(self._bm25.stems(c.unit.text)):
                return c
        vectors = self.sentence_vectors([c.unit.text for c in absent + answering])
        similarity = (vectors @ self._asked_embedding(query)).tolist()
        best = max(range(len(absent)), key=lambda i: similarity[i])
        if similarity[best] > max(similarity[len(absent) :]):
            return absent[best]
        return None

    def _asked_embedding(self, query: Query) -> np.ndarray:
        """What is asked is the follow-up's own question when it names something the material
        knows ("Vilket mandat har den?"); "Och när ska det ske?" needs its conversation."""
        names_something = any(self._bm25.knows(term) for term in self.scorer.content_terms(query.question))
        if query.context and names_something:
            return self._embedder.embed_queries([query.question])[0]
        return query.embedding

    def _decline(self, query: Query, retrieved: list[Fused], evidence: Candidate | None = None) -> Answer:
        """The abstention phrase; cites the passage when the material itself says the thing
        is not stated."""
        citations = [Citation.from_fused(1, evidence.passage, (evidence.unit.text,))] if evidence else []
        return Answer.of(query, abstention_phrase(query.language), True, citations, retrieved)


def _window(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.passage_rank < _QUOTE_WINDOW]


def _titles_by_file(bm25: Bm25View) -> dict[str, tuple[str, int]]:
    """File name -> (title, access rank) of every indexed document: a derived record's
    "avsnitt 7" is named by its source document's title."""
    titles: dict[str, tuple[str, int]] = {}
    for chunk in bm25.chunks:
        name = chunk.doc_id.rsplit("/", 1)[-1]
        meta = chunk.metadata
        titles.setdefault(name, (str(meta.get("title", "")), int(meta.get("access_rank", 0))))
    return titles
