"""The ChunkIndex contract (kbcore.store.ChunkIndex), one suite for every store: the embedded
Chroma store and a `chroma run` server on loopback. Only the ``index_settings`` fixture
differs; the vectors are fixed unit vectors, so no embedding model is loaded."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from kbcore.schema import Chunk
from kbcore.settings import Settings
from kbcore.store import ChunkIndex, IndexMismatch, open_index

MODEL = "contract-model"
DIM = 8


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def index_settings(request, tmp_path) -> Settings:
    """Settings for a fresh, empty collection: in an embedded store below tmp_path, or on the
    session's `chroma run` server."""
    collection = f"kontrakt-{uuid.uuid4().hex}"
    if request.param == "embedded":
        return Settings(index_dir=tmp_path / "index", collection=collection, chroma_host=None)
    port = request.getfixturevalue("chroma_server_port")
    return Settings(
        index_dir=tmp_path / "index", collection=collection, chroma_host="127.0.0.1", chroma_port=port
    )


def _chunk(doc: str, version: str, position: int, rank: int, root: str = "korpus") -> Chunk:
    return Chunk(
        f"{doc}::{version}::{position:05d}",
        f"Text {position} ur {doc} version {version}.",
        {"doc_id": doc, "doc_hash": version, "access_rank": rank, "source_root": root, "path": f"{doc}.md"},
    )


def _vectors(count: int, offset: int = 0) -> np.ndarray:
    """Orthogonal unit rows: row i points along axis (offset + i)."""
    return np.eye(DIM, dtype=np.float32)[offset : offset + count]


def _store(settings: Settings) -> ChunkIndex:
    return open_index(settings, MODEL, for_writing=True)


def test_upsert_is_idempotent(index_settings) -> None:
    store = _store(index_settings)
    chunks = [_chunk("a", "v1", i, 0) for i in range(3)]
    store.upsert(chunks, _vectors(3))
    store.upsert(chunks, _vectors(3))  # a re-run after a crash writes the same ids again
    assert store.count() == 3
    assert sorted(c.chunk_id for c in store.all_chunks()) == sorted(c.chunk_id for c in chunks)


def test_all_chunks_keep_their_text_metadata_and_vectors(index_settings) -> None:
    store = _store(index_settings)
    chunks = [_chunk("a", "v1", i, 1) for i in range(2)]
    store.upsert(chunks, _vectors(2))
    by_id = {c.chunk_id: c for c in store.all_chunks()}
    assert all(by_id[c.chunk_id].text == c.text and by_id[c.chunk_id].metadata == c.metadata for c in chunks)
    stored, vectors = store.chunks_with_vectors()
    for chunk, vector in zip(stored, vectors):
        position = int(chunk.chunk_id.rsplit("::", 1)[1])
        assert np.allclose(vector, _vectors(2)[position])


def test_document_versions_group_chunk_ids_by_hash_and_root(index_settings) -> None:
    store = _store(index_settings)
    store.upsert([_chunk("a", "v1", 0, 0), _chunk("a", "v2", 0, 0)], _vectors(2))
    store.upsert([_chunk("b", "v1", 0, 0, root="annat")], _vectors(1, offset=2))
    assert store.document_versions("korpus") == {"a": {"v1": ["a::v1::00000"], "v2": ["a::v2::00000"]}}
    assert set(store.document_versions()) == {"a", "b"}


def test_delete_by_chunk_and_by_document(index_settings) -> None:
    store = _store(index_settings)
    store.upsert([_chunk("a", "v1", i, 0) for i in range(2)] + [_chunk("b", "v1", 0, 0)], _vectors(3))
    store.delete(["a::v1::00000", "finns-inte"])
    assert store.count() == 2
    store.delete_document("a")
    assert [c.doc_id for c in store.all_chunks()] == ["b"]


def test_query_finds_the_nearest_within_the_access_rank(index_settings) -> None:
    store = _store(index_settings)
    chunks = [_chunk(f"d{rank}", "v1", 0, rank) for rank in range(4)]
    store.upsert(chunks, _vectors(4))
    for max_rank in range(4):
        for target in range(4):
            results = store.query(_vectors(1, offset=target)[0], 4, max_rank)
            assert all(int(r.chunk.metadata["access_rank"]) <= max_rank for r in results)
            assert len(results) == max_rank + 1
            if target <= max_rank:  # the exact vector comes first, with cosine 1
                assert results[0].chunk.doc_id == f"d{target}" and results[0].score == pytest.approx(1.0)
    assert store.query(_vectors(1)[0], 0, 3) == []


def test_the_embedding_model_is_part_of_the_index(index_settings) -> None:
    store = _store(index_settings)
    assert store.model_id == MODEL and not store.reset
    store.upsert([_chunk("a", "v1", 0, 0)], _vectors(1))
    assert open_index(index_settings, MODEL, for_writing=False).count() == 1
    with pytest.raises(IndexMismatch, match="assistant ingest"):
        open_index(index_settings, "en-annan-modell", for_writing=False)
    other = open_index(index_settings, "en-annan-modell", for_writing=True)
    assert other.reset and other.model_id == "en-annan-modell" and other.count() == 0


def test_a_version_bump_is_seen_through_another_handle(index_settings) -> None:
    writer = _store(index_settings)
    writer.upsert([_chunk("a", "v1", 0, 0)], _vectors(1))
    reader = open_index(index_settings, MODEL, for_writing=False)
    before = reader.version()
    writer.bump_version()
    assert reader.version() != before
    assert reader.count() == 1 and open_index(index_settings, MODEL, for_writing=False).model_id == MODEL


def test_every_open_sets_the_collections_search_breadth(index_settings) -> None:
    import chromadb

    _store(index_settings)  # created with the setting
    wider = index_settings.model_copy(update={"search_ef": index_settings.search_ef + 7})
    _store(wider)  # an existing collection is changed to the setting when opened
    if index_settings.chroma_host:
        client = chromadb.HttpClient(host=index_settings.chroma_host, port=index_settings.chroma_port)
    else:
        client = chromadb.PersistentClient(path=str(index_settings.index_dir / "chroma"))
    hnsw = client.get_collection(index_settings.collection).configuration["hnsw"]
    assert hnsw["ef_search"] == wider.search_ef
