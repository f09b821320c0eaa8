"""PDF pages read the way a person reads them, through pypdfium2 (PDFium's text layer).

PDFium gives each character with its box, fill colour and render mode, so this module can
leave out what a reader cannot see (invisible render mode, white text), read columns one
after the other, keep a title apart from the first sentence, drop running headers and
footers (lines repeated at the top or bottom of most pages), join a sentence broken across
a page onto the page it starts on, and join a line-end hyphen only where it breaks a word.
A page without a text layer is OCR'd (images through pypdf, as before) or reported by
number; lines a broken font encoding garbled are reported. Text is NFKC-folded.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.document import Page, ReadDocument, ReadError
from ingest.garble import drop_garbled_lines
from ingest.ocr import OcrCache, ocr_available
from kbcore.schema import content_hash
from kbcore.text import normalize_extracted

_MIN_TEXT_CHARS = 20  # fewer extracted characters than this: treat the page as a scan
_INVISIBLE_MODES = {3, 7}  # PDF text render modes that paint nothing: invisible, clip only
_MARGIN_LINES = 2  # lines at the top and bottom of a page that may be a header or footer
# Swedish words after "X- " that show the hyphen belongs to a shortened compound: "Region- och"
_CONJUNCTION = re.compile(r"(?:och|eller|samt|som|resp|respektive|till|med|mot)\b")
_SENTENCE_END = re.compile(r"[.!?:;…\"”)]$")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float  # PDF units from the bottom of the page, larger is higher
    bottom: float
    size: float


@dataclass
class _PageText:
    number: int
    lines: list[_Line] = field(default_factory=list)
    invisible_chars: int = 0


def read_pdf(
    data: bytes, *, cache_dir: Path, ocr_enabled: bool, ocr_language: str, max_pages: int
) -> ReadDocument:
    """Pages of a PDF (bytes) as paragraphs separated by blank lines, numbered from 1.
    OCR settings as in ``ingest.ocr``; raises ReadError for files that are not PDFs, are
    damaged or encrypted, have more than ``max_pages`` pages or no readable text."""
    import pypdfium2 as pdfium

    if not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise ReadError("inte en PDF-fil (saknar PDF-huvud)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError("krypterad PDF (lösenord krävs)") from None
        raise ReadError(f"PDF-filen är trasig och kunde inte läsas: {error}") from None
    page_count = len(document)
    if page_count == 0:
        raise ReadError("PDF-filen har inga sidor")
    if page_count > max_pages:
        raise ReadError(f"för många sidor ({page_count}, gränsen är {max_pages})")

    notices: list[str] = []
    texts: list[_PageText] = []
    for number in range(1, page_count + 1):
        try:
            texts.append(_page_lines(document[number - 1], number))
        except Exception as error:  # one bad page must not cost the others
            notices.append(f"sida {number}: texten kunde inte extraheras ({error})")
    invisible = sum(text.invisible_chars for text in texts)
    if invisible:
        notices.append(f"{invisible} tecken osynlig text (osynligt läge eller vit text) indexerades inte")
    removed = _drop_running_lines(texts)
    if removed:
        notices.append("sidhuvud/sidfot indexerades inte: " + " | ".join(f"'{line}'" for line in removed))

    use_ocr = ocr_enabled and ocr_available(ocr_language)
    ocr = OcrCache(cache_dir, content_hash(data), ocr_language)
    pages: list[Page] = []
    for page_text in texts:
        number = page_text.number
        text = "\n".join(line.text for line in page_text.lines)
        if len(text.replace("\n", "").strip()) < _MIN_TEXT_CHARS and not page_text.invisible_chars:
            text = _text_of_scanned_page(data, number, ocr if use_ocr else None, notices)
        else:
            text = _paragraphs(page_text.lines)
        text, dropped = drop_garbled_lines(normalize_extracted(text))
        if dropped:
            notices.append(f"sida {number}: {dropped} rader med trasig teckenkodning indexerades inte")
        text = normalise_page_text(text)
        if text:
            pages.append(Page(text, number))
    if not pages:
        raise ReadError("ingen läsbar text på någon sida; " + "; ".join(notices))
    return ReadDocument(_join_across_pages(pages), _pdf_title(document), has_headings=False, notices=notices)


def _pdf_title(document) -> dict[str, str]:
    """{"title": ...} from the PDF's own metadata (PDFium) when it has a title, else {}."""
    try:
        title = str(document.get_metadata_dict().get("Title") or "").strip()
    except Exception:  # damaged metadata costs the title only
        title = ""
    return {"title": title} if title else {}


