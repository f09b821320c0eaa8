"""The store's contract: which model built it, and what happens when that changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sync import ADDED, run_ingest
from kbcore.store import IndexMismatch, IndexStore
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.core  # also run against a `chroma run` server (TEST_CHROMA=server)


def test_a_new_embedding_model_re_embeds_everything(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(tmp_path / "korpus", {"a.md": front_matter_doc("A", "oppen", "Robusta samhällen.")})
    run_ingest([str(corpus)], settings, embedder)
    current = embedder.identity

    with pytest.raises(IndexMismatch, match="assistant ingest"):
        IndexStore.open(settings, "en-annan-modell", for_writing=False)

    store, reset = IndexStore.open(settings, "en-annan-modell", for_writing=True)
    assert reset and store.count() == 0
    report = run_ingest([str(corpus)], settings, embedder)  # back to the configured model
    assert report.model_reset and {r.status for r in report.results} == {ADDED}
    reopened, reset_again = IndexStore.open(settings, current, for_writing=False)
    assert not reset_again and reopened.count() == 1
