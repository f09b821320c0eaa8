"""Train the answer-sentence selector (``assistant train``).

Data with known answers, never the sets that judge:
- SweQUAD-MC train (Kalpakchi & Boye 2021, CC BY 4.0; the 945 train questions in
  ``../shared/data/swequad_mc``): a candidate sentence holding the gold answer span is a
  positive, every other candidate of the top passages a negative.
- The corpus dev set (``evals/sets/dev.jsonl``, 42 questions): sentences of a supporting
  passage that hold the gold quote or a key fact are positives.
The corpus sets, SweQUAD-MC dev, SweFAQ and ``blind/`` judge and are never read here.

Candidates and features come from the writer's own code over the product's retrieval, so
the model sees in training what it sees when answering. Training is deterministic (lbfgs
logistic regression over a fixed question order); the model file records the command and
the data hashes. (A learned abstention model was trained the same way, with each question
also asked without its gold passage, and measured worse than the tiers on the corpus sets:
evals/README.md.)
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.linear_model import LinearModel
from assistant.selection import SENTENCE_FEATURES, CandidateScores
from evals.datasets import DATA, EXTERNAL_SETS
from evals.questions import Question, load_question_file, normalise
from evals.runner import SETS_DIR, prepare_index
from kbcore.settings import Settings

log = logging.getLogger(__name__)

SWEQUAD_QA = DATA / "swequad_mc" / "qa.jsonl"
DEV_SET = SETS_DIR / "dev.jsonl"
DEV_WEIGHT_SHARE = 0.25
"""Share of the total training weight given to the corpus dev questions (42 beside
SweQUAD-MC train's 945): the platform's short presentation text differs from the
authorities' web pages, so its few examples count for more than their number. Not tuned."""


@dataclass(frozen=True)
class Example:
    """One asked question: its candidates scored by the writer, and what is right."""

    source: str  # "swequad" or "dev"
    question: str
    language: str
    scores: CandidateScores
    positives: np.ndarray  # shape (n_candidates,), 1.0 where the sentence holds the answer


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _positive_units(question: Question, scores: CandidateScores) -> np.ndarray:
    """1.0 for candidates that hold the answer: the SweQUAD span, or (corpus) the gold
    quote or a key fact inside a passage that supports the gold."""
    labels = []
    for c in scores.candidates:
        doc, text = c.passage.chunk.doc_id, normalise(c.unit.text)
        if question.answer_span:
            good = (
                question.supported_by(doc, c.passage.chunk.text) and normalise(question.answer_span) in text
            )
        else:
            supports = question.supported_by(doc, c.passage.chunk.text)
            quotes = [normalise(g.quote) for g in question.gold if g.quote]
            good = supports and (
                any(q in text or (len(text) > 20 and text in q) for q in quotes)
                or any(normalise(f) in text for f in question.key_facts)
            )
        labels.append(1.0 if good else 0.0)
    return np.asarray(labels)


def _retrieval(settings: Settings):
    """The product's retriever over a set's index and a candidate scorer beside it (the
    writer's own feature code, without the models being trained)."""
    from assistant.bm25_view import Bm25View
    from assistant.retrieval import HybridRetriever
    from assistant.selection import CandidateScorer
    from assistant.sentence_vectors import SentenceVectorCache
    from kbcore.embedder import get_embedder
    from kbcore.store import open_index

    embedder = get_embedder(settings.model_copy(update={"embed_batch_size": 32}))
    store = open_index(settings, embedder.identity, for_writing=False)
    bm25 = Bm25View(store.all_chunks())
    config = settings.extractive
    vectors = SentenceVectorCache(embedder, config.max_cached_sentences)
    scorer = CandidateScorer(bm25, vectors, config.max_passages, config.context_weight)
    return HybridRetriever(store, bm25, embedder, settings.fusion), scorer


def collect(settings: Settings, questions: list[Question], source: str, progress: bool) -> list[Example]:
    """Ask each answerable question through the product's retriever and candidate scorer."""
    from assistant.query import Query
    from assistant.sentences import split_units

    retriever, scorer = _retrieval(settings)
    vector_file = Path(settings.index_dir) / "sentence-vectors.npz"  # beside the set's index
    scorer.vectors.load(vector_file)
    # Every unit of the index in one call, shortest first: far fewer padded batches than
    # embedding each question's candidates as they come.
    scorer.vectors(sorted({u.text for c in scorer.lexicon.chunks for u in split_units(c.text)}))
    scorer.vectors.save(vector_file)
    examples: list[Example] = []
    everything = settings.access_rank(None)
    for q in tqdm([q for q in questions if q.answerable], desc=f"träning: {source}", unit="fråga",
                  disable=not progress):  # fmt: skip
        asked = Query.ask(q.question, q.history, everything, settings.followups)
        result = retriever.retrieve(asked, settings.fusion.top_k)
        query, language = result.query, asked.language
        full = scorer.score(q.question, result.fused, query.embedding, query.context)
        examples.append(Example(source, q.question, language, full, _positive_units(q, full)))
    scorer.vectors.save(vector_file)
    return examples


def _weights(examples: list[Example]) -> np.ndarray:
    """Per-example weights: dev examples share ``DEV_WEIGHT_SHARE`` of the total."""
    dev = sum(e.source == "dev" for e in examples)
    other = len(examples) - dev
    dev_weight = DEV_WEIGHT_SHARE * other / ((1 - DEV_WEIGHT_SHARE) * dev) if dev and other else 1.0
    return np.array([dev_weight if e.source == "dev" else 1.0 for e in examples])


def _fit(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray, names: tuple[str, ...]) -> LinearModel:
    """Standardise, then a weighted L2 logistic regression (C=1, sklearn defaults)."""
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=5000, solver="lbfgs")
    model.fit((rows - mean) / scale, labels, sample_weight=weights)
    return LinearModel(names, mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]))


