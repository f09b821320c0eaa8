"""The field-case kinds with other content: files built here, read as a person reads them."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from fpdf import FPDF
from fpdf.enums import TextMode

from ingest.chunking import Chunker, DocumentIdentity
from ingest.document import ReadError
from ingest.pdf import read_pdf
from ingest.readers import read_file
from kbcore.text import normalize_question

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PDF_OPTIONS = {"cache_dir": Path("/nonexistent"), "ocr_enabled": False, "ocr_language": "swe", "max_pages": 9}


def pdf_of(pages: list[list[tuple[float, float, str]]], **text_options) -> bytes:
    """A PDF with lines placed at (x, y) mm on each page."""
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    for lines in pages:
        pdf.add_page()
        for x, y, text in lines:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def read(data: bytes):
    return read_pdf(data, **PDF_OPTIONS)


def test_ligatures_are_folded() -> None:
    text = read(pdf_of([[(20, 20, "Flygplatsen ﬂyttar ﬁrman till Åre, ﬀ.")]])).pages[0].text
    assert text == "Flygplatsen flyttar firman till Åre, ff."


def test_hyphens_kept_in_compounds_and_joined_in_broken_words() -> None:
    lines = [
        "Rapporten från FN-",
        "organen nämner samhälls-",
        "byggnad, Kommun- och",
        "regionnivå och b-",
        "laget.",
    ]
    text = read(pdf_of([[(20, 20 + 6 * i, line) for i, line in enumerate(lines)]])).pages[0].text
    assert text == "Rapporten från FN-organen nämner samhällsbyggnad, Kommun- och regionnivå och b-laget."


def test_running_lines_dropped_and_sentence_joined_on_its_first_page() -> None:
    pages = [
        [
            (20, 10, "Region Jämtland Härjedalen – Rapport"),
            (20, 30, "Första sidan börjar en mening som"),
            (20, 285, f"Sida {n} av 3"),
        ]
        for n in (1, 2, 3)
    ]
    pages[1][1] = (20, 30, "fortsätter här. Sedan kommer annat.")
    pages[2][1] = (20, 30, "Sista sidan har egen text.")
    document = read(pdf_of(pages))
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert document.pages[0].text == "Första sidan börjar en mening som fortsätter här."
    assert document.pages[1].text == "Sedan kommer annat."
    assert "Sida" not in " ".join(page.text for page in document.pages)
    assert any("Region Jämtland Härjedalen" in notice for notice in document.notices)


def test_columns_read_one_after_the_other_and_title_apart() -> None:
    left = [
        "Vänster spalt börjar här och",
        "fortsätter med mer text om",
        "länets företag och slutar.",
        "Mer om vänster.",
    ]
    right = [
        "Höger spalt handlar om",
        "turismen i fjällen och om",
        "gästnätter under vintern.",
        "Mer om höger.",
    ]
    lines = [(20, 20, "Rubrik över båda spalterna i rapporten om länet")]
    lines += [(20, 40 + 6 * i, text) for i, text in enumerate(left)]
    lines += [(110, 40 + 6 * i, text) for i, text in enumerate(right)]
    text = read(pdf_of([lines])).pages[0].text
    assert text.startswith("Rubrik över båda spalterna i rapporten om länet\n\n")
    assert "Vänster spalt börjar här och fortsätter med mer text om länets företag och slutar." in text
    assert "Höger spalt handlar om turismen i fjällen och om gästnätter under vintern." in text
    assert text.index("Mer om vänster.") < text.index("Höger spalt")


def test_invisible_and_white_pdf_text_left_out_and_reported() -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.text(20, 20, "Synlig text om budgeten för länets satsningar.")
    pdf.text_mode = TextMode.INVISIBLE
    pdf.text(20, 30, "Dold sökmotortext")
    pdf.text_mode = TextMode.FILL
    pdf.set_text_color(255, 255, 255)
    pdf.text(20, 40, "Vit hemlighet")
    document = read(bytes(pdf.output()))
    assert document.pages[0].text == "Synlig text om budgeten för länets satsningar."
    assert any("osynlig text" in notice for notice in document.notices)


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_docx_file(tmp_path: Path, data: bytes):
    path = tmp_path / "fil.docx"
    path.write_bytes(data)
    return read_file(path, max_bytes=10**8, pdf_options=PDF_OPTIONS)


def test_docx_in_order_hidden_and_white_runs_left_out_margins_marked(tmp_path: Path) -> None:
    def build(document) -> None:
        document.add_heading("Personal", level=1)
        table = document.add_table(rows=2, cols=3)
        for cell, text in zip(table.rows[0].cells, ("Roll", "Antal", "Ort")):
            cell.text = text
        table.rows[1].cells[0].text = "Handläggare"
        table.rows[1].cells[1].merge(table.rows[1].cells[2]).text = "tre i Östersund"
        document.add_heading("Lokaler", level=1)
        paragraph = document.add_paragraph("Kontoret ligger i Östersund.")
        paragraph.add_run(" Hemlig anteckning.").font.hidden = True
        paragraph.add_run(" Vitt fusk.").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        document.sections[0].header.paragraphs[0].text = "Internt arbetsmaterial"

    document = read_docx_file(tmp_path, docx_bytes(build))
    text = document.pages[0].text
    assert text.index("# Personal") < text.index("| Roll | Antal | Ort |") < text.index("# Lokaler")
    assert text.count("tre i Östersund") == 1
    assert "Kontoret ligger i Östersund." in text and "Hemlig" not in text and "Vitt fusk" not in text
    assert "# Sidhuvud och sidfot\n\nInternt arbetsmaterial" in text
    notices = " ".join(document.notices)
    assert "dold text" in notices and "bakgrundens färg" in notices and "sidhuvud/sidfot" in notices


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "anteckning.txt"
    path.write_bytes("Mötet i Strömsund gäller älgjakten.".encode(encoding))
    assert read_file(path, max_bytes=10**8, pdf_options=PDF_OPTIONS).pages[0].text == (
        "Mötet i Strömsund gäller älgjakten."
    )


def test_decomposed_text_and_soft_hyphens_normalised(tmp_path: Path) -> None:
    path = tmp_path / unicodedata.normalize("NFD", "älvdalen.md")
    path.write_text(
        unicodedata.normalize("NFD", "# Älvar\n\nStröm\u00adkarlen i Ångermanälven."), encoding="utf-8"
    )
    text = read_file(path, max_bytes=10**8, pdf_options=PDF_OPTIONS).pages[0].text
    assert text == unicodedata.normalize("NFC", "# Älvar\n\nStrömkarlen i Ångermanälven.")
    assert (
        normalize_question(unicodedata.normalize("NFD", "  Vad  gör  ström\u00adkarlen? "))
        == "Vad gör strömkarlen?"
    )


def chunk_markdown(tmp_path: Path, text: str, embedder, tokens: int = 200):
    path = tmp_path / "dok.md"
    path.write_text(text, encoding="utf-8")
    read = read_file(path, max_bytes=10**8, pdf_options=PDF_OPTIONS)
    return Chunker(tokens, 20, embedder.count_tokens).chunk(
        read, DocumentIdentity("d", "h" * 64, "r", "dok.md"), "oppen"
    )


def test_markdown_table_rows_whole_with_header(tmp_path: Path, embedder) -> None:
    rows = "\n".join(f"| Stugby {i} | {i * 7} bäddar | öppen året runt |" for i in range(60))
    chunks = chunk_markdown(
        tmp_path, f"# Boende\n\n| Anläggning | Kapacitet | Säsong |\n|---|---|---|\n{rows}\n", embedder, 80
    )
    assert len(chunks) > 2
    for chunk in chunks:
        lines = chunk.text.splitlines()
        assert lines[:2] == ["| Anläggning | Kapacitet | Säsong |", "|---|---|---|"]
        assert all(line.endswith("året runt |") for line in lines[2:])


def test_heading_with_slashes_stays_one(tmp_path: Path, embedder) -> None:
    chunks = chunk_markdown(
        tmp_path, "# Plan\n\n## Budget 2024/2025\n\n### Drift och/eller underhåll\n\nText här.\n", embedder
    )
    assert chunks[0].metadata["heading"] == "Budget 2024/2025 › Drift och/eller underhåll"


@pytest.mark.parametrize(
    ("front", "level"),
    [
        ("Behörighet: Intern", "intern"),
        ("ÅTKOMST: Öppen", "oppen"),
        ("access: [partner]", "partner"),
        ("", "oppen"),
    ],
)
def test_front_matter_access_spellings(tmp_path: Path, embedder, front: str, level: str) -> None:
    chunks = chunk_markdown(tmp_path, f"---\nTitel: Plan\n{front}\n---\nText om planen.\n", embedder)
    assert chunks[0].metadata["access"] == level and chunks[0].metadata["title"] == "Plan"


@pytest.mark.parametrize(
    "front",
    [
        "Acess: styrgrupp",
        "access_level: intern",
        "Åtkomstnivåer: intern",
        "access: [intern, styrgrupp]",
        "access: hemlig",
    ],
)
def test_unreadable_access_refuses_the_file_naming_the_key(tmp_path: Path, embedder, front: str) -> None:
    with pytest.raises(ReadError) as refused:
        chunk_markdown(tmp_path, f"---\ntitle: Plan\n{front}\n---\nText.\n", embedder)
    assert front.split(":")[0] in str(refused.value) or front.split(": ")[1] in str(refused.value)


def test_unknown_front_matter_keys_are_noticed(tmp_path: Path) -> None:
    path = tmp_path / "dok.md"
    path.write_text("---\ntitle: Plan\nprojektkod: JH-12\n---\nText.\n", encoding="utf-8")
    notices = read_file(path, max_bytes=10**8, pdf_options=PDF_OPTIONS).notices
    assert notices == ["okända fält i front matter sparas som extra metadata: projektkod"]
