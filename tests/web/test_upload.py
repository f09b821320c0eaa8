"""Upload and re-index (ingest/upload.py), as the app's administrators use it: the files land
in the upload folder, the whole corpus is brought up to date, failures are listed first, and a
second upload while one runs is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.sync import ADDED, FAILED, IngestBusy
from ingest.upload import Uploader, result_rows
from kbcore.store import open_index
from tests.conftest import front_matter_doc, write_files


def test_uploaded_files_are_saved_and_indexed_with_failures_first(tmp_path: Path, settings, embedder) -> None:
    corpus = write_files(tmp_path / "korpus", {"a.md": front_matter_doc("A", "oppen", "Robusta samhällen.")})
    incoming = write_files(tmp_path / "in", {"b.md": front_matter_doc("B", "oppen", "Gröna investeringar.")})
    (incoming / "trasig.pdf").write_bytes(b"inte en pdf")
    settings = settings.model_copy(update={"corpus_dir": corpus, "upload_dir": corpus / "uppladdat"})

    report = Uploader(settings, embedder).save_and_reindex(
        [str(incoming / "b.md"), str(incoming / "trasig.pdf")]
    )

    assert (corpus / "uppladdat" / "b.md").is_file()
    rows = result_rows(report)
    assert rows[0][0].endswith("trasig.pdf") and rows[0][1] == FAILED
    assert {row[1] for row in rows[1:]} == {ADDED}


def test_a_second_upload_while_one_runs_is_refused(tmp_path: Path, settings, embedder) -> None:
    settings = settings.model_copy(update={"corpus_dir": tmp_path / "korpus", "upload_dir": tmp_path / "upp"})
    uploader = Uploader(settings, embedder)
    uploader._lock.acquire()  # an upload in progress
    with pytest.raises(IngestBusy):
        uploader.save_and_reindex([])


def test_an_upload_gets_the_chosen_access_level_and_title(tmp_path: Path, settings, embedder) -> None:
    incoming = write_files(tmp_path / "in", {"utkast_v3.md": "# Årsmöte\n\nÅrsmötet hålls i Östersund.\n"})
    corpus = tmp_path / "korpus"
    settings = settings.model_copy(update={"corpus_dir": corpus, "upload_dir": corpus / "uppladdat"})
    uploader = Uploader(settings, embedder)

    uploader.save_and_reindex([str(incoming / "utkast_v3.md")], access="styrgrupp")
    chunk = _metadata(settings, embedder)[0]
    assert (chunk["access"], chunk["title"]) == ("styrgrupp", "Årsmöte")  # title from the first heading

    uploader.save_and_reindex([str(incoming / "utkast_v3.md")], access="partner", title="Årsmötet 2026")
    chunk = _metadata(settings, embedder)[0]
    assert (chunk["access"], chunk["title"]) == ("partner", "Årsmötet 2026")


def _metadata(settings, embedder) -> list[dict]:
    return [
        chunk.metadata for chunk in open_index(settings, embedder.identity, for_writing=False).all_chunks()
    ]


def test_a_file_whose_name_leaves_no_room_for_the_metadata_file_is_uploaded_and_indexed(
    tmp_path: Path, settings, embedder
) -> None:
    # regeringen.se names run to 250 bytes; "<name>.meta.json" would pass the 255-byte limit
    long_name = "uppdrag-till-myndigheten-att-förbereda-" + "civilplikt-" * 18 + "inom-vården.md"
    assert 245 < len(long_name.encode()) <= 255
    incoming = write_files(
        tmp_path / "in", {long_name: "# Civilplikt\n\nFörberedande åtgärder för civilplikt."}
    )
    corpus = tmp_path / "korpus"
    settings = settings.model_copy(update={"corpus_dir": corpus, "upload_dir": corpus / "uppladdat"})

    report = Uploader(settings, embedder).save_and_reindex(
        [str(incoming / long_name)], title="Civilplikt i vården"
    )

    assert [row[1] for row in result_rows(report)] == [ADDED]
    sidecars = list((corpus / "uppladdat").glob("*.meta.json"))
    assert len(sidecars) == 1 and len(sidecars[0].name.encode()) <= 255
    document = Assistant(settings).catalog.documents(settings.access_rank(None))[0]
    assert document.title == "Civilplikt i vården"


def test_a_shortened_metadata_name_fits_keeps_whole_characters_and_differs_per_file() -> None:
    import os

    from ingest.sync import sidecar_path

    folder = Path("/uppladdat")
    stem = "å" * 120  # two bytes each: the cut falls inside a character unless it steps back
    first, second = (sidecar_path(folder / f"{stem}-{n}.md") for n in (1, 2))
    for sidecar in (first, second):
        raw = os.fsencode(sidecar.name)
        assert len(raw) <= 255 and sidecar.name.endswith(".meta.json")
        raw.decode("utf-8")  # no character split in two
    assert first != second
    latin1 = folder / os.fsdecode(b"r\xe5d" * 90 + b".md")  # not UTF-8, as in an old zip
    assert len(os.fsencode(sidecar_path(latin1).name)) <= 255
    assert sidecar_path(folder / "kort.md").name == "kort.md.meta.json"
