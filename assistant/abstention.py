"""When to say "Det framgår inte av materialet." instead of answering: the tiers of cosine bars.

Two signals, tuned on the corpus dev questions (evals/sets/dev.jsonl, table in
evals/README.md): the best cosine similarity between the question and the top passages
(EmbeddingGemma), and the share of the question's content (IDF-weighted) made of words the
material never uses ("budget", "lön", "telefonnummer" are the words of questions it cannot
answer). The fewer unknown words, the lower the bar; English questions have their own.
A learned abstention model was trained beside the learned sentence selector and measured
worse on the corpus sets (evals/README.md), so the tiers decide; the writer still declines
when the material says the thing is not stated, or lacks the number, date or contact asked
for (``answer_kind``).
"""

from __future__ import annotations

from kbcore.tuning import AbstentionSettings


def should_answer(policy: AbstentionSettings, language: str, similarity: float, unknown_share: float) -> bool:
    """Whether the best passage's cosine ``similarity`` is high enough to answer, given the
    question's ``language`` ("sv"/"en") and the share (0-1) of its words the material never uses."""
    if language == "en":
        return similarity >= policy.english_similarity
    if unknown_share <= policy.familiar_unknown_share:
        return similarity >= policy.familiar_similarity
    if unknown_share < policy.max_unknown_share:
        return similarity >= policy.weak_similarity
    return similarity >= policy.strong_similarity
