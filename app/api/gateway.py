"""The one way in for the OpenAI-compatible API and the MCP server: who is asking, the
question checked, the Assistant's answer or passages for that asker's role, and the audit
seam every answer and search passes through.

The audit seam: ``Gateway`` calls ``recorder.record_answer(...)`` once for every answer it
hands out (after the last streamed piece) and ``recorder.record_search(...)`` for every
passage search. ``assistant.audit.AuditLog`` implements ``AnswerRecorder``; the server and
the MCP program pass theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from assistant.answer import Answer
from assistant.catalog import ACTOR_COLUMNS, DECISION_COLUMNS
from assistant.fusion import Fused
from assistant.query import has_content
from assistant.service import Assistant
from assistant.texts import EMPTY_QUESTION


@dataclass(frozen=True)
class Caller:
    """Who is asking: the user name (None in local mode and for stdio MCP), the role (None
    means full access, as in local mode and the CLI) and the way in ("openai", "mcp")."""

    name: str | None
    role: str | None
    channel: str


class AnswerRecorder(Protocol):
    """The audit seam: told about every answer and search the API and MCP hand out."""

    def record_answer(self, caller: Caller, question: str, history: tuple[str, ...], answer: Answer) -> None:
        """One answer given to ``caller`` for ``question`` asked after ``history`` (oldest first)."""

    def record_search(self, caller: Caller, question: str, passages: list[Fused]) -> None:
        """The passages (best first) a search for ``question`` showed ``caller``."""


def checked_question(question: str | None) -> str:
    """The question stripped; ValueError(EMPTY_QUESTION) when it holds no letter or digit
    (empty, blank, or only punctuation such as "???")."""
    if not has_content(question):
        raise ValueError(EMPTY_QUESTION)
    return (question or "").strip()


class Gateway:
    """The Assistant as the API and MCP see it: every call is made for a Caller's role and
    recorded through the ``AnswerRecorder``."""

    def __init__(self, assistant: Assistant, recorder: AnswerRecorder) -> None:
        self.assistant = assistant
        self.recorder = recorder

    def ask_stream(
        self, caller: Caller, question: str, history: tuple[str, ...] = ()
    ) -> Iterator[str | Answer]:
        """As ``Assistant.ask_stream`` for the caller's role; the answer is recorded before
        it is yielded last. ValueError for a content-free question (before anything runs)."""
        question = checked_question(question)
        history = tuple(turn for turn in history if turn.strip())
        for item in self.assistant.ask_stream(question, role=caller.role, history=history):
            if isinstance(item, Answer):
                self.recorder.record_answer(caller, question, history, item)
            yield item

    def ask(self, caller: Caller, question: str, history: tuple[str, ...] = ()) -> Answer:
        """The whole answer (see ``ask_stream``)."""
        *_, answer = self.ask_stream(caller, question, history)
        assert isinstance(answer, Answer)
        return answer

    def search(self, caller: Caller, question: str, count: int) -> list[Fused]:
        """The ``count`` best passages the caller may read, best first, recorded."""
        question = checked_question(question)
        passages = self.assistant.search(question, role=caller.role, top_k=count).fused
        self.recorder.record_search(caller, question, passages)
        return passages

    def register(self, caller: Caller, which: str) -> list[dict[str, str]]:
        """The decision ("beslut") or actor ("aktorer") register as the caller may read it,
        one dict per row keyed by the column names."""
        catalog = self.assistant.catalog
        rows, columns = {
            "beslut": (catalog.decision_rows, DECISION_COLUMNS),
            "aktorer": (catalog.actor_rows, ACTOR_COLUMNS),
        }[which]
        rank = self.assistant.settings.access_rank(caller.role)
        return [dict(zip(columns, row, strict=True)) for row in rows(rank)]
