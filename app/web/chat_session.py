"""One browser tab's conversation on the server: its turns (answered, streaming or waiting
their turn), the lock that answers them one at a time in the order they were sent, and the
stop request. Kept on the server, keyed by Gradio's session hash, because the events of one
tab run concurrently (a question sent while another streams is its own event) and Gradio's
per-event state copies would not see each other.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from html import escape
from typing import Any

from app.web.render import answer_bubble

WAITING = "Väntar på tur: frågan besvaras när svaret ovan är klart."
STOPPED = "Svaret stoppades."


@dataclass
class Turn:
    """A question and, once answered, its `ask --json` answer; ``partial`` while streaming;
    ``stopped`` when the user stopped it; ``next_step`` a declined answer's suggestion;
    ``notice`` shown instead of an answer to a question that is not asked (a signed-out tab)."""

    question: str
    answer: dict[str, Any] | None = None
    partial: str = ""
    stopped: bool = False
    next_step: str = ""
    notice: str = ""


@dataclass
class ChatSession:
    """The conversation a tab shows. ``conversation_id`` is None until its first answer is
    stored. ``lock`` is held while a turn is answered."""

    conversation_id: int | None = None
    turns: list[Turn] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def history(self, before: Turn) -> list[str]:
        """The answered questions before ``before``, oldest first: the follow-up context."""
        questions = []
        for turn in self.turns:
            if turn is before:
                break
            if turn.answer is not None:
                questions.append(turn.question)
        return questions

    def answered(self) -> list[Turn]:
        return [turn for turn in self.turns if turn.answer is not None]

    def reset(self, conversation_id: int | None = None, turns: list[Turn] | None = None) -> None:
        """Show another conversation (or a new, empty one); unanswered turns are stopped."""
        for turn in self.turns:
            turn.stopped = turn.stopped or turn.answer is None
        self.conversation_id = conversation_id
        self.turns = list(turns or [])

    def messages(self) -> list[dict[str, str]]:
        """The chat's messages: each question, then its answer bubble (numbered among the
        answered turns, as its card ids are), the streamed text so far, or a waiting note."""
        messages: list[dict[str, str]] = []
        number = 0
        for turn in self.turns:
            messages.append({"role": "user", "content": turn.question})
            if turn.notice:
                content = turn.notice
            elif turn.answer is not None:
                number += 1
                content = answer_bubble(turn.answer, number, turn.next_step)
            elif turn.stopped:
                content = (
                    f"{escape(turn.partial)} <i>({STOPPED})</i>" if turn.partial else f"<i>{STOPPED}</i>"
                )
            else:
                content = escape(turn.partial) if turn.partial else f"<i>{WAITING}</i>"
            messages.append({"role": "assistant", "content": content})
        return messages

    def next_waiting(self) -> Turn | None:
        """The first turn neither answered nor stopped."""
        return next((t for t in self.turns if t.answer is None and not t.stopped), None)

    def stop(self) -> None:
        """Stop the turn being answered (or, if none has started, the next one)."""
        turn = self.next_waiting()
        if turn is not None:
            turn.stopped = True

    def answer_of(self, number: int) -> dict[str, Any] | None:
        """The ``number``-th answered turn's answer (1-based), None when there is none."""
        answered = self.answered()
        return answered[number - 1].answer if 0 < number <= len(answered) else None
