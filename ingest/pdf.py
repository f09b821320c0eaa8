"""PDF pages through pypdf, with OCR for pages without text and garbled lines dropped.

A page is never silently lost: a page without a text layer is OCR'd, or reported by
number when OCR is unavailable; lines a broken font encoding garbled are reported.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from ingest.garble import drop_garbled_lines
from ingest.ocr import OcrCache, ocr_available
from ingest.readers import Page, ReadDocument, ReadError
from kbcore.schema import content_hash

_MIN_TEXT_CHARS = 20  # fewer extracted characters than this: treat the page as a scan
# Swedish line-end hyphens that are not word breaks: "civil- och militär säkerhet"
_KEEP_HYPHEN_BEFORE = re.compile(r"-\n(?=(?:och|eller|samt|som|resp)\b)")
_SOFT_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-zåäö])")


def normalise_page_text(text: str) -> str:
    """Join the lines of a paragraph; blank lines still separate paragraphs."""
    text = _KEEP_HYPHEN_BEFORE.sub("- ", text)
    text = _SOFT_HYPHEN_BREAK.sub(r"\1", text)
    paragraphs = re.split(r"\n\s*\n", text)
    joined = (re.sub(r"[ \t]*\n[ \t]*", " ", paragraph).strip() for paragraph in paragraphs)
    return "\n\n".join(re.sub(r"[ \t]{2,}", " ", p) for p in joined if p)


def read_pdf(
    data: bytes, *, cache_dir: Path, ocr_enabled: bool, ocr_language: str, max_pages: int
) -> ReadDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise ReadError("inte en PDF-fil (saknar PDF-huvud)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("krypterad PDF (lösenord krävs)")
        page_count = len(reader.pages)
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ReadError(f"PDF-filen är trasig och kunde inte läsas: {error}") from None
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise ReadError(f"PDF-filen kunde inte läsas ({type(error).__name__}: {error})") from None
    if page_count == 0:
        raise ReadError("PDF-filen har inga sidor")
    if page_count > max_pages:
        raise ReadError(f"för många sidor ({page_count}, gränsen är {max_pages})")

    use_ocr = ocr_enabled and ocr_available(ocr_language)
    ocr = OcrCache(cache_dir, content_hash(data), ocr_language)
    pages: list[Page] = []
    notices: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as error:  # one bad page must not cost the others
            notices.append(f"sida {number}: texten kunde inte extraheras ({error})")
            continue
        if len(text.strip()) < _MIN_TEXT_CHARS:
            text = _text_of_scanned_page(page, number, ocr if use_ocr else None, notices)
            if not text:
                continue
        text, dropped = drop_garbled_lines(text)
        if dropped:
            notices.append(f"sida {number}: {dropped} rader med trasig teckenkodning indexerades inte")
        text = normalise_page_text(text)
        if text:
            pages.append(Page(text, number))
    if not pages:
        raise ReadError("ingen läsbar text på någon sida; " + "; ".join(notices))
    return ReadDocument(pages, _pdf_title(reader), has_headings=False, notices=notices)


def _pdf_title(reader) -> dict[str, str]:
    """{"title": ...} from the PDF's own metadata when it has a title, else {}."""
    try:
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except Exception:  # damaged metadata costs the title only
        title = ""
    return {"title": title} if title else {}


def _text_of_scanned_page(page, number: int, ocr: OcrCache | None, notices: list[str]) -> str:
    try:
        images = list(page.images)
    except Exception:
        images = []
    if not images:
        notices.append(f"sida {number}: ingen text och ingen bild")
        return ""
    if ocr is None:
        notices.append(f"sida {number}: saknar textlager och OCR är inte tillgänglig")
        return ""
    text = ocr.read_page(number, images)
    if text.strip():
        notices.append(f"sida {number}: saknar textlager, lästes med OCR")
    else:
        notices.append(f"sida {number}: saknar textlager och OCR gav ingen text")
    return text
