"""Train the answer-sentence selector (``assistant.sentence_selection``): ``assistant train``.

Examples are the candidate units the writer reads for each training question, retrieved
as in an answer: SweQUAD-MC train (a unit holding the gold answer span is positive) and
``evals/sets/dev.jsonl``'s answerable questions (a unit holding a key fact is). The corpus
sets, SweQUAD-MC dev, SweFAQ and ``blind/`` are never read here: they judge the result.

A logistic regression (scikit-learn, lbfgs, C=1): the fit is deterministic for the same
candidates; Chroma's approximate search moves a few tied passages between runs (32 180 to
32 222 candidates over five runs on 2026-12-03, weights within 0.03). The weights go to
``assistant/sentence_selector.json`` with the sha256 of each data
file and the command, and the span hit on the training questions is printed for the
cutoffs that ``ExtractiveSettings.sentence_cutoff`` was chosen from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.sentence_selection import FEATURES, MODEL_FILE, SentenceSelector, feature_rows
from assistant.service import Assistant
from evals.datasets import EXTERNAL_SETS
from evals.questions import Question, normalise
from evals.runner import SETS_DIR, EvalTarget, prepare_index, resolve
from kbcore.settings import Settings

CUTOFFS = (0.3, 0.4, 0.5, 0.6)


@dataclass
class Examples:
    """Per training question: its candidates' feature rows (n, len(FEATURES)) and labels (n,)."""

    rows: list[np.ndarray]
    labels: list[np.ndarray]

    def add(self, rows: np.ndarray, labels: np.ndarray) -> None:
        self.rows.append(rows)
        self.labels.append(labels)


def _targets(settings: Settings) -> list[tuple[EvalTarget, Callable[[Question, str], bool]]]:
    """The training questions with how a unit's text is labelled positive."""
    swequad = EXTERNAL_SETS["swequad_mc"]
    (template,) = resolve(["swequad_mc"], settings)
    train = EvalTarget(
        "swequad_mc_train", swequad.load(("train",)), template.index_dir, external=swequad, rank_by="document"
    )
    (dev,) = resolve(["dev"], settings)

    def holds_span(question: Question, text: str) -> bool:
        return question.answer_span is not None and normalise(question.answer_span) in normalise(text)

    def holds_key_fact(question: Question, text: str) -> bool:
        return any(normalise(fact) in normalise(text) for fact in question.key_facts)

    return [(train, holds_span), (dev, holds_key_fact)]


def collect(settings: Settings, progress: bool = True) -> tuple[Examples, dict[str, int]]:
    """The examples of every training question that has at least one candidate, and the
    number of questions per set."""
    examples = Examples([], [])
    counts: dict[str, int] = {}
    for target, positive in _targets(settings):
        set_settings, _ = prepare_index(target, settings, progress)
        # the candidates do not depend on the selector's weights: any stored file may be stale
        assistant = Assistant(set_settings, SentenceSelector(np.zeros(len(FEATURES)), 0.0))
        used = 0
        for question in target.questions:
            if not question.answerable or (target.external and question.answer_span is None):
                continue
            retrieval = assistant.search(question.question, top_k=10, history=question.history)
            writer = assistant.snapshot.level(set_settings.access_rank(None)).writer
            passages, candidates = writer.question_candidates(retrieval.query, retrieval.fused)
            flat = [c for passage in candidates for c in passage]
            if not flat:
                continue
            examples.add(
                feature_rows(retrieval.query.question, flat, [p.score for p in passages]),
                np.array([positive(question, c.text) for c in flat]),
            )
            used += 1
        counts[target.name] = used
    return examples, counts


def span_hits(model: LogisticRegression, examples: Examples, cutoff: float) -> tuple[float, float]:
    """Share of questions whose chosen units (probability >= ``cutoff`` x the best) hold a
    positive, and the mean number chosen."""
    hits, chosen = [], []
    for rows, labels in zip(examples.rows, examples.labels):
        p = model.predict_proba(rows)[:, 1]
        picked = p >= cutoff * p.max()
        hits.append(bool(labels[picked].any()))
        chosen.append(int(picked.sum()))
    return float(np.mean(hits)), float(np.mean(chosen))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(settings: Settings, output: Path = MODEL_FILE, progress: bool = True) -> dict:
    """Collect, fit and write the selector to ``output``; returns what was written."""
    examples, counts = collect(settings, progress)
    rows, labels = np.vstack(examples.rows), np.concatenate(examples.labels)
    model = LogisticRegression(C=1.0, max_iter=3000).fit(rows, labels)
    swequad = EXTERNAL_SETS["swequad_mc"]
    stored = {
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "trained": {
            "command": "assistant train",
            "model": "sklearn.linear_model.LogisticRegression(C=1.0, max_iter=3000)",
            "questions": counts,
            "examples": int(len(labels)),
            "positives": int(labels.sum()),
            "data_sha256": {
                "swequad_mc/qa.jsonl": _sha256(swequad.questions),
                "swequad_mc/passages.jsonl": _sha256(swequad.passages),
                "evals/sets/dev.jsonl": _sha256(SETS_DIR / "dev.jsonl"),
            },
            "span_hit_by_cutoff": {
                str(cutoff): dict(zip(("hit", "units"), span_hits(model, examples, cutoff), strict=True))
                for cutoff in CUTOFFS
            },
        },
    }
    output.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stored
