"""The metrics mean what the report says they mean."""

from __future__ import annotations

import math

import pytest
from llama_index.core.evaluation.retrieval.metrics import NDCG

from evals.gate import violations
from evals.questions import GoldPassage, Question
from evals.scoring import score_answer
from evals.summary import slices

QUESTION = Question(
    id="q1",
    group="styrgrupp",
    language="sv",
    question="Vem utser referensgruppen?",
    answerable=True,
    gold=(GoldPassage("corpus/a.md", "Styrgruppen utser en referensgrupp"), GoldPassage("corpus/b/")),
    key_facts=("Styrgruppen", "förberedelsefasen"),
)


def _item(chunk_id: str, doc_id: str, text: str) -> dict:
    return {"chunk_id": chunk_id, "doc_id": doc_id, "text": text}


def _answer(retrieved: list[dict], cited: list[dict], text: str, abstained: bool = False) -> dict:
    citations = [{"doc_id": c["doc_id"], "text": c["text"], "quoted": [c["text"]]} for c in cited]
    return {"answer": text, "abstained": abstained, "citations": citations, "retrieved": retrieved}


GOLD_A = _item("a::1", "corpus/a.md", "Styrgruppen utser en\nreferensgrupp i samband med starten.")
GOLD_B = _item("b::1", "corpus/b/x.md", "Annan text om samma sak.")
OTHER = _item("c::1", "corpus/c.md", "Något helt annat.")


def test_llama_index_ndcg_scores_a_perfect_single_gold_ranking_as_one():
    assert NDCG().compute(expected_ids=["g"], retrieved_ids=["g", "x", "y"]).score == 1.0
    assert NDCG().compute(expected_ids=["g"], retrieved_ids=["x", "g"]).score == pytest.approx(
        1 / math.log2(3)
    )


def test_retrieval_metrics_count_the_first_supporting_passage_as_the_gold_one():
    answer = _answer([OTHER, GOLD_A, GOLD_B], [GOLD_A], "Styrgruppen utser en referensgrupp.")
    score = score_answer(QUESTION, answer, 0.1, "chunk")
    assert (score.hit_at_1, score.hit_at_5, score.gold_rank) == (0.0, 1.0, 2)
    assert score.mrr_at_10 == 0.5
    assert score.ndcg_at_10 == pytest.approx(1 / math.log2(3))  # GOLD_B is an alternative, not a second gold


def test_citation_and_key_fact_figures():
    answer = _answer([GOLD_A, OTHER], [GOLD_A, OTHER], "Styrgruppen utser en referensgrupp. [1]")
    score = score_answer(QUESTION, answer, 0.1, "chunk")
    assert score.citation_precision == 0.5
    assert score.citation_recall == 1.0
    assert score.key_fact_recall == 0.5  # "förberedelsefasen" is missing


def test_an_abstention_on_an_answerable_question_scores_nothing_and_counts_as_false():
    declined = _answer([GOLD_A], [], "Det framgår inte av materialet.", abstained=True)
    unanswerable = Question("q2", "styrgrupp", "sv", "Hur stor är budgeten?", answerable=False)
    scores = [
        score_answer(QUESTION, declined, 0.2, "chunk"),
        score_answer(unanswerable, declined, 0.4, "chunk"),
    ]
    assert scores[0].key_fact_recall == 0.0 and scores[0].citation_recall == 0.0
    row = slices(scores)["alla"]
    assert (row["false_abstention"], row["correct_abstention"]) == (1.0, 1.0)
    assert (row["answerable"], row["unanswerable"], row["latency_median_ms"]) == (1, 1, 300)


def test_the_gate_names_each_missed_threshold():
    report = {"sets": {"corpus": {"slices": {"alla": {"hit@5": 0.9, "false_abstention": 0.3}}}}}
    gate = {
        "corpus": {"min": {"hit@5": 0.95}, "max": {"false_abstention": 0.2}},
        "haystack": {"min": {"hit@5": 1}},
    }
    missed = violations(report, gate)
    assert len(missed) == 2 and "hit@5" in missed[0] and "false_abstention" in missed[1]
