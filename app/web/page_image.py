"""A PDF source as it looks: the cited page rendered to PNG with pypdfium2 (already the PDF
reader of the ingest), the quoted sentences' text boxes marked in yellow, for the document
viewer to show beside the extracted text."""

from __future__ import annotations

import base64
import io
import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

SCALE = 1.4  # 72 dpi points -> ~100 dpi: an A4 page ~830 px wide, legible in the viewer
_SEARCH_CHARS = 60  # a quote is searched by its start: a line break may fall anywhere after it


def source_file(source_root: str, doc_id: str) -> Path | None:
    """The indexed file on disk: ``doc_id`` is "folder/relative/path" under the parent of
    the ingested folder ``source_root``, or the file's own name when a file was ingested.
    Tries the name as indexed (NFC) and decomposed (NFD, as macOS writes å ä ö); None when
    neither exists."""
    root = Path(source_root)
    candidates = [root] if root.is_file() else [root.parent / doc_id]
    candidates.append(Path(unicodedata.normalize("NFD", str(candidates[0]))))
    return next((path for path in candidates if path.is_file()), None)


def page_image(pdf: Path, page: int, quoted: tuple[str, ...] = ()) -> str | None:
    """Page ``page`` (1-based) of ``pdf`` as a PNG data URI with each quoted sentence's text
    boxes marked; None when the file cannot be read or has no such page (logged)."""
    try:
        return _render(str(pdf), pdf.stat().st_mtime_ns, page, quoted)
    except Exception as error:  # a damaged or replaced PDF: the viewer shows the text alone
        log.warning("Sidbilden kunde inte visas för %s s. %d: %s", pdf, page, error)
        return None


@lru_cache(maxsize=64)
def _render(path: str, _mtime: int, page_number: int, quoted: tuple[str, ...]) -> str | None:
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    document = pdfium.PdfDocument(path)
    try:
        if not 0 < page_number <= len(document):
            return None
        page = document[page_number - 1]
        image = page.render(scale=SCALE).to_pil().convert("RGBA")
        crop_left, _, _, crop_top = page.get_cropbox()  # the rendered area, in PDF points
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        marks = ImageDraw.Draw(layer)
        text = page.get_textpage()
        for sentence in quoted:
            for left, bottom, right, top in _boxes(text, sentence):
                x0, x1 = (left - crop_left) * SCALE, (right - crop_left) * SCALE
                y0, y1 = (crop_top - top) * SCALE, (crop_top - bottom) * SCALE
                box = (x0, y0, x1, y1)
                marks.rectangle(box, fill=(255, 229, 138, 110), outline=(179, 131, 0, 255))
        buffer = io.BytesIO()
        Image.alpha_composite(image, layer).convert("RGB").save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    finally:
        document.close()


def _boxes(text, sentence: str) -> list[tuple[float, float, float, float]]:
    """The text rectangles (PDF points) of the first match of the sentence's start."""
    probe = " ".join(sentence.split())[:_SEARCH_CHARS]
    if not probe:
        return []
    searcher = text.search(probe, match_case=False)
    found = searcher.get_next()
    if found is None:
        return []
    start, _ = found
    end = min(text.count_chars(), start + len(" ".join(sentence.split())))
    return [text.get_rect(i) for i in range(text.count_rects(start, end - start))]
