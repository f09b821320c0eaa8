"""OCR of PDF pages without a text layer (Tesseract with Swedish data), cached by file hash.

OCR costs 13-19 s a page on two cores, so a page is never read twice: results are kept
under ``cache_dir/ocr/<file sha256>/<page>.txt``.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=4)
def ocr_available(language: str) -> bool:
    """True when the tesseract binary and the language's data are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return language in pytesseract.get_languages(config="")
    except Exception:  # a broken tesseract install is the same as none for us
        return False


class OcrCache:
    def __init__(self, cache_dir: Path, file_hash: str, language: str) -> None:
        self._folder = cache_dir / "ocr" / file_hash
        self._language = language

    def read_page(self, page_number: int, images: list[Any]) -> str:
        """Text of the page's images, from the cache when this page was read before."""
        cached = self._folder / f"{page_number}.{self._language}.txt"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        import pytesseract

        text = "\n\n".join(
            pytesseract.image_to_string(image.image, lang=self._language) for image in images
        ).strip()
        self._folder.mkdir(parents=True, exist_ok=True)
        cached.write_text(text, encoding="utf-8")
        return text
