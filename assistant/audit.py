"""The audit trail: who asked what, which documents (and access levels) were cited and
retrieved for them, and every failed login, in the same SQLite file as the ratings.

Append-only from the programs' side: this module inserts rows and deletes only rows older
than the retention period (at start-up); a trigger refuses every UPDATE. Times are UTC,
written ``YYYY-MM-DD HH:MM:SS`` so that text order is time order.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from assistant.answer import Answer
from assistant.fusion import Fused

QUESTION = "fråga"
SEARCH = "sökning"
LOGIN_FAILED = "misslyckad inloggning"
LOGIN_THROTTLED = "inloggning spärrad"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    event TEXT NOT NULL,
    user TEXT,
    role TEXT,
    channel TEXT NOT NULL,
    address TEXT,
    question TEXT,
    abstained INTEGER,
    cited TEXT NOT NULL,
    retrieved TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_created ON audit (created);
CREATE TRIGGER IF NOT EXISTS audit_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'granskningsloggen kan inte ändras'); END;
"""

COLUMNS = (
    "tid (UTC)",
    "händelse",
    "användare",
    "roll",
    "kanal",
    "adress",
    "fråga",
    "avstod",
    "citerade",
    "hämtade",
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


class Caller(Protocol):
    """Who asked: user name (None in local mode), role (None: full access), the way in
    ("app", "api", "openai", "mcp"). ``app.api.gateway.Caller`` has this shape; an object
    may also carry the client ``address``."""

    @property
    def name(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def channel(self) -> str: ...


@dataclass(frozen=True)
class AppCaller:
    """A Caller with the client's address, as the chat app knows it."""

    name: str | None
    role: str | None
    channel: str
    address: str | None = None


@dataclass(frozen=True)
class AuditFilter:
    """Which rows `assistant audit` lists: by user name, from a date or time on (``since``,
    ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``, UTC), and/or citing or retrieving a document
    (``doc``, its path as in the Dokument table)."""

    user: str | None = None
    since: str | None = None
    doc: str | None = None


class AuditLog:
    """The audit table in ``path`` (created when missing). ``record_answer`` and
    ``record_search`` are the audit seam (``app.api.gateway.AnswerRecorder``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def _insert(self, **row: Any) -> None:
        row = {"created": _now(), "cited": "[]", "retrieved": "[]"} | row
        names = ", ".join(row)
        with self._connect() as db:
            db.execute(
                f"INSERT INTO audit ({names}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
            )

    def record_answer(self, caller: Caller, question: str, history: tuple[str, ...], answer: Answer) -> None:
        """One answered question: who asked and how, whether the assistant abstained, and the
        cited and retrieved documents with their access levels (each document once, in
        answer order). ``history`` (the earlier questions) is not stored."""
        retrieved = _documents(_levels(answer.retrieved))
        levels = {d["doc_id"]: d["access"] for d in retrieved}  # every cited passage was retrieved
        cited = _documents((c.doc_id, levels.get(c.doc_id, "")) for c in answer.citations)
        self._question(caller, question, int(answer.abstained), cited, retrieved)

    def record_search(self, caller: Caller, question: str, passages: list[Fused]) -> None:
        """A passage search (API, MCP): the documents shown, as "retrieved"."""
        self._question(caller, question, None, [], _documents(_levels(passages)), event=SEARCH)

    def _question(self, caller: Caller, question: str, abstained, cited, retrieved, event: str = QUESTION):
        self._insert(
            event=event, user=caller.name, role=caller.role, channel=caller.channel,
            address=getattr(caller, "address", None), question=question, abstained=abstained,
            cited=json.dumps(cited, ensure_ascii=False), retrieved=json.dumps(retrieved, ensure_ascii=False),
        )  # fmt: skip

    def record_login(self, event: str, user: str, address: str | None) -> None:
        """A refused login (LOGIN_FAILED: wrong name or password; LOGIN_THROTTLED: refused
        unchecked because of earlier failures), with the name tried and the client's address."""
        self._insert(event=event, user=user, channel="inloggning", address=address)

    def purge(self, retention_days: int) -> int:
        """Delete rows older than ``retention_days`` days; the number deleted."""
        cutoff = (datetime.now(UTC) - timedelta(days=retention_days)).strftime("%Y-%m-%d %H:%M:%S")
        with self._connect() as db:
            return db.execute("DELETE FROM audit WHERE created < ?", (cutoff,)).rowcount

    def rows(self, wanted: AuditFilter = AuditFilter()) -> list[dict[str, Any]]:
        """The matching rows, oldest first, with ``cited``/``retrieved`` as lists of
        {"doc_id", "access"}."""
        clauses, values = [], []
        if wanted.user:
            clauses.append("user = ?")
            values.append(wanted.user)
        if wanted.since:
            clauses.append("created >= ?")
            values.append(_since(wanted.since))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = [dict(row) for row in db.execute(f"SELECT * FROM audit{where} ORDER BY id", values)]
        for row in rows:
            row["cited"], row["retrieved"] = json.loads(row["cited"]), json.loads(row["retrieved"])
        if wanted.doc:
            rows = [
                row for row in rows if any(d["doc_id"] == wanted.doc for d in row["cited"] + row["retrieved"])
            ]
        return rows


def _levels(passages: list[Fused]):
    return ((item.chunk.doc_id, str(item.chunk.metadata.get("access", ""))) for item in passages)


def _documents(pairs) -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for doc_id, access in pairs:
        seen.setdefault(doc_id, access)
    return [{"doc_id": doc_id, "access": access} for doc_id, access in seen.items()]


def _since(text: str) -> str:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]`` in the stored form; ValueError otherwise."""
    try:
        return datetime.fromisoformat(text.strip()).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"Ogiltigt datum '{text}': skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM.") from None


def _cells(row: dict[str, Any]) -> list[str]:
    def documents(items: list[dict[str, str]]) -> str:
        return "; ".join(f"{d['doc_id']} ({d['access']})" for d in items)

    abstained = {None: "", 0: "nej", 1: "ja"}[row["abstained"]]
    return [
        row["created"], row["event"], row["user"] or "", row["role"] or "", row["channel"],
        row["address"] or "", row["question"] or "", abstained,
        documents(row["cited"]), documents(row["retrieved"]),
    ]  # fmt: skip


def as_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV with a header line (documents as "path (level); ...")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


def as_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a plain-text table for a terminal, one row per line."""
    cells = [list(COLUMNS), *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in cells
    )
