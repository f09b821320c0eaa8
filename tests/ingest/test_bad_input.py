"""Every kind of bad file in one corpus, beside good ones: each is named with its problem,
the good ones are indexed, the index stays consistent, and a reader never fails with
anything but a ReadError whatever bytes it is given (hypothesis, bounded)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assistant.service import Assistant
from ingest.readers import ReadError, read_file
from ingest.sync import ADDED, FAILED, UNCHANGED, run_ingest
from kbcore.store import open_index
from tests.conftest import front_matter_doc, write_files


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf("Hemlig plan för etableringen."))))
    writer.encrypt("lösenord")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_bomb(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {  # file name -> (bytes, the problem the report must name)
    "tom.md": (b"", "tom fil"),
    "binär.pdf": (b"\x00\x01\x02\x03 ingen pdf", "inte en PDF"),
    "avklippt.pdf": (None, "PDF"),
    "krypterad.pdf": (None, "krypterad PDF"),
    "sidbomb.pdf": (None, "för många sidor (2500, gränsen är 2000)"),
    "ogiltig utf8.txt": (b"Region J\xe4mtland \xff\xfe\x81 investerar", "ogiltig UTF-8 vid byte 8"),
    "trasig front matter.md": (b"---\ntitle: [trasig\naccess: oppen\n---\n\nText.\n", "trasig front matter"),
    "inte-zip.docx": (b"PK detta \xe4r inget zip-arkiv", "inte en giltig DOCX-fil"),
    "enorm.txt": (None, "för stor (50 MB, gränsen är 25 MB"),
}
GOOD = {
    "Årsmöte på Östersund.md": front_matter_doc(
        "Årsmöte på Östersund", "oppen", "Årsmötet för Tillväxtmotorn hålls på Frösön i Östersund."
    ),
    "mapp med mellanslag/grön omställning.md": front_matter_doc(
        "Grön omställning", "oppen", "Tillväxtmotorn attraherar investeringar i vätgas och batterier."
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "korpus", GOOD)
    truncated = _pdf("Tillväxtmotorn " * 200)
    generated = {
        "avklippt.pdf": truncated[: len(truncated) // 3],
        "krypterad.pdf": _encrypted_pdf(),
        "sidbomb.pdf": _page_bomb(2500),
    }
    for name, (data, _) in BAD.items():
        if name == "enorm.txt":
            line = ("Tillväxtmotorn investerar i länet. " * 30 + "\n").encode()
            (root / name).write_bytes((line * (50_000_000 // len(line) + 1))[:50_000_000])
        else:
            (root / name).write_bytes(generated.get(name, data))
    return root


@pytest.mark.core
def test_each_bad_file_is_named_with_its_problem_and_the_rest_is_indexed(corpus, settings, embedder) -> None:
    report = run_ingest([str(corpus)], settings, embedder)
    results = {Path(r.path).name: r for r in report.results}
    for line in sorted(f"{r.status:10} {Path(r.path).name}: {r.message}" for r in report.results):
        print(line)
    for name, (_, problem) in BAD.items():
        assert results[name].status == FAILED and problem in results[name].message, (name, results[name])
    assert results["Årsmöte på Östersund.md"].status == ADDED
    assert results["grön omställning.md"].status == ADDED

    store = open_index(settings, embedder.identity, for_writing=False)
    chunks = store.all_chunks()
    assert store.count() == len(chunks) == len({c.chunk_id for c in chunks})
    assert {c.doc_id for c in chunks} == {"korpus/Årsmöte på Östersund.md",
                                          "korpus/mapp med mellanslag/grön omställning.md"}  # fmt: skip
    answer = Assistant(settings).ask("Var hålls årsmötet för Tillväxtmotorn?")
    assert "Frösön" in answer.answer and answer.citations[0].path.endswith("Årsmöte på Östersund.md")

    again = run_ingest([str(corpus)], settings, embedder)  # nothing good is re-done, nothing lost
    assert {Path(r.path).name: r.status for r in again.results if r.status != FAILED} == {
        "Årsmöte på Östersund.md": UNCHANGED,
        "grön omställning.md": UNCHANGED,
    }
    assert len(store.all_chunks()) == len(chunks)


_SUFFIXES = [".md", ".txt", ".pdf", ".docx"]
_SEEDS = {
    ".pdf": _pdf("Tillväxtmotorn i Jämtland Härjedalen."),
    ".md": "---\ntitle: å\n---\n# Rubrik\n".encode(),
}


@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.sampled_from(_SUFFIXES),
    data=st.binary(min_size=1, max_size=4096),
    mutate_seed=st.booleans(),
    position=st.integers(min_value=0, max_value=10_000),
)
def test_readers_fail_only_with_a_read_error_whatever_the_bytes(
    tmp_path: Path, suffix: str, data: bytes, mutate_seed: bool, position: int
) -> None:
    """Random bytes, and valid files with random bytes spliced in (the harder case)."""
    seed = _SEEDS.get(suffix)
    if mutate_seed and seed:
        cut = position % len(seed)
        data = seed[:cut] + data + seed[cut + len(data) // 2 :]
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    options = {"cache_dir": tmp_path, "ocr_enabled": False, "ocr_language": "swe", "max_pages": 50}
    try:
        read_file(path, max_bytes=1_000_000, pdf_options=options)
    except ReadError as error:
        assert str(error).strip()
