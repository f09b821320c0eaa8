"""One evaluation session: the named sets, once per writer, into one report object; and the
settings record that makes two reports comparable."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from evals.report import result_json
from evals.runner import SetRun, resolve, run_target
from kbcore.settings import Settings

WRITERS = {"extractive": (False,), "generative": (True,), "both": (False, True)}

# What a report must record to be comparable with the next one.
_RECORDED_SETTINGS = (
    "embed_model",
    "chunk_tokens",
    "chunk_overlap_tokens",
    "candidates",
    "fusion_coverage_threshold",
    "fusion_bm25_weight_matched",
    "fusion_bm25_weight_paraphrase",
    "abstain_strong_similarity",
    "abstain_weak_similarity",
    "abstain_max_unknown_share",
    "abstain_english_similarity",
    "llm_base_url",
    "llm_model",
    "llm_passages",
    "verify_min_support",
    "verify_min_similarity",
    "verify_min_kept",
)


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings a report records, so that two reports can be compared."""
    return {key: str(getattr(settings, key)) for key in _RECORDED_SETTINGS}


def run_sets(
    names: Iterable[str],
    settings: Settings,
    writer: str = "extractive",
    progress: bool = True,
    on_run: Callable[[SetRun], None] | None = None,
) -> dict[str, Any]:
    """Run the named sets with ``writer`` ("extractive", "generative" or "both": each set
    once per writer) and return the report object (``evals.report.result_json``).

    ``on_run`` is called with each finished run. Raises ValueError for an unknown set name.
    """
    runs = []
    for target in resolve(names, settings):
        for generative in WRITERS[writer]:
            named = replace(target, name=f"{target.name} (generativ)") if generative else target
            run = run_target(named, settings, progress=progress, generative=generative)
            runs.append(run)
            if on_run:
                on_run(run)
    return result_json(runs, settings_record(settings))
