"""An answer as plain text for chat front ends and MCP clients: the answer with its [n]
markers, any notice, and a "Källor:" list, so the sources show wherever the text does."""

from __future__ import annotations

from typing import Any

from assistant.answer import Answer

SOURCES_HEADING = "Källor:"


def sources_block(answer: Answer) -> str:
    """ "\\n\\nKällor:\\n[1] Titel – Rubrik, s. 3 (sökväg)" per citation; "" without citations."""
    if not answer.citations:
        return ""
    lines = [f"[{c.n}] {c.describe()} ({c.path})" for c in answer.citations]
    return "\n\n" + "\n".join([SOURCES_HEADING, *lines])


def notice_block(answer: Answer) -> str:
    """ "\\n\\nOBS: ..." when the answer carries a notice (e.g. why the quoted answer stands in)."""
    return f"\n\nOBS: {answer.notice}" if answer.notice else ""


def reply_text(answer: Answer) -> str:
    """The whole reply: answer, notice, sources."""
    return answer.answer + notice_block(answer) + sources_block(answer)


def answer_details(answer: Answer) -> dict[str, Any]:
    """The structured part riding along with the text: abstained, writer, notice and the
    citations as in `assistant ask --json` (n, doc_id, title, path, page, heading, text, quoted)."""
    data = answer.to_json()
    return {key: data[key] for key in ("abstained", "writer", "citations")} | (
        {"notice": answer.notice} if answer.notice else {}
    )
