"""The answer the assistant gives, and its JSON form (the CLI contract other tools use)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from assistant.fusion import Fused
from assistant.query import Query


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    path: str
    page: int | None
    heading: str
    text: str
    quoted: tuple[str, ...] = ()  # the sentences of `text` the answer quotes

    @classmethod
    def from_fused(cls, n: int, item: Fused, quoted: tuple[str, ...]) -> Citation:
        meta = item.chunk.metadata
        page = int(meta.get("page") or 0)
        return cls(
            n=n,
            doc_id=str(meta.get("doc_id", "")),
            title=str(meta.get("title", "")),
            path=str(meta.get("path", "")),
            page=page or None,
            heading=str(meta.get("heading", "")),
            text=item.chunk.text,
            quoted=quoted,
        )


@dataclass(frozen=True)
class Removed:
    """A generated sentence the verifier did not let through, and why (Swedish, for the user)."""

    sentence: str
    reason: str


@dataclass(frozen=True)
class Generation:
    """How the language model did: its name, and either the seconds the whole answer took and
    the instruction-like sentences withheld from it, or the error that stopped it."""

    model: str
    seconds: float | None = None
    withheld_instructions: list[str] | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Answer:
    """What the assistant says to one question.

    ``retrieved`` are the fused passages, best first; ``writer`` is "extractive" or
    "generative" (who wrote the text shown). ``search_text`` is set when a follow-up was
    searched together with its conversation. The generative writer fills ``generation``
    and ``removed`` (and ``attributed`` when its own text is shown); ``notice`` says why
    sentences were removed or why the quoted answer stands in.
    """

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[Fused]
    language: str
    writer: str = "extractive"
    search_text: str | None = None
    notice: str | None = None
    removed: tuple[Removed, ...] | None = None
    attributed: tuple[str, ...] | None = None
    generation: Generation | None = None

    @classmethod
    def of(
        cls,
        query: Query,
        text: str,
        abstained: bool,
        citations: list[Citation],
        retrieved: list[Fused],
        **fields: Any,
    ) -> Answer:
        """The answer to ``query``: its question, language and (for a follow-up) search text."""
        fields["search_text"] = query.search_text if query.context else None
        return cls(query.question, text, abstained, citations, retrieved, query.language, **fields)

    def to_json(self) -> dict[str, Any]:
        """The stable `assistant ask --json` object; the optional keys appear only when set."""
        optional = {
            "removed": None if self.removed is None else [asdict(r) for r in self.removed],
            "attributed": None if self.attributed is None else list(self.attributed),
            "generation": self.generation and self.generation.to_json(),
            "notice": self.notice,
            "search_text": self.search_text,
        }
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "writer": self.writer,
            "citations": [
                {key: value for key, value in asdict(c).items() if key != "quoted"}
                | {"quoted": list(c.quoted)}
                for c in self.citations
            ],
            "retrieved": [
                {
                    "chunk_id": item.chunk.chunk_id,
                    "doc_id": item.chunk.doc_id,
                    "title": str(item.chunk.metadata.get("title", "")),
                    "heading": str(item.chunk.metadata.get("heading", "")),
                    "path": str(item.chunk.metadata.get("path", "")),
                    "score": round(item.score, 6),
                    "text": item.chunk.text,
                }
                for item in self.retrieved
            ],
        } | {key: value for key, value in optional.items() if value is not None}
