"""Evaluation questions and what counts as their gold support.

Corpus sets are JSONL written from the material (``evals/sets/``); one line per question:

    {"id", "group", "language", "question", "answerable",
     "history": [earlier questions]            (two-turn conversations),
     "gold": [{"doc": "corpus/...", "quote": "..."}],  (answerable only)
     "key_facts": ["...", ...]}                (answerable only)

``gold`` lists alternatives: the material repeats some facts (a decision record quotes the
summary), and any passage holding one of the quotes supports the answer. A ``doc`` ending in
"/" stands for every document in that folder. External sets (SweQUAD-MC, SweFAQ) have one
gold document per question and no quote: any chunk of it supports the answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case and line breaks do not matter when a quote or fact is looked for."""
    return _SPACE.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class GoldPassage:
    doc: str
    quote: str | None = None

    def supports(self, doc_id: str, text: str) -> bool:
        same_doc = doc_id.startswith(self.doc) if self.doc.endswith("/") else doc_id == self.doc
        return same_doc and (self.quote is None or normalise(self.quote) in normalise(text))


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    language: str
    question: str
    answerable: bool
    history: tuple[str, ...] = ()
    gold: tuple[GoldPassage, ...] = ()
    key_facts: tuple[str, ...] = ()
    answer_span: str | None = None  # SweQUAD-MC: the gold answer, a span of the passage

    def supported_by(self, doc_id: str, text: str) -> bool:
        return any(gold.supports(doc_id, text) for gold in self.gold)

    @property
    def follow_up(self) -> bool:
        return bool(self.history)


class QuestionFileError(ValueError):
    """A question set that cannot be scored; names the file and the line."""


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_question_file(path: Path) -> list[Question]:
    questions = []
    for number, row in enumerate(read_jsonl(path), start=1):
        try:
            answerable = bool(row["answerable"])
            gold = tuple(GoldPassage(g["doc"], g.get("quote")) for g in row.get("gold", ()))
            if answerable and not gold:
                raise KeyError("gold")
            questions.append(
                Question(
                    id=row["id"],
                    group=row["group"],
                    language=row["language"],
                    question=row["question"],
                    answerable=answerable,
                    history=tuple(row.get("history", ())),
                    gold=gold,
                    key_facts=tuple(row.get("key_facts", ())),
                )
            )
        except KeyError as missing:
            raise QuestionFileError(f"{path}, rad {number}: fältet {missing} saknas") from None
    return questions
