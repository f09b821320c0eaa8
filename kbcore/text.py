"""Unicode normal forms shared by the writer (ingest) and the readers (assistant) of the index.

Text reaches the index and the questions reach the search in one form, so a word is the same
word in both: composed (NFC: 'å' one code point, not 'a' plus a combining ring), without soft
hyphens (U+00AD, invisible in print but splitting a word for the keyword channel) and without
stray byte-order marks. Extracted PDF text is first folded with NFKC, which also turns
typographic ligatures ('ﬁ', 'ﬂ', 'ﬀ') and other compatibility forms into plain letters.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = {ord("\u00ad"): None, ord("\ufeff"): None}  # soft hyphen, zero-width no-break space
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """``text`` in NFC without soft hyphens or byte-order marks; other characters unchanged."""
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE))


def normalize_extracted(text: str) -> str:
    """Text extracted from a PDF: compatibility forms folded (NFKC: 'ﬁ' -> 'fi', full-width
    letters -> ASCII), then as ``normalize_text``."""
    return normalize_text(unicodedata.normalize("NFKC", text.translate(_INVISIBLE)))


def normalize_question(question: str) -> str:
    """A question as the index's text is stored: NFKC-folded, NFC, soft hyphens removed,
    runs of whitespace as one space, no leading or trailing space ('' for a blank question)."""
    return _WHITESPACE.sub(" ", normalize_extracted(question)).strip()


def fold_key(text: str) -> str:
    """A front-matter key as compared: lower case without diacritics, spaces, '-' or '_'
    ('Åtkomst-nivå' -> 'atkomstniva', 'decided_by' -> 'decidedby')."""
    decomposed = unicodedata.normalize("NFKD", normalize_text(text).casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\s_\-]+", "", letters)
