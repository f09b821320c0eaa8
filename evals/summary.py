"""Per-question scores -> one row of figures per slice (all, per user group, per language,
follow-ups). Every figure is a mean over the questions it is defined for."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from evals.scoring import QuestionScore

# report key -> QuestionScore field, for the figures that are plain means
MEAN_METRICS = {
    "hit@1": "hit_at_1",
    "hit@5": "hit_at_5",
    "mrr@10": "mrr_at_10",
    "ndcg@10": "ndcg_at_10",
    "citation_precision": "citation_precision",
    "citation_recall": "citation_recall",
    "key_fact_recall": "key_fact_recall",
    "answer_span_cited": "answer_span_cited",
    "repeated_statement": "repeated_statement",
}

DEFINITIONS = {
    "hit@1": "besvarbara frågor där ett guldstycke är första träff",
    "hit@5": "besvarbara frågor med ett guldstycke bland de fem första träffarna",
    "mrr@10": "medelvärdet av 1/rang för första guldstycket bland tio (0 om inget)",
    "ndcg@10": "llama-index binär nDCG@10 med ett guldstycke per fråga: 1/log2(rang+1)",
    "citation_precision": "andel citerade stycken som innehåller guldstöd (svar som citerar något)",
    "citation_recall": "besvarbara frågor vars svar citerar minst ett guldstycke",
    "key_fact_recall": "andel av frågans nyckelfakta som står i svarstexten (avstått = 0)",
    "answer_span_cited": "SweQUAD-MC: en citerad mening innehåller guldsvaret",
    "repeated_statement": "besvarade frågor vars svar har två meningar med samma innehåll",
    "correct_abstention": "obesvarbara frågor där assistenten avstår",
    "false_abstention": "besvarbara frågor där assistenten avstår",
    "generated_share": "generativ skrivare: andel svar där modellens kontrollerade text visades",
    "removed_per_answer": "generativ skrivare: borttagna meningar per svar som modellen skrev",
    "latency_median_ms": "svarstid per fråga, median (varmt index)",
    "latency_p95_ms": "svarstid per fråga, 95:e percentilen",
}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(scores: list[QuestionScore]) -> dict[str, Any]:
    answerable = [s for s in scores if s.question.answerable]
    unanswerable = [s for s in scores if not s.question.answerable]
    row: dict[str, Any] = {"n": len(scores), "answerable": len(answerable), "unanswerable": len(unanswerable)}
    for key, attribute in MEAN_METRICS.items():
        row[key] = _mean([v for s in answerable if (v := getattr(s, attribute)) is not None])
    row["correct_abstention"] = _mean([float(s.declined) for s in unanswerable])
    row["false_abstention"] = _mean([float(s.declined) for s in answerable])
    asked = [s for s in scores if s.removed is not None]
    row["generated_share"] = _mean([float(s.generated) for s in scores]) if asked else None
    row["removed_per_answer"] = _mean([float(s.removed or 0) for s in asked])
    latencies = [s.latency_s * 1000 for s in scores]
    row["latency_median_ms"] = round(statistics.median(latencies)) if latencies else None
    row["latency_p95_ms"] = round(percentile(latencies, 0.95)) if latencies else None
    return row


_SLICES: list[tuple[str, Callable[[QuestionScore], str | None]]] = [
    ("grupp", lambda s: s.question.group),
    ("språk", lambda s: s.question.language),
    ("typ", lambda s: "uppföljning" if s.question.follow_up else None),
]


def slices(scores: list[QuestionScore]) -> dict[str, dict[str, Any]]:
    """ "alla" first, then one row per group, language and for follow-ups."""
    table = {"alla": summarise(scores)}
    for kind, key in _SLICES:
        values = sorted({v for s in scores if (v := key(s)) is not None})
        if kind != "typ" and len(values) < 2:
            continue  # one group or one language: the same row as "alla"
        for value in values:
            table[f"{kind}: {value}"] = summarise([s for s in scores if key(s) == value])
    return table
