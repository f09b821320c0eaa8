"""Conversations kept per user in SQLite (the feedback database, its own tables): each turn
is the question and the whole `ask --json` answer, so a reopened conversation shows every
answer with its own sources and continues with the same context.

Local single-user mode stores its conversations under the user name ``LOCAL_USER``.
Every method takes the user and touches only that user's conversations.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOCAL_USER = "lokal"
TITLE_CHARS = 60  # a list entry and a card header show at most this much of a question

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user TEXT NOT NULL,
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS conversation_turns (
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        PRIMARY KEY (conversation_id, number)
    )""",
)


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters plus "…"."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,.;:") + "…"


@dataclass(frozen=True)
class Summary:
    """One entry of a user's list: id, title and the time of the last turn (local time text)."""

    id: int
    title: str
    updated: str


class ConversationStore:
    """SQLite tables ``conversations`` and ``conversation_turns`` in the file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def create(self, user: str, first_question: str) -> int:
        """A new conversation titled after its first question; returns its id."""
        now = time.strftime("%Y-%m-%d %H:%M")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO conversations (user, title, created, updated) VALUES (?, ?, ?, ?)",
                (user, shorten(first_question), now, now),
            )
            return int(cursor.lastrowid or 0)

    def add_turn(self, user: str, conversation_id: int, question: str, answer: dict[str, Any]) -> None:
        """Append a turn; a conversation of another user is left untouched."""
        with self._connect() as db:
            if not _owns(db, user, conversation_id):
                return
            (number,) = db.execute(
                "SELECT COUNT(*) FROM conversation_turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
            db.execute(
                "INSERT INTO conversation_turns VALUES (?, ?, ?, ?)",
                (conversation_id, number + 1, question, json.dumps(answer, ensure_ascii=False)),
            )
            db.execute(
                "UPDATE conversations SET updated = ? WHERE id = ?",
                (time.strftime("%Y-%m-%d %H:%M"), conversation_id),
            )

    def list(self, user: str) -> list[Summary]:
        """The user's conversations, the latest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, title, updated FROM conversations WHERE user = ? ORDER BY updated DESC, id DESC",
                (user,),
            ).fetchall()
        return [Summary(*row) for row in rows]

    def turns(self, user: str, conversation_id: int) -> list[tuple[str, dict[str, Any]]]:
        """(question, answer) per turn in order; empty for another user's conversation."""
        with self._connect() as db:
            if not _owns(db, user, conversation_id):
                return []
            rows = db.execute(
                "SELECT question, answer FROM conversation_turns WHERE conversation_id = ? ORDER BY number",
                (conversation_id,),
            ).fetchall()
        return [(question, json.loads(answer)) for question, answer in rows]

    def rename(self, user: str, conversation_id: int, title: str) -> None:
        title = shorten(title)
        if title:
            with self._connect() as db:
                db.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND user = ?",
                    (title, conversation_id, user),
                )

    def delete(self, user: str, conversation_id: int) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM conversations WHERE id = ? AND user = ?", (conversation_id, user))


def _owns(db: sqlite3.Connection, user: str, conversation_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM conversations WHERE id = ? AND user = ?", (conversation_id, user)
    ).fetchone()
    return row is not None
