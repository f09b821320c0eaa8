"""The real Swedish question sets from ``../shared/data``, each as its own corpus.

SweQUAD-MC (Kalpakchi & Boye 2021) and SweFAQ v2.0 from SuperLim 2 (Språkbanken), both
CC BY 4.0. Each passage becomes one text file, indexed into its own folder under
``.index/evals/<name>``. Tune on ``swequad_mc`` (train/dev) and ``swefaq_dev``;
``blind/`` is the held-out test and is only ever scored, never tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evals.questions import GoldPassage, Question, read_jsonl

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class ExternalSet:
    name: str
    passages: Path
    questions: Path
    gold_field: str
    splits: tuple[str, ...] | None  # None: every question in the file
    index_name: str  # the passages' index folder, shared by sets over the same passages

    def load(self, splits: tuple[str, ...] | None = None) -> list[Question]:
        wanted = splits or self.splits
        return [
            Question(
                id=row["id"],
                group=self.name,
                language="sv",
                question=row["question"],
                answerable=True,
                gold=(GoldPassage(f"corpus/{row[self.gold_field]}.txt"),),
                answer_span=row["answer"] if row.get("answer_span_matches_context") else None,
            )
            for row in read_jsonl(self.questions)
            if wanted is None or row.get("split") in wanted
        ]

    def write_corpus(self, folder: Path) -> Path:
        """One .txt per passage, named by its id; rewritten only when its text changed."""
        corpus = folder / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for row in read_jsonl(self.passages):
            path = corpus / f"{row['id']}.txt"
            if not path.is_file() or path.read_text(encoding="utf-8") != row["passage"]:
                path.write_text(row["passage"], encoding="utf-8")
        return corpus


_SWEQUAD = DATA / "swequad_mc/passages.jsonl"
_SWEFAQ = DATA / "swefaq_dev/passages.jsonl"

EXTERNAL_SETS = {
    s.name: s
    for s in (
        ExternalSet(
            "swequad_mc", _SWEQUAD, DATA / "swequad_mc/qa.jsonl", "passage_id", ("dev",), "swequad_mc"
        ),
        ExternalSet(
            "swefaq_dev", _SWEFAQ, DATA / "swefaq_dev/qa.jsonl", "gold_passage_id", None, "swefaq_dev"
        ),
        ExternalSet(
            "blind_swequad", _SWEQUAD, DATA / "blind/swequad_test.jsonl", "passage_id", None, "swequad_mc"
        ),
        ExternalSet(
            "blind_swefaq", _SWEFAQ, DATA / "blind/swefaq_test.jsonl", "gold_passage_id", None, "swefaq_dev"
        ),
    )
}
