"""Whether a sentence says nothing that another does not: the decision record that repeats
the summary, two actor records that repeat each other, a short role line that a longer
sentence contains. Used by the answer composer (each fact said once) and by the eval's
repeated-statement measure, so both judge with the same rule."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d+(?:[,.]\d+)?")
# Where a record found what it says ("Enligt avsnitt 7 (i Workshopserien ...)") is not what
# it says: without this, its section number alone keeps it apart from the original.
_SECTION_REFERENCE = re.compile(r"\b(?:enligt\s+)?(?:avsnitt|kapitel|section)\s+\d+(?:\s+\([^)]*\))?", re.I)


@lru_cache(maxsize=8192)  # the same passages' sentences are compared for many questions
def content_words(text: str) -> frozenset[str]:
    """The words of four letters or more, case-folded and cut to their first six letters so
    that inflections match ("styrgruppen"/"styrgruppens" -> "styrgr"); a section reference
    ("enligt avsnitt 7") is left out."""
    words = _WORD.findall(_SECTION_REFERENCE.sub(" ", text))
    return frozenset(word.casefold()[:6] for word in words if len(word) > 3)


@lru_cache(maxsize=8192)
def _particulars(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What tells two sentences on one pattern apart: capitalised words (names: "Länsstyrelsen
    deltog ..." is not "Mittuniversitetet deltog ...") as content-word keys, and numbers."""
    text = _SECTION_REFERENCE.sub(" ", text)
    names = frozenset(w.casefold()[:6] for w in _WORD.findall(text) if len(w) > 3 and w[0].isupper())
    return names, frozenset(_NUMBER.findall(text))


def covers(a: str, b: str, overlap: float) -> bool:
    """True when ``b`` says everything ``a`` says: at least ``overlap`` (0-1) of a's content
    words occur in b, and every name and number of a does. False when a has no content words."""
    words_a, words_b = content_words(a), content_words(b)
    if not words_a:
        return False
    names, numbers = _particulars(a)
    return (
        len(words_a & words_b) / len(words_a) >= overlap
        and names <= words_b
        and numbers <= _particulars(b)[1]
    )


def adds_particulars(a: str, b: str) -> bool:
    """Whether ``a`` holds a name or a number that ``b`` does not: "Säkerställa finansiering
    ..., där Regionen bidrar med 2 miljoner kronor." adds to "Säkerställa finansiering ...",
    though it covers it."""
    names, numbers = _particulars(a)
    return not names <= content_words(b) or not numbers <= _particulars(b)[1]


def restates(a: str, b: str, overlap: float) -> bool:
    """Whether one of two sentences adds nothing to the other (``covers`` either way)."""
    return covers(a, b, overlap) or covers(b, a, overlap)
