"""Retrieval quality of each channel and of the fusion on the real Swedish sets.

Runs the product's own ingest and retrieval: each set's passages become a corpus of one
text file per passage, indexed into its own folder under ``.index/evals/`` (incremental, so
a second run costs no embedding), and every question is asked through the same BM25 view,
Chroma query and fusion the assistant uses. MRR@10 counts a passage once, at its best chunk.

    python -m evals.retrieval [--sets swequad_mc swefaq_dev] [--split train,dev]

Data: SweQUAD-MC (Kalpakchi & Boye 2021) and SweFAQ v2.0 from SuperLim 2 (Språkbanken),
both CC BY 4.0, from ../shared/data. Tune on these; never on ../shared/data/blind.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.fusion import bm25_weight, fuse, reciprocal_rank_fusion
from evals.datasets import EXTERNAL_SETS, ExternalSet
from kbcore.settings import Settings, get_settings
from kbcore.store import ScoredChunk
from kbcore.tuning import FusionSettings

SETS = {name: EXTERNAL_SETS[name] for name in ("swequad_mc", "swefaq_dev")}


def passage_ranking(results: list, limit: int = 10) -> list[str]:
    """Passage ids in rank order, each once (its best chunk), at most ``limit``."""
    ranking: list[str] = []
    for item in results:
        passage = Path(str(item.chunk.metadata["doc_id"])).stem
        if passage not in ranking:
            ranking.append(passage)
        if len(ranking) == limit:
            break
    return ranking


def reciprocal_rank(ranking: list[str], gold: str) -> float:
    return 1.0 / (ranking.index(gold) + 1) if gold in ranking else 0.0


@dataclass(frozen=True)
class QuestionRun:
    lexical: list[ScoredChunk]
    dense: list[ScoredChunk]
    coverage: float  # share of the question in BM25's best chunk (the fusion's switch)
    gold: str


Ranker = Callable[[QuestionRun], list]


def channel_runs(
    eval_set: ExternalSet, settings: Settings, splits: tuple[str, ...] | None
) -> list[QuestionRun]:
    """Ingest the set (incrementally) and collect both channels' candidates per question."""
    from assistant.service import Assistant
    from ingest.sync import ADDED, UNCHANGED, run_ingest
    from kbcore.embedder import get_embedder

    folder = Path(settings.index_dir) / "evals" / eval_set.index_name
    set_settings = settings.model_copy(update={"index_dir": folder, "default_access": "oppen"})
    corpus = eval_set.write_corpus(folder)
    report = run_ingest([str(corpus)], set_settings, get_embedder(set_settings), progress=True)
    print(
        f"{eval_set.name}: indexering {report.seconds:.0f} s "
        f"({report.count(ADDED)} nya, {report.count(UNCHANGED)} oförändrade)"
    )
    assistant = Assistant(set_settings)
    questions = eval_set.load(splits)
    embeddings = assistant.embedder.embed_queries([q.question for q in questions])
    runs: list[QuestionRun] = []
    for question, embedding in zip(questions, embeddings):
        lexical, dense = assistant.retriever.candidates(question.question, embedding, max_rank=3)
        coverage = assistant.retriever.lexical_coverage(question.question, lexical)
        runs.append(QuestionRun(lexical, dense, coverage, Path(question.gold[0].doc).stem))
    return runs


def mrr(runs: list[QuestionRun], rank: Ranker) -> float:
    return sum(reciprocal_rank(passage_ranking(rank(run)), run.gold) for run in runs) / len(runs)


def systems(config: FusionSettings) -> dict[str, Ranker]:
    """The product's fusion and what it was chosen against."""
    fixed = {
        f"Fixed weight, BM25 {w}": (lambda run, w=w: fuse(run.lexical, run.dense, w)) for w in (0.2, 0.5, 0.7)
    }
    return {
        "BM25 (Snowball sv, no stopwords)": lambda run: run.lexical,
        "EmbeddingGemma (dense)": lambda run: run.dense,
        "RRF k=60, equal weights": lambda run: reciprocal_rank_fusion(run.lexical, run.dense),
        **fixed,
        "Query-adaptive weight (default)": lambda run: fuse(
            run.lexical, run.dense, bm25_weight(config, run.coverage)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--split", default="train,dev", help="comma-separated SweQUAD-MC splits")
    args = parser.parse_args(argv)
    settings = get_settings()
    splits = tuple(args.split.split(","))
    config = settings.fusion
    table: dict[str, dict[str, float]] = {}
    for name in args.sets:
        runs = channel_runs(SETS[name], settings, splits)
        table[name] = {system: mrr(runs, rank) for system, rank in systems(config).items()}
        table[name]["questions"] = len(runs)
    print("\n| system | " + " | ".join(f"{n} MRR@10 ({int(table[n]['questions'])} q)" for n in table) + " |")
    print("|---|" + "---|" * len(table))
    for system in systems(config):
        print(f"| {system} | " + " | ".join(f"{table[n][system]:.3f}" for n in table) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
