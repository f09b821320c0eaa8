"""All seven real Swedish PDFs of ../shared/data/pdfs go through without a crash, and the
two broken ones are handled as a user would need: OCR or a report, never silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.ocr import ocr_available
from ingest.readers import read_file
from kbcore.settings import Settings
from tests.conftest import SHARED_DATA

PDF_DIR = SHARED_DATA / "pdfs"
INDEX = json.loads((PDF_DIR / "pdf_index.json").read_text(encoding="utf-8"))


def read(path: Path, ocr: bool):
    options = {
        "cache_dir": Settings().cache_dir,
        "ocr_enabled": ocr,
        "ocr_language": "swe",
        "max_pages": 2000,
    }
    return read_file(path, max_bytes=50_000_000, pdf_options=options)


@pytest.mark.parametrize("entry", INDEX, ids=[entry["file"][:40] for entry in INDEX])
def test_every_real_pdf_is_read_page_by_page(entry: dict) -> None:
    document = read(PDF_DIR / entry["file"], ocr=True)
    numbers = [page.number for page in document.pages]
    assert numbers == sorted(numbers)
    assert all(1 <= n <= entry["pages"] for n in numbers)
    accounted = set(numbers) | {
        int(notice.split()[1].rstrip(":")) for notice in document.notices if notice.startswith("sida ")
    }
    assert accounted == set(range(1, entry["pages"] + 1)), "a page vanished without a report"


def test_broken_font_encoding_is_reported_and_not_indexed() -> None:
    document = read(PDF_DIR / "prop_1999-2000_17_avtal_sverige_danmark_farjor_tag.pdf", ocr=False)
    assert any("trasig teckenkodning" in notice for notice in document.notices)
    text = " ".join(page.text for page in document.pages)
    assert "\x03" not in text and "QlUPDVW" not in text
    assert "Öresund" in text  # the readable pages are kept


def test_scanned_pdf_without_ocr_is_reported_page_by_page() -> None:
    from ingest.readers import ReadError

    with pytest.raises(ReadError, match="sida 1: saknar textlager och OCR är inte tillgänglig"):
        read(PDF_DIR / "prop_1991-92_43_skattetillagg_SCANNED_image_only_excerpt.pdf", ocr=False)


@pytest.mark.skipif(not ocr_available("swe"), reason="tesseract-ocr-swe is installed by `make test`")
def test_scanned_pdf_is_read_with_swedish_ocr() -> None:
    document = read(PDF_DIR / "prop_1991-92_43_skattetillagg_SCANNED_image_only_excerpt.pdf", ocr=True)
    text = " ".join(page.text for page in document.pages).lower()
    assert "skattetillägg" in text
    assert any("OCR" in notice for notice in document.notices)
