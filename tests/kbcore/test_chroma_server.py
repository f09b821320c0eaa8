"""The index on a real `chroma run` server on loopback: the path to a shared index.

The same ingest and retrieval code runs against the server's HttpClient; nothing is
written to the local index folder's Chroma store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.sync import ADDED, UNCHANGED, run_ingest
from tests.conftest import front_matter_doc, write_files


@pytest.mark.server
def test_ingest_and_ask_through_a_chroma_server(
    tmp_path: Path, settings, embedder, chroma_server_port: int
) -> None:
    update = {"chroma_host": "127.0.0.1", "chroma_port": chroma_server_port, "collection": "ende-till-ende"}
    server_settings = settings.model_copy(update=update)
    corpus = write_files(
        tmp_path / "korpus",
        {
            "öppet.md": front_matter_doc(
                "Öppet", "oppen", "Plattformen attraherar investeringar i grön omställning."
            ),
            "styrgrupp.md": front_matter_doc(
                "Styrgrupp", "styrgrupp", "Styrgruppen sammanträder i januari om LOI."
            ),
        },
    )
    report = run_ingest([str(corpus)], server_settings, embedder)
    assert {r.status for r in report.results} == {ADDED}
    again = run_ingest([str(corpus)], server_settings, embedder)
    assert {r.status for r in again.results} == {UNCHANGED}
    assert not (Path(settings.index_dir) / "chroma").exists(), "the embedded store must not be used"

    assistant = Assistant(server_settings)
    answer = assistant.ask("När sammanträder styrgruppen om LOI?", role="styrgrupp")
    assert not answer.abstained
    assert "januari" in answer.answer and answer.citations[0].path.endswith("styrgrupp.md")
    hidden = assistant.ask("När sammanträder styrgruppen om LOI?", role="allmanhet")
    assert "januari" not in str(hidden.to_json())
