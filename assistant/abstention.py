"""When to say "Det framgår inte av materialet." instead of answering.

Two signals, tuned on the corpus dev questions (evals/sets/dev.jsonl, table in
evals/README.md):
- the best cosine similarity between the question and the top passages (EmbeddingGemma);
- the share of the question's content (IDF-weighted) made of words the material never uses
  (compounds of its words count as known): "budget", "lön", "telefonnummer" are the words
  of questions it cannot answer.
The fewer unknown words, the lower the similarity bar: a question in the material's own
words ("Hur ska länet växa?") is answered even at a low cosine, one full of foreign words
only at a clearly high one. English questions match Swedish text with lower similarity, so
they have their own bar and no vocabulary test. After this gate, the writer still declines
when the material says the thing is not stated, or when the question asks for a number,
year or contact detail that no chosen sentence holds (``answer_type``).
"""

from __future__ import annotations

import re

from kbcore.tuning import AbstentionSettings

# The material's own statements that something is not stated or not yet decided
# ("Kontaktuppgifter anges inte i materialet."): when one of them is the best match for a
# question, it is the answer, and the assistant declines with it as the citation.
_STATES_ABSENCE = re.compile(
    r"\b(framgår|anges|nämns|står) inte\b|\binte (beslutat|beslutade|bestämt)\b", re.I
)


def states_absence(sentence: str) -> bool:
    return bool(_STATES_ABSENCE.search(sentence))


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
