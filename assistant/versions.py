"""Versions of one document.

- In the document list (``find_versions``, over the documents the asker may read): near-
  duplicate text with a different year, as issue 13 defines them.
- Among an answer's passages (``version_key``): the same title but for its years and
  bracketed remarks ("Projektplan bredband 2025" / "... 2026 (reviderad)"); only the
  passages are at hand there. A question that names a year is answered from that year's
  version only; when two versions are quoted, each is named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.fusion import Fused

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WORD = re.compile(r"\w+")
_REMARK = re.compile(r"\([^)]*\)")  # "(reviderad)", "(utkast)": how a version is marked


def version_key(item: Fused) -> str:
    """The passage's document title without its years and bracketed remarks, case-folded:
    versions share it ("Projektplan bredband 2026 (reviderad)" -> "projektplan bredband")."""
    title = str(item.chunk.metadata.get("title", ""))
    return " ".join(_YEAR.sub(" ", _REMARK.sub(" ", title)).split()).casefold()


def _years(item: Fused) -> set[str]:
    meta = item.chunk.metadata
    return set(_YEAR.findall(f"{meta.get('title', '')} {meta.get('date', '')}"))


def prefer_named_version(question: str, passages: list[Fused]) -> list[Fused]:
    """``passages`` (rank order) without those of another version of a document whose
    version of the year the question names is among them: "budgeten i projektplanen 2026"
    is not answered from the 2025 plan. Unchanged when the question names no year."""
    named = set(_YEAR.findall(question))
    if not named:
        return passages
    matching = {version_key(item) for item in passages if _years(item) & named}
    return [
        item
        for item in passages
        if version_key(item) not in matching or _years(item) & named or not _years(item)
    ]


def versions_among(passages: list[Fused]) -> set[int]:
    """Indexes of the passages whose documents are versions of one another (same
    ``version_key``, different documents)."""
    documents: dict[str, set[str]] = {}
    for item in passages:
        documents.setdefault(version_key(item), set()).add(item.chunk.doc_id)
    shared = {key for key, docs in documents.items() if key and len(docs) > 1}
    return {i for i, item in enumerate(passages) if version_key(item) in shared}


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