def _page_lines(page, number: int) -> _PageText:
    """The visible lines of a page in reading order: PDFium's order, or column by column
    when the page is set in columns."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    result = _PageText(number)
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    modes: dict[int, int] = {}
    chars: list[tuple[str, tuple[float, float, float, float], float]] = []
    for index in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, index)
        char = chr(code) if code else ""
        if raw.FPDFText_IsHyphen(textpage, index):
            char = "-"  # PDFium writes a line-end hyphen as U+0002
        if char in ("\r", "\n") or raw.FPDFText_IsGenerated(textpage, index):
            chars.append((char if char != "\r" else "", (0, 0, 0, 0), 0.0))
            continue
        obj = raw.FPDFText_GetTextObject(textpage, index)
        address = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if address not in modes:
            modes[address] = raw.FPDFTextObj_GetTextRenderMode(obj) if obj else 0
        raw.FPDFText_GetFillColor(textpage, index, red, green, blue, alpha)
        white = min(red.value, green.value, blue.value) >= 250
        if modes[address] in _INVISIBLE_MODES or alpha.value == 0 or white:
            if not char.isspace():
                result.invisible_chars += 1
            continue
        box = textpage.get_charbox(index, loose=False)
        chars.append((char, box, raw.FPDFText_GetFontSize(textpage, index)))
    result.lines = _columns(_lines(chars), page.get_width())
    return result


def _lines(chars) -> list[_Line]:
    """PDFium's lines, split where a gap wider than three character widths separates text
    on one baseline (two columns side by side)."""
    lines: list[_Line] = []
    current: list = []

    def flush() -> None:
        boxed = [c for c in current if c[0] and not c[0].isspace() and c[1][2] > c[1][0]]
        if boxed:
            text = re.sub(r"\s+", " ", "".join(c[0] for c in current)).strip()
            lines.append(
                _Line(
                    text,
                    min(c[1][0] for c in boxed),
                    max(c[1][2] for c in boxed),
                    max(c[1][3] for c in boxed),
                    min(c[1][1] for c in boxed),
                    max(c[2] for c in boxed),
                )
            )
        current.clear()

    previous = None
    for char in chars:
        if char[0] == "\n":
            flush()
            previous = None
            continue
        if char[0] and not char[0].isspace() and char[1][2] > char[1][0]:
            if previous is not None:
                width = max(char[2] * 0.5, 1.0)
                if char[1][0] - previous[1][2] > 3 * width or char[1][2] < previous[1][0] - width:
                    flush()
            previous = char
        current.append(char)
    flush()
    return lines


def _columns(lines: list[_Line], page_width: float) -> list[_Line]:
    """Lines column by column when a vertical gutter with text lines on both sides runs
    through the page; lines across the gutter (a title) keep their place above or below."""
    if len(lines) < 6:
        return lines
    best = None
    for step in range(25, 76):
        x = page_width * step / 100
        left = [line for line in lines if line.x1 < x]
        right = [line for line in lines if line.x0 > x]
        across = len(lines) - len(left) - len(right)
        if len(left) < 3 or len(right) < 3 or across > len(lines) * 0.2:
            continue
        # columns of running text, not a two-column list of labels and figures
        if statistics.median(line.x1 - line.x0 for line in left) < page_width * 0.25:
            continue
        if statistics.median(line.x1 - line.x0 for line in right) < page_width * 0.25:
            continue
        if best is None or across < best[1]:
            best = (x, across)
    if best is None:
        return lines
    gutter = best[0]
    ordered: list[_Line] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda line: -line.top):
        if line.x0 < gutter < line.x1:  # a line across both columns closes the band above it
            ordered += _band(band, gutter) + [line]
            band = []
        else:
            band.append(line)
    return ordered + _band(band, gutter)


def _band(lines: list[_Line], gutter: float) -> list[_Line]:
    left = [line for line in lines if line.x1 < gutter]
    return left + [line for line in lines if line.x1 >= gutter]


def _paragraphs(lines: list[_Line]) -> str:
    """Lines as text, a blank line where a paragraph ends: a gap clearly wider than the usual
    line spacing, a change of font size (a title), or a jump back up (the next column)."""
    if not lines:
        return ""
    gaps = [a.bottom - b.bottom for a, b in zip(lines, lines[1:]) if a.bottom > b.bottom]
    spacing = statistics.median(gaps) if gaps else 0.0
    parts = [lines[0].text]
    for previous, line in zip(lines, lines[1:]):
        gap = previous.bottom - line.bottom
        new_paragraph = (
            gap <= 0
            or (spacing and gap > spacing * 1.45)
            or abs(line.size - previous.size) > max(previous.size, 1.0) * 0.15
        )
        parts.append(("\n\n" if new_paragraph else "\n") + line.text)
    return "".join(parts)


def _margin_key(text: str) -> str:
    """Page numbers and dates vary from page to page; the rest of a running line does not."""
    return re.sub(r"\d+", "#", text.casefold()).strip()


def _drop_running_lines(texts: list[_PageText]) -> list[str]:
    """Remove the lines repeated at the top or bottom of most pages; return one example of
    each removed line."""
    with_text = [text for text in texts if text.lines]
    if len(with_text) < 2:
        return []

    def margins(text: _PageText) -> list[_Line]:
        by_height = sorted(text.lines, key=lambda line: -line.top)
        return by_height[:_MARGIN_LINES] + by_height[-_MARGIN_LINES:]

    counts = Counter(key for text in with_text for key in {_margin_key(line.text) for line in margins(text)})
    needed = max(2, -(-len(with_text) * 6 // 10))  # at least 60 % of the pages
    running = {key for key, count in counts.items() if count >= needed and key.strip("#")}
    examples: dict[str, str] = {}
    for text in with_text:
        drop = [line for line in margins(text) if _margin_key(line.text) in running]
        for line in drop:
            examples.setdefault(_margin_key(line.text), line.text)
        text.lines = [line for line in text.lines if not any(line is dropped for dropped in drop)]
    return list(examples.values())


def _join_lines(text: str) -> str:
    """Join the lines of a paragraph: a line-end hyphen is dropped only where it breaks a word
    ('kompetens-' + 'försörjning'); kept in 'IT-säkerhet', 'e-tjänster', 'EU-projektet',
    before a capital or digit, and as 'Region- och' before a conjunction."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    joined = lines[0]
    for line in lines[1:]:
        joined = _join_two(joined, line)
    return joined


