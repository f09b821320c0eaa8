"""The answer the assistant gives, and its JSON form (the CLI contract other tools use)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.fusion import Fused


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
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[Fused]
    language: str
    writer: str = "extractive"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The stable `assistant ask --json` object."""
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
            **self.extra,
        }
