"""Incremental sync: add, change, delete and skip, judged by what the index holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sync import ADDED, CHANGED, FAILED, REMOVED, UNCHANGED, run_ingest
from kbcore.store import IndexStore, open_index
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.core  # also run against a `chroma run` server (TEST_CHROMA=server)


def statuses(report) -> dict[str, str]:
    return {Path(result.path).name: result.status for result in report.results}


def store_of(settings, embedder) -> IndexStore:
    store = open_index(settings, embedder.identity, for_writing=False)
    return store


def test_add_change_delete_and_unchanged(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(
        tmp_path / "korpus",
        {
            "mål.md": front_matter_doc("Mål", "oppen", "# Mål\n\nPlattformen ska öka länets kapacitet."),
            "beslut/referensgrupp.md": front_matter_doc(
                "Referensgrupp", "styrgrupp", "Styrgruppen utser en referensgrupp."
            ),
            "anteckning.txt": "Workshops motsvarande 14 timmar.",
        },
    )
    first = run_ingest([str(corpus)], settings, embedder)
    assert statuses(first) == {"mål.md": ADDED, "referensgrupp.md": ADDED, "anteckning.txt": ADDED}
    store = store_of(settings, embedder)
    ids_before = {c.chunk_id for c in store.all_chunks()}

    again = run_ingest([str(corpus)], settings, embedder)
    assert set(statuses(again).values()) == {UNCHANGED}
    assert {c.chunk_id for c in store.all_chunks()} == ids_before  # stable ids, nothing rewritten

    (corpus / "mål.md").write_text(
        front_matter_doc("Mål", "oppen", "# Mål\n\nPlattformen ska attrahera investeringar."),
        encoding="utf-8",
    )
    (corpus / "anteckning.txt").unlink()
    changed = run_ingest([str(corpus)], settings, embedder)
    assert statuses(changed)["mål.md"] == CHANGED
    assert statuses(changed)["anteckning.txt"] == REMOVED
    texts = {c.text for c in store.all_chunks()}
    assert any("attrahera investeringar" in t for t in texts)
    assert not any("öka länets kapacitet" in t for t in texts), "old version left behind"
    assert not any("14 timmar" in t for t in texts), "removed file still indexed"
    doc_ids = {c.doc_id for c in store.all_chunks()}
    assert doc_ids == {"korpus/mål.md", "korpus/beslut/referensgrupp.md"}


def test_a_new_chunker_version_chunks_every_document_again(
    tmp_path: Path, settings, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An index built by an older chunker is chunked again, though no file changed; the
    # version stands for a change to the chunking code (ingest.chunking.CHUNKER_VERSION).
    corpus = write_files(tmp_path / "korpus", {"mål.md": front_matter_doc("Mål", "oppen", "# Mål\n\nText.")})
    run_ingest([str(corpus)], settings, embedder)
    assert set(statuses(run_ingest([str(corpus)], settings, embedder)).values()) == {UNCHANGED}
    monkeypatch.setattr("ingest.sync.CHUNKER_VERSION", 2)
    again = run_ingest([str(corpus)], settings, embedder)
    assert statuses(again) == {"mål.md": CHANGED}
    assert [c.doc_id for c in store_of(settings, embedder).all_chunks()] == ["korpus/mål.md"]


def test_chunks_carry_document_heading_page_and_access(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(
        tmp_path / "korpus",
        {
            "strategi.md": """
            ---
            title: Strategi för Tillväxtmotorn
            type: strategi
            access: intern
            owner: Processledaren
            decided_by: Styrgruppen
            ---

            # Strategi för Tillväxtmotorn

            ## Uppdrag

            Investeringsfrämjande och kompetensattraktion.

            ## Finansiering

            Aktörerna bidrar med resurser.
            """,
        },
    )
    run_ingest([str(corpus)], settings, embedder)
    chunks = sorted(store_of(settings, embedder).all_chunks(), key=lambda c: c.metadata["chunk_index"])
    assert [c.metadata["heading"] for c in chunks] == ["Uppdrag", "Finansiering"]
    first = chunks[0].metadata
    assert first["title"] == "Strategi för Tillväxtmotorn"
    assert (first["access"], first["access_rank"], first["doc_type"]) == ("intern", 2, "strategi")
    assert first["fm_decided_by"] == "Styrgruppen"
    assert first["path"].endswith("korpus/strategi.md")
    assert chunks[0].chunk_id.startswith("korpus/strategi.md::")


def test_a_bad_file_is_named_and_nothing_else_is_lost(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(
        tmp_path / "korpus",
        {
            "bra.md": front_matter_doc("Bra", "oppen", "Förädling av resurser lokalt."),
            "senare-trasig.md": front_matter_doc("Tidigare bra", "oppen", "Robusta och trygga samhällen."),
        },
    )
    run_ingest([str(corpus)], settings, embedder)
    (corpus / "senare-trasig.md").write_text("---\ntitle: [trasig\n---\ntext\n", encoding="utf-8")
    (corpus / "fel åtkomst.md").write_text(front_matter_doc("X", "hemlig", "text"), encoding="utf-8")
    report = run_ingest([str(corpus)], settings, embedder)
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["senare-trasig.md"].status == FAILED
    assert "front matter" in by_name["senare-trasig.md"].message
    assert by_name["fel åtkomst.md"].status == FAILED
    assert "okänd åtkomstnivå 'hemlig'" in by_name["fel åtkomst.md"].message
    assert not report.nothing_readable
    texts = {c.text for c in store_of(settings, embedder).all_chunks()}
    assert any("Robusta och trygga samhällen." in t for t in texts), "previous version must survive"
    assert any("Förädling" in t for t in texts)


def test_interrupted_replacement_is_repaired_by_the_next_run(tmp_path: Path, settings, embedder) -> None:
    """A crash after the new version is written but before the old is deleted leaves both;
    the next run keeps only the current version."""
    corpus = write_files(tmp_path / "korpus", {"a.md": front_matter_doc("A", "oppen", "Version ett.")})
    run_ingest([str(corpus)], settings, embedder)
    store = store_of(settings, embedder)
    old = store.all_chunks()
    (corpus / "a.md").write_text(front_matter_doc("A", "oppen", "Version två."), encoding="utf-8")
    run_ingest([str(corpus)], settings, embedder)
    import numpy as np

    store.upsert(old, np.zeros((len(old), embedder.dimension), dtype=np.float32) + 0.1)  # simulate the crash
    assert {c.text for c in store.all_chunks()} == {"Version ett.", "Version två."}
    report = run_ingest([str(corpus)], settings, embedder)
    assert statuses(report)["a.md"] == CHANGED
    assert {c.text for c in store.all_chunks()} == {"Version två."}


def test_nothing_readable_is_reported(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(tmp_path / "korpus", {"tom.md": ""})
    assert run_ingest([str(corpus)], settings, embedder).nothing_readable