def train_selector(examples: list[Example]) -> LinearModel:
    """Pointwise sentence model over the examples that have a positive among their
    candidates; each question's candidates share its weight, so long passages do not dominate."""
    weights = _weights(examples)
    rows, labels, row_weights = [], [], []
    for example, weight in zip(examples, weights):
        if not example.positives.any():
            continue
        rows.append(example.scores.rows)
        labels.append(example.positives)
        row_weights.append(np.full(len(example.positives), weight / len(example.positives)))
    return _fit(np.concatenate(rows), np.concatenate(labels), np.concatenate(row_weights), SENTENCE_FEATURES)


def run_training(settings: Settings, out_dir: Path, progress: bool = True) -> dict:
    """Collect, fit the selector, write it to ``out_dir``; returns its provenance record."""
    swequad = EXTERNAL_SETS["swequad_mc"]
    swequad_questions = [q for q in swequad.load(("train",)) if q.answer_span]
    dev_questions = load_question_file(DEV_SET)
    examples: list[Example] = []
    for questions, source, name in (
        (swequad_questions, "swequad", "swequad_mc"),
        (dev_questions, "dev", "dev"),
    ):
        set_settings, _ = prepare_index(name, settings, progress)
        examples += collect(set_settings, questions, source, progress)
    selector = train_selector(examples)
    provenance = {
        "command": "assistant train",
        "data": {
            "swequad_mc/qa.jsonl (split train)": file_hash(SWEQUAD_QA),
            "evals/sets/dev.jsonl": file_hash(DEV_SET),
        },
        "examples": {
            "swequad_questions": len(swequad_questions),
            "dev_questions": len(dev_questions),
            "questions_with_a_positive": int(sum(e.positives.any() for e in examples)),
            "sentence_rows": int(sum(len(e.positives) for e in examples if e.positives.any())),
        },
        "dev_weight_share": DEV_WEIGHT_SHARE,
    }
    selector = LinearModel(
        selector.features, selector.mean, selector.scale, selector.coef, selector.intercept,
        provenance | {"model": "answer-sentence selector"},
    )  # fmt: skip
    selector.save(out_dir / "selector.json")
    return selector.provenance
