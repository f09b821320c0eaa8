"""Score one answer (the `assistant ask --json` object) against its question. No LLM judge.

Retrieval is scored on the ranked passages of ``retrieved`` (top 10): a passage is a chunk
for the corpus sets, a document for the external sets (one document per passage there). The
gold passage is the first retrieved passage that holds gold support; alternatives in
``gold`` are equally good sources of the same fact, so a question has one gold passage and
nDCG@10 is llama-index's binary nDCG with that single expected id (1.0 at rank 1,
1/log2(r+1) at rank r).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from llama_index.core.evaluation.retrieval.metrics import MRR, NDCG, HitRate

from assistant.restatement import restates
from assistant.sentences import split_units
from evals.questions import Question, normalise

_GOLD = "\x00gold"


@dataclass(frozen=True)
class QuestionScore:
    question: Question
    declined: bool
    latency_s: float
    hit_at_1: float | None = None  # None: not defined for this question (unanswerable)
    hit_at_5: float | None = None
    mrr_at_10: float | None = None
    ndcg_at_10: float | None = None
    citation_precision: float | None = None  # None also when nothing was cited
    citation_recall: float | None = None
    key_fact_recall: float | None = None
    answer_span_cited: float | None = None
    repeated_statement: float | None = None  # 1.0: two sentences of the answer say the same thing
    gold_rank: int | None = None  # rank of the gold passage in the top 10, for the report
    generated: bool = False  # the language model's verified text was shown
    removed: int | None = None  # sentences the verifier removed; None: no model was asked


def passage_key(item: dict[str, Any], rank_by: str) -> str:
    return str(item["doc_id"]) if rank_by == "document" else str(item["chunk_id"])


def ranked_passages(question: Question, answer: dict[str, Any], rank_by: str, k: int = 10) -> list[str]:
    """Retrieved passages in rank order, each once; the first supporting one becomes the gold id."""
    ranking: list[str] = []
    gold_seen = False
    for item in answer["retrieved"]:
        key = passage_key(item, rank_by)
        if not gold_seen and question.supported_by(str(item["doc_id"]), str(item["text"])):
            key, gold_seen = _GOLD, True
        if key not in ranking:
            ranking.append(key)
    return ranking[:k]


def _metric(metric: Any, ranking: list[str], k: int) -> float:
    if not ranking:
        return 0.0
    return metric.compute(expected_ids=[_GOLD], retrieved_ids=ranking[:k]).score


# Two sentences of an answer "say the same thing" when 80 % of the shorter one's content
# words occur in the other (assistant.restatement). Fixed here, apart from the composer's
# setting, so that tuning the composer cannot move its judge.
REPEATED_OVERLAP = 0.8


def score_answer(question: Question, answer: dict[str, Any], latency_s: float, rank_by: str) -> QuestionScore:
    declined = bool(answer["abstained"])
    writer = {
        "generated": answer.get("writer") == "generative",
        "removed": len(answer["removed"]) if "generation" in answer else None,
    }
    if not question.answerable:
        return QuestionScore(question, declined, latency_s, **writer)
    ranking = ranked_passages(question, answer, rank_by)
    citations = answer["citations"]
    supporting = [c for c in citations if question.supported_by(c["doc_id"], c["text"])]
    text = normalise(answer["answer"]) if not declined else ""
    said = [re.sub(r"\[\d+\]", "", unit.text).strip() for unit in split_units(answer["answer"])]
    repeated = any(restates(a, b, REPEATED_OVERLAP) for i, a in enumerate(said) for b in said[i + 1 :])
    quoted = [normalise(s) for c in citations for s in c["quoted"]]
    return QuestionScore(
        question,
        declined,
        latency_s,
        **writer,
        hit_at_1=_metric(HitRate(), ranking, 1),
        hit_at_5=_metric(HitRate(), ranking, 5),
        mrr_at_10=_metric(MRR(), ranking, 10),
        ndcg_at_10=_metric(NDCG(), ranking, 10),
        citation_precision=len(supporting) / len(citations) if citations and not declined else None,
        citation_recall=1.0 if supporting and not declined else 0.0,
        key_fact_recall=(
            sum(normalise(fact) in text for fact in question.key_facts) / len(question.key_facts)
            if question.key_facts
            else None
        ),
        answer_span_cited=(
            float(not declined and any(normalise(question.answer_span) in s for s in quoted))
            if question.answer_span
            else None
        ),
        repeated_statement=float(repeated) if not declined else None,
        gold_rank=ranking.index(_GOLD) + 1 if _GOLD in ranking else None,
    )
