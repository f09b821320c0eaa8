"""When to say "Det framgår inte av materialet." instead of answering.

Two signals, both measured on the corpus dev questions (evals/sets/dev.jsonl):
- the best cosine similarity between the question and the top passages (EmbeddingGemma):
  every answerable Swedish question reached 0.47, most unanswerable ones stayed below 0.46;
- the share of the question's content (IDF-weighted) made of words the material never uses:
  "budget", "lön", "telefonnummer" are the words of questions it cannot answer.
A Swedish question is answered when the similarity is clearly high, or moderately high with
most of its words known. English questions match Swedish text with lower similarity, so they
have their own, lower bar and no vocabulary test.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbcore.settings import Settings


@dataclass(frozen=True)
class AbstentionPolicy:
    strong_similarity: float = 0.50
    weak_similarity: float = 0.44
    max_unknown_share: float = 0.5
    english_similarity: float = 0.40

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstentionPolicy:
        return cls(
            settings.abstain_strong_similarity,
            settings.abstain_weak_similarity,
            settings.abstain_max_unknown_share,
            settings.abstain_english_similarity,
        )

    def should_answer(self, language: str, similarity: float, unknown_share: float) -> bool:
        if language == "en":
            return similarity >= self.english_similarity
        if similarity >= self.strong_similarity:
            return True
        return similarity >= self.weak_similarity and unknown_share < self.max_unknown_share
