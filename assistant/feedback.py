"""Ratings of answers, kept in SQLite with the question, the answer and its citations, and
exported as a draft question set for evals/ (a person then checks the gold and facts)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    user TEXT,
    role TEXT,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    language TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL
)
"""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record(
        self,
        answer: dict[str, Any],
        rating: int,
        comment: str,
        user: str | None,
        role: str | None,
        history: list[str],
    ) -> int:
        """Store one rating (+1 or -1) of an answer (the `ask --json` object)."""
        citations = [
            {"doc_id": c["doc_id"], "heading": c["heading"], "quoted": c["quoted"]}
            for c in answer["citations"]
        ]
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, user, role, question, history, answer, abstained, language,"
                " citations, rating, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.strftime("%Y-%m-%d %H:%M:%S"), user, role, answer["question"],
                    json.dumps(history, ensure_ascii=False), answer["answer"], int(answer["abstained"]),
                    answer["language"], json.dumps(citations, ensure_ascii=False), rating, comment.strip(),
                ),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def rows(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM feedback ORDER BY id")]

    def export_draft(self, path: Path) -> int:
        """One JSONL line per rated answer in the evals/sets schema. A good answer's quoted
        sentences become its gold; a poor one is marked for a person to write the gold."""
        lines = []
        for row in self.rows():
            citations = json.loads(row["citations"])
            good = row["rating"] > 0
            item: dict[str, Any] = {
                "id": f"feedback-{row['id']}",
                "group": row["role"] or "okand",
                "language": row["language"],
                "question": row["question"],
                "answerable": not row["abstained"] if good else None,
                "rating": row["rating"],
                "comment": row["comment"],
                "answer": row["answer"],
                "review": "kontrollera guld och nyckelfakta" if good else "betygsatt dåligt: skriv rätt svar",
            }
            if json.loads(row["history"]):
                item["history"] = json.loads(row["history"])
            if good and not row["abstained"]:
                item["gold"] = [
                    {"doc": c["doc_id"], "quote": c["quoted"][0]} for c in citations if c["quoted"]
                ]
                item["key_facts"] = []
            lines.append(json.dumps(item, ensure_ascii=False))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return len(lines)
