"""The index on a real `chroma run` server on loopback: the path to a shared index.

The same ingest and retrieval code runs against the server's HttpClient; nothing is
written to the local index folder's Chroma store.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.sync import ADDED, UNCHANGED, run_ingest
from tests.conftest import front_matter_doc, write_files


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI comes with the chromadb package"
    port = _free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert process.poll() is None, "chroma run exited at start"
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma run did not start listening within 60 s")
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.server
def test_ingest_and_ask_through_a_chroma_server(
    tmp_path: Path, settings, embedder, chroma_server: int
) -> None:
    server_settings = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": chroma_server})
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
