"""A PDF source as it looks (issue 16, item 7): the cited page rendered with the quoted
sentence marked, found on disk from what the index stores, and shown above the text."""

from __future__ import annotations

import base64
import io
import shutil
import unicodedata
from pathlib import Path

from PIL import Image

from app.web.app import cited_pdf_page
from app.web.page_image import page_image, source_file
from app.web.render import document_view
from assistant.catalog import Document
from kbcore.schema import Chunk
from tests.conftest import SHARED_DATA

PLAN = SHARED_DATA / "pdfs" / "NFS_2007_10_inventering_rovdjur_konsoliderad.pdf"
PAGE = 2
QUOTE = "Den tid som är lämpligast för inventering med hänsyn till arternas reproduktion"


def _pixels(uri: str) -> Image.Image:
    assert uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


def test_the_cited_page_is_rendered_with_the_quote_marked_in_yellow() -> None:
    plain, marked = page_image(PLAN, PAGE), page_image(PLAN, PAGE, (QUOTE,))
    assert plain and marked and plain != marked
    yellow = [p for p in _pixels(marked).getdata() if p[0] > 225 and p[1] > 200 and p[2] < p[0] - 25]
    assert len(yellow) > 500  # the marked lines, not a stray pixel
    assert sum(1 for p in _pixels(plain).getdata() if p[0] > 225 and p[1] > 200 and p[2] < p[0] - 25) < 50
    assert page_image(PLAN, 999) is None  # no such page: the viewer shows the text alone


def test_the_file_is_found_from_the_indexed_root_also_under_a_decomposed_name(tmp_path: Path) -> None:
    folder = tmp_path / "planer"
    decomposed = unicodedata.normalize("NFD", "årsplan.pdf")
    folder.mkdir()
    shutil.copy(PLAN, folder / decomposed)
    assert source_file(str(folder), "planer/årsplan.pdf") == folder / decomposed
    assert source_file(str(folder / decomposed), "årsplan.pdf") == folder / decomposed
    assert source_file(str(folder), "planer/borta.pdf") is None


def test_the_viewer_shows_the_page_above_the_text() -> None:
    chunk = Chunk("plan::0", QUOTE, {"doc_id": "plan.pdf", "page": 1, "heading": ""})
    document = Document("plan.pdf", "Verksamhetsplan 2026", "ovrigt", "", "intern", 2, "plan.pdf", (chunk,))
    html = document_view(document, QUOTE, [QUOTE], (PAGE, page_image(PLAN, PAGE, (QUOTE,))))
    assert '<figure class="sidbild"' in html and 'alt="Sidan 2 i Verksamhetsplan 2026' in html
    assert html.index("sidbild") < html.index("citerat-stycke")


def test_a_cited_pdf_passage_opens_at_its_page_in_the_app(tmp_path: Path) -> None:
    folder = tmp_path / "material"
    folder.mkdir()
    shutil.copy(PLAN, folder / "rovdjur.pdf")
    metadata = {"doc_id": "material/rovdjur.pdf", "page": PAGE, "source_root": str(folder)}
    chunk = Chunk("r::0", QUOTE, metadata)
    document = Document(
        "material/rovdjur.pdf", "Rovdjur", "ovrigt", "", "oppen", 0, "material/rovdjur.pdf", (chunk,)
    )
    page = cited_pdf_page(document, {"page": PAGE}, [QUOTE])
    assert page is not None and page[0] == PAGE and page[1].startswith("data:image/png")
    assert cited_pdf_page(document, {"page": None}, [QUOTE]) is None  # no page: the text alone


def test_the_viewer_shows_the_record_card_first_and_marks_it_when_it_is_cited() -> None:
    from assistant.record_fields import record_card

    meta = {"doc_id": "beslut.md", "heading": "Beslut", "title": "Förbereda", "fm_status": "pågår"}
    chunk = Chunk("beslut::0", "Magnus och Martin förbereder.", meta)
    document = Document("beslut.md", "Förbereda", "beslut", "", "partner", 1, "beslut.md", (chunk,))
    card = record_card(chunk)
    assert card is not None
    html = document_view(document, card.text, ["Status: pågår"])
    assert html.index("Dokumentuppgifter") < html.index("Magnus och Martin")
    assert '<section class="citerad" id="citerat-stycke"><h4>Dokumentuppgifter</h4>' in html
    assert "<mark>Status: pågår</mark>" in html
    text_cited = document_view(document, chunk.text)  # the card is shown, not marked
    assert text_cited.index("Dokumentuppgifter") < text_cited.index('id="citerat-stycke"')
