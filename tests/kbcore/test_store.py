"""A new embedding model through the ingest: every document is embedded again (the store's own
side of it is in the contract suite, test_store_contract.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sync import ADDED, run_ingest
from kbcore.store import open_index
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.core  # also run against a `chroma run` server (TEST_CHROMA=server)


def test_a_new_embedding_model_re_embeds_everything(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(tmp_path / "korpus", {"a.md": front_matter_doc("A", "oppen", "Robusta samhällen.")})
    run_ingest([str(corpus)], settings, embedder)
    current = embedder.identity

    open_index(settings, "en-annan-modell", for_writing=True)  # another model wrote meanwhile
    report = run_ingest([str(corpus)], settings, embedder)  # back to the configured model
    assert report.model_reset and {r.status for r in report.results} == {ADDED}
    reopened = open_index(settings, current, for_writing=False)
    assert not reopened.reset and reopened.count() == 1
