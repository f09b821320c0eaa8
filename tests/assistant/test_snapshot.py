"""One immutable index snapshot: a reload swaps in a whole new one while requests run, and
each request answers from the snapshot it started with, never from a mix of two."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.service import Assistant
from ingest.sync import run_ingest
from tests.conftest import front_matter_doc, write_files

QUESTION = "När sammanträder styrgruppen om LOI?"


def _index(root: Path, settings, embedder, month: str):
    """An index of its own below ``root`` whose one document names ``month``."""
    own = settings.model_copy(update={"index_dir": root / "index", "collection": f"snapshot-{month}"})
    text = f"# Sammanträden\n\nStyrgruppen sammanträder i {month} om LOI och investeringsplattformen."
    corpus = write_files(root / "korpus", {"styrgrupp.md": front_matter_doc("Styrgrupp", "oppen", text)})
    run_ingest([str(corpus)], own, embedder)
    return own


def test_answers_stay_on_one_snapshot_while_the_index_reloads(tmp_path: Path, settings, embedder) -> None:
    january = _index(tmp_path / "a", settings, embedder, "januari")
    february = _index(tmp_path / "b", settings, embedder, "februari")
    assistant = Assistant(january)
    ids = {
        "januari": {c.chunk_id for c in assistant.store.all_chunks()},
        "februari": {c.chunk_id for c in Assistant(february).store.all_chunks()},
    }
    answers, errors = [], []
    stop = threading.Event()

    def ask() -> None:
        try:
            while not stop.is_set():
                answers.append(assistant.ask(QUESTION))
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for turn in range(12):
        assistant.settings = february if turn % 2 == 0 else january
        assistant.reload()
    stop.set()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors and len(answers) >= 3
    for answer in answers:
        retrieved = {item.chunk.chunk_id for item in answer.retrieved}
        month = "januari" if retrieved <= ids["januari"] else "februari"
        assert retrieved <= ids[month], "the passages of one answer come from one snapshot"
        assert not answer.abstained and month in answer.answer
        assert all(month in citation.text for citation in answer.citations)
