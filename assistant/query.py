"""One question on its way through retrieval and the writers, as a value: what was asked, in
which conversation and language, by whom, and (after retrieval) its embedding."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from assistant.followup import context_of
from assistant.language import detect_language
from kbcore.text import normalize_question
from kbcore.tuning import FollowupSettings


def has_content(question: str | None) -> bool:
    """Whether a question holds a letter or digit at all ("   " and "???" do not): a
    content-free question is answered with ``texts.EMPTY_QUESTION``, never with passages."""
    return any(character.isalnum() for character in normalize_question(question or ""))


@dataclass(frozen=True)
class Query:
    """A question ready to search and answer.

    - ``question``: as asked, stripped.
    - ``history``: the conversation's earlier questions, oldest first, stripped, empty ones dropped.
    - ``context``: the earlier conversation's search text when the question leans on it, else "".
    - ``language``: "sv" or "en"; the answer and the abstention phrase follow it.
    - ``max_rank``: the highest access rank the asker may read (0 = oppen).
    - ``embedding``: the unit-length query vector of ``search_text``; None before retrieval.
    """

    question: str
    history: tuple[str, ...]
    context: str
    language: str
    max_rank: int
    embedding: np.ndarray | None = None

    @classmethod
    def ask(
        cls, question: str, history: list[str] | tuple[str, ...], max_rank: int, followups: FollowupSettings
    ) -> Query:
        """The Query for ``question`` asked after ``history`` by someone who may read ``max_rank``;
        the question and history in the index's Unicode form (NFC, no soft hyphens)."""
        question = normalize_question(question)
        earlier = tuple(normalize_question(turn) for turn in history if turn.strip())
        return cls(
            question, earlier, context_of(question, earlier, followups), detect_language(question), max_rank
        )

    @property
    def search_text(self) -> str:
        """What both channels search for: the question, after its conversation when it leans on it."""
        return f"{self.context} {self.question}".strip()

    def embedded(self, embedding: np.ndarray) -> Query:
        """The same query with its embedding."""
        return replace(self, embedding=embedding)