def _join_two(first: str, second: str) -> str:
    if not first.endswith("-") or first.endswith(" -") or first.endswith("--"):
        return f"{first} {second}"
    stem = re.search(r"(\w+)-$", first)
    word = stem.group(1) if stem else ""
    if _CONJUNCTION.match(second):
        return f"{first} {second}"
    keep = (
        not word
        or len(word) <= 2  # 'e-', 'S-'
        or word.isupper()  # 'IT-', 'EU-'
        or any(char.isdigit() for char in word)
        or not second[:1].islower()
    )
    return f"{first}{second}" if keep else f"{first[:-1]}{second}"


def normalise_page_text(text: str) -> str:
    """Join the lines of each paragraph (see ``_join_lines``); blank lines still separate
    paragraphs. Returns paragraphs separated by one blank line."""
    paragraphs = (_join_lines(paragraph) for paragraph in re.split(r"\n\s*\n", text))
    return "\n\n".join(re.sub(r"[ \t]{2,}", " ", p) for p in paragraphs if p)


def _join_across_pages(pages: list[Page]) -> list[Page]:
    """A sentence broken across a page break, joined onto the page it starts on: when a page
    ends without closing its sentence and the next page starts in lower case, the next page's
    text up to the end of that sentence moves to the end of the page before."""
    for before, after in zip(pages, pages[1:]):
        if before.number is None or after.number != before.number + 1:
            continue
        if _SENTENCE_END.search(before.text) or not after.text[:1].islower():
            continue
        first, _, rest = after.text.partition("\n\n")
        end = re.search(r"[.!?](?=\s|$)", first)
        cut = end.end() if end else len(first)
        before.text = _join_two(before.text, first[:cut].strip())
        after.text = "\n\n".join(part for part in (first[cut:].strip(), rest) if part)
    return [page for page in pages if page.text]


def _text_of_scanned_page(data: bytes, number: int, ocr: OcrCache | None, notices: list[str]) -> str:
    """OCR of the images of a page without a text layer (pypdf gives the embedded images)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        images = list(PdfReader(io.BytesIO(data)).pages[number - 1].images)
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
