"""One evaluation session: the named sets, once per writer, into one report object; and the
settings record that makes two reports comparable."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from evals.report import result_json
from evals.runner import SetRun, resolve, run_target
from kbcore.settings import Settings
from kbcore.tuning import ANSWER_GROUPS

WRITERS = {"extractive": (False,), "generative": (True,), "both": (False, True)}

# Besides the answer groups (kbcore.settings.ANSWER_GROUPS), what a report must record to be
# comparable with the next one.
_RECORDED_FIELDS = ("embed_model", "chunk_tokens", "chunk_overlap_tokens", "llm_base_url", "llm_model")


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings a report records: a few paths and models as strings, and every answer group
    whole, as {field: value}."""
    return {key: str(getattr(settings, key)) for key in _RECORDED_FIELDS} | {
        group: getattr(settings, group).model_dump() for group in ANSWER_GROUPS
    }


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
