"""Which documents are versions of one another: near-duplicate text, a different year.

Used on the chunks of the index (``assistant.catalog`` holds them all), so the document list
can mark versions and an answer drawing on two versions can name which figure is whose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_WORD = re.compile(r"\w+")


def document_year(title: str, date: str) -> str:
    """The year a document is of: from its date ('2025-02-01'), else the last year in its
    title; '' when neither names one."""
    for text in (date, title):
        years = [match.group(0) for match in _YEAR.finditer(text or "")]
        if years:
            return years[0] if text is date else years[-1]
    return ""


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = [word for word in _WORD.findall(text.casefold()) if not _YEAR.fullmatch(word)]
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def find_versions(
    documents: Mapping[str, tuple[str, str, str]], *, min_similarity: float = 0.5
) -> dict[str, list[str]]:
    """``documents`` maps doc_id -> (title, date, full text). Returns doc_id -> the ids of
    its other versions: documents whose text (years left out, in word triples) overlaps at
    least ``min_similarity`` (Jaccard) and whose year differs. Identical copies of the same
    year are duplicates, not versions, and are not listed."""
    shingles = {doc_id: _shingles(text) for doc_id, (_, _, text) in documents.items()}
    years = {doc_id: document_year(title, date) for doc_id, (title, date, _) in documents.items()}
    index: dict[tuple[str, ...], set[str]] = {}
    for doc_id, grams in shingles.items():
        for gram in grams:
            index.setdefault(gram, set()).add(doc_id)
    versions: dict[str, list[str]] = {}
    for doc_id, grams in shingles.items():
        shared: dict[str, int] = {}
        for gram in grams:
            for other in index[gram]:
                if other != doc_id:
                    shared[other] = shared.get(other, 0) + 1
        for other, count in sorted(shared.items()):
            union = len(grams) + len(shingles[other]) - count
            if union and count / union >= min_similarity and years[doc_id] != years[other]:
                versions.setdefault(doc_id, []).append(other)
    return versions
