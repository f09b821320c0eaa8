"""Which sets there are, and running one: bring its index up to date, ask every question
through the assistant (the `ask --json` object), score the answers."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evals.datasets import DATA, EXTERNAL_SETS, ExternalSet
from evals.questions import Question, QuestionFileError, load_question_file
from evals.scoring import QuestionScore, score_answer
from kbcore.settings import Settings

SETS_DIR = Path(__file__).resolve().parent / "sets"
CORPUS_SETS = SETS_DIR / "corpus"
KNOWN_SETS = ("corpus", "dev", "haystack", "distraktorer", *EXTERNAL_SETS, "blind")
DISTRACTOR_SAMPLE = 40
"""Reference documents beside the corpus in the `distraktorer` set, a small stand-in for
`haystack`: a fixed sample of ``../shared/data/regeringen/md`` (the files whose names'
SHA-256 sort first), ingested in about a minute on two cores."""


def distractor_sample(count: int = DISTRACTOR_SAMPLE) -> list[Path]:
    """The fixed sample of regeringen.se pages: the same files on every machine."""
    files = (DATA / "regeringen" / "md").glob("*.md")
    return sorted(files, key=lambda p: hashlib.sha256(p.name.encode()).hexdigest())[:count]


@dataclass(frozen=True)
class EvalTarget:
    name: str
    questions: list[Question]
    index_dir: Path
    sources: tuple[Path, ...] = ()
    external: ExternalSet | None = None  # its passages are written out as the corpus
    rank_by: str = "chunk"  # "document" where a document is one passage
    # folders of its sources that are reference material (``FusionSettings.reference_folders``)
    reference_folders: tuple[str, ...] = ()


@dataclass
class SetRun:
    target: EvalTarget
    scores: list[QuestionScore]
    ingest: str
    startup_s: float
    answers: list[dict[str, Any]] = field(default_factory=list)


# The regeringen.se pages beside the corpus are reference material, as a deployment marks
# what it adds beside the platform's own documents (a folder named "referens", or front
# matter "type: referens").
_REFERENCE = {"reference_folders": ("regeringen",)}


def corpus_questions(folder: Path = CORPUS_SETS) -> list[Question]:
    return [q for path in sorted(folder.glob("*.jsonl")) for q in load_question_file(path)]


def resolve(names: Iterable[str], settings: Settings) -> list[EvalTarget]:
    """Set names (or paths to question files over corpus/) -> what to run, in order."""
    evals_index = Path(settings.index_dir) / "evals"
    targets: list[EvalTarget] = []
    for name in names:
        if name == "corpus":
            targets.append(EvalTarget(name, corpus_questions(), settings.index_dir, (settings.corpus_dir,)))
        elif name == "dev":
            questions = load_question_file(SETS_DIR / "dev.jsonl")
            targets.append(EvalTarget(name, questions, settings.index_dir, (settings.corpus_dir,)))
        elif name == "haystack":
            sources = (settings.corpus_dir, DATA / "regeringen" / "md")
            targets.append(
                EvalTarget(name, corpus_questions(), evals_index / "haystack", sources, **_REFERENCE)
            )
        elif name == "distraktorer":
            sources = (settings.corpus_dir, *distractor_sample())
            targets.append(
                EvalTarget(name, corpus_questions(), evals_index / "distraktorer", sources, **_REFERENCE)
            )
        elif name == "blind":
            targets.extend(resolve(("blind_swequad", "blind_swefaq"), settings))
        elif name in EXTERNAL_SETS:
            external = EXTERNAL_SETS[name]
            index = evals_index / external.index_name
            targets.append(EvalTarget(name, external.load(), index, external=external, rank_by="document"))
        elif Path(name).suffix == ".jsonl" and Path(name).is_file():
            questions = load_question_file(Path(name))
            targets.append(EvalTarget(Path(name).stem, questions, settings.index_dir, (settings.corpus_dir,)))
        else:
            raise ValueError(
                f"Okänd utvärderingsmängd: {name} (finns: {', '.join(KNOWN_SETS)} eller en .jsonl)"
            )
    return targets


def _check_gold_exists(questions: list[Question], chunks: list) -> None:
    """A gold quote that no passage the writer can cite holds (an indexed chunk, or a
    document's record card of front-matter fields, ``assistant.record_fields``) is a typo in
    the set, not a system miss."""
    from assistant.record_fields import record_card

    cards = {chunk.doc_id: record_card(chunk) for chunk in chunks}
    citable = [*chunks, *(card for card in cards.values() if card is not None)]
    missing = [
        q.id for q in questions if q.answerable and not any(q.supported_by(c.doc_id, c.text) for c in citable)
    ]
    if missing:
        raise QuestionFileError(f"Inget indexerat stycke innehåller guldcitatet för: {', '.join(missing)}")


def prepare_index(target: EvalTarget, settings: Settings, progress: bool = True) -> tuple[Settings, str]:
    """Bring a set's index up to date; returns the settings that point at it and a line
    saying what the ingest did."""
    from ingest.sync import ADDED, CHANGED, FAILED, UNCHANGED, run_ingest
    from kbcore.embedder import get_embedder

    update: dict[str, Any] = {"index_dir": target.index_dir}
    if target.external:
        update["default_access"] = "oppen"
    if target.reference_folders:
        folders = (*settings.fusion.reference_folders, *target.reference_folders)
        update["fusion"] = settings.fusion.model_copy(update={"reference_folders": folders})
    set_settings = settings.model_copy(update=update)
    sources = [target.external.write_corpus(target.index_dir)] if target.external else list(target.sources)
    report = run_ingest(
        [str(s) for s in sources], set_settings, get_embedder(set_settings), progress=progress
    )
    ingest = (
        f"{report.count(ADDED) + report.count(CHANGED)} indexerade, "
        f"{report.count(UNCHANGED)} oförändrade, {report.count(FAILED)} fel på {report.seconds:.0f} s"
    )
    return set_settings, ingest


def run_target(
    target: EvalTarget, settings: Settings, progress: bool = True, generative: bool | None = None
) -> SetRun:
    """``generative`` picks the writer (None: as the settings say)."""
    from assistant.service import Assistant

    set_settings, ingest = prepare_index(target, settings, progress)
    started = time.perf_counter()
    assistant = Assistant(set_settings)
    startup = time.perf_counter() - started
    everything = set_settings.access_rank(None)
    indexed = [chunk for document in assistant.catalog.documents(everything) for chunk in document.chunks]
    _check_gold_exists(target.questions, indexed)
    run = SetRun(target, [], ingest, startup)
    for question in tqdm(target.questions, desc=target.name, unit="fråga", disable=not progress):
        began = time.perf_counter()
        answer = assistant.ask(
            question.question, top_k=10, history=question.history, generative=generative
        ).to_json()
        latency = time.perf_counter() - began
        run.scores.append(score_answer(question, answer, latency, target.rank_by))
        run.answers.append(answer)
    return run
