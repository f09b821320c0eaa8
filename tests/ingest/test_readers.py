"""Each reader on a real file of its format, made in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.readers import ReadError, read_file

PDF_OPTIONS = {
    "cache_dir": Path("/nonexistent"),
    "ocr_enabled": False,
    "ocr_language": "swe",
    "max_pages": 50,
}


def read(path: Path):
    return read_file(path, max_bytes=10_000_000, pdf_options=PDF_OPTIONS)


def test_markdown_front_matter_and_body(tmp_path: Path) -> None:
    path = tmp_path / "styrgruppsbeslut.md"
    path.write_text(
        "---\ntitle: Beslut om referensgrupp\ntype: beslut\naccess: styrgrupp\n"
        "date: 2026-01-15\ndecided_by: Styrgruppen\n---\n\n# Rubrik\n\nStyrgruppen utser en referensgrupp.\n",
        encoding="utf-8",
    )
    document = read(path)
    assert document.front_matter["title"] == "Beslut om referensgrupp"
    assert document.front_matter["decided_by"] == "Styrgruppen"
    assert str(document.front_matter["date"]) == "2026-01-15"
    assert document.has_headings
    assert "Styrgruppen utser en referensgrupp." in document.pages[0].text
    assert "decided_by" not in document.pages[0].text


def test_broken_front_matter_is_refused_with_the_yaml_problem(tmp_path: Path) -> None:
    path = tmp_path / "trasig.md"
    path.write_text("---\ntitle: [ofullständig\naccess: styrgrupp\n---\n\nHemlig text.\n", encoding="utf-8")
    with pytest.raises(ReadError, match="front matter"):
        read(path)


def test_plain_text_in_windows_1252_is_read_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "äldre fil.txt"
    path.write_bytes("Östersunds kommun och Härjedalen.".encode("cp1252"))
    document = read(path)
    assert document.pages[0].text == "Östersunds kommun och Härjedalen."
    assert any("Windows-1252" in notice for notice in document.notices)


def test_pdf_made_in_the_test_keeps_page_numbers_and_swedish_letters(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=12)
    for text in ("Första sidan: Östersund och Åre växer.", "Andra sidan: förädling av våra resurser lokalt."):
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    path = tmp_path / "två sidor.pdf"
    pdf.output(str(path))
    document = read(path)
    assert [page.number for page in document.pages] == [1, 2]
    assert "Östersund och Åre växer." in document.pages[0].text
    assert "förädling av våra resurser lokalt." in document.pages[1].text


def test_docx_headings_become_markdown_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Aktörer och mandat", level=1)
    document.add_paragraph("Kommunförbundet företräder länets kommuner.")
    document.add_heading("Kontaktvägar", level=2)
    document.add_paragraph("Investerare hänvisas till plattformens processledare.")
    path = tmp_path / "aktörer.docx"
    document.save(str(path))
    text = read(path).pages[0].text
    assert "# Aktörer och mandat" in text
    assert "## Kontaktvägar" in text
    assert "Kommunförbundet företräder länets kommuner." in text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("tom.md", b"", "tom fil"),
        ("binär.pdf", b"\x00\x01\x02 inte en pdf", "inte en PDF"),
        ("inte-zip.docx", b"PK? nej", "DOCX"),
        ("okänd.xyz", b"text", "stöds inte"),
        ("binär.txt", b"abc\x00def", "binärfil"),
    ],
)
def test_bad_files_raise_one_clear_problem(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=problem):
        read(path)
